// SPDX-License-Identifier: MIT
/*
 * CPU feature detection and the protections that depend on it. Every optional
 * feature is used only when CPUID reports it, so the kernel runs on QEMU's
 * default CPU model (no SMEP/SMAP) as well as on -cpu max.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/uaccess.h"
#include "arch/x86_64/x86.h"
#include "lib/kprintf.h"
#include "lib/string.h"

struct cpu_features cpu_features;

static bool bit(uint32_t reg, unsigned n)
{
	return (reg >> n) & 1;
}

void cpu_detect(void)
{
	uint32_t r[4], max_leaf, max_ext;
	struct cpu_features *f = &cpu_features;

	cpuid(0, 0, r);
	max_leaf = r[0];
	memcpy(f->vendor, &r[1], 4);
	memcpy(f->vendor + 4, &r[3], 4);
	memcpy(f->vendor + 8, &r[2], 4);
	f->vendor[12] = 0;

	cpuid(1, 0, r);
	f->pcid = bit(r[2], 17);
	f->x2apic = bit(r[2], 21);
	f->tsc_deadline = bit(r[2], 24);
	f->rdrand = bit(r[2], 30);
	if (max_leaf >= 7) {
		cpuid(7, 0, r);
		f->fsgsbase = bit(r[1], 0);
		f->smep = bit(r[1], 7);
		f->invpcid = bit(r[1], 10);
		f->rdseed = bit(r[1], 18);
		f->smap = bit(r[1], 20);
		f->umip = bit(r[2], 2);
	}
	cpuid(0x80000000, 0, r);
	max_ext = r[0];
	if (max_ext >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		f->nx = bit(r[3], 20);
		f->pages_1g = bit(r[3], 26);
		f->rdtscp = bit(r[3], 27);
	}
	if (max_ext >= 0x80000007) {
		cpuid(0x80000007, 0, r);
		f->invariant_tsc = bit(r[3], 8);
	}
}

void cpu_enable_protections(void)
{
	cpu_protect_this_cpu();
	if (cpu_features.smap)
		uaccess_smap = 1;	/* user copies bracket their accesses with stac/clac */
}

void cpu_protect_this_cpu(void)
{
	uint64_t cr4 = read_cr4();

	if (cpu_features.smep)
		cr4 |= CR4_SMEP;
	if (cpu_features.smap)
		cr4 |= CR4_SMAP;
	if (cpu_features.umip)
		cr4 |= CR4_UMIP;
	write_cr4(cr4);
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

void cpu_print_features(void)
{
	const struct cpu_features *f = &cpu_features;

	kprintf("cpu: %s nx=%s smep=%s smap=%s umip=%s pcid=%s x2apic=%s invariant-tsc=%s "
		"1g-pages=%s rdrand=%s rdseed=%s\n",
		f->vendor, yes_no(f->nx), yes_no(f->smep), yes_no(f->smap), yes_no(f->umip),
		yes_no(f->pcid), yes_no(f->x2apic), yes_no(f->invariant_tsc), yes_no(f->pages_1g),
		yes_no(f->rdrand), yes_no(f->rdseed));
}
