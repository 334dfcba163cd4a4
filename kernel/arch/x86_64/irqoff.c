// SPDX-License-Identifier: MIT
/*
 * Each CPU's interrupts-off windows, measured in debug builds (irqoff.h,
 * docs/preemption.md). A window is measured with the cycle counter, which
 * under QEMU -icount shift=0 counts guest instructions, so a scenario that
 * runs that way measures the same figure at every run.
 *
 * What it cannot see: the few instructions between the syscall instruction
 * and the entry stub's sti, and between its cli and sysret (entry.S; a
 * constant dozen each), and interrupts-off time before a CPU first turned
 * them on (boot, AP start-up). NMI, double fault and machine check are not
 * hooked: they may arrive in the middle of the bookkeeping.
 */
#include "arch/arch.h"
#include "arch/x86_64/irqoff.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/x86.h"
#include "lib/irqoff_stat.h"
#include "lib/kprintf.h"
#include "lib/ksym.h"
#include "fmt/fmt.h"

#ifdef CAPOS_DEBUG

static struct irqoff_stat irqoff_cpus[MAX_CPUS];

void irqoff_opened(uint64_t site)
{
	irqoff_stat_open(&irqoff_cpus[this_cpu()->id], rdtsc(), site);
}

void irqoff_closed(uint64_t end)
{
	irqoff_stat_close(&irqoff_cpus[this_cpu()->id], rdtsc(), end);
}

/* "name+0xoff", "exception N" or the bare address. */
static void site_name(char *buf, size_t size, uint64_t site)
{
	const char *name;
	uint64_t off;

	if (site >= IRQOFF_SITE_EXCEPTION(0) && site < IRQOFF_SITE_EXCEPTION(32))
		fmt_snprintf(buf, size, "exception %llu",
			     (unsigned long long)(site - IRQOFF_SITE_EXCEPTION(0)));
	else if (ksym_lookup(site, &name, &off))
		fmt_snprintf(buf, size, "%s+0x%llx", name, (unsigned long long)off);
	else
		fmt_snprintf(buf, size, "0x%llx", (unsigned long long)site);
}

static void print_window(uint32_t cpu, const char *what, uint64_t len, uint64_t site,
			 uint64_t end)
{
	char from[80], to[80];

	site_name(from, sizeof(from), site);
	site_name(to, sizeof(to), end);
	kprintf("irqoff: cpu %u %s %llu cycles, off at %s, on at %s\n", cpu, what,
		(unsigned long long)len, from, to);
}

/* The per-place entries, longest first (IRQOFF_TOP of them: a selection sort is plenty). */
static void print_top(uint32_t cpu, const struct irqoff_stat *s)
{
	bool shown[IRQOFF_TOP] = { false };

	for (unsigned n = 0; n < IRQOFF_TOP; n++) {
		int best = -1;

		for (unsigned i = 0; i < IRQOFF_TOP; i++)
			if (s->top[i].site && !shown[i] &&
			    (best < 0 || s->top[i].len > s->top[best].len))
				best = (int)i;
		if (best < 0)
			return;
		shown[best] = true;
		print_window(cpu, "top", s->top[best].len, s->top[best].site, s->top[best].end);
	}
}

/*
 * Reads the other CPUs' records without stopping them: a window they close
 * meanwhile may or may not be counted, which a report at a test's end can
 * live with.
 */
bool arch_irqoff_report(uint64_t limit)
{
	bool within = true;

	for (uint32_t id = 0; id < smp_cpu_count(); id++) {
		const struct irqoff_stat *s = &irqoff_cpus[id];

		kprintf("irqoff: cpu %u: %llu windows\n", id, (unsigned long long)s->windows);
		print_window(id, "longest", s->max, s->max_site, s->max_end);
		print_top(id, s);
		if (limit && s->max > limit) {
			kprintf("irqoff: FAIL cpu %u kept interrupts off %llu cycles, over the limit %llu\n",
				id, (unsigned long long)s->max, (unsigned long long)limit);
			within = false;
		}
	}
	return within;
}

#else

bool arch_irqoff_report(uint64_t limit)
{
	(void)limit;
	return true;
}

#endif
