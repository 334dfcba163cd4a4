// SPDX-License-Identifier: MIT
/*
 * kernel/dev/pci_filter.c: what PciDevice.configRead/configWrite let a
 * driver touch. Widths, alignment and the space's end; the command
 * register's three driver bits; the header, BARs, ROM and the kernel's
 * MSI and MSI-X capabilities refused, byte by byte at their edges.
 */
#include "dev/pci_filter.h"
#include "../test.h"

static const struct pci_caps caps = { .msi = 0x50, .msix = 0x98 };

TEST(access_needs_a_good_width_alignment_and_offset)
{
	CHECK_EQ(pci_filter_access(0, 4, 4096), PCI_FILTER_OK);
	CHECK_EQ(pci_filter_access(4092, 4, 4096), PCI_FILTER_OK);
	CHECK_EQ(pci_filter_access(4095, 1, 4096), PCI_FILTER_OK);
	CHECK_EQ(pci_filter_access(4096, 1, 4096), PCI_FILTER_BAD_ARG);
	CHECK_EQ(pci_filter_access(0xffff, 1, 4096), PCI_FILTER_BAD_ARG);
	CHECK_EQ(pci_filter_access(256, 4, 256), PCI_FILTER_BAD_ARG);	/* ports: 256 bytes */
	CHECK_EQ(pci_filter_access(252, 4, 256), PCI_FILTER_OK);
	CHECK_EQ(pci_filter_access(2, 4, 4096), PCI_FILTER_BAD_ARG);
	CHECK_EQ(pci_filter_access(1, 2, 4096), PCI_FILTER_BAD_ARG);
	CHECK_EQ(pci_filter_access(0, 0, 4096), PCI_FILTER_BAD_ARG);
	CHECK_EQ(pci_filter_access(0, 3, 4096), PCI_FILTER_BAD_ARG);
	CHECK_EQ(pci_filter_access(0, 8, 4096), PCI_FILTER_BAD_ARG);
}

TEST(the_header_is_refused_but_the_command_register)
{
	CHECK_EQ(pci_filter_write(&caps, 4, 2), PCI_FILTER_COMMAND);
	CHECK_EQ(pci_filter_write(&caps, 4, 1), PCI_FILTER_COMMAND);
	CHECK_EQ(pci_filter_write(&caps, 4, 4), PCI_FILTER_REFUSED);	/* with the status */
	CHECK_EQ(pci_filter_write(&caps, 5, 1), PCI_FILTER_REFUSED);
	CHECK_EQ(pci_filter_write(&caps, 0, 4), PCI_FILTER_REFUSED);
	for (uint16_t bar = 0x10; bar < 0x28; bar += 4)
		CHECK_EQ(pci_filter_write(&caps, bar, 4), PCI_FILTER_REFUSED);
	CHECK_EQ(pci_filter_write(&caps, 0x30, 4), PCI_FILTER_REFUSED);	/* expansion ROM */
	CHECK_EQ(pci_filter_write(&caps, 0x3c, 1), PCI_FILTER_REFUSED);	/* interrupt line */
	CHECK_EQ(pci_filter_write(&caps, 0x3f, 1), PCI_FILTER_REFUSED);
}

TEST(the_device_area_is_the_drivers_but_msi_and_msix)
{
	CHECK_EQ(pci_filter_write(&caps, 0x40, 4), PCI_FILTER_OK);
	CHECK_EQ(pci_filter_write(&caps, 0x4f, 1), PCI_FILTER_OK);
	CHECK_EQ(pci_filter_write(&caps, 0x4e, 2), PCI_FILTER_OK);
	CHECK_EQ(pci_filter_write(&caps, 0x50, 1), PCI_FILTER_REFUSED);
	CHECK_EQ(pci_filter_write(&caps, 0x50 + PCI_MSI_CAP_LEN - 1, 1), PCI_FILTER_REFUSED);
	CHECK_EQ(pci_filter_write(&caps, 0x50 + PCI_MSI_CAP_LEN, 1), PCI_FILTER_OK);
	CHECK_EQ(pci_filter_write(&caps, 0x94, 4), PCI_FILTER_OK);
	CHECK_EQ(pci_filter_write(&caps, 0x9a, 2), PCI_FILTER_REFUSED);	/* MSI-X control */
	CHECK_EQ(pci_filter_write(&caps, 0x98 + PCI_MSIX_CAP_LEN - 1, 1), PCI_FILTER_REFUSED);
	CHECK_EQ(pci_filter_write(&caps, 0x98 + PCI_MSIX_CAP_LEN, 4), PCI_FILTER_OK);
	CHECK_EQ(pci_filter_write(&caps, 0x100, 4), PCI_FILTER_OK);	/* extended space */
}

TEST(a_function_without_msi_refuses_nothing_past_the_header)
{
	static const struct pci_caps none = { 0, 0 };

	CHECK_EQ(pci_filter_write(&none, 0x40, 4), PCI_FILTER_OK);
	CHECK_EQ(pci_filter_write(&none, 0xfc, 4), PCI_FILTER_OK);
	CHECK_EQ(pci_filter_write(&none, 0x3c, 4), PCI_FILTER_REFUSED);
}

TEST(the_command_register_keeps_all_but_the_driver_bits)
{
	CHECK_EQ(pci_filter_command(0x0400, 0x0007), 0x0407);	/* INTx disable kept */
	CHECK_EQ(pci_filter_command(0x0407, 0x0000), 0x0400);
	CHECK_EQ(pci_filter_command(0x0000, 0xfff8), 0x0000);	/* nothing but the three */
	CHECK_EQ(pci_filter_command(0x0146, 0x0001), 0x0141);
}

int main(void)
{
	RUN(access_needs_a_good_width_alignment_and_offset);
	RUN(the_header_is_refused_but_the_command_register);
	RUN(the_device_area_is_the_drivers_but_msi_and_msix);
	RUN(a_function_without_msi_refuses_nothing_past_the_header);
	RUN(the_command_register_keeps_all_but_the_driver_bits);
	return test_failures ? 1 : 0;
}
