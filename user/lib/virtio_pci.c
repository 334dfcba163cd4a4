// SPDX-License-Identifier: MIT
/*
 * Modern virtio PCI transport: the capability walk over untrusted
 * configuration space and the common configuration handshake. See
 * virtio_pci.h.
 */
#include "virtio_pci.h"

#define PCI_STATUS 0x06u
#define PCI_STATUS_CAP_LIST 0x10u
#define PCI_CAP_PTR 0x34u
#define PCI_CAP_FIRST 0x40u		/* below is the standard header */
#define PCI_CFG_END 0x100u		/* capabilities live in the first 256 bytes */
#define PCI_CAP_ID_VENDOR 0x09u
#define VIRTIO_CAP_LEN 16u		/* struct virtio_pci_cap */
#define VIRTIO_NOTIFY_CAP_LEN 20u	/* plus notify_off_multiplier */
#define VIRTIO_RESET_SPINS 1000000u	/* a device that never finishes reset is broken */

/* Reads one virtio capability at `at` into the region of its type (first one wins). */
static int virtio_pci_take_cap(virtio_pci_cfg_read_fn read, void *ctx, uint16_t at,
			       struct virtio_pci_caps *out)
{
	uint32_t head, bar, offset, length, mult = 0;
	struct virtio_pci_region *r;

	if (read(ctx, at, 4, &head) != 0)
		return -1;
	if ((head >> 16 & 0xff) < VIRTIO_CAP_LEN || at + VIRTIO_CAP_LEN > PCI_CFG_END)
		return 0;	/* too short to be one: not ours, skip */
	if (read(ctx, at + 4, 1, &bar) != 0 || read(ctx, at + 8, 4, &offset) != 0 ||
	    read(ctx, at + 12, 4, &length) != 0)
		return -1;
	switch (head >> 24) {
	case VIRTIO_PCI_CAP_COMMON: r = &out->common; break;
	case VIRTIO_PCI_CAP_NOTIFY: r = &out->notify; break;
	case VIRTIO_PCI_CAP_ISR: r = &out->isr; break;
	case VIRTIO_PCI_CAP_DEVICE: r = &out->device; break;
	default: return 0;	/* PCI cfg access, shared memory, vendor: unused */
	}
	if (r->present || bar > 5)
		return 0;	/* a later duplicate, or one we cannot use: the spec says skip */
	if (r == &out->notify) {
		if ((head >> 16 & 0xff) < VIRTIO_NOTIFY_CAP_LEN || at + VIRTIO_NOTIFY_CAP_LEN > PCI_CFG_END ||
		    read(ctx, at + 16, 4, &mult) != 0)
			return 0;
		out->notify_off_multiplier = mult;
	}
	*r = (struct virtio_pci_region){ .present = true, .bar = (uint8_t)bar, .offset = offset,
					 .length = length };
	return 0;
}

int virtio_pci_find_caps(virtio_pci_cfg_read_fn read, void *ctx, struct virtio_pci_caps *out)
{
	uint64_t visited = 0;	/* one bit per dword of 0x40..0xff */
	uint32_t status, ptr, head;
	unsigned n;

	*out = (struct virtio_pci_caps){ 0 };
	if (read(ctx, PCI_STATUS, 2, &status) != 0 || !(status & PCI_STATUS_CAP_LIST))
		return -1;
	if (read(ctx, PCI_CAP_PTR, 1, &ptr) != 0)
		return -1;
	for (n = 0, ptr &= 0xfc; ptr != 0; n++) {
		if (n >= VIRTIO_PCI_MAX_CAPS || ptr < PCI_CAP_FIRST || ptr + 4 > PCI_CFG_END)
			return -1;
		if (visited & (1ull << ((ptr - PCI_CAP_FIRST) / 4)))
			return -1;	/* the list loops */
		visited |= 1ull << ((ptr - PCI_CAP_FIRST) / 4);
		if (read(ctx, (uint16_t)ptr, 4, &head) != 0)
			return -1;
		if ((head & 0xff) == PCI_CAP_ID_VENDOR &&
		    virtio_pci_take_cap(read, ctx, (uint16_t)ptr, out) != 0)
			return -1;
		ptr = head >> 8 & 0xfc;
	}
	return out->common.present && out->notify.present && out->isr.present ? 0 : -1;
}

bool virtio_pci_region_fits(const struct virtio_pci_region *r, uint64_t bar_size, uint32_t need)
{
	return r->present && need <= r->length && (uint64_t)r->offset + need <= bar_size;
}

int virtio_pci_reset(volatile struct virtio_pci_common_cfg *c)
{
	uint32_t spins;

	c->device_status = 0;
	for (spins = 0; spins < VIRTIO_RESET_SPINS; spins++) {
		if (c->device_status == 0)
			return 0;
		__asm__ volatile("pause");
	}
	return -1;
}

uint64_t virtio_pci_device_features(volatile struct virtio_pci_common_cfg *c)
{
	uint64_t lo, hi;

	c->device_feature_select = 0;
	lo = c->device_feature;
	c->device_feature_select = 1;
	hi = c->device_feature;
	return hi << 32 | lo;
}

int virtio_pci_set_features(volatile struct virtio_pci_common_cfg *c, uint64_t features)
{
	c->driver_feature_select = 0;
	c->driver_feature = (uint32_t)features;
	c->driver_feature_select = 1;
	c->driver_feature = (uint32_t)(features >> 32);
	c->device_status = c->device_status | VIRTIO_STATUS_FEATURES_OK;
	return c->device_status & VIRTIO_STATUS_FEATURES_OK ? 0 : -1;
}
