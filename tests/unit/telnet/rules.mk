# SPDX-License-Identifier: MIT
# Host tests of lib/telnet (the telnet protocol), and the replay of its
# fuzzer's corpus.

$(call host_obj,$(wildcard tests/unit/telnet/*.c)): HOST_CFLAGS += -Itests/unit

TELNET_TEST := $(BUILD)/host/tests/test_telnet
$(TELNET_TEST): $(call host_obj,tests/unit/telnet/test_telnet.c) $(TELNET_LIB_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(TELNET_TEST)
ALL_TARGETS += $(TELNET_TEST)

# build/fuzz/fuzz_telnet (make fuzz); the replay runs its corpus on make test.
FUZZ_SRCS_fuzz_telnet := $(TELNET_LIB_SRCS)
FUZZERS += $(BUILD)/fuzz/fuzz_telnet

TELNET_REPLAY := $(BUILD)/host/tests/test_fuzz_telnet_replay
$(TELNET_REPLAY): $(BUILD)/host/fuzzreplay/replay_fuzz_telnet.o \
		$(call host_obj,tests/fuzz/fuzz_telnet.c) $(TELNET_LIB_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(TELNET_REPLAY)
ALL_TARGETS += $(TELNET_REPLAY)
