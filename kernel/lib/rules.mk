# SPDX-License-Identifier: MIT
# kernel/lib: string functions (linked into the kernel) and the kernel-flags
# compile check used by every pure-logic kernel component: objects under
# build/kernel-check/ are built with KERNEL_CFLAGS and linked nowhere, so code
# that stops being freestanding breaks `make all`.

$(BUILD)/kernel-check/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(KERNEL_CC) $(KERNEL_CFLAGS) -fno-lto -c $< -o $@

KLIB_SRCS := kernel/lib/string.c
KERNEL_SRCS += $(KLIB_SRCS)
ALL_TARGETS += $(patsubst %.c,$(BUILD)/kernel-check/%.o,$(KLIB_SRCS) \
	tests/unit/lib/kcheck_headers.c)
