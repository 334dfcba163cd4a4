/* SPDX-License-Identifier: MIT */
/*
 * Where a PCI function's legacy interrupt pin (INTA..INTD) reaches the
 * I/O APIC, without AML (docs/devices.md, "INTx"). The ACPI _PRT that
 * says so is AML, which the kernel does not run; the rule instead is the
 * chipset's wiring, recognised by the host bridge's ids, checked against
 * what the firmware wrote:
 *
 * - q35 (MCH 8086:29c0, ICH9 LPC at 00:1f.0): the ICH9 always drives
 *   PIRQ A..H into I/O APIC inputs 16..23 (level, active low, shareable:
 *   a _PRT entry without a link device means exactly that). QEMU wires
 *   device d's pin p (1..4), d <= 24, to PIRQ E + (d + p - 1) % 4, the
 *   table its own _PRT gives; the firmware routed that PIRQ to the 8259
 *   IRQ it wrote in the Interrupt Line register, so the PIRQ's route
 *   register in the LPC (0x60..0x63, 0x68..0x6b) must name that IRQ, or
 *   the wiring is not the one assumed and the kernel refuses. Devices
 *   25..31 (the ICH's own, routed by chipset registers) are refused.
 * - i440fx (8086:1237, PIIX3 routing PIRQ A..D to ISA IRQs): there is no
 *   dedicated input; the PIRQ reaches the ISA IRQ the firmware routed it
 *   to and wrote in the Interrupt Line register, which arrives at the
 *   I/O APIC where the MADT says that ISA IRQ does, level (the firmware
 *   set the line level in the ELCR), with the polarity the MADT's
 *   override gives (none: active high, the ISA side of the PIIX).
 *
 * Anything else (another chipset, no pin, a line the firmware left
 * unrouted: 0 or 0xff) is refused. Pure: host-tested in
 * tests/unit/kernel/test_pci_intx.c.
 */
#ifndef CAPOS_KERNEL_DEV_PCI_INTX_H
#define CAPOS_KERNEL_DEV_PCI_INTX_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_INTX_ISA_IRQS 16u
#define PCI_INTX_PIRQS 8u	/* q35's PIRQ A..H */
#define PCI_INTX_Q35_LPC_DEV 31u	/* 00:1f.0, the ICH9 LPC bridge */
#define PCI_INTX_Q35_PIRQ_AD 0x60u	/* LPC config: PIRQA..D_ROUT */
#define PCI_INTX_Q35_PIRQ_EH 0x68u	/* LPC config: PIRQE..H_ROUT */
#define PCI_INTX_LINE 0x3cu	/* the Interrupt Line register */

enum pci_intx_chipset {
	PCI_INTX_UNKNOWN,
	PCI_INTX_Q35,
	PCI_INTX_I440FX,
};

/* What the rule needs about the machine and the function. */
struct pci_intx_in {
	enum pci_intx_chipset chipset;
	uint8_t dev;		/* the function's device number, 0..31 */
	uint8_t pin;		/* its Interrupt Pin: 1..4 (INTA..INTD), 0 none */
	uint8_t line;		/* its Interrupt Line: the firmware's 8259 IRQ */
	uint8_t pirq_route[PCI_INTX_PIRQS];	/* q35: the LPC's PIRQA..H_ROUT */
	uint32_t isa_gsi[PCI_INTX_ISA_IRQS];	/* the MADT's ISA IRQ -> GSI */
	uint16_t isa_flags[PCI_INTX_ISA_IRQS];	/* its MPS INTI flags (0: bus default) */
};

struct pci_intx_route {
	uint32_t gsi;
	bool level;
	bool active_low;
};

/* The chipset a host bridge (00:00.0) with these ids is. */
enum pci_intx_chipset pci_intx_chipset_of(uint16_t vendor, uint16_t device);

/* The route of in's pin: NULL and *out, or why the kernel cannot know it. */
const char *pci_intx_route(const struct pci_intx_in *in, struct pci_intx_route *out);

#endif
