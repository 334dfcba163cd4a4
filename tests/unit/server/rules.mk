# SPDX-License-Identifier: MIT
# Host tests of the IPC user side: the server loop (user/lib/server.c) with
# the generated Echo skeleton against a simulated endpoint kernel, and the
# capnpc-c server skeleton generator on a schema of corner cases.

SERVER_TEST_GEN := $(BUILD)/gen/schema/capos.capnp.h $(BUILD)/gen/schema/echo.capnp.h
SERVER_TEST_CFLAGS := -Iuser/lib -Itests/unit -Itests/unit/server -I$(BUILD)/gen/schema
SERVER_TEST_SRCS := tests/unit/server/test_server.c tests/unit/server/sim_endpoint.c

$(call host_obj,$(SERVER_TEST_SRCS)): HOST_CFLAGS += $(SERVER_TEST_CFLAGS)
$(call host_obj,$(SERVER_TEST_SRCS)): | $(SERVER_TEST_GEN)

# server.c and uring.c are compiled for the host by tests/unit/user/rules.mk's pattern.
SERVER_TEST := $(BUILD)/host/tests/test_server
$(SERVER_TEST): $(call host_obj,$(SERVER_TEST_SRCS) user/lib/server.c user/lib/server_calls.c user/lib/uring.c) \
		$(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(SERVER_TEST)
ALL_TARGETS += $(SERVER_TEST)

# Generator: tests/unit/server/skel.capnp through capnpc-c, then test_skeleton.c.
SKEL_GEN := $(BUILD)/gen/test-skel
$(SKEL_GEN)/skel.capnp.h: tests/unit/server/skel.capnp $(BUILD)/host/capnpc-c
	@mkdir -p $(@D)
	capnp compile -o $(BUILD)/host/capnpc-c:$(@D) --src-prefix=tests/unit/server $<

$(call host_obj,tests/unit/server/test_skeleton.c): HOST_CFLAGS += -Itests/unit -I$(SKEL_GEN)
$(call host_obj,tests/unit/server/test_skeleton.c): | $(SKEL_GEN)/skel.capnp.h

SKEL_TEST := $(BUILD)/host/tests/test_skeleton
$(SKEL_TEST): $(call host_obj,tests/unit/server/test_skeleton.c) $(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(SKEL_TEST)
ALL_TARGETS += $(SKEL_TEST)
