# SPDX-License-Identifier: MIT
# Host tests for kernel/cap (tables, object references, forwarders), with the kernel
# services replaced by tests/unit/cap/kstub.c. Objects of kernel/cap,
# kernel/ring and the stubs are built here under build/host/capring/ with the
# host flags (ASan/UBSan); tests/unit/ring reuses them.

CAPRING_CFLAGS = $(HOST_CFLAGS) -DCAPOS_DEBUG -Itests/unit -Itests/unit/cap -I$(RING_GEN_DIR)
capring_obj = $(patsubst %.c,$(BUILD)/host/capring/%.o,$(1))

$(BUILD)/host/capring/%.o: %.c
	@mkdir -p $(@D)
	$(HOST_CC) $(CAPRING_CFLAGS) -c $< -o $@

CAP_TEST := $(BUILD)/host/tests/test_cap_table
CAP_TEST_OBJS := $(call capring_obj,tests/unit/cap/test_table.c tests/unit/cap/kstub.c $(CAP_SRCS))

$(CAP_TEST): $(CAP_TEST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -pthread $^ -o $@

HOST_TESTS += $(CAP_TEST)
ALL_TARGETS += $(CAP_TEST)

FWD_TEST := $(BUILD)/host/tests/test_forward
FWD_TEST_OBJS := $(call capring_obj,tests/unit/cap/test_forward.c tests/unit/cap/kstub.c $(CAP_SRCS))

$(FWD_TEST): $(FWD_TEST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -pthread $^ -o $@

HOST_TESTS += $(FWD_TEST)
ALL_TARGETS += $(FWD_TEST)
