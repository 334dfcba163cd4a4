// SPDX-License-Identifier: MIT
/*
 * kernel/dev/pci_intx.c: where INTx reaches the I/O APIC. The chipsets by
 * their host bridge; q35's rotation of device and pin over PIRQ E..H
 * (GSI 20..23), checked against the firmware's PIRQ routes and Interrupt
 * Line; i440fx's ISA IRQ through the MADT; everything it cannot know
 * refused.
 */
#include "dev/pci_intx.h"
#include "../test.h"

/* What SeaBIOS leaves on QEMU's q35: PIRQ A..H to IRQ 10, 10, 11, 11, 10, 10, 11, 11. */
static struct pci_intx_in q35(uint8_t dev, uint8_t pin, uint8_t line)
{
	struct pci_intx_in in = { .chipset = PCI_INTX_Q35, .dev = dev, .pin = pin, .line = line,
				  .pirq_route = { 10, 10, 11, 11, 10, 10, 11, 11 } };

	for (uint32_t i = 0; i < PCI_INTX_ISA_IRQS; i++)
		in.isa_gsi[i] = i;
	in.isa_gsi[0] = 2;
	return in;
}

/* QEMU's pc MADT: IRQ0 at GSI 2; the PCI IRQs 5, 9, 10, 11 level, active high (0xd). */
static struct pci_intx_in pc(uint8_t dev, uint8_t pin, uint8_t line)
{
	struct pci_intx_in in = { .chipset = PCI_INTX_I440FX, .dev = dev, .pin = pin, .line = line };

	for (uint32_t i = 0; i < PCI_INTX_ISA_IRQS; i++)
		in.isa_gsi[i] = i;
	in.isa_gsi[0] = 2;
	in.isa_flags[5] = in.isa_flags[9] = in.isa_flags[10] = in.isa_flags[11] = 0xd;
	return in;
}

TEST(chipsets_by_host_bridge)
{
	CHECK_EQ(pci_intx_chipset_of(0x8086, 0x29c0), PCI_INTX_Q35);
	CHECK_EQ(pci_intx_chipset_of(0x8086, 0x1237), PCI_INTX_I440FX);
	CHECK_EQ(pci_intx_chipset_of(0x8086, 0x2918), PCI_INTX_UNKNOWN);
	CHECK_EQ(pci_intx_chipset_of(0x1022, 0x29c0), PCI_INTX_UNKNOWN);
	CHECK_EQ(pci_intx_chipset_of(0xffff, 0xffff), PCI_INTX_UNKNOWN);
}

TEST(q35_rotates_device_and_pin_over_pirq_e_to_h)
{
	struct pci_intx_route r = { 0 };
	struct pci_intx_in in = q35(2, 1, 11);	/* 00:02.0 INTA: PIRQ G */

	CHECK(pci_intx_route(&in, &r) == NULL);
	CHECK_EQ(r.gsi, 22u);
	CHECK(r.level && r.active_low);
	in = q35(2, 2, 11);	/* INTB: PIRQ H */
	CHECK(pci_intx_route(&in, &r) == NULL);
	CHECK_EQ(r.gsi, 23u);
	in = q35(2, 3, 10);	/* INTC: wraps to PIRQ E */
	CHECK(pci_intx_route(&in, &r) == NULL);
	CHECK_EQ(r.gsi, 20u);
	in = q35(0, 1, 10);
	CHECK(pci_intx_route(&in, &r) == NULL);
	CHECK_EQ(r.gsi, 20u);
	in = q35(24, 4, 11);	/* the last rotated device: (24 + 3) % 4 = 3, PIRQ H */
	CHECK(pci_intx_route(&in, &r) == NULL);
	CHECK_EQ(r.gsi, 23u);
}

TEST(q35_refuses_what_the_firmware_routed_otherwise)
{
	struct pci_intx_route r = { 0 };
	struct pci_intx_in in = q35(2, 1, 10);	/* PIRQ G is IRQ 11, not 10 */

	CHECK(pci_intx_route(&in, &r) != NULL);
	in = q35(2, 1, 11);
	in.pirq_route[6] = 0x80 | 11;	/* IRQEN: PIRQ G not routed */
	CHECK(pci_intx_route(&in, &r) != NULL);
	in = q35(25, 1, 10);	/* the ICH's own devices */
	CHECK(pci_intx_route(&in, &r) != NULL);
	in = q35(31, 1, 10);
	CHECK(pci_intx_route(&in, &r) != NULL);
}

TEST(i440fx_takes_the_firmwares_isa_irq_through_the_madt)
{
	struct pci_intx_route r = { 0 };
	struct pci_intx_in in = pc(3, 1, 11);

	CHECK(pci_intx_route(&in, &r) == NULL);
	CHECK_EQ(r.gsi, 11u);
	CHECK(r.level && !r.active_low);
	in = pc(3, 1, 10);
	in.isa_gsi[10] = 42;	/* an override moves it */
	in.isa_flags[10] = 0xf;	/* level, active low */
	CHECK(pci_intx_route(&in, &r) == NULL);
	CHECK_EQ(r.gsi, 42u);
	CHECK(r.level && r.active_low);
	in = pc(3, 1, 9);
	in.isa_flags[9] = 0;	/* no override: level still, active high */
	CHECK(pci_intx_route(&in, &r) == NULL);
	CHECK(r.level && !r.active_low);
}

TEST(no_pin_no_line_or_an_unknown_chipset_is_refused)
{
	struct pci_intx_route r = { 0 };
	struct pci_intx_in in = pc(3, 0, 11);

	CHECK(pci_intx_route(&in, &r) != NULL);
	in = pc(3, 5, 11);
	CHECK(pci_intx_route(&in, &r) != NULL);
	in = pc(3, 1, 0xff);	/* not routed */
	CHECK(pci_intx_route(&in, &r) != NULL);
	in = pc(3, 1, 0);
	CHECK(pci_intx_route(&in, &r) != NULL);
	in = pc(3, 1, 2);	/* the cascade */
	CHECK(pci_intx_route(&in, &r) != NULL);
	in = pc(3, 1, 16);
	CHECK(pci_intx_route(&in, &r) != NULL);
	in = pc(32, 1, 11);
	CHECK(pci_intx_route(&in, &r) != NULL);
	in = q35(2, 1, 11);
	in.chipset = PCI_INTX_UNKNOWN;
	CHECK(pci_intx_route(&in, &r) != NULL);
}

int main(void)
{
	RUN(chipsets_by_host_bridge);
	RUN(q35_rotates_device_and_pin_over_pirq_e_to_h);
	RUN(q35_refuses_what_the_firmware_routed_otherwise);
	RUN(i440fx_takes_the_firmwares_isa_irq_through_the_madt);
	RUN(no_pin_no_line_or_an_unknown_chipset_is_refused);
	TEST_EXIT();
}
