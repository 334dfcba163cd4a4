# SPDX-License-Identifier: MIT
# Inputs that QEMU scenarios need besides the programs: binaries that are not
# valid capOS executables, which a scenario packs with RAW_BINARIES
# (scripts/qemu-run-scenario.sh) to hand them to ProcessSpawner
# (spawn-hostile). Each fails a different check of elf64_plan.
BAD_BINARIES_DIR := $(BUILD)/bad-binaries
BAD_BINARIES := $(addprefix $(BAD_BINARIES_DIR)/,not-elf elf-truncated elf32 elf-wx)
BAD_BINARIES_FROM := $(BUILD)/user/pkg/exit0.elf

# Text, not an ELF image at all (longer than an ELF header, so the magic is what fails).
$(BAD_BINARIES_DIR)/not-elf: tests/qemu/rules.mk
	@mkdir -p $(@D)
	printf '#!/bin/sh\n# This file is text, not an ELF image: ProcessSpawner must refuse it.\n' > $@

# A real program cut after its ELF header: the program headers are missing.
$(BAD_BINARIES_DIR)/elf-truncated: $(BAD_BINARIES_FROM)
	@mkdir -p $(@D)
	head -c 100 $< > $@

# The same program as a 32-bit ELF.
$(BAD_BINARIES_DIR)/elf32: $(BAD_BINARIES_FROM)
	@mkdir -p $(@D)
	objcopy -O elf32-i386 $< $@

# The same program with its first segment (text) made writable as well.
$(BAD_BINARIES_DIR)/elf-wx: $(BAD_BINARIES_FROM)
	@mkdir -p $(@D)
	cp $< $@.tmp
	phoff=$$(od -An -t u8 -j 32 -N 8 $< | tr -d ' ') && \
		printf '\007' | dd of=$@.tmp bs=1 seek=$$((phoff + 4)) conv=notrunc status=none
	mv $@.tmp $@

ALL_TARGETS += $(BAD_BINARIES)
