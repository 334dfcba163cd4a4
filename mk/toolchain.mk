# SPDX-License-Identifier: MIT
# Compilers and flags shared by every fragment.
#
# Host code (tools, unit tests) is built with ASan and UBSan; any finding aborts.
# Kernel code is freestanding: no SSE/x87 (no floating point), no red zone,
# higher-half code model. -fbuiltin after -ffreestanding lets gcc expand small
# fixed-size memcpy/memset (struct copies and initialisers) inline instead of
# calling kernel/lib/string.c; the kernel provides the standard functions, so
# the standard semantics the builtins assume hold.

HOST_CC := gcc
HOST_CXX := g++
FUZZ_CC := clang
WARN := -Wall -Wextra -Werror
HOST_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_CFLAGS := -std=gnu11 $(WARN) -g -O1 $(HOST_SAN) -Iinclude -Ilib -Ikernel -MMD -MP
HOST_LDFLAGS := $(HOST_SAN)
# Tools that are measured (benchmarks) are built without sanitizers.
HOST_OPT_CFLAGS := -std=gnu11 $(WARN) -O2 -g -Iinclude -Ilib -MMD -MP

KERNEL_CC := gcc
KERNEL_LD := ld
# The kernel is built with link-time optimisation: the IPC path crosses ring/,
# cap/, ipc/ and arch/ many times per round trip, and inlining across them
# saves a tenth of it. Compile-only checks (build/kernel-check) add -fno-lto
# so they hold real code.
KERNEL_CFLAGS := -std=gnu11 $(WARN) -O2 -g -flto=auto -ffreestanding -fbuiltin -nostdinc \
	-isystem $(shell gcc -print-file-name=include) \
	-mcmodel=kernel -mno-red-zone -mno-sse -mno-sse2 -mno-mmx -mno-80387 -mgeneral-regs-only \
	-fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-strict-aliasing -Iinclude -Ilib -Ikernel -MMD -MP -DCAPOS_VERSION='"$(VERSION)"'
KERNEL_ASFLAGS := -D__ASSEMBLY__ -Iinclude -Ikernel -MMD -MP

# A stamp that changes whenever the flags do: objects depend on it, so a flag
# change rebuilds them instead of linking stale objects (a clean clone would
# not notice; a developer's tree would).
FLAGS_STAMP := $(BUILD)/.flags
FLAGS_NOW := $(KERNEL_CFLAGS) | $(KERNEL_ASFLAGS) | $(HOST_CFLAGS) | $(HOST_OPT_CFLAGS)
ifneq ($(FLAGS_NOW),$(file <$(FLAGS_STAMP)))
$(shell mkdir -p $(BUILD))
$(file >$(FLAGS_STAMP),$(FLAGS_NOW))
endif

# $(call host_obj,src.c) -> build/host/obj/src.o
host_obj = $(patsubst %.c,$(BUILD)/host/obj/%.o,$(1))

$(BUILD)/host/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

