// SPDX-License-Identifier: MIT
/*
 * Host tests of the virtio-net bring-up (user/lib/virtio_net.c) over the
 * fake PciDevice (fake_pci.c): the handshake's end state, and every refusal
 * leaving no DMA memory behind and no interrupt wait armed. The BAR is
 * plain memory, so the device "accepts" whatever the driver writes; what
 * needs a device that answers (FEATURES_OK not sticking, a refused MSI-X
 * vector) is not covered here.
 */
#include <capos/errors.h>

#include "test.h"
#include "fake_pci.h"
#include "virtio_net.h"

#define COMMON_OFF 0x0000u
#define ISR_OFF 0x1000u
#define DEVICE_OFF 0x2000u
#define NOTIFY_OFF 0x3000u
#define IRQ_ID 0x1234u

static struct vnet n;

static volatile struct virtio_pci_common_cfg *common(void)
{
	return (volatile struct virtio_pci_common_cfg *)(fake_pci.bar + COMMON_OFF);
}

static void vcap(uint8_t at, uint8_t next, uint8_t type, uint32_t off)
{
	uint8_t *b = fake_pci.cfg.b;
	uint32_t len = 0x1000;

	b[at] = 0x09, b[at + 1] = next, b[at + 2] = type == VIRTIO_PCI_CAP_NOTIFY ? 20 : 16;
	b[at + 3] = type, b[at + 4] = FAKE_PCI_BAR;
	memcpy(&b[at + 8], &off, 4);
	memcpy(&b[at + 12], &len, 4);
	if (type == VIRTIO_PCI_CAP_NOTIFY)
		b[at + 16] = 4;
}

/* QEMU's modern virtio-net: ids, the four structures in BAR 4, 256-entry queues, MSI-X. */
static void fake_device(void)
{
	uint8_t *b = fake_pci.cfg.b;
	uint32_t features_word = 1u | (1u << 5) | (1u << 15);	/* both halves read alike */

	free(fake_pci.bar);
	memset(&fake_pci, 0, sizeof(fake_pci));
	fake_pci.fail_dma_at = ~0u;
	fake_pci.irq_mode = PCI_INTERRUPT_MSIX;
	b[0] = 0xf4, b[1] = 0x1a, b[2] = 0x41, b[3] = 0x10;
	b[6] = 0x10, b[0x34] = 0x40;
	vcap(0x40, 0x50, VIRTIO_PCI_CAP_COMMON, COMMON_OFF);
	vcap(0x50, 0x60, VIRTIO_PCI_CAP_ISR, ISR_OFF);
	vcap(0x60, 0x70, VIRTIO_PCI_CAP_DEVICE, DEVICE_OFF);
	vcap(0x70, 0x00, VIRTIO_PCI_CAP_NOTIFY, NOTIFY_OFF);
	fake_pci.bar = aligned_alloc(4096, FAKE_PCI_BAR_SIZE);
	memset(fake_pci.bar, 0, FAKE_PCI_BAR_SIZE);
	fake_pci.bar_size = FAKE_PCI_BAR_SIZE;
	common()->device_feature = features_word;	/* bit 0 of the high half: VERSION_1 */
	common()->num_queues = 2;
	common()->queue_size = 1024;
	memcpy(fake_pci.bar + DEVICE_OFF, "\x52\x54\x00\x12\x34\x56", 6);
}

static bool nothing_left(void)
{
	return fake_pci.dma_allocs == fake_pci.dma_frees && fake_pci.waits == 0;
}

TEST(open_reaches_driver_ok)
{
	uint8_t mac[6];

	fake_device();
	CHECK_EQ(vnet_open(&n, 7, NULL, IRQ_ID), 0);
	CHECK_EQ(common()->device_status, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
		 VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	CHECK_EQ(n.features, VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC);	/* CSUM, MRG_RXBUF not taken */
	CHECK_EQ(common()->driver_feature, 1u);	/* the high half, written last: VERSION_1 */
	CHECK_EQ(fake_pci.command & 6, 6);			/* memory space, bus master */
	CHECK_EQ(n.rxq.size, 256);				/* the device's 1,024 capped */
	CHECK_EQ(common()->queue_size, 256);
	CHECK_EQ(common()->queue_enable, 1);
	CHECK_EQ(common()->queue_device_lo, (uint32_t)n.txq.used_dev);	/* tx set up last */
	CHECK_EQ(n.rxq.avail->idx, VNET_RX_BUFS);
	CHECK_EQ(fake_pci.dma_allocs, 4);
	CHECK_EQ(fake_pci.waits, 1);
	CHECK_EQ(fake_pci.wait_user_data, IRQ_ID);
	vnet_mac(&n, mac);
	CHECK(memcmp(mac, "\x52\x54\x00\x12\x34\x56", 6) == 0);
	CHECK_EQ(vnet_mtu(&n), 1500);
	CHECK(vnet_link_up(&n));	/* no STATUS feature: up */
	vnet_close(&n);
	CHECK_EQ(fake_pci.dma_frees, 4);
	CHECK_EQ(common()->device_status, 0);
}

TEST(interrupt_rearms_for_its_own_cqe_only)
{
	struct capos_cqe cqe = { .user_data = IRQ_ID + 1 };

	fake_device();
	CHECK_EQ(vnet_open(&n, 7, NULL, IRQ_ID), 0);
	CHECK_EQ(vnet_interrupt(&n, &cqe), CAPOS_ERR_INVALID_ARGUMENT);
	CHECK_EQ(fake_pci.waits, 1);
	cqe.user_data = IRQ_ID;
	CHECK_EQ(vnet_interrupt(&n, &cqe), 0);
	CHECK_EQ(fake_pci.waits, 2);
	cqe.result = CAPOS_ERR_DISCONNECTED;
	CHECK_EQ(vnet_interrupt(&n, &cqe), CAPOS_ERR_DISCONNECTED);
	CHECK_EQ(fake_pci.waits, 2);
	vnet_close(&n);
}

TEST(refusals_leave_nothing_behind)
{
	fake_device();
	fake_pci.cfg.b[2] = 0x42;	/* device 0x1042: a block device */
	CHECK_EQ(vnet_open(&n, 7, NULL, IRQ_ID), CAPOS_ERR_NOT_SUPPORTED);
	CHECK(nothing_left());

	fake_device();
	fake_pci.cfg.b[2] = 0x00;	/* transitional 0x1000 without the modern capabilities */
	fake_pci.cfg.b[0x34] = 0;
	CHECK_EQ(vnet_open(&n, 7, NULL, IRQ_ID), CAPOS_ERR_NOT_SUPPORTED);
	CHECK(nothing_left());

	fake_device();
	common()->device_feature = 1u << 5;	/* no VERSION_1 */
	CHECK_EQ(vnet_open(&n, 7, NULL, IRQ_ID), CAPOS_ERR_NOT_SUPPORTED);
	CHECK(nothing_left());

	fake_device();
	common()->num_queues = 1;
	CHECK_EQ(vnet_open(&n, 7, NULL, IRQ_ID), CAPOS_ERR_NOT_SUPPORTED);
	CHECK(nothing_left());

	fake_device();
	common()->queue_size = 0;
	CHECK_EQ(vnet_open(&n, 7, NULL, IRQ_ID), CAPOS_ERR_NOT_SUPPORTED);
	CHECK(nothing_left());
}

TEST(structures_outside_the_bar_refused)
{
	fake_device();
	fake_pci.bar_size = 0x3000;	/* the notify structure's page is past the end */
	CHECK(vnet_open(&n, 7, NULL, IRQ_ID) != 0);
	CHECK(nothing_left());

	fake_device();
	common()->queue_notify_off = 0x800;	/* x4 = 0x2000: past the notify region, inside the BAR */
	CHECK_EQ(vnet_open(&n, 7, NULL, IRQ_ID), CAPOS_ERR_INVALID_ARGUMENT);
	CHECK(nothing_left());
}

TEST(dma_failure_frees_what_was_taken)
{
	for (unsigned at = 0; at < 4; at++) {
		fake_device();
		fake_pci.fail_dma_at = at;
		CHECK_EQ(vnet_open(&n, 7, NULL, IRQ_ID), CAPOS_ERR_APPLICATION_EXCEPTION);
		CHECK_EQ(fake_pci.dma_allocs, at);
		CHECK(nothing_left());
	}
}

int main(void)
{
	RUN(open_reaches_driver_ok);
	RUN(interrupt_rearms_for_its_own_cqe_only);
	RUN(refusals_leave_nothing_behind);
	RUN(structures_outside_the_bar_refused);
	RUN(dma_failure_frees_what_was_taken);
	free(fake_pci.bar);
	TEST_EXIT();
}
