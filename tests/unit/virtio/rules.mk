# SPDX-License-Identifier: MIT
# Host tests of the virtio-net driver library: the split virtqueue, the
# capability walk and the data path, each against a device simulated in
# plain memory (tests/unit/virtio/fake_virtq_dev.h).

VIRTIO_TEST_CFLAGS := -Iuser/lib -Itests/unit -Itests/unit/virtio
$(BUILD)/host/obj/tests/unit/virtio/%.o: HOST_CFLAGS += $(VIRTIO_TEST_CFLAGS)
$(call host_obj,user/lib/virtq.c user/lib/virtio_pci.c user/lib/virtio_net_io.c): \
	HOST_CFLAGS += $(VIRTIO_TEST_CFLAGS)

VIRTIO_TEST_VIRTQ := $(BUILD)/host/tests/test_virtq
$(VIRTIO_TEST_VIRTQ): $(call host_obj,tests/unit/virtio/test_virtq.c user/lib/virtq.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

VIRTIO_TEST_PCI := $(BUILD)/host/tests/test_virtio_pci
$(VIRTIO_TEST_PCI): $(call host_obj,tests/unit/virtio/test_virtio_pci.c user/lib/virtio_pci.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

VIRTIO_TEST_NET := $(BUILD)/host/tests/test_virtio_net
$(VIRTIO_TEST_NET): $(call host_obj,tests/unit/virtio/test_virtio_net.c \
		user/lib/virtio_net_io.c user/lib/virtq.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(VIRTIO_TEST_VIRTQ) $(VIRTIO_TEST_PCI) $(VIRTIO_TEST_NET)
ALL_TARGETS += $(VIRTIO_TEST_VIRTQ) $(VIRTIO_TEST_PCI) $(VIRTIO_TEST_NET)

# Fuzzing the capability walk: build/fuzz/fuzz_virtio_caps (make fuzz), and its
# corpus replayed under gcc's sanitizers on make test.
FUZZERS += $(BUILD)/fuzz/fuzz_virtio_caps
FUZZ_SRCS_fuzz_virtio_caps := user/lib/virtio_pci.c
FUZZ_CFLAGS_fuzz_virtio_caps := -Iuser/lib -Itests/unit/virtio

VIRTIO_CAPS_REPLAY := $(BUILD)/host/tests/test_fuzz_virtio_caps_replay
$(call host_obj,tests/fuzz/fuzz_virtio_caps.c): HOST_CFLAGS += $(VIRTIO_TEST_CFLAGS)
$(VIRTIO_CAPS_REPLAY): $(BUILD)/host/fuzzreplay/replay_fuzz_virtio_caps.o \
		$(call host_obj,tests/fuzz/fuzz_virtio_caps.c user/lib/virtio_pci.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(VIRTIO_CAPS_REPLAY)
ALL_TARGETS += $(VIRTIO_CAPS_REPLAY)
