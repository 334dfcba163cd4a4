# SPDX-License-Identifier: MIT
# libFuzzer targets. Each name in FUZZ_TARGETS is built to build/fuzz/<name> from
# tests/fuzz/<name>.c plus the capnp runtime plus $(FUZZ_SRCS_<name>) (extra sources), with
# $(FUZZ_CFLAGS_<name>) added. Seed corpora live in tests/fuzz/corpus/<name>/.
# To add a fuzzer: FUZZ_TARGETS += fuzz_foo (and FUZZ_SRCS_fuzz_foo := ... if needed).

FUZZ_TARGETS += fuzz_capnp_reader

FUZZ_CFLAGS := -std=gnu11 $(WARN) -g -O1 -DCAPOS_DEBUG -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Iinclude -Ilib -Itests/fuzz

.SECONDEXPANSION:
$(BUILD)/fuzz/%: tests/fuzz/%.c $(CAPNP_SRCS) $$(FUZZ_SRCS_$$*) $$(wildcard tests/fuzz/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_CFLAGS_$*) $(filter %.c,$^) -o $@

FUZZERS += $(patsubst %,$(BUILD)/fuzz/%,$(FUZZ_TARGETS))

# Corpus replay without libFuzzer: tests/fuzz/replay.c built once per fuzzer
# (REPLAY_NAME), linked with the target by the fragment that owns it.
$(BUILD)/host/fuzzreplay/replay_%.o: tests/fuzz/replay.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -DREPLAY_NAME='"$*"' -DREPLAY_DIR='"$(CURDIR)/tests/fuzz"' \
		-c $< -o $@
