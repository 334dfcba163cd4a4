# SPDX-License-Identifier: MIT
# Host tests of the user runtime (user/lib) and the user build: the ring
# client and the typed clients against a simulated kernel, CapSet lookup, the
# heap under ASan, every user ELF through elf64_plan, and the mkpkg round trip
# against the official capnp tool.

USER_TEST_CFLAGS := -Iuser/lib -Itests/unit/user -I$(BUILD)/gen/schema
USER_TEST_FK := $(call host_obj,tests/unit/user/fake_kernel.c)

$(BUILD)/host/obj/tests/unit/user/%.o: HOST_CFLAGS += $(USER_TEST_CFLAGS)
$(BUILD)/host/obj/user/lib/%.o: HOST_CFLAGS += $(USER_TEST_CFLAGS)
$(BUILD)/host/obj/tests/unit/user/%.o $(BUILD)/host/obj/user/lib/%.o: | $(USER_GEN_HDRS)

USER_TEST_URING := $(BUILD)/host/tests/test_uring
$(USER_TEST_URING): $(call host_obj,tests/unit/user/test_uring.c user/lib/uring.c) \
		$(USER_TEST_FK)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(USER_TEST_URING)
ALL_TARGETS += $(USER_TEST_URING)

USER_TEST_CAPSET := $(BUILD)/host/tests/test_capset
$(USER_TEST_CAPSET): $(call host_obj,tests/unit/user/test_capset.c user/lib/capset.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

USER_TEST_HEAP := $(BUILD)/host/tests/test_heap
$(USER_TEST_HEAP): $(call host_obj,tests/unit/user/test_heap.c user/lib/heap.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(USER_TEST_CAPSET) $(USER_TEST_HEAP)
ALL_TARGETS += $(USER_TEST_CAPSET) $(USER_TEST_HEAP)
