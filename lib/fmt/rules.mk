# SPDX-License-Identifier: MIT
# lib/fmt: freestanding printf engine. The kernel links it (KERNEL_SRCS); the
# kernel-check object proves it builds with the kernel flags.

FMT_SRCS := lib/fmt/fmt.c
KERNEL_SRCS += $(FMT_SRCS)
ALL_TARGETS += $(patsubst %.c,$(BUILD)/kernel-check/%.o,$(FMT_SRCS))
