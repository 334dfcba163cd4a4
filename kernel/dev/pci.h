/* SPDX-License-Identifier: MIT */
/*
 * The PCI functions the kernel found at boot (docs/devices.md). pci_init
 * scans the first bus once (every device, every function of a
 * multi-function device), sizes the BARs with decoding off, finds the MSI
 * and MSI-X capabilities, logs one line per function on the system log
 * and keeps at most PCI_FUNCS_MAX. After boot the table is read-only,
 * except `open` (pci_lock) and the kernel's MSI-X table mapping, made once
 * at a function's first enableInterrupts (pci_lock).
 */
#ifndef CAPOS_KERNEL_DEV_PCI_H
#define CAPOS_KERNEL_DEV_PCI_H

#include "dev/pci_filter.h"
#include "lib/types.h"

#define PCI_FUNCS_MAX 64u
#define PCI_BARS 6u

/* Standard header offsets (PCI local bus 3.0, 6.1). */
#define PCI_VENDOR_ID	0x00
#define PCI_COMMAND	0x04
#define PCI_STATUS	0x06
#define PCI_REVISION	0x08
#define PCI_HEADER_TYPE	0x0e
#define PCI_BAR0	0x10
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_CAP_PTR	0x34
#define PCI_INT_PIN	0x3d

#define PCI_CMD_IO		(1u << 0)
#define PCI_CMD_MEMORY		(1u << 1)
#define PCI_CMD_MASTER		(1u << 2)
#define PCI_CMD_INTX_DISABLE	(1u << 10)

struct pci_bar {
	uint64_t phys;	/* 0: absent */
	uint64_t size;
	bool io;	/* an I/O BAR: never mapped */
	bool upper;	/* the high half of the 64-bit BAR before it */
};

struct pci_func {
	uint8_t bus, dev, fn;
	uint16_t vendor_id, device_id, subsystem_id;
	uint8_t class_code, subclass, prog_if, revision, interrupt_pin;
	struct pci_bar bar[PCI_BARS];
	struct pci_caps caps;		/* MSI and MSI-X, found at boot, never re-read */
	uint16_t msix_size;		/* table entries (0: no MSI-X) */
	uint8_t msix_table_bar, msix_pba_bar;
	uint32_t msix_table_off, msix_pba_off;
	volatile uint32_t *msix_table;	/* the kernel's mapping of it, or NULL (pci_lock) */
	bool open;			/* a PciDevice exists (pci_lock) */
};

/*
 * Scans at boot (after the frame allocator), before the other CPUs start:
 * BAR sizing changes the memory map (docs/smp.md "Multi-threaded TCG").
 */
void pci_init(void);

/* How many functions were kept, and the i-th (bus/device/function order). */
uint32_t pci_count(void);
struct pci_func *pci_func_at(uint32_t i);

/* The bytes of configuration space a function has (256, or 4096 with ECAM). */
uint32_t pci_cfg_size(void);

uint32_t pci_cfg_read(const struct pci_func *f, uint16_t off, uint8_t width);
void pci_cfg_write(const struct pci_func *f, uint16_t off, uint8_t width, uint32_t val);

/* Marks f open: true, or false if a PciDevice already has it. Any thread. */
bool pci_claim(struct pci_func *f);
void pci_unclaim(struct pci_func *f);

/*
 * The kernel's mapping of f's MSI-X table (the first PCI_MSIX_MAX
 * entries), made on first use and kept: NULL if f has no MSI-X or the
 * table's BAR is absent.
 */
volatile uint32_t *pci_msix_table(struct pci_func *f);

#endif
