// SPDX-License-Identifier: MIT
/*
 * The I/O APIC (docs/terminal.md, "Interrupt routing"). The 8259 PICs stay
 * masked (apic.c): with the local APIC in charge of the tick, the I/O APIC
 * is the one way a device line reaches a CPU.
 *
 * Where it is and how ISA lines arrive come from the ACPI MADT
 * (boot/acpi.c), read at boot through the direct map: the RSDP from the
 * multiboot2 tag, else from the BIOS areas (EBDA, 0xE0000-0xFFFFF); a
 * table outside the memory map is not read. Without a usable MADT the
 * kernel falls back to the standard address 0xFEC00000 and identity ISA
 * lines, which is what QEMU's pc and q35 machines have for every line but
 * IRQ0. Either way it checks that something answers like an I/O APIC
 * (version 0x1X or 0x20, at least 16 entries) before it writes a thing,
 * and refuses otherwise.
 *
 * Registers are reached through an index (IOREGSEL) and a window (IOWIN);
 * the pair is not atomic, so every access takes ioapic_lock, with
 * interrupts off (a leaf). It is taken in interrupt context too: a PCI
 * INTx line is level-triggered and masked from its own handler
 * (obj/pci_device_intx.c), which is why no holder may leave interrupts on.
 */
#include <capos/errors.h>

#include "arch/arch.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "boot/acpi.h"
#include "boot/bootinfo.h"
#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "lib/spinlock.h"

#define SIZE_2M			(2ull << 20)
#define IOAPIC_PHYS_DEFAULT	0xfec00000ull
#define BIOS_EBDA_SEG_PTR	0x40e
#define BIOS_EBDA_SCAN		1024u
#define BIOS_AREA		0xe0000ull
#define BIOS_AREA_LEN		0x20000u
#define IOAPIC_REGSEL		0x00
#define IOAPIC_WIN		0x10
#define IOAPIC_REG_VER		0x01
#define IOAPIC_REG_REDIR(n)	(0x10 + 2 * (n))
#define IOAPIC_MIN_ENTRIES	16
#define REDIR_MASKED		(1u << 16)
#define REDIR_LEVEL		(1u << 15)
#define REDIR_ACTIVE_LOW	(1u << 13)

static struct acpi_irq_info platform;	/* set at boot by ioapic_discover, then read-only */
static bool from_madt;
static struct acpi_mcfg platform_mcfg;	/* set at boot by ioapic_discover (none: all zero) */
static struct acpi_cpus platform_cpus;	/* set at boot by ioapic_discover (none: count 0) */
static volatile uint32_t *ioapic;	/* set once, under ioapic_lock */
static volatile uint32_t *ioapic_window;	/* the mapped registers; set once by CAS */
static unsigned ioapic_entries;
static struct spinlock ioapic_lock = SPINLOCK_INIT_RANK(LOCK_RANK_IRQ_LEAF);

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

/*
 * Maps the I/O APIC's registers once, before ioapic_lock is taken: a mapping
 * takes the kernel page-table and frame locks, which are outer to this leaf
 * (docs/locking.md). Two CPUs racing here each map a page and one page of
 * the MMIO window goes unused; boot routes COM1 first, on one CPU.
 */
static void ioapic_map_once(void)
{
	volatile uint32_t *none = NULL, *w;

	if (__atomic_load_n(&ioapic_window, __ATOMIC_ACQUIRE))
		return;
	w = paging_map_mmio(platform.ioapic_phys);
	(void)__atomic_compare_exchange_n(&ioapic_window, &none, w, false, __ATOMIC_RELEASE,
					  __ATOMIC_RELAXED);
}

/* Checks the mapped I/O APIC, masks every entry. 0 or NOT_SUPPORTED. */
static int ioapic_probe_locked(void)
{
	uint32_t ver;

	assert_held(&ioapic_lock);
	if (ioapic)
		return ioapic_entries ? 0 : CAPOS_ERR_NOT_SUPPORTED;
	ioapic = ioapic_window;
	ver = ioapic_read_locked(IOAPIC_REG_VER);
	if (!ioapic_version_is_plausible(ver) || ((ver >> 16) & 0xff) + 1 < IOAPIC_MIN_ENTRIES) {
		klog("ioapic: nothing like an I/O APIC at 0x%llx (version register 0x%x)\n",
		     (unsigned long long)platform.ioapic_phys, ver);
		return CAPOS_ERR_NOT_SUPPORTED;
	}
	ioapic_entries = ((ver >> 16) & 0xff) + 1;
	for (unsigned i = 0; i < ioapic_entries; i++) {
		ioapic_write_locked(IOAPIC_REG_REDIR(i) + 1, 0);
		ioapic_write_locked(IOAPIC_REG_REDIR(i), REDIR_MASKED);
	}
	klog("ioapic: version 0x%x, %u entries at 0x%llx (%s)\n", ver & 0xff, ioapic_entries,
	     (unsigned long long)platform.ioapic_phys,
	     from_madt ? "from the ACPI MADT" : "no MADT: the standard address");
	return 0;
}

/* The redirection entry's low word for an ISA line with MADT flags `flags`. */
static uint32_t redir_low(unsigned vector, uint16_t flags)
{
	uint32_t low = vector & 0xff;	/* fixed delivery, physical destination */

	/* The ISA bus default (flags 0) is edge-triggered, active high. */
	if ((flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_ACTIVE_LOW)
		low |= REDIR_ACTIVE_LOW;
	if ((flags & ACPI_INTI_TRIGGER_MASK) == ACPI_INTI_LEVEL)
		low |= REDIR_LEVEL;
	return low;
}

int ioapic_route_isa(unsigned irq, unsigned vector, uint32_t apic_id)
{
	uint64_t flags;
	uint32_t pin = 0;
	int err;

	if (irq >= ACPI_ISA_IRQS)
		return CAPOS_ERR_INVALID_ARGUMENT;	/* before interrupts go off: none to restore */
	ioapic_map_once();
	flags = arch_irq_save();
	spin_lock(&ioapic_lock);
	err = ioapic_probe_locked();
	if (!err) {
		pin = platform.isa_gsi[irq] - platform.ioapic_gsi_base;
		if (platform.isa_gsi[irq] < platform.ioapic_gsi_base || pin >= ioapic_entries)
			err = CAPOS_ERR_NOT_SUPPORTED;	/* served by another I/O APIC */
	}
	if (!err) {
		ioapic_write_locked(IOAPIC_REG_REDIR(pin) + 1, apic_id << 24);
		ioapic_write_locked(IOAPIC_REG_REDIR(pin), redir_low(vector, platform.isa_flags[irq]));
	}
	spin_unlock(&ioapic_lock);
	arch_irq_restore(flags);
	return err;
}

/* pin of the I/O APIC for gsi: 0 and *pin, or NOT_SUPPORTED. Under ioapic_lock. */
static int gsi_pin_locked(uint32_t gsi, uint32_t *pin)
{
	int err = ioapic_probe_locked();

	if (err)
		return err;
	if (gsi < platform.ioapic_gsi_base || gsi - platform.ioapic_gsi_base >= ioapic_entries)
		return CAPOS_ERR_NOT_SUPPORTED;	/* served by another I/O APIC */
	*pin = gsi - platform.ioapic_gsi_base;
	return 0;
}

int ioapic_route_gsi(uint32_t gsi, unsigned vector, uint32_t apic_id, bool level,
		     bool active_low)
{
	uint64_t flags = arch_irq_save();
	uint32_t pin = 0, low = (vector & 0xff) | REDIR_MASKED;
	int err;

	if (level)
		low |= REDIR_LEVEL;
	if (active_low)
		low |= REDIR_ACTIVE_LOW;
	ioapic_map_once();
	spin_lock(&ioapic_lock);
	err = gsi_pin_locked(gsi, &pin);
	/* An entry in use for another vector (COM1's IRQ4) is not taken over. */
	if (!err && !(ioapic_read_locked(IOAPIC_REG_REDIR(pin)) & REDIR_MASKED))
		err = CAPOS_ERR_NOT_SUPPORTED;
	if (!err) {
		ioapic_write_locked(IOAPIC_REG_REDIR(pin), REDIR_MASKED);
		ioapic_write_locked(IOAPIC_REG_REDIR(pin) + 1, apic_id << 24);
		ioapic_write_locked(IOAPIC_REG_REDIR(pin), low);
	}
	spin_unlock(&ioapic_lock);
	arch_irq_restore(flags);
	return err;
}

void ioapic_mask_gsi(uint32_t gsi, bool masked)
{
	uint64_t flags = arch_irq_save();
	uint32_t pin = 0, low;

	ioapic_map_once();
	spin_lock(&ioapic_lock);
	if (gsi_pin_locked(gsi, &pin) == 0) {
		low = ioapic_read_locked(IOAPIC_REG_REDIR(pin));
		low = masked ? low | REDIR_MASKED : low & ~REDIR_MASKED;
		ioapic_write_locked(IOAPIC_REG_REDIR(pin), low);
	}
	spin_unlock(&ioapic_lock);
	arch_irq_restore(flags);
}

void ioapic_isa_line(unsigned irq, uint32_t *gsi, uint16_t *flags)
{
	*gsi = platform.isa_gsi[irq];
	*flags = platform.isa_flags[irq];
}

/*
 * acpi_map_fn over the direct map: only memory inside the boot memory map
 * (any type; paging_init maps each region rounded out to 2 MiB) is read.
 */
static const void *acpi_map_direct(uint64_t pa, uint32_t len, void *ctx)
{
	const struct boot_info *bi = ctx;

	if (pa > DIRECT_MAP_MAX || len > DIRECT_MAP_MAX - pa)
		return NULL;
	for (size_t i = 0; i < bi->mem_count; i++) {
		uint64_t base = bi->mem[i].base & ~(SIZE_2M - 1);
		uint64_t end = bi->mem[i].base + bi->mem[i].len;

		if (end < bi->mem[i].base)
			continue;	/* wraps: not a region we mapped */
		end = (end + SIZE_2M - 1) & ~(SIZE_2M - 1);
		if (pa >= base && pa + len <= end)
			return arch_phys_to_virt(pa);
	}
	return NULL;
}

/* The RSDP in a BIOS area [pa, pa + len), or NULL. */
static const uint8_t *rsdp_scan(const struct boot_info *bi, uint64_t pa, uint32_t len)
{
	const uint8_t *area = acpi_map_direct(pa, len, (void *)bi);
	long off = area ? acpi_find_rsdp(area, len) : -1;

	return off < 0 ? NULL : area + off;
}

void ioapic_discover(const struct boot_info *bi)
{
	const uint8_t *rsdp = NULL, *seg;
	uint32_t rsdp_len = 36;

	if (bi->has_rsdp) {
		rsdp = bi->rsdp;
		rsdp_len = bi->rsdp_len;
	} else {
		seg = acpi_map_direct(BIOS_EBDA_SEG_PTR, 2, (void *)bi);
		if (seg)
			rsdp = rsdp_scan(bi, (uint64_t)(seg[0] | seg[1] << 8) << 4, BIOS_EBDA_SCAN);
		if (!rsdp)
			rsdp = rsdp_scan(bi, BIOS_AREA, BIOS_AREA_LEN);
	}
	if (rsdp) {
		(void)acpi_find_mcfg(rsdp, rsdp_len, acpi_map_direct, (void *)bi, &platform_mcfg);
		(void)acpi_find_cpus(rsdp, rsdp_len, acpi_map_direct, (void *)bi, &platform_cpus);
	}
	from_madt = rsdp && acpi_find_irq_info(rsdp, rsdp_len, acpi_map_direct, (void *)bi,
					       &platform) == 0;
	if (from_madt) {
		klog("acpi: MADT: I/O APIC at 0x%llx, GSI base %u, ISA IRQ4 is GSI %u (RSDP from %s)\n",
		     (unsigned long long)platform.ioapic_phys, platform.ioapic_gsi_base,
		     platform.isa_gsi[4], bi->has_rsdp ? "the boot loader" : "the BIOS area");
		return;
	}
	klog("acpi: %s: the I/O APIC's standard address\n",
	     rsdp ? "no usable MADT" : "no RSDP");
	platform.ioapic_phys = IOAPIC_PHYS_DEFAULT;
	platform.ioapic_gsi_base = 0;
	for (uint32_t i = 0; i < ACPI_ISA_IRQS; i++) {
		platform.isa_gsi[i] = i;	/* identity, bus defaults */
		platform.isa_flags[i] = 0;
	}
}

const struct acpi_cpus *acpi_platform_cpus(void)
{
	return &platform_cpus;
}

bool acpi_platform_mcfg(struct acpi_mcfg *out)
{
	*out = platform_mcfg;
	return out->ecam_phys != 0;
}
