# SPDX-License-Identifier: MIT
# kernel/cap: kernel objects and capability tables (pure logic, host-tested in
# tests/unit/cap). Compile-checked here with the kernel flags; they join the
# kernel link through CAP_RING_KERNEL_SRCS (kernel/ring/rules.mk).

CAP_SRCS := kernel/cap/object.c kernel/cap/table.c kernel/cap/forward.c
# Transfers also read user memory (as_copy_in): linked with the ring tests.
CAP_XFER_SRCS := kernel/cap/xfer.c
ALL_TARGETS += $(patsubst %.c,$(BUILD)/kernel-check/%.o,$(CAP_SRCS) $(CAP_XFER_SRCS))
