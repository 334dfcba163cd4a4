# SPDX-License-Identifier: MIT
# Host tests of lib/creds (the CredentialStore's pure logic).

CREDS_TEST := $(BUILD)/host/tests/test_creds
$(call host_obj,tests/unit/creds/test_creds.c): HOST_CFLAGS += -Itests/unit
$(CREDS_TEST): $(call host_obj,tests/unit/creds/test_creds.c) $(CREDS_LIB_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(CREDS_TEST)
ALL_TARGETS += $(CREDS_TEST)
