/* SPDX-License-Identifier: MIT */
/*
 * Finding the I/O APIC and the ISA interrupt overrides in the ACPI tables
 * (RSDP -> RSDT or XSDT -> MADT, signature "APIC"), the CPUs the MADT
 * lists, and PCI's ECAM
 * window (the MCFG). Pure: tables are read
 * through the caller's map function, which returns NULL for memory it
 * cannot read, so a hostile or broken firmware table ends the search with
 * an error, never a fault. Every length is bounded and every table's
 * checksum checked before its contents are used. Host-tested
 * (tests/unit/boot/test_acpi.c); used by the I/O APIC (docs/terminal.md).
 */
#ifndef CAPOS_KERNEL_BOOT_ACPI_H
#define CAPOS_KERNEL_BOOT_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_TABLE_MAX (64u * 1024)	/* longest RSDT/XSDT/MADT we read */
#define ACPI_SDT_ENTRIES_MAX 256u	/* tables listed in the RSDT/XSDT we look at */
#define ACPI_ISA_IRQS 16
#define ACPI_MAX_CPUS 64	/* processors we keep (MAX_CPUS of the x86 per-CPU data) */

/* MADT interrupt source override flags (MPS INTI flags). */
#define ACPI_INTI_POLARITY_MASK	0x3u
#define ACPI_INTI_ACTIVE_LOW	0x3u
#define ACPI_INTI_TRIGGER_MASK	0xcu
#define ACPI_INTI_LEVEL		0xcu

struct acpi_irq_info {
	uint64_t ioapic_phys;		/* the I/O APIC that serves GSI 0 (or the first listed) */
	uint32_t ioapic_gsi_base;
	uint32_t isa_gsi[ACPI_ISA_IRQS];	/* ISA IRQ i arrives as GSI isa_gsi[i] */
	uint16_t isa_flags[ACPI_ISA_IRQS];	/* ACPI_INTI_* of ISA IRQ i (0: bus default) */
};

/* The ECAM window of PCI segment 0 (PCI Firmware 3.0 MCFG allocation). */
struct acpi_mcfg {
	uint64_t ecam_phys;	/* configuration space of bus_start, device 0, function 0 */
	uint8_t bus_start, bus_end;
};

/* The processors the MADT lists as enabled, in table order (the boot CPU is among them). */
struct acpi_cpus {
	uint32_t count;
	uint32_t apic_id[ACPI_MAX_CPUS];	/* local APIC or x2APIC id; no duplicates */
	uint32_t hotplug;	/* online-capable but not enabled: not started at boot */
	uint32_t dropped;	/* enabled beyond ACPI_MAX_CPUS */
};

/*
 * Returns a pointer to len readable bytes at physical address pa, or NULL;
 * a pointer stays valid for the whole search (the direct map's do).
 */
typedef const void *(*acpi_map_fn)(uint64_t pa, uint32_t len, void *ctx);

/*
 * Finds the RSDP ("RSD PTR ", checksummed) on a 16-byte boundary of
 * area[0..len). Returns its offset, or -1.
 */
long acpi_find_rsdp(const uint8_t *area, size_t len);

/*
 * From the RSDP rsdp[0..rsdp_len): the MADT's first I/O APIC (the one
 * with GSI base 0 if several) and the ISA overrides (identity and bus
 * defaults where none). Returns 0, or -1 if the RSDP, a table on the way,
 * or the MADT is missing, unreadable, malformed or fails its checksum,
 * or the MADT lists no I/O APIC; *out is then all identity, address 0.
 */
int acpi_find_irq_info(const uint8_t *rsdp, uint32_t rsdp_len, acpi_map_fn map, void *ctx,
		       struct acpi_irq_info *out);

/*
 * From the RSDP: the MADT's processor local APIC (type 0) and local x2APIC
 * (type 9) entries whose enabled flag is set; an entry that is only
 * online-capable is counted in hotplug, a disabled one ignored, an id
 * listed twice kept once. Returns 0, or -1 (count 0) when the RSDP, a
 * table on the way or the MADT is missing or bad, or no CPU is enabled.
 */
int acpi_find_cpus(const uint8_t *rsdp, uint32_t rsdp_len, acpi_map_fn map, void *ctx,
		   struct acpi_cpus *out);

/*
 * From the RSDP: the MCFG's first allocation for segment 0 whose base is
 * non-zero and page aligned and whose bus range is in order. Returns 0, or
 * -1 (and *out zero) when the RSDP, the root table or the MCFG is missing,
 * unreadable, too long or fails its checksum, or no allocation is usable:
 * the caller then uses configuration port I/O.
 */
int acpi_find_mcfg(const uint8_t *rsdp, uint32_t rsdp_len, acpi_map_fn map, void *ctx,
		   struct acpi_mcfg *out);

#endif
