/* SPDX-License-Identifier: MIT */
/* pci-check's parts: devices and configuration (main.c), memory (mem.c), interrupts (irq.c). */
#ifndef PCI_CHECK_H
#define PCI_CHECK_H

#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "check.h"
#include "client.h"
#include "pci.h"
#include "rt.h"

#define VIRTIO_VENDOR	0x1af4
#define VIRTIO_NET	0x1041
#define CMD_INTX_DISABLE 0x400u	/* the command register's INTx disable bit */

/* A virtio PCI capability (virtio 1.2, 4.1.4): where a structure lies. */
struct virtio_cap {
	uint8_t bar;
	uint32_t offset, length;
	uint32_t notify_mult;	/* notify structure only */
};

/* What main.c found on the opened function. */
struct found {
	struct virtio_cap common, notify, isr;
	uint8_t msix_cap;	/* offset of the MSI-X capability (0: none, INTx) */
	uint8_t msix_bar;	/* the BAR of its table */
	volatile uint8_t *bar;	/* the common configuration's BAR, mapped */
};

/* True if the last call raised a CapException of this type. */
bool raised(int err, uint16_t type);

/* The function's command register. */
uint32_t command(capos_cap_t dev);

void mem_checks(capos_cap_t dev);
void irq_checks(capos_cap_t dev, const struct found *f);
void irq_hostile_checks(capos_cap_t dev, bool intx);
void intx_checks(capos_cap_t devices, capos_cap_t dev, const struct found *f);

#endif
