# SPDX-License-Identifier: MIT
# kernel/mm pure-logic parts (buddy core, slab caches, kmalloc): linked into
# the kernel and compile-checked with the kernel flags (build/kernel-check/).
# frame.c and heap.c (the lead's wrappers) are listed in kernel/rules.mk.

MM_CORE_SRCS := kernel/mm/buddy.c kernel/mm/slab.c kernel/mm/kmalloc.c
KERNEL_SRCS += $(MM_CORE_SRCS)
ALL_TARGETS += $(patsubst %.c,$(BUILD)/kernel-check/%.o,$(MM_CORE_SRCS))
