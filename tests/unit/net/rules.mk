# SPDX-License-Identifier: MIT
# Host tests of the network service's pure logic (user/programs/net/quota.c).

NET_QUOTA_TEST := $(BUILD)/host/tests/test_net_quota
$(call host_obj,tests/unit/net/test_quota.c): HOST_CFLAGS += -Itests/unit -Iuser/programs/net
$(NET_QUOTA_TEST): $(call host_obj,tests/unit/net/test_quota.c user/programs/net/quota.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(NET_QUOTA_TEST)
ALL_TARGETS += $(NET_QUOTA_TEST)
