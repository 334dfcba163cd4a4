# SPDX-License-Identifier: MIT
# Host tests of lib/audit (the audit log's record store).

AUDIT_TEST := $(BUILD)/host/tests/test_audit_log
$(call host_obj,tests/unit/audit/test_audit_log.c): HOST_CFLAGS += -Itests/unit
$(AUDIT_TEST): $(call host_obj,tests/unit/audit/test_audit_log.c) $(AUDIT_LIB_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(AUDIT_TEST)
ALL_TARGETS += $(AUDIT_TEST)
