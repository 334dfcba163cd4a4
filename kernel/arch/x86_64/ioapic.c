// SPDX-License-Identifier: MIT
/*
 * The I/O APIC at its standard address, 0xFEC00000 (docs/terminal.md,
 * "Interrupt routing"). The 8259 PICs stay masked (apic.c): with the local
 * APIC in charge of the tick, the I/O APIC is the one way a device line
 * reaches a CPU. The kernel has no ACPI parser yet, so it does not read
 * the address (or an interrupt source override) from the MADT; instead it
 * checks that something at the standard address answers like an I/O APIC
 * (version 0x1X or 0x20, at least 16 redirection entries) before it writes
 * a thing, and refuses otherwise. QEMU's pc and q35 machines put their one
 * I/O APIC there and map ISA lines 1-15 other than 0 one to one (their only
 * override is IRQ0 to GSI2), so COM1's IRQ4 is GSI 4.
 *
 * Registers are reached through an index (IOREGSEL) and a window (IOWIN);
 * the pair is not atomic, so every access takes ioapic_lock, with
 * interrupts off (a leaf; never taken in interrupt context today).
 */
#include <capos/errors.h>

#include "arch/arch.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/paging.h"
#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "lib/spinlock.h"

#define IOAPIC_PHYS		0xfec00000ull
#define IOAPIC_REGSEL		0x00
#define IOAPIC_WIN		0x10
#define IOAPIC_REG_VER		0x01
#define IOAPIC_REG_REDIR(n)	(0x10 + 2 * (n))
#define IOAPIC_MIN_ENTRIES	16
#define REDIR_MASKED		(1u << 16)

static volatile uint32_t *ioapic;	/* set once, under ioapic_lock */
static unsigned ioapic_entries;
static struct spinlock ioapic_lock = SPINLOCK_INIT;

static uint32_t ioapic_read_locked(unsigned reg)
{
	assert_held(&ioapic_lock);
	ioapic[IOAPIC_REGSEL / 4] = reg;
	return ioapic[IOAPIC_WIN / 4];
}

static void ioapic_write_locked(unsigned reg, uint32_t v)
{
	assert_held(&ioapic_lock);
	ioapic[IOAPIC_REGSEL / 4] = reg;
	ioapic[IOAPIC_WIN / 4] = v;
}

/* True for the versions real and emulated I/O APICs report (82093AA: 0x11; later: 0x20). */
static bool ioapic_version_is_plausible(uint32_t ver)
{
	uint32_t v = ver & 0xff;

	return (v & 0xf0) == 0x10 || v == 0x20;
}

/* Maps the I/O APIC, checks it, masks every entry. 0 or NOT_SUPPORTED. */
static int ioapic_probe_locked(void)
{
	uint32_t ver;

	assert_held(&ioapic_lock);
	if (ioapic)
		return ioapic_entries ? 0 : CAPOS_ERR_NOT_SUPPORTED;
	ioapic = paging_map_mmio(IOAPIC_PHYS);
	ver = ioapic_read_locked(IOAPIC_REG_VER);
	if (!ioapic_version_is_plausible(ver) || ((ver >> 16) & 0xff) + 1 < IOAPIC_MIN_ENTRIES) {
		klog("ioapic: nothing like an I/O APIC at 0x%llx (version register 0x%x)\n",
		     IOAPIC_PHYS, ver);
		return CAPOS_ERR_NOT_SUPPORTED;
	}
	ioapic_entries = ((ver >> 16) & 0xff) + 1;
	for (unsigned i = 0; i < ioapic_entries; i++) {
		ioapic_write_locked(IOAPIC_REG_REDIR(i) + 1, 0);
		ioapic_write_locked(IOAPIC_REG_REDIR(i), REDIR_MASKED);
	}
	klog("ioapic: version 0x%x, %u entries at 0x%llx\n", ver & 0xff, ioapic_entries,
	     IOAPIC_PHYS);
	return 0;
}

int ioapic_route_isa(unsigned irq, unsigned vector, uint32_t apic_id)
{
	uint64_t flags = arch_irq_save();
	int err;

	spin_lock(&ioapic_lock);
	err = ioapic_probe_locked();
	if (!err && irq >= ioapic_entries)
		err = CAPOS_ERR_NOT_SUPPORTED;
	if (!err) {
		/* Fixed delivery, physical destination, edge, active high. */
		ioapic_write_locked(IOAPIC_REG_REDIR(irq) + 1, apic_id << 24);
		ioapic_write_locked(IOAPIC_REG_REDIR(irq), vector & 0xff);
	}
	spin_unlock(&ioapic_lock);
	arch_irq_restore(flags);
	return err;
}
