# SPDX-License-Identifier: MIT
# Host tests of lib/shell (the shell's command parser, history and output
# text), and the replay of the parser fuzzer's corpus.

SHELL_TEST_LIBS := $(SHELL_LIB_HOST_OBJS) $(call host_obj,lib/fmt/fmt.c)
$(call host_obj,$(wildcard tests/unit/shell/*.c)): HOST_CFLAGS += -Itests/unit -Wno-format-truncation

SHELLCMD_TEST := $(BUILD)/host/tests/test_shellcmd
$(SHELLCMD_TEST): $(call host_obj,tests/unit/shell/test_shellcmd.c) $(SHELL_TEST_LIBS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(SHELLCMD_TEST)
ALL_TARGETS += $(SHELLCMD_TEST)

SHELL_HISTORY_TEST := $(BUILD)/host/tests/test_shell_history
$(SHELL_HISTORY_TEST): $(call host_obj,tests/unit/shell/test_history.c) $(SHELL_TEST_LIBS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(SHELL_HISTORY_TEST)
ALL_TARGETS += $(SHELL_HISTORY_TEST)

SHELLFMT_TEST := $(BUILD)/host/tests/test_shellfmt
$(SHELLFMT_TEST): $(call host_obj,tests/unit/shell/test_shellfmt.c) $(SHELL_TEST_LIBS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(SHELLFMT_TEST)
ALL_TARGETS += $(SHELLFMT_TEST)
# test_shellfmt checks the session interfaces' ids against the generated header.
$(call host_obj,tests/unit/shell/test_shellfmt.c): HOST_CFLAGS += -I$(BUILD)/gen/schema
$(call host_obj,tests/unit/shell/test_shellfmt.c): | $(BUILD)/gen/schema/session.capnp.h \
	$(BUILD)/gen/schema/capos.capnp.h

SHELL_BUNDLE_TEST := $(BUILD)/host/tests/test_shell_bundle
$(SHELL_BUNDLE_TEST): $(call host_obj,tests/unit/shell/test_bundle.c) $(SHELL_TEST_LIBS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(SHELL_BUNDLE_TEST)
ALL_TARGETS += $(SHELL_BUNDLE_TEST)

# Fuzzing: build/fuzz/fuzz_shellcmd is the libFuzzer target (make fuzz), built
# by the pattern rule of tests/fuzz/rules.mk with lib/shell added; the replay
# test runs its committed corpus under gcc's sanitizers on make test.
FUZZ_SRCS_fuzz_shellcmd := $(SHELL_LIB_SRCS) lib/fmt/fmt.c
FUZZERS += $(BUILD)/fuzz/fuzz_shellcmd

SHELLCMD_REPLAY := $(BUILD)/host/tests/test_fuzz_shellcmd_replay
$(SHELLCMD_REPLAY): $(BUILD)/host/fuzzreplay/replay_fuzz_shellcmd.o \
		$(call host_obj,tests/fuzz/fuzz_shellcmd.c) $(SHELL_TEST_LIBS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(SHELLCMD_REPLAY)
ALL_TARGETS += $(SHELLCMD_REPLAY)
