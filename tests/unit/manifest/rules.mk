# SPDX-License-Identifier: MIT
# Host tests of the manifest validator (lib/manifest), with test manifests
# built from C tables (mbuild.c) by the generated builders of manifest.capnp.

MANIFEST_TEST := $(BUILD)/host/tests/test_manifest
MANIFEST_GRANTS_TEST := $(BUILD)/host/tests/test_manifest_grants
MANIFEST_TEST_COMMON := tests/unit/manifest/mload.c tests/unit/manifest/mbuild.c
MANIFEST_TEST_SRCS := tests/unit/manifest/test_manifest.c \
	tests/unit/manifest/test_manifest_grants.c $(MANIFEST_TEST_COMMON)
MANIFEST_TEST_LIBS := $(call host_obj,$(MANIFEST_TEST_COMMON)) $(MANIFEST_HOST_OBJS) \
	$(call host_obj,lib/fmt/fmt.c) $(CAPNP_HOST_LIB)

$(call host_obj,$(MANIFEST_TEST_SRCS)): HOST_CFLAGS += -Itests/unit -I$(BUILD)/gen/schema
$(call host_obj,$(MANIFEST_TEST_SRCS)): | $(BUILD)/gen/schema/manifest.capnp.h \
	$(BUILD)/gen/schema/echo.capnp.h

$(MANIFEST_TEST): $(call host_obj,tests/unit/manifest/test_manifest.c) $(MANIFEST_TEST_LIBS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

$(MANIFEST_GRANTS_TEST): $(call host_obj,tests/unit/manifest/test_manifest_grants.c) \
		$(MANIFEST_TEST_LIBS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(MANIFEST_TEST) $(MANIFEST_GRANTS_TEST)
ALL_TARGETS += $(MANIFEST_TEST) $(MANIFEST_GRANTS_TEST)

# Fuzzing: build/fuzz/fuzz_manifest is the libFuzzer target (make fuzz), built
# by the pattern rule of tests/fuzz/rules.mk with lib/manifest added; the
# replay test runs its committed corpus under gcc's sanitizers on make test.
FUZZ_SRCS_fuzz_manifest := $(MANIFEST_SRCS) lib/fmt/fmt.c
FUZZ_CFLAGS_fuzz_manifest := -I$(BUILD)/gen/schema
$(BUILD)/fuzz/fuzz_manifest: | $(MANIFEST_GEN_HDR)
FUZZERS += $(BUILD)/fuzz/fuzz_manifest

MANIFEST_REPLAY := $(BUILD)/host/tests/test_fuzz_manifest_replay
$(call host_obj,tests/fuzz/fuzz_manifest.c): HOST_CFLAGS += -I$(BUILD)/gen/schema
$(call host_obj,tests/fuzz/fuzz_manifest.c): | $(MANIFEST_GEN_HDR)

$(MANIFEST_REPLAY): $(BUILD)/host/fuzzreplay/replay_fuzz_manifest.o \
		$(call host_obj,tests/fuzz/fuzz_manifest.c) $(MANIFEST_HOST_OBJS) \
		$(call host_obj,lib/fmt/fmt.c) $(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(MANIFEST_REPLAY)
ALL_TARGETS += $(MANIFEST_REPLAY)
