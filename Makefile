# SPDX-License-Identifier: MIT
# capOS top-level Makefile: one non-recursive build. Every folder that builds
# something contributes a `rules.mk` fragment; fragments append to the lists
# below and must not define top-level targets of their own beyond their outputs.
#
#   make run     build and boot capOS in QEMU (COM1, the terminal, here; with the network)
#   make run-telnet  the same, with the host's 127.0.0.1:2323 forwarded to the guest's telnet (23)
#   make test    host unit tests, then every QEMU scenario; ends "N passed, N failed"
#                (the last line; exit status 141 when anything failed)
#   make iso     build/capos.iso (GRUB, BIOS and UEFI)
#   make bench   BENCH lines (guest instructions under -icount shift=0)
#   make fuzz    every fuzzer for FUZZ_SECONDS (default 60) each

.DEFAULT_GOAL := all
SHELL := /bin/bash
BUILD := build
VERSION := 0.1.0

# Packages first. Fragments and rules name installed files (gcc's include
# folder, /usr/include/capnp/schema.capnp), and under `make -j` a `deps`
# prerequisite would run beside the build, so on a fresh machine
# scripts/deps.sh runs here, while the Makefile is read, before anything
# else: whenever its stamp is missing or older than the script. Not for
# `make clean` or `make -n`. Its output goes to stderr (stdout of $(shell)
# would be read as Makefile text).
DEPS_STAMP := $(BUILD)/.deps-ok
ifneq ($(if $(MAKECMDGOALS),$(filter-out clean,$(MAKECMDGOALS)),all),)
ifeq ($(findstring n,$(firstword -$(MAKEFLAGS))),)
ifneq ($(shell [ $(DEPS_STAMP) -nt scripts/deps.sh ] && echo fresh),fresh)
$(shell ./scripts/deps.sh >&2 && mkdir -p $(BUILD) && touch $(DEPS_STAMP))
ifneq ($(.SHELLSTATUS),0)
$(error scripts/deps.sh failed: the packages above are needed to build capOS)
endif
endif
endif
endif

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

.PHONY: all deps test unit-tests bench stress fuzz clean run run-telnet iso
all: deps $(ALL_TARGETS)

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/deps.sh
	@./scripts/deps.sh
	@mkdir -p $(@D) && touch $@

# The summary "N passed, N failed" must be the last line, but make prints
# "make: *** [...] Error 1" after any failed recipe. So when tests fail the
# recipe ends make itself with SIGPIPE, which make does not catch and shells
# do not report: nothing follows the summary and the status is 141. Under
# --output-sync make still holds the output, so there it fails as usual.
fail_quietly = { $(if $(filter -Otarget -Oline -Orecurse,$(MAKEFLAGS)),,kill -PIPE $$PPID;) exit 1; }

test: all
	@./scripts/run-tests.sh $(HOST_TESTS) -- $(TEST_SCRIPTS) || $(fail_quietly)

unit-tests: all
	@./scripts/run-tests.sh $(HOST_TESTS) -- || $(fail_quietly)

bench: all
	@./scripts/run-bench.sh $(BENCH_SCRIPTS)

# Not part of test: the SMP proof scenarios booted again and again for
# STRESS_MINUTES (default 10) minutes (scripts/stress.sh).
stress: all
	@./scripts/stress.sh

fuzz: deps $(FUZZERS)
	@./scripts/run-fuzz.sh $(FUZZERS)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
