# SPDX-License-Identifier: MIT
# ELF64 validator tests. Sample images are made by the host toolchain at
# build time from samples/tiny.c: a normal static executable, a static PIE
# (ET_DYN), an -N (OMAGIC, one RWX segment) link and an ELFCLASS32 copy, so
# the validator is checked against what real linkers emit, not only against
# the hand-built images inside test_elf64.c.

ELF_TEST := $(BUILD)/host/tests/test_elf64
ELF_SAMPLES_DIR := $(BUILD)/host/elf-samples
ELF_SAMPLE_SRC := tests/unit/elf/samples/tiny.c
ELF_SAMPLE_FLAGS := -O1 -nostdlib -ffreestanding -fno-stack-protector \
	-fno-asynchronous-unwind-tables -Wl,-z,max-page-size=4096 -Wl,--build-id=none
ELF_SAMPLES := $(addprefix $(ELF_SAMPLES_DIR)/,tiny.elf tiny-pie.elf tiny-omagic.elf tiny-x32.elf)

$(ELF_SAMPLES_DIR)/tiny.elf: $(ELF_SAMPLE_SRC)
	@mkdir -p $(@D)
	$(HOST_CC) $(ELF_SAMPLE_FLAGS) -static -fno-pie -no-pie $< -o $@

$(ELF_SAMPLES_DIR)/tiny-pie.elf: $(ELF_SAMPLE_SRC)
	@mkdir -p $(@D)
	$(HOST_CC) $(ELF_SAMPLE_FLAGS) -static-pie -fpie $< -o $@

$(ELF_SAMPLES_DIR)/tiny-omagic.elf: $(ELF_SAMPLE_SRC)
	@mkdir -p $(@D)
	$(HOST_CC) $(ELF_SAMPLE_FLAGS) -static -fno-pie -no-pie -Wl,-N -Wl,--no-warn-rwx-segments \
		$< -o $@

$(ELF_SAMPLES_DIR)/tiny-x32.elf: $(ELF_SAMPLES_DIR)/tiny.elf
	objcopy -O elf32-x86-64 $< $@ 2>/dev/null

ELF_LOAD_TEST := $(BUILD)/host/tests/test_elf64_load

ELF_TEST_SRCS := tests/unit/elf/test_elf64.c tests/unit/elf/test_elf64_load.c
$(call host_obj,$(ELF_TEST_SRCS)): HOST_CFLAGS += \
	-DELF_SAMPLES_DIR='"$(CURDIR)/$(ELF_SAMPLES_DIR)"'

$(ELF_TEST): $(call host_obj,tests/unit/elf/test_elf64.c) $(ELF_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

$(ELF_LOAD_TEST): $(call host_obj,tests/unit/elf/test_elf64_load.c) $(ELF_HOST_OBJS) \
		| $(ELF_SAMPLES)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $(filter %.o,$^) -o $@

HOST_TESTS += $(ELF_TEST) $(ELF_LOAD_TEST)
ALL_TARGETS += $(ELF_TEST) $(ELF_LOAD_TEST) $(ELF_SAMPLES)

# Fuzzing. build/fuzz/fuzz_elf is the libFuzzer target (make fuzz), built by
# the pattern rule of tests/fuzz/rules.mk with lib/elf added. That fragment
# turns FUZZ_TARGETS into FUZZERS when it is included, which is before this
# one, so the fuzzer is appended to FUZZERS directly. The replay test runs
# the committed corpus and saved crashes through the same target under gcc's
# sanitizers on every make test, without libFuzzer.
ELF_FUZZER := $(BUILD)/fuzz/fuzz_elf
ELF_REPLAY := $(BUILD)/host/tests/test_fuzz_elf_replay
FUZZ_SRCS_fuzz_elf := lib/elf/elf64.c


$(ELF_REPLAY): $(BUILD)/host/fuzzreplay/replay_fuzz_elf.o $(call host_obj,tests/fuzz/fuzz_elf.c) \
		$(ELF_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

FUZZERS += $(ELF_FUZZER)
HOST_TESTS += $(ELF_REPLAY)
ALL_TARGETS += $(ELF_REPLAY)
