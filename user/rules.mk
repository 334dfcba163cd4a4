# SPDX-License-Identifier: MIT
# User programs: the runtime (user/lib) as build/user/libuser.a, every folder
# under user/programs/ as build/user/<name>.elf, linked static at 0x400000 by
# user/lib/user.ld. The runtime links our Cap'n Proto runtime, the shared
# printf engine and the kernel's string functions, each compiled again with
# the user flags into build/user/obj/. Bindings for schema/*.capnp come from
# capnpc-c into build/gen/schema/ (shared with the host tests and mkpkg).
#
# User code is built with the x86-64 baseline's SSE2 and float support, like
# any program: the kernel keeps each thread's x87/SSE/AVX registers
# (docs/fpu.md). The stack is 16-byte aligned at every call (crt0.S), as SSE
# spills need. Only the kernel is -mgeneral-regs-only and -DCAPNP_NO_FLOAT
# (mk/toolchain.mk, kernel/rules.mk).

USER_CC := gcc
USER_CFLAGS := -std=gnu11 $(WARN) -O2 -g -ffreestanding -fno-builtin -nostdlib -static \
	-fno-pie -mno-red-zone -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-omit-frame-pointer -ffunction-sections \
	-fdata-sections \
	-Iinclude -Ilib -Iuser/lib -I$(BUILD)/gen/schema -MMD -MP
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,user/lib/user.ld \
	-Wl,-z,max-page-size=4096 -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--gc-sections

# Generated bindings.
USER_GEN := $(BUILD)/gen/schema
USER_GEN_HDRS := $(USER_GEN)/capos.capnp.h $(USER_GEN)/boot.capnp.h $(USER_GEN)/echo.capnp.h $(USER_GEN)/credentials.capnp.h \
	$(USER_GEN)/session.capnp.h $(USER_GEN)/manifest.capnp.h $(USER_GEN)/device.capnp.h \
	$(USER_GEN)/net.capnp.h

$(USER_GEN)/%.capnp.h: schema/%.capnp $(BUILD)/host/capnpc-c
	@mkdir -p $(@D)
	capnp compile -o $(BUILD)/host/capnpc-c:$(@D) --src-prefix=schema $<

# echo.capnp imports capos.capnp.
$(USER_GEN)/echo.capnp.h: schema/capos.capnp
$(USER_GEN)/credentials.capnp.h: schema/capos.capnp
$(USER_GEN)/session.capnp.h: schema/capos.capnp

# The runtime library.
USER_LIB_SRCS := user/lib/uring.c user/lib/capset.c user/lib/heap.c user/lib/print.c \
	user/lib/client.c user/lib/spawn.c user/lib/rt.c user/lib/sys.c user/lib/server.c user/lib/server_calls.c \
	user/lib/ipc_call.c user/lib/threading.c user/lib/sync.c \
	user/lib/echo_client.c user/lib/check.c user/lib/vm.c user/lib/memobj.c user/lib/process.c \
	user/lib/timer.c user/lib/entropy.c user/lib/linedisc.c user/lib/serial.c user/lib/terminal.c \
	user/lib/terminal_fg.c user/lib/termcore.c user/lib/broker_client.c user/lib/launcher.c \
	user/lib/audit.c user/lib/sessions.c user/lib/pci.c \
	user/lib/net.c user/lib/net_calls.c user/lib/net_sockets.c lib/inet/ipv4.c $(AUDIT_LIB_SRCS) $(SESSIONS_LIB_SRCS) \
	lib/crypto/chacha20.c lib/crypto/sha256.c lib/http/http1.c \
	$(CAPNP_SRCS) $(MANIFEST_SRCS) $(SHELL_LIB_SRCS) $(CREDS_LIB_SRCS) $(BROKER_LIB_SRCS) $(TELNET_LIB_SRCS) \
	user/lib/virtq.c user/lib/virtio_pci.c user/lib/virtio_net.c user/lib/virtio_net_io.c \
	lib/fmt/fmt.c kernel/lib/string.c
# Argon2id (mk/argon2/rules.mk): the reference code and our wrapper.
USER_LIB_OBJS := $(patsubst %.c,$(BUILD)/user/obj/%.o,$(USER_LIB_SRCS)) $(ARGON2_USER_OBJS)
USER_CRT0 := $(BUILD)/user/obj/user/lib/crt0.o
USER_LIB := $(BUILD)/user/libuser.a

$(BUILD)/user/obj/%.o: %.c user/rules.mk | $(USER_GEN_HDRS)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/user/obj/%.o: %.S user/rules.mk
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

# kernel/lib/string.c includes "lib/string.h" from the kernel tree.
$(BUILD)/user/obj/kernel/lib/string.o: USER_CFLAGS += -Ikernel

$(USER_LIB): $(USER_LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# Programs: one folder each; all .c (and .S) files of the folder make one binary.
# USER_EXTRA_LIBS_<name>: archives that program links besides libuser.a (the
# network service's lwIP, mk/lwip/rules.mk).
USER_PROGRAMS := $(notdir $(patsubst %/,%,$(dir $(wildcard user/programs/*/*.c))))
USER_PROGRAMS := $(sort $(USER_PROGRAMS))
USER_ELFS := $(patsubst %,$(BUILD)/user/%.elf,$(USER_PROGRAMS))
user_program_objs = $(patsubst %,$(BUILD)/user/obj/%.o,$(basename \
	$(wildcard user/programs/$(1)/*.c user/programs/$(1)/*.S)))

# The network service runs lwIP (mk/lwip/rules.mk): its headers, and the library.
USER_EXTRA_LIBS_net := $(LWIP_LIB)
# Freestanding like lwIP itself (mk/lwip/rules.mk): lwIP's headers must see
# the same <limits.h> (no C library's SSIZE_MAX) in both.
$(call user_program_objs,net): USER_CFLAGS += $(LWIP_INCLUDES) -nostdinc \
	-isystem $(shell gcc -print-file-name=include) -Iuser/lib/libc-shim
$(call user_program_objs,net): | $(LWIP_PORT_HDRS)

define USER_PROGRAM_RULE
$(BUILD)/user/$(1).elf: $(call user_program_objs,$(1)) $(USER_CRT0) $(USER_LIB) \
		$$(USER_EXTRA_LIBS_$(1)) user/lib/user.ld
	@mkdir -p $$(@D)
	$(USER_CC) $(USER_LDFLAGS) -o $$@ $(USER_CRT0) $(call user_program_objs,$(1)) \
		$$(USER_EXTRA_LIBS_$(1)) $(USER_LIB) -lgcc
endef
$(foreach p,$(USER_PROGRAMS),$(eval $(call USER_PROGRAM_RULE,$(p))))

ALL_TARGETS += $(USER_ELFS)

# What goes into the boot packages: each program stripped of symbols and debug
# information (the unstripped build/user/<name>.elf stays for addr2line).
# build/capos.pkg (make run, make iso) holds init and the binaries the boot
# manifest names (boot/rules.mk); build/test.pkg holds every program, for
# scenarios and benchmarks.
USER_PKG_ELFS := $(patsubst %,$(BUILD)/user/pkg/%.elf,$(USER_PROGRAMS))
pkg_args = $(foreach p,$(1),$(p)=$(BUILD)/user/pkg/$(p).elf)
TEST_PKG_ARGS := $(call pkg_args,$(USER_PROGRAMS))

$(BUILD)/user/pkg/%.elf: $(BUILD)/user/%.elf
	@mkdir -p $(@D)
	strip --strip-all -o $@ $<

$(BOOT_PKG): $(USER_PKG_ELFS)
$(TEST_PKG): $(USER_PKG_ELFS)
ALL_TARGETS += $(USER_PKG_ELFS)

# Init and its manifest validator run once per boot, and every byte of a
# program costs at spawn (the kernel copies its segments): built for size.
$(BUILD)/user/obj/lib/manifest/%.o $(BUILD)/user/obj/user/programs/init/%.o: USER_CFLAGS += -Os

