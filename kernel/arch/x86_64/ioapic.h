/* SPDX-License-Identifier: MIT */
/*
 * The I/O APIC: routes a legacy ISA interrupt line to a local APIC vector
 * (docs/terminal.md, "Interrupt routing").
 */
#ifndef CAPOS_ARCH_X86_64_IOAPIC_H
#define CAPOS_ARCH_X86_64_IOAPIC_H

#include <stdint.h>

/*
 * Routes ISA line `irq` (identity-mapped to the same global system
 * interrupt: true for the lines QEMU's pc and q35 machines give COM1, 4)
 * to `vector` on the local APIC `apic_id`, edge-triggered, active high,
 * unmasked. Maps the I/O APIC and masks all its other entries the first
 * time. Returns 0, or CAPOS_ERR_NOT_SUPPORTED when no I/O APIC answers at the
 * standard address or it has no entry for `irq` (the caller then stays
 * without the interrupt). Boot, thread context, interrupts may be on.
 */
int ioapic_route_isa(unsigned irq, unsigned vector, uint32_t apic_id);

#endif
