// SPDX-License-Identifier: MIT
/*
 * The INTx routing rule of pci_intx.h; why it holds is said there and in
 * docs/devices.md.
 */
#include <stddef.h>

#include "dev/pci_intx.h"

#define INTEL_VENDOR		0x8086u
#define Q35_MCH			0x29c0u
#define I440FX_HOST		0x1237u
#define Q35_LAST_ROTATED_DEV	24u	/* 25..31 are routed by chipset registers */
#define Q35_FIRST_DEVICE_PIRQ	4u	/* E: QEMU keeps A..D for its PCIe ports */
#define Q35_PIRQ_GSI_BASE	16u
#define PIRQ_ROUTE_DISABLED	0x80u	/* IRQEN: not routed to the 8259 */
#define PIRQ_ROUTE_IRQ		0x0fu
#define INTI_POLARITY_MASK	0x3u
#define INTI_ACTIVE_LOW		0x3u
#define ISA_CASCADE_IRQ		2u

enum pci_intx_chipset pci_intx_chipset_of(uint16_t vendor, uint16_t device)
{
	if (vendor != INTEL_VENDOR)
		return PCI_INTX_UNKNOWN;
	if (device == Q35_MCH)
		return PCI_INTX_Q35;
	return device == I440FX_HOST ? PCI_INTX_I440FX : PCI_INTX_UNKNOWN;
}

/* The firmware's line: an ISA IRQ a PCI interrupt can have been routed to. */
static bool line_is_routed(uint8_t line)
{
	return line != 0 && line < PCI_INTX_ISA_IRQS && line != ISA_CASCADE_IRQ;
}

static const char *q35_route(const struct pci_intx_in *in, struct pci_intx_route *out)
{
	uint32_t pirq;
	uint8_t rout;

	if (in->dev > Q35_LAST_ROTATED_DEV)
		return "q35: devices 25..31 are routed by chipset registers the kernel does not read";
	pirq = Q35_FIRST_DEVICE_PIRQ + (in->dev + in->pin - 1u) % 4u;
	rout = in->pirq_route[pirq];
	if ((rout & PIRQ_ROUTE_DISABLED) || (rout & PIRQ_ROUTE_IRQ) != in->line)
		return "q35: the firmware routed the pin's PIRQ elsewhere than its Interrupt Line";
	*out = (struct pci_intx_route){ Q35_PIRQ_GSI_BASE + pirq, true, true };
	return NULL;
}

static const char *i440fx_route(const struct pci_intx_in *in, struct pci_intx_route *out)
{
	uint16_t flags = in->isa_flags[in->line];

	*out = (struct pci_intx_route){
		.gsi = in->isa_gsi[in->line],
		.level = true,
		.active_low = (flags & INTI_POLARITY_MASK) == INTI_ACTIVE_LOW,
	};
	return NULL;
}

const char *pci_intx_route(const struct pci_intx_in *in, struct pci_intx_route *out)
{
	if (in->pin < 1 || in->pin > 4)
		return "the function has no interrupt pin";
	if (in->dev > 31)
		return "no such device number";
	if (!line_is_routed(in->line))
		return "the firmware routed no IRQ to the pin (Interrupt Line)";
	switch (in->chipset) {
	case PCI_INTX_Q35:
		return q35_route(in, out);
	case PCI_INTX_I440FX:
		return i440fx_route(in, out);
	default:
		return "an unknown chipset: the pin's route is in ACPI's _PRT, which is AML";
	}
}
