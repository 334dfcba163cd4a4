/* SPDX-License-Identifier: MIT */
/* The fake PciDevice behind tests/unit/virtio/test_vnet_open.c (fake_pci.c). */
#ifndef CAPOS_TESTS_FAKE_PCI_H
#define CAPOS_TESTS_FAKE_PCI_H

#include "cfg_space.h"
#include "pci.h"

#define FAKE_PCI_BAR 4
#define FAKE_PCI_BAR_SIZE 0x8000u	/* room past the notify region */

struct fake_pci {
	struct cfg_space cfg;
	uint8_t *bar;
	uint64_t bar_size;
	uint16_t command;
	int irq_mode;
	unsigned dma_allocs, dma_frees, fail_dma_at;	/* fail_dma_at: that allocation fails */
	unsigned waits;
	uint64_t wait_user_data;
};

extern struct fake_pci fake_pci;

#endif
