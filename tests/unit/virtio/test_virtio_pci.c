// SPDX-License-Identifier: MIT
/* Host tests of the virtio capability walk (user/lib/virtio_pci.c) over hostile lists. */
#include "test.h"
#include "cfg_space.h"

static struct cfg_space cs;
static struct virtio_pci_caps caps;

static void put32(uint16_t off, uint32_t v)
{
	memcpy(&cs.b[off], &v, 4);
}

/* A vendor capability at `at`, linked to `next`. */
static void vcap(uint8_t at, uint8_t next, uint8_t type, uint8_t bar, uint32_t off, uint32_t len)
{
	cs.b[at] = 0x09;
	cs.b[at + 1] = next;
	cs.b[at + 2] = type == VIRTIO_PCI_CAP_NOTIFY ? 20 : 16;
	cs.b[at + 3] = type;
	cs.b[at + 4] = bar;
	put32(at + 8, off);
	put32(at + 12, len);
	if (type == VIRTIO_PCI_CAP_NOTIFY)
		put32(at + 16, 4);
}

/* QEMU's virtio-net layout: MSI-X first, then the virtio structures in BAR 4. */
static void qemu_like(void)
{
	memset(&cs, 0, sizeof(cs));
	cs.b[0x06] = 0x10;	/* status: capability list */
	cs.b[0x34] = 0x98;
	cs.b[0x98] = 0x11, cs.b[0x99] = 0x84;	/* MSI-X */
	vcap(0x84, 0x70, 5, 0, 0, 0);		/* PCI cfg access: unused */
	vcap(0x70, 0x60, VIRTIO_PCI_CAP_NOTIFY, 4, 0x3000, 0x1000);
	vcap(0x60, 0x50, VIRTIO_PCI_CAP_DEVICE, 4, 0x2000, 0x1000);
	vcap(0x50, 0x40, VIRTIO_PCI_CAP_ISR, 4, 0x1000, 0x1000);
	vcap(0x40, 0x00, VIRTIO_PCI_CAP_COMMON, 4, 0x0000, 0x1000);
}

TEST(finds_qemu_layout)
{
	qemu_like();
	CHECK_EQ(virtio_pci_find_caps(cfg_space_read, &cs, &caps), 0);
	CHECK(caps.common.present && caps.notify.present && caps.isr.present && caps.device.present);
	CHECK_EQ(caps.common.bar, 4);
	CHECK_EQ(caps.notify.offset, 0x3000);
	CHECK_EQ(caps.notify_off_multiplier, 4);
	CHECK_EQ(caps.isr.offset, 0x1000);
	CHECK_EQ(caps.device.length, 0x1000);
}

TEST(first_of_a_type_wins_and_bad_bar_is_skipped)
{
	qemu_like();
	vcap(0x40, 0xa0, VIRTIO_PCI_CAP_COMMON, 7, 0x0000, 0x1000);	/* BAR 7: skipped */
	vcap(0xa0, 0xb0, VIRTIO_PCI_CAP_COMMON, 2, 0x8000, 0x1000);
	vcap(0xb0, 0x00, VIRTIO_PCI_CAP_COMMON, 3, 0x9000, 0x1000);
	CHECK_EQ(virtio_pci_find_caps(cfg_space_read, &cs, &caps), 0);
	CHECK_EQ(caps.common.bar, 2);
	CHECK_EQ(caps.common.offset, 0x8000);
}

TEST(missing_structure_fails)
{
	qemu_like();
	cs.b[0x51] = 0x00;	/* ISR's next: cut off the common cfg */
	CHECK_EQ(virtio_pci_find_caps(cfg_space_read, &cs, &caps), -1);
	qemu_like();
	cs.b[0x06] = 0;		/* no capability list at all */
	CHECK_EQ(virtio_pci_find_caps(cfg_space_read, &cs, &caps), -1);
}

TEST(loop_fails_in_bounded_reads)
{
	qemu_like();
	cs.b[0x41] = 0x70;	/* common -> notify: a cycle */
	cs.reads = 0;
	CHECK_EQ(virtio_pci_find_caps(cfg_space_read, &cs, &caps), -1);
	CHECK(cs.reads < 64);
	qemu_like();
	cs.b[0x41] = 0x40;	/* points at itself */
	CHECK_EQ(virtio_pci_find_caps(cfg_space_read, &cs, &caps), -1);
}

TEST(pointer_out_of_range_fails)
{
	qemu_like();
	cs.b[0x34] = 0x30;	/* into the standard header, a good list behind it */
	cs.b[0x30] = 0x09, cs.b[0x31] = 0x98;
	CHECK_EQ(virtio_pci_find_caps(cfg_space_read, &cs, &caps), -1);
	qemu_like();
	cs.b[0x41] = 0xfe;	/* masked to 0xfc: the capability's 4 bytes fit; nothing there */
	CHECK_EQ(virtio_pci_find_caps(cfg_space_read, &cs, &caps), 0);
	qemu_like();
	cs.b[0x41] = 0xf8;	/* a 16-byte common cfg capability would end past 0x100 */
	cs.b[0x40] = 0x00, cs.b[0xf8] = 0x09, cs.b[0xfa] = 16, cs.b[0xfb] = VIRTIO_PCI_CAP_COMMON;
	CHECK_EQ(virtio_pci_find_caps(cfg_space_read, &cs, &caps), -1);
}

TEST(short_capabilities_are_ignored)
{
	qemu_like();
	cs.b[0x72] = 16;	/* notify without its multiplier */
	CHECK_EQ(virtio_pci_find_caps(cfg_space_read, &cs, &caps), -1);
	qemu_like();
	cs.b[0x42] = 8;		/* common cfg too short to be a virtio cap */
	CHECK_EQ(virtio_pci_find_caps(cfg_space_read, &cs, &caps), -1);
}

TEST(region_fits)
{
	struct virtio_pci_region r = { .present = true, .bar = 4, .offset = 0x3000, .length = 0x1000 };

	CHECK(virtio_pci_region_fits(&r, 0x4000, 0x1000));
	CHECK(!virtio_pci_region_fits(&r, 0x3fff, 0x1000));
	CHECK(!virtio_pci_region_fits(&r, 0x8000, 0x1001));
	r.offset = 0xffffffff;
	CHECK(!virtio_pci_region_fits(&r, 0x100000000ull, 0x10));
	r.present = false;
	CHECK(!virtio_pci_region_fits(&r, 0x100000, 1));
}

int main(void)
{
	RUN(finds_qemu_layout);
	RUN(first_of_a_type_wins_and_bad_bar_is_skipped);
	RUN(missing_structure_fails);
	RUN(loop_fails_in_bounded_reads);
	RUN(pointer_out_of_range_fails);
	RUN(short_capabilities_are_ignored);
	RUN(region_fits);
	TEST_EXIT();
}
