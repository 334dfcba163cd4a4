# SPDX-License-Identifier: MIT
# Host tests for kernel/ring: the ring engine (test_ring), SQE validation and
# dispatch (test_dispatch), the IPC fast path against the general path
# (test_fastpath), the park fast path (test_dispatch), the CapException encoding checked with the
# official capnp tool (capexc.sh), and the fuzz_ring corpus replay. The seam is
# faked by tests/unit/ring/fake.c; objects are built by tests/unit/cap/rules.mk's
# capring pattern rule (ASan/UBSan).

# Dispatch calls into kernel/ipc for endpoint capabilities; endpoints need only
# the same seam, so they are linked in as they are.
RING_IPC_SRCS := $(CAP_XFER_SRCS) kernel/ipc/queue.c kernel/ipc/message.c kernel/ipc/transfer.c kernel/ipc/ops.c \
	kernel/ipc/kcall.c kernel/sched/dlheap.c \
	kernel/ipc/peer.c kernel/mm/account.c
# The fast path (ipc_fastpath) needs only the same code; the tests and the
# fuzz target link it in.
RING_TEST_LIB_SRCS := tests/unit/ring/fake.c tests/unit/cap/kstub.c $(CAP_SRCS) $(RING_SRCS) \
	$(RING_IPC_SRCS) kernel/ipc/fastpath.c kernel/proc/park_fastpath.c
RING_TEST_LIB_OBJS := $(call capring_obj,$(RING_TEST_LIB_SRCS))
RING_TESTS := test_ring test_dispatch test_fastpath test_kcall test_kcall_heap

$(call capring_obj,kernel/ring/call.c $(RING_IPC_SRCS) kernel/ipc/fastpath.c \
	tests/unit/ring/fake.c \
	$(patsubst %,tests/unit/ring/%.c,$(RING_TESTS) capexc_emit) \
	tests/fuzz/fuzz_ring.c): $(RING_GEN_H)

$(patsubst %,$(BUILD)/host/tests/%,$(RING_TESTS)): \
		$(BUILD)/host/tests/%: $(BUILD)/host/capring/tests/unit/ring/%.o $(RING_TEST_LIB_OBJS) \
		$(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(patsubst %,$(BUILD)/host/tests/%,$(RING_TESTS))
ALL_TARGETS += $(patsubst %,$(BUILD)/host/tests/%,$(RING_TESTS))

# CapException against the official tool: an emitter plus a script.
RING_CAPEXC_EMIT := $(BUILD)/host/tests/ring_capexc_emit
$(RING_CAPEXC_EMIT): $(call capring_obj,tests/unit/ring/capexc_emit.c kernel/ring/call.c \
		kernel/cap/object.c kernel/cap/table.c tests/unit/cap/kstub.c) $(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

ALL_TARGETS += $(RING_CAPEXC_EMIT)
TEST_SCRIPTS += tests/unit/ring/capexc.sh

# fuzz_ring: libFuzzer target (make fuzz) built by the tests/fuzz pattern rule.
# That fragment turns FUZZ_TARGETS into FUZZERS before this one is read, so the
# fuzzer is appended to FUZZERS directly. The replay test runs the committed
# corpus and saved crashes through the same target under gcc's sanitizers on
# every make test, without libFuzzer.
FUZZ_SRCS_fuzz_ring = tests/unit/ring/fake.c tests/unit/cap/kstub.c $(CAP_SRCS) $(RING_SRCS) \
	$(RING_IPC_SRCS) kernel/ipc/fastpath.c $(RING_GEN_H)
FUZZ_CFLAGS_fuzz_ring = -Ikernel -Itests/unit -Itests/unit/cap -Itests/unit/ring -I$(RING_GEN_DIR)
FUZZERS += $(BUILD)/fuzz/fuzz_ring

RING_REPLAY := $(BUILD)/host/tests/test_fuzz_ring_replay
$(call capring_obj,tests/fuzz/fuzz_ring.c): CAPRING_CFLAGS += -Itests/unit/ring

$(RING_REPLAY): $(BUILD)/host/fuzzreplay/replay_fuzz_ring.o $(call capring_obj,tests/fuzz/fuzz_ring.c) \
		$(RING_TEST_LIB_OBJS) $(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(RING_REPLAY)
ALL_TARGETS += $(RING_REPLAY)

# The ring on two CPUs: under ASan/UBSan with the other tests, and under
# ThreadSanitizer (clang), which fails on a data race in the CQ protocol.
RING_SMP_TEST := $(BUILD)/host/tests/test_ring_smp
$(RING_SMP_TEST): $(call capring_obj,tests/unit/ring/test_ring_smp.c) $(RING_TEST_LIB_OBJS) \
		$(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -pthread $^ -o $@

RING_TSAN_TESTS := $(BUILD)/host/tests/test_ring_smp_tsan $(BUILD)/host/tests/test_cap_table_tsan
RING_TSAN_FLAGS = -std=gnu11 $(WARN) -g -O1 -DCAPOS_DEBUG -fsanitize=thread -Iinclude -Ilib -Ikernel \
	-Itests/unit -Itests/unit/cap -Itests/unit/ring -I$(RING_GEN_DIR) -pthread

$(BUILD)/host/tests/test_ring_smp_tsan: tests/unit/ring/test_ring_smp.c $(RING_TEST_LIB_SRCS) \
		$(CAPNP_SRCS) $(RING_GEN_H)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(RING_TSAN_FLAGS) $(filter %.c,$^) -o $@

$(BUILD)/host/tests/test_cap_table_tsan: tests/unit/cap/test_table.c tests/unit/cap/kstub.c \
		$(CAP_SRCS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(RING_TSAN_FLAGS) $^ -o $@

HOST_TESTS += $(RING_SMP_TEST) $(RING_TSAN_TESTS)
ALL_TARGETS += $(RING_SMP_TEST) $(RING_TSAN_TESTS)
