# SPDX-License-Identifier: MIT
# Host tests of the network service's pure logic (user/programs/net/quota.c, read_frame.c).

NET_QUOTA_TEST := $(BUILD)/host/tests/test_net_quota
$(call host_obj,tests/unit/net/test_quota.c): HOST_CFLAGS += -Itests/unit -Iuser/programs/net
$(NET_QUOTA_TEST): $(call host_obj,tests/unit/net/test_quota.c user/programs/net/quota.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(NET_QUOTA_TEST)
ALL_TARGETS += $(NET_QUOTA_TEST)

# The hand-framed read answer (user/programs/net/read_frame.c) against the generated builder.
NET_READ_FRAME_TEST := $(BUILD)/host/tests/test_net_read_frame
$(call host_obj,tests/unit/net/test_read_frame.c): HOST_CFLAGS += -Itests/unit -Iuser/programs/net \
	-I$(BUILD)/gen/schema
$(call host_obj,tests/unit/net/test_read_frame.c): | $(BUILD)/gen/schema/net.capnp.h
$(NET_READ_FRAME_TEST): $(call host_obj,tests/unit/net/test_read_frame.c user/programs/net/read_frame.c) \
		$(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(NET_READ_FRAME_TEST)
ALL_TARGETS += $(NET_READ_FRAME_TEST)
