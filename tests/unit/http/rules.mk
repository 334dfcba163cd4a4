# SPDX-License-Identifier: MIT
# Host tests for lib/http: URLs, response and request heads, chunked bodies.

$(call host_obj,tests/unit/http/test_http.c): HOST_CFLAGS += -Itests/unit -Wno-format-truncation

$(BUILD)/host/tests/test_http: $(call host_obj,tests/unit/http/test_http.c lib/http/http1.c \
		lib/inet/ipv4.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(BUILD)/host/tests/test_http
ALL_TARGETS += $(BUILD)/host/tests/test_http
