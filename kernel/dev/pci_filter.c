// SPDX-License-Identifier: MIT
/* The configuration space filter of PciDevice (pci_filter.h). */
#include "dev/pci_filter.h"

#define COMMAND_OFF	4u
#define COMMAND_DRIVER_BITS 0x7u	/* I/O space, memory space, bus master */

int pci_filter_access(uint16_t off, uint8_t width, uint32_t cfg_size)
{
	if (width != 1 && width != 2 && width != 4)
		return PCI_FILTER_BAD_ARG;
	if (off % width || (uint32_t)off + width > cfg_size)
		return PCI_FILTER_BAD_ARG;
	return PCI_FILTER_OK;
}

/* [off, off + width) and the capability [cap, cap + len) share a byte. */
static bool overlaps(uint16_t off, uint8_t width, uint16_t cap, uint32_t len)
{
	return cap && off < cap + len && cap < (uint32_t)off + width;
}

int pci_filter_write(const struct pci_caps *caps, uint16_t off, uint8_t width)
{
	if (off == COMMAND_OFF && width <= 2)
		return PCI_FILTER_COMMAND;
	if (off < PCI_HEADER_END)
		return PCI_FILTER_REFUSED;	/* BARs, ROM, the header's other fields */
	if (overlaps(off, width, caps->msi, PCI_MSI_CAP_LEN) ||
	    overlaps(off, width, caps->msix, PCI_MSIX_CAP_LEN))
		return PCI_FILTER_REFUSED;	/* where interrupts go is the kernel's */
	return PCI_FILTER_OK;
}

uint16_t pci_filter_command(uint16_t old, uint16_t wanted)
{
	return (uint16_t)((old & ~COMMAND_DRIVER_BITS) | (wanted & COMMAND_DRIVER_BITS));
}
