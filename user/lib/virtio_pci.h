/* SPDX-License-Identifier: MIT */
/*
 * The virtio 1.x modern PCI transport (virtio 1.1, 4.1): finding the
 * structures through the vendor capabilities, and the common configuration
 * registers a driver drives (status, features, queues).
 *
 * The capability walk reads configuration space through a callback so the
 * host tests and the fuzzer can feed it any bytes: the list is untrusted
 * (it may loop or point anywhere), so every pointer is range-checked, each
 * offset is visited once, and the walk stops after VIRTIO_PCI_MAX_CAPS.
 */
#ifndef CAPOS_USER_VIRTIO_PCI_H
#define CAPOS_USER_VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define VIRTIO_PCI_VENDOR 0x1af4u
#define VIRTIO_PCI_DEVICE_NET_MODERN 0x1041u	/* 0x1040 + device type 1 */
#define VIRTIO_PCI_DEVICE_NET_TRANSITIONAL 0x1000u

#define VIRTIO_PCI_CAP_COMMON 1u
#define VIRTIO_PCI_CAP_NOTIFY 2u
#define VIRTIO_PCI_CAP_ISR 3u
#define VIRTIO_PCI_CAP_DEVICE 4u
#define VIRTIO_PCI_MAX_CAPS 48u		/* (256 - 64) / 4: more cannot fit */

/* Device status bits (virtio 1.1, 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER 2u
#define VIRTIO_STATUS_DRIVER_OK 4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_NEEDS_RESET 64u
#define VIRTIO_STATUS_FAILED 128u

#define VIRTIO_MSI_NO_VECTOR 0xffffu

/* One structure: where it lives (BAR, offset, length), as the capability says. */
struct virtio_pci_region {
	bool present;
	uint8_t bar;
	uint32_t offset;
	uint32_t length;
};

struct virtio_pci_caps {
	struct virtio_pci_region common, notify, isr, device;
	uint32_t notify_off_multiplier;
};

/* Reads `width` (1, 2, 4) bytes of configuration space; 0 or an error. */
typedef int (*virtio_pci_cfg_read_fn)(void *ctx, uint16_t off, uint8_t width, uint32_t *val);

/*
 * Walks the capability list for the virtio structures (the first usable one
 * of each type, as the spec asks). Returns 0 with common, notify and ISR
 * present; -1 for a malformed list (loop, pointer out of range, a read
 * error), a missing required structure, or a bad BAR number.
 */
int virtio_pci_find_caps(virtio_pci_cfg_read_fn read, void *ctx, struct virtio_pci_caps *out);

/* True if [region.offset, +need) lies inside a BAR of bar_size bytes and inside the region. */
bool virtio_pci_region_fits(const struct virtio_pci_region *r, uint64_t bar_size, uint32_t need);

/* The common configuration structure (virtio 1.1, 4.1.4.3), as mapped. */
struct virtio_pci_common_cfg {
	uint32_t device_feature_select;	/* 0x00 */
	uint32_t device_feature;	/* 0x04 */
	uint32_t driver_feature_select;	/* 0x08 */
	uint32_t driver_feature;	/* 0x0c */
	uint16_t msix_config;		/* 0x10 */
	uint16_t num_queues;		/* 0x12 */
	uint8_t device_status;		/* 0x14 */
	uint8_t config_generation;	/* 0x15 */
	uint16_t queue_select;		/* 0x16 */
	uint16_t queue_size;		/* 0x18 */
	uint16_t queue_msix_vector;	/* 0x1a */
	uint16_t queue_enable;		/* 0x1c */
	uint16_t queue_notify_off;	/* 0x1e */
	uint32_t queue_desc_lo, queue_desc_hi;		/* 0x20 */
	uint32_t queue_driver_lo, queue_driver_hi;	/* 0x28 */
	uint32_t queue_device_lo, queue_device_hi;	/* 0x30 */
};
_Static_assert(sizeof(struct virtio_pci_common_cfg) == 0x38, "common cfg layout");

/* Writes 0 and waits (bounded) for the device to read back 0. 0 or -1. */
int virtio_pci_reset(volatile struct virtio_pci_common_cfg *c);

/* All 64 offered feature bits. */
uint64_t virtio_pci_device_features(volatile struct virtio_pci_common_cfg *c);

/* Writes the driver's features, sets FEATURES_OK and checks it stuck. 0 or -1. */
int virtio_pci_set_features(volatile struct virtio_pci_common_cfg *c, uint64_t features);

#endif /* CAPOS_USER_VIRTIO_PCI_H */
