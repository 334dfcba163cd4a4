# SPDX-License-Identifier: MIT
# Host tests of lib/broker (the AuthorityBroker's pure logic).

BROKER_TEST := $(BUILD)/host/tests/test_broker
$(call host_obj,tests/unit/broker/test_broker.c): HOST_CFLAGS += -Itests/unit
$(BROKER_TEST): $(call host_obj,tests/unit/broker/test_broker.c) $(BROKER_LIB_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(BROKER_TEST)
ALL_TARGETS += $(BROKER_TEST)
TEST_SCRIPTS += tests/unit/broker/default-m6.sh
