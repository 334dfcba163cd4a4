// SPDX-License-Identifier: MIT
/*
 * ACPI table walk for the I/O APIC and the CPUs (acpi.h). ACPI 6.5: RSDP 5.2.5 (20
 * bytes, checksummed; revision >= 2 adds a 36-byte extended part with
 * the XSDT address), system description table header 5.2.6 (36 bytes:
 * signature, length, revision, checksum over the whole table), MADT
 * 5.2.12 (header, 8 more bytes, then entries of type and length: processor
 * local APIC type 0, 8 bytes: UID, APIC id, flags; I/O APIC type 1, 12
 * bytes; interrupt source override type 2, 10 bytes; processor local x2APIC
 * type 9, 16 bytes: 2 reserved, x2APIC id, flags, UID). PCI
 * Firmware 3.0, 4.1.2: MCFG (header, 8 reserved bytes, then 16-byte
 * allocations: ECAM base, segment, start and end bus).
 * Fields are read byte by byte (tables need not be aligned).
 */
#include "boot/acpi.h"

#define SDT_HEADER_LEN 36u
#define MADT_ENTRIES_OFF 44u
#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_ISO 2
#define MADT_X2APIC 9
#define MADT_CPU_ENABLED 0x1u
#define MADT_CPU_ONLINE_CAPABLE 0x2u
#define MCFG_ENTRIES_OFF 44u	/* header, 8 reserved bytes */
#define MCFG_ENTRY_LEN 16u	/* base 8, segment 2, start bus 1, end bus 1, reserved 4 */

static uint32_t rd16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t rd32(const uint8_t *p)
{
	return rd16(p) | rd16(p + 2) << 16;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static bool sums_to_zero(const uint8_t *p, uint32_t len)
{
	uint8_t sum = 0;

	for (uint32_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

static bool rsdp_is_valid(const uint8_t *p, size_t len)
{
	return len >= 20 && __builtin_memcmp(p, "RSD PTR ", 8) == 0 && sums_to_zero(p, 20);
}

long acpi_find_rsdp(const uint8_t *area, size_t len)
{
	for (size_t off = 0; off + 20 <= len; off += 16)
		if (rsdp_is_valid(area + off, len - off))
			return (long)off;
	return -1;
}

/* The whole table at pa if its signature is sig, its length sane and its checksum right. */
static const uint8_t *map_table(uint64_t pa, const char *sig, acpi_map_fn map, void *ctx,
				uint32_t *len)
{
	const uint8_t *h = map(pa, SDT_HEADER_LEN, ctx);

	if (!h || __builtin_memcmp(h, sig, 4) != 0)
		return NULL;
	*len = rd32(h + 4);
	if (*len < SDT_HEADER_LEN || *len > ACPI_TABLE_MAX)
		return NULL;
	h = map(pa, *len, ctx);
	return h && sums_to_zero(h, *len) ? h : NULL;
}

static void irq_info_reset(struct acpi_irq_info *out)
{
	out->ioapic_phys = 0;
	out->ioapic_gsi_base = 0;
	for (uint32_t i = 0; i < ACPI_ISA_IRQS; i++) {
		out->isa_gsi[i] = i;
		out->isa_flags[i] = 0;
	}
}

/* One MADT entry e[0..len). found: an I/O APIC was already taken. */
static void madt_entry(const uint8_t *e, uint32_t len, struct acpi_irq_info *out, bool *found)
{
	if (e[0] == MADT_IOAPIC && len >= 12) {
		/* The first one, unless a later one serves GSI 0 (the ISA lines). */
		if (!*found || (rd32(e + 8) == 0 && out->ioapic_gsi_base != 0)) {
			out->ioapic_phys = rd32(e + 4);
			out->ioapic_gsi_base = rd32(e + 8);
			*found = true;
		}
	} else if (e[0] == MADT_ISO && len >= 10 && e[2] == 0 && e[3] < ACPI_ISA_IRQS) {
		out->isa_gsi[e[3]] = rd32(e + 4);
		out->isa_flags[e[3]] = (uint16_t)rd16(e + 8);
	}
}

/* Calls visit for each whole entry of the MADT m[0..len); a malformed entry ends the walk. */
static void madt_walk(const uint8_t *m, uint32_t len,
		      void (*visit)(const uint8_t *e, uint32_t elen, void *ctx), void *ctx)
{
	uint32_t off = MADT_ENTRIES_OFF;

	while (off + 2 <= len) {
		uint32_t elen = m[off + 1];

		if (elen < 2 || elen > len - off)
			break;	/* malformed: keep what came before it */
		visit(m + off, elen, ctx);
		off += elen;
	}
}

struct irq_walk {
	struct acpi_irq_info *out;
	bool found;
};

static void irq_visit(const uint8_t *e, uint32_t elen, void *ctx)
{
	struct irq_walk *w = ctx;

	madt_entry(e, elen, w->out, &w->found);
}

static int madt_parse(const uint8_t *m, uint32_t len, struct acpi_irq_info *out)
{
	struct irq_walk w = { out, false };

	madt_walk(m, len, irq_visit, &w);
	return w.found ? 0 : -1;
}

/* Adds one processor entry's APIC id unless it is disabled, a duplicate or one too many. */
static void cpu_add(struct acpi_cpus *out, uint32_t apic_id, uint32_t flags)
{
	if (!(flags & MADT_CPU_ENABLED)) {
		if (flags & MADT_CPU_ONLINE_CAPABLE)
			out->hotplug++;	/* may be added later: not started at boot */
		return;
	}
	for (uint32_t i = 0; i < out->count; i++)
		if (out->apic_id[i] == apic_id)
			return;	/* listed as both a local APIC and an x2APIC */
	if (out->count == ACPI_MAX_CPUS) {
		out->dropped++;
		return;
	}
	out->apic_id[out->count++] = apic_id;
}

static void cpu_visit(const uint8_t *e, uint32_t elen, void *ctx)
{
	if (e[0] == MADT_LAPIC && elen >= 8)
		cpu_add(ctx, e[3], rd32(e + 4));
	else if (e[0] == MADT_X2APIC && elen >= 16)
		cpu_add(ctx, rd32(e + 4), rd32(e + 8));
}

/* The address of the idx-th table the RSDT (4-byte entries) or XSDT (8) lists. */
static uint64_t sdt_entry(const uint8_t *sdt, uint32_t width, uint32_t idx)
{
	const uint8_t *p = sdt + SDT_HEADER_LEN + idx * width;

	return width == 8 ? rd64(p) : rd32(p);
}

/*
 * The root table (XSDT when the RSDP has revision >= 2 and an XSDT address,
 * else RSDT): its pointer, length and entry width; NULL if unusable.
 */
static const uint8_t *root_table(const uint8_t *rsdp, uint32_t rsdp_len, acpi_map_fn map,
				 void *ctx, uint32_t *len, uint32_t *width)
{
	if (!rsdp_is_valid(rsdp, rsdp_len))
		return NULL;
	if (rsdp[15] >= 2 && rsdp_len >= 36 && sums_to_zero(rsdp, 36) && rd64(rsdp + 24)) {
		*width = 8;
		return map_table(rd64(rsdp + 24), "XSDT", map, ctx, len);
	}
	*width = 4;
	return map_table(rd32(rsdp + 16), "RSDT", map, ctx, len);
}

/* The first table the root lists with signature sig (checked whole), or NULL. */
static const uint8_t *find_table(const uint8_t *rsdp, uint32_t rsdp_len, const char *sig,
				 acpi_map_fn map, void *ctx, uint32_t *len)
{
	uint32_t rlen, width, n;
	const uint8_t *sdt = root_table(rsdp, rsdp_len, map, ctx, &rlen, &width);

	if (!sdt)
		return NULL;
	n = (rlen - SDT_HEADER_LEN) / width;
	for (uint32_t i = 0; i < n && i < ACPI_SDT_ENTRIES_MAX; i++) {
		const uint8_t *t = map_table(sdt_entry(sdt, width, i), sig, map, ctx, len);

		if (t)
			return t;
	}
	return NULL;
}

int acpi_find_irq_info(const uint8_t *rsdp, uint32_t rsdp_len, acpi_map_fn map, void *ctx,
		       struct acpi_irq_info *out)
{
	uint32_t mlen;
	const uint8_t *madt;

	irq_info_reset(out);
	madt = find_table(rsdp, rsdp_len, "APIC", map, ctx, &mlen);
	if (madt && mlen >= MADT_ENTRIES_OFF && madt_parse(madt, mlen, out) == 0)
		return 0;
	irq_info_reset(out);
	return -1;
}

int acpi_find_cpus(const uint8_t *rsdp, uint32_t rsdp_len, acpi_map_fn map, void *ctx,
		   struct acpi_cpus *out)
{
	uint32_t mlen;
	const uint8_t *madt = find_table(rsdp, rsdp_len, "APIC", map, ctx, &mlen);

	out->count = out->hotplug = out->dropped = 0;
	if (!madt || mlen < MADT_ENTRIES_OFF)
		return -1;
	madt_walk(madt, mlen, cpu_visit, out);
	return out->count ? 0 : -1;
}

int acpi_find_mcfg(const uint8_t *rsdp, uint32_t rsdp_len, acpi_map_fn map, void *ctx,
		   struct acpi_mcfg *out)
{
	uint32_t len;
	const uint8_t *m = find_table(rsdp, rsdp_len, "MCFG", map, ctx, &len);

	out->ecam_phys = 0;
	out->bus_start = out->bus_end = 0;
	if (!m)
		return -1;
	for (uint32_t off = MCFG_ENTRIES_OFF; off + MCFG_ENTRY_LEN <= len; off += MCFG_ENTRY_LEN) {
		uint64_t base = rd64(m + off);
		uint8_t start = m[off + 10], end = m[off + 11];

		/* Segment 0 only; a window must be page aligned and name its buses in order. */
		if (rd16(m + off + 8) != 0 || !base || (base & 0xfff) || start > end)
			continue;
		out->ecam_phys = base;
		out->bus_start = start;
		out->bus_end = end;
		return 0;
	}
	return -1;
}
