// SPDX-License-Identifier: MIT
/*
 * kernel/boot/acpi.c against hand-built tables in a fake physical memory:
 * the I/O APIC and ISA overrides found through the RSDT and the XSDT; bad
 * checksums, unreadable or oversized tables, malformed MADT entries and a
 * MADT without an I/O APIC refused or cut short, never read past; the
 * enabled CPUs (local APIC and x2APIC entries) listed once each.
 */
#include "boot/acpi.h"
#include "test.h"

#define MEM_SIZE 0x10000
#define RSDP_AT 0x100
#define RSDT_AT 0x1000
#define XSDT_AT 0x1800
#define FACP_AT 0x2000
#define MADT_AT 0x3000
#define MCFG_AT 0x4000

static uint8_t mem[MEM_SIZE];
static struct acpi_irq_info info;
static uint32_t madt_len;

static const void *map(uint64_t pa, uint32_t len, void *ctx)
{
	(void)ctx;
	return pa <= MEM_SIZE && len <= MEM_SIZE - pa ? mem + pa : NULL;
}

static void put32(uint32_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		mem[at + i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint32_t at, uint64_t v)
{
	put32(at, (uint32_t)v);
	put32(at + 4, (uint32_t)(v >> 32));
}

static void fix_sum(uint32_t at, uint32_t len, uint32_t sum_at)
{
	uint8_t s = 0;

	mem[sum_at] = 0;
	for (uint32_t i = 0; i < len; i++)
		s += mem[at + i];
	mem[sum_at] = (uint8_t)-s;
}

static void header(uint32_t at, const char *sig, uint32_t len)
{
	memcpy(mem + at, sig, 4);
	put32(at + 4, len);
}

static void seal(uint32_t at)
{
	uint32_t len = mem[at + 4] | mem[at + 5] << 8 | mem[at + 6] << 16 | mem[at + 7] << 24;

	fix_sum(at, len, at + 9);
}

static void madt_add(const uint8_t *e, uint32_t n)
{
	memcpy(mem + MADT_AT + madt_len, e, n);
	madt_len += n;
	header(MADT_AT, "APIC", madt_len);
	seal(MADT_AT);
}

/* RSDP (revision 0 or 2), RSDT and XSDT listing a FACP and the MADT; a MADT with two LAPICs. */
static void build(int revision)
{
	static const uint8_t lapic0[] = { 0, 8, 0, 0, 1, 0, 0, 0 }, lapic1[] = { 0, 8, 1, 1, 1, 0, 0, 0 };
	static const uint8_t ioapic[] = { 1, 12, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0 };
	static const uint8_t iso0[] = { 2, 10, 0, 0, 2, 0, 0, 0, 0, 0 };
	static const uint8_t iso9[] = { 2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0 };

	memset(mem, 0, sizeof(mem));
	memcpy(mem + RSDP_AT, "RSD PTR ", 8);
	mem[RSDP_AT + 15] = (uint8_t)revision;
	put32(RSDP_AT + 16, RSDT_AT);
	put32(RSDP_AT + 20, 36);
	put64(RSDP_AT + 24, XSDT_AT);
	fix_sum(RSDP_AT, 20, RSDP_AT + 8);
	fix_sum(RSDP_AT, 36, RSDP_AT + 32);
	header(FACP_AT, "FACP", 36);
	seal(FACP_AT);
	header(RSDT_AT, "RSDT", 36 + 8);
	put32(RSDT_AT + 36, FACP_AT);
	put32(RSDT_AT + 40, MADT_AT);
	seal(RSDT_AT);
	header(XSDT_AT, "XSDT", 36 + 16);
	put64(XSDT_AT + 36, FACP_AT);
	put64(XSDT_AT + 44, MADT_AT);
	seal(XSDT_AT);
	madt_len = 44;
	madt_add(lapic0, 8);
	madt_add(lapic1, 8);
	madt_add(ioapic, 12);
	madt_add(iso0, 10);
	madt_add(iso9, 10);
}

/* build(revision) plus an MCFG listed third, with one allocation (segment 0, buses 0..255). */
static void build_mcfg(int revision)
{
	build(revision);
	header(MCFG_AT, "MCFG", 44 + 16);
	put64(MCFG_AT + 44, 0xb0000000);
	mem[MCFG_AT + 44 + 10] = 0;
	mem[MCFG_AT + 44 + 11] = 255;
	seal(MCFG_AT);
	header(RSDT_AT, "RSDT", 36 + 12);
	put32(RSDT_AT + 44, MCFG_AT);
	seal(RSDT_AT);
	header(XSDT_AT, "XSDT", 36 + 24);
	put64(XSDT_AT + 52, MCFG_AT);
	seal(XSDT_AT);
}

static struct acpi_mcfg mcfg;

static int find_mcfg(void)
{
	return acpi_find_mcfg(mem + RSDP_AT, 36, map, NULL, &mcfg);
}

static int find(void)
{
	return acpi_find_irq_info(mem + RSDP_AT, 36, map, NULL, &info);
}

static bool identity(void)
{
	for (int i = 0; i < ACPI_ISA_IRQS; i++)
		if (info.isa_gsi[i] != (uint32_t)i || info.isa_flags[i])
			return false;
	return info.ioapic_phys == 0;
}

TEST(finds_the_ioapic_and_overrides_through_the_rsdt)
{
	build(0);
	CHECK_EQ(find(), 0);
	CHECK_EQ(info.ioapic_phys, 0xfec00000);
	CHECK_EQ(info.ioapic_gsi_base, 0);
	CHECK_EQ(info.isa_gsi[0], 2);
	CHECK_EQ(info.isa_gsi[4], 4);
	CHECK_EQ(info.isa_flags[4], 0);
	CHECK_EQ(info.isa_gsi[9], 9);
	CHECK_EQ(info.isa_flags[9] & ACPI_INTI_TRIGGER_MASK, ACPI_INTI_LEVEL);
}

TEST(revision_2_uses_the_xsdt)
{
	build(2);
	put32(RSDP_AT + 16, 0xdead0000);	/* a bad RSDT address: only the XSDT is read */
	fix_sum(RSDP_AT, 20, RSDP_AT + 8);
	fix_sum(RSDP_AT, 36, RSDP_AT + 32);
	CHECK_EQ(find(), 0);
	CHECK_EQ(info.ioapic_phys, 0xfec00000);
}

TEST(bad_checksums_are_refused)
{
	build(0);
	mem[MADT_AT + 50] ^= 1;
	CHECK_EQ(find(), -1);
	CHECK(identity());
	build(0);
	mem[RSDT_AT + 40] ^= 1;
	CHECK_EQ(find(), -1);
	build(0);
	mem[RSDP_AT + 16] ^= 1;
	CHECK_EQ(find(), -1);
}

TEST(unreadable_or_oversized_tables_are_refused)
{
	build(0);
	put32(RSDT_AT + 40, MEM_SIZE - 8);	/* the MADT's header runs off the memory */
	seal(RSDT_AT);
	CHECK_EQ(find(), -1);
	build(0);
	put32(MADT_AT + 4, ACPI_TABLE_MAX + 1);	/* refused by its length, before any sum */
	CHECK_EQ(find(), -1);
	build(0);
	put32(RSDT_AT + 4, 0xffffffff);	/* an RSDT longer than memory */
	CHECK_EQ(find(), -1);
}

TEST(malformed_entries_end_the_walk_without_reading_past)
{
	static const uint8_t zero_len[] = { 2, 0 }, long_entry[] = { 2, 200 };

	build(0);
	madt_add(zero_len, 2);	/* after the I/O APIC: what came before is kept */
	CHECK_EQ(find(), 0);
	CHECK_EQ(info.isa_gsi[0], 2);
	build(0);
	madt_len = 44;
	madt_add(long_entry, 2);	/* before any I/O APIC */
	CHECK_EQ(find(), -1);
	CHECK(identity());
}

TEST(a_madt_without_an_ioapic_is_refused)
{
	static const uint8_t iso4[] = { 2, 10, 0, 4, 20, 0, 0, 0, 3, 0 };

	build(0);
	madt_len = 44;
	madt_add(iso4, 10);
	CHECK_EQ(find(), -1);
	CHECK(identity());	/* the override of a table without an I/O APIC is not kept */
}

TEST(the_ioapic_serving_gsi_0_wins)
{
	static const uint8_t high[] = { 1, 12, 1, 0, 0, 0x10, 0xc0, 0xfe, 24, 0, 0, 0 };
	static const uint8_t low[] = { 1, 12, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0 };

	build(0);
	madt_len = 44;
	madt_add(high, 12);
	madt_add(low, 12);
	CHECK_EQ(find(), 0);
	CHECK_EQ(info.ioapic_phys, 0xfec00000);
	CHECK_EQ(info.ioapic_gsi_base, 0);
}

TEST(the_rsdp_is_found_only_on_16_byte_boundaries_with_its_checksum)
{
	build(0);
	CHECK_EQ(acpi_find_rsdp(mem, 0x200), RSDP_AT);
	CHECK_EQ(acpi_find_rsdp(mem + 8, 0x200), -1);
	mem[RSDP_AT + 19] ^= 1;
	CHECK_EQ(acpi_find_rsdp(mem, 0x200), -1);
	CHECK_EQ(acpi_find_rsdp(mem, 10), -1);
}

TEST(the_mcfg_gives_segment_0s_ecam_window)
{
	build_mcfg(0);
	CHECK_EQ(find_mcfg(), 0);
	CHECK_EQ(mcfg.ecam_phys, 0xb0000000);
	CHECK_EQ(mcfg.bus_start, 0);
	CHECK_EQ(mcfg.bus_end, 255);
	CHECK_EQ(find(), 0);	/* the MADT is still found with the MCFG listed */
	build_mcfg(2);
	CHECK_EQ(find_mcfg(), 0);
	CHECK_EQ(mcfg.ecam_phys, 0xb0000000);
}

TEST(no_mcfg_means_port_io)
{
	build(0);
	CHECK_EQ(find_mcfg(), -1);
	CHECK_EQ(mcfg.ecam_phys, 0);
}

TEST(a_bad_mcfg_is_refused)
{
	build_mcfg(0);
	mem[MCFG_AT + 50] ^= 1;		/* checksum */
	CHECK_EQ(find_mcfg(), -1);
	CHECK_EQ(mcfg.ecam_phys, 0);
	build_mcfg(0);
	put32(MCFG_AT + 4, 20);		/* shorter than a header */
	CHECK_EQ(find_mcfg(), -1);
	build_mcfg(0);
	put32(MCFG_AT + 4, MEM_SIZE);	/* runs off the readable memory */
	CHECK_EQ(find_mcfg(), -1);
	build_mcfg(0);
	put32(MCFG_AT + 4, 44 + 15);	/* the allocation is cut short: not read */
	seal(MCFG_AT);
	CHECK_EQ(find_mcfg(), -1);
	build_mcfg(0);
	put32(MCFG_AT + 4, 40);		/* not even the reserved bytes */
	seal(MCFG_AT);
	CHECK_EQ(find_mcfg(), -1);
}

TEST(unusable_mcfg_allocations_are_skipped)
{
	build_mcfg(0);
	mem[MCFG_AT + 44 + 8] = 1;	/* segment 1 */
	seal(MCFG_AT);
	CHECK_EQ(find_mcfg(), -1);
	build_mcfg(0);
	put64(MCFG_AT + 44, 0xb0000800);	/* not page aligned */
	seal(MCFG_AT);
	CHECK_EQ(find_mcfg(), -1);
	build_mcfg(0);
	mem[MCFG_AT + 44 + 10] = 9;	/* start bus after the end bus */
	mem[MCFG_AT + 44 + 11] = 3;
	seal(MCFG_AT);
	CHECK_EQ(find_mcfg(), -1);
	build_mcfg(0);			/* a second, good allocation after a bad one */
	put32(MCFG_AT + 4, 44 + 32);
	mem[MCFG_AT + 44 + 8] = 1;
	put64(MCFG_AT + 60, 0xe0000000);
	mem[MCFG_AT + 60 + 11] = 7;
	seal(MCFG_AT);
	CHECK_EQ(find_mcfg(), 0);
	CHECK_EQ(mcfg.ecam_phys, 0xe0000000);
	CHECK_EQ(mcfg.bus_end, 7);
}

static struct acpi_cpus cpus;

static int find_cpus(void)
{
	return acpi_find_cpus(mem + RSDP_AT, 36, map, NULL, &cpus);
}

TEST(the_madt_lists_the_enabled_local_apics)
{
	build(0);
	CHECK_EQ(find_cpus(), 0);
	CHECK_EQ(cpus.count, 2);
	CHECK_EQ(cpus.apic_id[0], 0);
	CHECK_EQ(cpus.apic_id[1], 1);
	CHECK_EQ(cpus.hotplug, 0);
	build(2);
	CHECK_EQ(find_cpus(), 0);	/* through the XSDT too */
	CHECK_EQ(cpus.count, 2);
}

TEST(x2apic_entries_count_and_duplicates_are_kept_once)
{
	/* type 9: reserved 2, x2APIC id 300, flags enabled, UID 7; then id 1 again as x2APIC */
	static const uint8_t x2[] = { 9, 16, 0, 0, 0x2c, 1, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0 };
	static const uint8_t x2dup[] = { 9, 16, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 8, 0, 0, 0 };
	static const uint8_t x2short[] = { 9, 12, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0 };

	build(0);
	madt_add(x2, 16);
	madt_add(x2dup, 16);
	madt_add(x2short, 12);	/* too short for an x2APIC entry: ignored */
	CHECK_EQ(find_cpus(), 0);
	CHECK_EQ(cpus.count, 3);
	CHECK_EQ(cpus.apic_id[2], 300);
}

TEST(disabled_and_online_capable_cpus_are_not_started)
{
	static const uint8_t off[] = { 0, 8, 2, 2, 0, 0, 0, 0 };
	static const uint8_t hot[] = { 0, 8, 3, 3, 2, 0, 0, 0 };
	static const uint8_t x2hot[] = { 9, 16, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0 };

	build(0);
	madt_add(off, 8);
	madt_add(hot, 8);
	madt_add(x2hot, 16);
	CHECK_EQ(find_cpus(), 0);
	CHECK_EQ(cpus.count, 2);
	CHECK_EQ(cpus.hotplug, 2);
}

TEST(cpus_beyond_the_limit_are_counted_not_kept)
{
	uint8_t e[] = { 0, 8, 0, 0, 1, 0, 0, 0 };

	build(0);
	madt_len = 44;
	for (unsigned i = 0; i < ACPI_MAX_CPUS + 3; i++) {
		e[2] = e[3] = (uint8_t)i;
		madt_add(e, 8);
	}
	CHECK_EQ(find_cpus(), 0);
	CHECK_EQ(cpus.count, ACPI_MAX_CPUS);
	CHECK_EQ(cpus.dropped, 3);
	CHECK_EQ(cpus.apic_id[ACPI_MAX_CPUS - 1], ACPI_MAX_CPUS - 1);
}

TEST(a_bad_madt_or_one_without_cpus_gives_none)
{
	static const uint8_t cut[] = { 0, 9 };

	build(0);
	mem[MADT_AT + 50] ^= 1;
	CHECK_EQ(find_cpus(), -1);
	CHECK_EQ(cpus.count, 0);
	build(0);
	madt_len = 44;
	madt_add(cut, 2);	/* an entry running off the table: the walk ends */
	CHECK_EQ(find_cpus(), -1);
	CHECK_EQ(cpus.count, 0);
}

int main(void)
{
	RUN(the_madt_lists_the_enabled_local_apics);
	RUN(x2apic_entries_count_and_duplicates_are_kept_once);
	RUN(disabled_and_online_capable_cpus_are_not_started);
	RUN(cpus_beyond_the_limit_are_counted_not_kept);
	RUN(a_bad_madt_or_one_without_cpus_gives_none);
	RUN(the_mcfg_gives_segment_0s_ecam_window);
	RUN(no_mcfg_means_port_io);
	RUN(a_bad_mcfg_is_refused);
	RUN(unusable_mcfg_allocations_are_skipped);
	RUN(finds_the_ioapic_and_overrides_through_the_rsdt);
	RUN(revision_2_uses_the_xsdt);
	RUN(bad_checksums_are_refused);
	RUN(unreadable_or_oversized_tables_are_refused);
	RUN(malformed_entries_end_the_walk_without_reading_past);
	RUN(a_madt_without_an_ioapic_is_refused);
	RUN(the_ioapic_serving_gsi_0_wins);
	RUN(the_rsdp_is_found_only_on_16_byte_boundaries_with_its_checksum);
	return test_failures ? 1 : 0;
}
