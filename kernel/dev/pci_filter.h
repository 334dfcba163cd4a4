/* SPDX-License-Identifier: MIT */
/*
 * What PciDevice.configRead and configWrite let a driver touch
 * (schema/device.capnp, docs/devices.md). Pure: host-tested in
 * tests/unit/kernel/test_pci_filter.c.
 */
#ifndef CAPOS_KERNEL_DEV_PCI_FILTER_H
#define CAPOS_KERNEL_DEV_PCI_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_HEADER_END	0x40u	/* the standard header; the device-specific area follows */
#define PCI_MSIX_MAX	8u	/* MSI-X entries a PciDevice may use */
#define PCI_MSI_CAP_LEN	24u	/* the longest MSI capability (64-bit, per-vector masks) */
#define PCI_MSIX_CAP_LEN 12u

/* The capabilities that are the kernel's: offset 0 when the function has none. */
struct pci_caps {
	uint16_t msi, msix;
};

#define PCI_FILTER_OK		0
#define PCI_FILTER_BAD_ARG	1	/* bad width, alignment or offset */
#define PCI_FILTER_REFUSED	2	/* a field the driver may not write */
#define PCI_FILTER_COMMAND	3	/* the command register: only its low three bits change */

/* A read or write of width at off in a configuration space of cfg_size bytes: OK or BAD_ARG. */
int pci_filter_access(uint16_t off, uint8_t width, uint32_t cfg_size);

/*
 * A write (access already checked): OK (the device-specific area outside
 * the kernel's capabilities), COMMAND (offset 4, width 1 or 2) or REFUSED.
 */
int pci_filter_write(const struct pci_caps *caps, uint16_t off, uint8_t width);

/* The command register's new value: the driver's I/O, memory and master bits, the rest kept. */
uint16_t pci_filter_command(uint16_t old, uint16_t wanted);

#endif
