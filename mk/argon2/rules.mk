# SPDX-License-Identifier: MIT
# Argon2id from the reference implementation in Debian's `argon2` source
# package, unpacked in third_party/argon2-VERSION/ (git-ignored, never
# committed) by scripts/fetch-argon2.sh. Like scripts/deps.sh in the
# Makefile, the fetch runs while the Makefile is read, whenever no tree is
# there (not for `make clean` or `make -n`), so a fresh clone builds.
#
# Built from argon2.c, core.c, ref.c (portable C; opt.c's SSE path would
# make the bench figure depend on the CPU model QEMU offers), encoding.c and
# blake2/blake2b.c with ARGON2_NO_THREADS (capOS has no threads until M8;
# lanes run one after another), twice:
#   ARGON2_USER_OBJS  capOS user space (into libuser.a, with the wrapper
#                     user/lib/argon2id*.c) through the headers of
#                     user/lib/libc-shim/ and -nostdinc: no glibc header
#                     reaches capOS code
#   ARGON2_HOST_OBJS  host, ASan/UBSan (tests/unit/user/test_argon2id)
#   ARGON2_OPT_OBJS   host, -O2 without sanitizers (the Linux side of login_verify)
# Our warnings stay on (-Wall -Wextra -Werror); the one relaxation is
# -Wno-type-limits for core.c, whose validate_inputs() compares unsigned
# fields against limits that are 0 or UINT32_MAX (always-false tests the
# code keeps for other configurations).

ARGON2_TREE_OK := $(firstword $(wildcard third_party/argon2-*/src/argon2.c))
ifeq ($(ARGON2_TREE_OK),)
ifneq ($(if $(MAKECMDGOALS),$(filter-out clean,$(MAKECMDGOALS)),all),)
ifeq ($(findstring n,$(firstword -$(MAKEFLAGS))),)
$(shell ./scripts/fetch-argon2.sh >&2)
# Not $(wildcard): make caches the folder listings it has read, and would not see the new tree.
ARGON2_TREE_OK := $(firstword $(shell ls third_party/argon2-*/src/argon2.c 2>/dev/null))
ifeq ($(ARGON2_TREE_OK),)
$(error scripts/fetch-argon2.sh could not fetch the Argon2 reference implementation)
endif
endif
endif
endif

ARGON2_DIR := $(patsubst %/src/argon2.c,%,$(ARGON2_TREE_OK))
ARGON2_SRCS := $(addprefix $(ARGON2_DIR)/src/,argon2.c core.c ref.c encoding.c blake2/blake2b.c)
ARGON2_WRAP_SRCS := user/lib/argon2id.c
ARGON2_CFLAGS := -DARGON2_NO_THREADS -I$(ARGON2_DIR)/include -I$(ARGON2_DIR)/src -Iuser/lib

ARGON2_USER_OBJS := $(patsubst %.c,$(BUILD)/user/obj/%.o,$(ARGON2_SRCS) $(ARGON2_WRAP_SRCS) \
	user/lib/argon2_sprintf.c user/lib/argon2id_mem.c)
ARGON2_HOST_OBJS := $(call host_obj,$(ARGON2_SRCS) $(ARGON2_WRAP_SRCS))
ARGON2_OPT_OBJS := $(patsubst %.c,$(BUILD)/host-opt/obj/%.o,$(ARGON2_SRCS) $(ARGON2_WRAP_SRCS))

$(patsubst %.c,$(BUILD)/user/obj/%.o,$(ARGON2_SRCS) $(ARGON2_WRAP_SRCS)): USER_CFLAGS += \
	$(ARGON2_CFLAGS) -nostdinc -isystem $(shell gcc -print-file-name=include) \
	-Iuser/lib/libc-shim
$(ARGON2_HOST_OBJS) $(ARGON2_OPT_OBJS): HOST_CFLAGS += $(ARGON2_CFLAGS)
$(ARGON2_OPT_OBJS): HOST_OPT_CFLAGS += $(ARGON2_CFLAGS)
$(filter %/core.o,$(ARGON2_USER_OBJS)): USER_CFLAGS += -Wno-type-limits
$(filter %/core.o,$(ARGON2_HOST_OBJS)): HOST_CFLAGS += -Wno-type-limits
$(filter %/core.o,$(ARGON2_OPT_OBJS)): HOST_OPT_CFLAGS += -Wno-type-limits

$(BUILD)/host-opt/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_OPT_CFLAGS) -c $< -o $@

$(ARGON2_USER_OBJS) $(ARGON2_HOST_OBJS) $(ARGON2_OPT_OBJS): mk/argon2/rules.mk
