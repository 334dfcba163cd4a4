# SPDX-License-Identifier: MIT
# capOS top-level Makefile: one non-recursive build. Every folder that builds
# something contributes a `rules.mk` fragment; fragments append to the lists
# below and must not define top-level targets of their own beyond their outputs.
#
#   make run     build and boot capOS in QEMU (console on this terminal)
#   make test    host unit tests, then every QEMU scenario; ends "N passed, N failed"
#   make iso     build/capos.iso (GRUB, BIOS and UEFI)
#   make bench   BENCH lines (guest instructions under -icount shift=0)
#   make fuzz    every fuzzer for FUZZ_SECONDS (default 60) each

.DEFAULT_GOAL := all
SHELL := /bin/bash
BUILD := build
VERSION := 0.1.0

include mk/toolchain.mk

# Outputs other fragments depend on (kernel/rules.mk builds them, and is read last).
KERNEL_ELF := $(BUILD)/kernel/capos.elf
KERNEL_ELF32 := $(BUILD)/kernel/capos32.elf

# Generated headers and other intermediates are kept: they are inputs of many rules.
.SECONDARY:

# Lists filled by fragments.
HOST_TESTS :=		# host unit-test executables; each prints PASS/FAIL lines
HOST_TOOLS :=		# host programs (capnpc-c, capnp-print, ...)
FUZZERS :=		# libFuzzer executables (clang)
TEST_SCRIPTS :=		# extra test scripts run by `make test` (print PASS/FAIL lines)
BENCH_SCRIPTS :=	# scripts run by `make bench` (print BENCH lines)
KERNEL_SRCS :=		# kernel C and assembly sources
ALL_TARGETS :=		# everything `make all` builds

# kernel/rules.mk links what the other fragments contribute, so it comes last.
include $(filter-out kernel/rules.mk,$(sort $(shell find boot kernel lib tools tests user mk \
	-name rules.mk 2>/dev/null))) kernel/rules.mk

.PHONY: all deps test unit-tests bench fuzz clean run iso
all: deps $(ALL_TARGETS)

DEPS_STAMP := $(BUILD)/.deps-ok
deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/deps.sh
	@./scripts/deps.sh
	@mkdir -p $(@D) && touch $@

test: all
	@./scripts/run-tests.sh $(HOST_TESTS) -- $(TEST_SCRIPTS)

unit-tests: all
	@./scripts/run-tests.sh $(HOST_TESTS) --

bench: all
	@./scripts/run-bench.sh $(BENCH_SCRIPTS)

fuzz: deps $(FUZZERS)
	@./scripts/run-fuzz.sh $(FUZZERS)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
