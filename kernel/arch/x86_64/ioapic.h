/* SPDX-License-Identifier: MIT */
/*
 * The I/O APIC: routes a legacy ISA interrupt line to a local APIC vector
 * (docs/terminal.md, "Interrupt routing").
 */
#ifndef CAPOS_ARCH_X86_64_IOAPIC_H
#define CAPOS_ARCH_X86_64_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

struct acpi_cpus;
struct acpi_mcfg;
struct boot_info;

/*
 * Finds the I/O APIC and the ISA overrides in the ACPI MADT (or falls
 * back to the standard address, identity lines). Boot, once, after the
 * direct map covers the memory map; bi must describe it.
 */
void ioapic_discover(const struct boot_info *bi);

/*
 * Routes ISA line `irq` (0..15; to the global system interrupt and with
 * the polarity and trigger mode the MADT's override gives it, else the
 * same number, edge, active high) to `vector` on the local APIC
 * `apic_id`, unmasked. Maps the I/O APIC and masks all its other entries
 * the first time. Returns 0, CAPOS_ERR_NOT_SUPPORTED when nothing answers
 * like an I/O APIC at its address or it has no entry for the line (the
 * caller then stays without the interrupt), or INVALID_ARGUMENT for an
 * irq over 15. Boot, thread context, interrupts may be on.
 */
int ioapic_route_isa(unsigned irq, unsigned vector, uint32_t apic_id);

/*
 * Programs the entry of global system interrupt `gsi` for `vector` on the
 * local APIC `apic_id`, level or edge, active low or high, masked (a PCI
 * INTx line: docs/devices.md). 0, or CAPOS_ERR_NOT_SUPPORTED when there
 * is no usable I/O APIC, gsi is not its, or gsi's entry is unmasked (in
 * use: an ISA line of the kernel's). Thread context.
 */
int ioapic_route_gsi(uint32_t gsi, unsigned vector, uint32_t apic_id, bool level,
		     bool active_low);

/* Masks or unmasks gsi's entry (nothing if it is not ours). Any context, interrupt included. */
void ioapic_mask_gsi(uint32_t gsi, bool masked);

/* Where ISA IRQ `irq` (0..15) arrives, and its MADT flags (boot's discovery, read-only). */
void ioapic_isa_line(unsigned irq, uint32_t *gsi, uint16_t *flags);

/*
 * PCI's ECAM window as the MCFG gave it (ioapic_discover reads the MCFG
 * while it has the RSDP): true and *out, or false when there is none.
 */
bool acpi_platform_mcfg(struct acpi_mcfg *out);

/* The CPUs the MADT lists as enabled (ioapic_discover reads them too); count 0 if none. */
const struct acpi_cpus *acpi_platform_cpus(void);

#endif
