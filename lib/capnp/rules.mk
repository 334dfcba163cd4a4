# SPDX-License-Identifier: MIT
# lib/capnp: the Cap'n Proto runtime. Built three ways from the same sources:
#   $(CAPNP_HOST_LIB)  host, ASan/UBSan (tools and unit tests)
#   $(CAPNP_OPT_LIB)   host, -O2 without sanitizers (benchmarks)
#   build/kernel-check/capnp/*.o  with KERNEL_CFLAGS, so kernel-incompatible code fails the build
# Users: link $(CAPNP_HOST_LIB) (or list $(CAPNP_SRCS) for other toolchains, e.g. fuzzers).

CAPNP_SRCS := lib/capnp/msg.c lib/capnp/read.c lib/capnp/build.c lib/capnp/copy.c \
	lib/capnp/packed.c
CAPNP_HOST_OBJS := $(call host_obj,$(CAPNP_SRCS))
CAPNP_HOST_LIB := $(BUILD)/host/lib/libcapnp.a
CAPNP_OPT_OBJS := $(patsubst lib/capnp/%.c,$(BUILD)/host-opt/capnp/%.o,$(CAPNP_SRCS))
CAPNP_OPT_LIB := $(BUILD)/host-opt/lib/libcapnp.a
CAPNP_KCHECK_OBJS := $(patsubst lib/capnp/%.c,$(BUILD)/kernel-check/capnp/%.o,$(CAPNP_SRCS))

$(CAPNP_HOST_LIB): $(CAPNP_HOST_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/host-opt/capnp/%.o: lib/capnp/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_OPT_CFLAGS) -c $< -o $@

$(CAPNP_OPT_LIB): $(CAPNP_OPT_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/kernel-check/capnp/%.o: lib/capnp/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(KERNEL_CC) $(KERNEL_CFLAGS) -fno-lto -c $< -o $@

ALL_TARGETS += $(CAPNP_HOST_LIB) $(CAPNP_OPT_LIB) $(CAPNP_KCHECK_OBJS)

# The runtime must not call anything outside itself except the four functions
# gcc requires of every freestanding environment (memcpy, memmove, memset,
# memcmp: the kernel and the user runtime provide them, and gcc emits calls to
# them for struct copies and some loops). Anything else would tie the runtime
# to one environment; this catches it.
CAPNP_KCHECK := $(BUILD)/kernel-check/capnp.ok
$(CAPNP_KCHECK): $(CAPNP_KCHECK_OBJS)
	$(KERNEL_LD) -r -o $(BUILD)/kernel-check/capnp.o $^
	@if nm -u $(BUILD)/kernel-check/capnp.o | grep -vE ' U (memcpy|memmove|memset|memcmp)$$'; then \
		echo "lib/capnp: undefined symbols in kernel build" >&2; exit 1; fi
	@touch $@

ALL_TARGETS += $(CAPNP_KCHECK)
