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
