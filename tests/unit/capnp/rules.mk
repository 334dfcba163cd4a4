# SPDX-License-Identifier: MIT
# Host unit tests of lib/capnp (ASan/UBSan), the fuzz corpus replay and the interop script.

CAPNP_TESTS := test_capnp_read test_capnp_build test_capnp_build_fast test_capnp_packed \
	test_capnp_hostile test_capnp_corpus

$(BUILD)/host/tests/test_capnp_%: tests/unit/capnp/test_%.c $(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Itests/fuzz $< $(CAPNP_HOST_LIB) $(HOST_LDFLAGS) -o $@

HOST_TESTS += $(patsubst %,$(BUILD)/host/tests/%,$(CAPNP_TESTS))
ALL_TARGETS += $(patsubst %,$(BUILD)/host/tests/%,$(CAPNP_TESTS))

# Interop with the official tool: a helper program plus a script.
CAPNP_INTEROP_CHECK := $(BUILD)/host/tests/capnp_interop_check
$(CAPNP_INTEROP_CHECK): tests/unit/capnp/interop_check.c $(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $< $(CAPNP_HOST_LIB) $(HOST_LDFLAGS) -o $@

ALL_TARGETS += $(CAPNP_INTEROP_CHECK)
TEST_SCRIPTS += tests/unit/capnp/interop.sh
