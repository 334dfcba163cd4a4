# SPDX-License-Identifier: MIT
# Host tests of lib/sessions (the SessionManager's table).

SESSIONS_TEST := $(BUILD)/host/tests/test_session_table
$(call host_obj,tests/unit/sessions/test_session_table.c): HOST_CFLAGS += -Itests/unit
$(SESSIONS_TEST): $(call host_obj,tests/unit/sessions/test_session_table.c) \
		$(SESSIONS_LIB_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(SESSIONS_TEST)
ALL_TARGETS += $(SESSIONS_TEST)
