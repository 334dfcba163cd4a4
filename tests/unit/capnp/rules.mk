# SPDX-License-Identifier: MIT
# Host unit tests of lib/capnp (ASan/UBSan), the fuzz corpus replay and the interop script.

CAPNP_TESTS := test_capnp_read test_capnp_build test_capnp_packed test_capnp_hostile \
	test_capnp_corpus

$(BUILD)/host/tests/test_capnp_%: tests/unit/capnp/test_%.c $(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Itests/fuzz $< $(CAPNP_HOST_LIB) $(HOST_LDFLAGS) -o $@

HOST_TESTS += $(patsubst %,$(BUILD)/host/tests/%,$(CAPNP_TESTS))
ALL_TARGETS += $(patsubst %,$(BUILD)/host/tests/%,$(CAPNP_TESTS))
