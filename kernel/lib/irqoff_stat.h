/* SPDX-License-Identifier: MIT */
/*
 * The bookkeeping of one CPU's interrupts-off windows (docs/preemption.md):
 * a window opens when interrupts go off (the cycle count and the place that
 * turned them off) and closes when they come back on; the longest closed
 * window is kept with where it opened and where it closed, and so is the
 * longest window of each of the IRQOFF_TOP places that opened the longest
 * ones (the report lists them). Pure (the caller passes the clock and the
 * places), so the host tests run it as it is.
 *
 * One CPU owns its record and touches it only with interrupts off, so it
 * needs no lock. An open on an open window, or a close on a closed one, does
 * nothing: interrupts went off before the instrument saw them (boot, the
 * system call entry) or a path turns them off twice.
 */
#ifndef CAPOS_KERNEL_LIB_IRQOFF_STAT_H
#define CAPOS_KERNEL_LIB_IRQOFF_STAT_H

#include <stdbool.h>
#include <stdint.h>

#define IRQOFF_TOP 8

/* The longest window opened at one place. */
struct irqoff_site_max {
	uint64_t site;		/* where it began (never 0); 0: an unused entry */
	uint64_t end;		/* where it ended */
	uint64_t len;		/* its length in cycles */
};

struct irqoff_stat {
	uint64_t since;		/* cycle count when the open window began; 0: none open */
	uint64_t site;		/* where the open window began */
	uint64_t max;		/* the longest closed window, in cycles */
	uint64_t max_site;	/* where it began */
	uint64_t max_end;	/* where it ended */
	uint64_t windows;	/* windows closed */
	struct irqoff_site_max top[IRQOFF_TOP];	/* per opening place, unordered */
};

static inline bool irqoff_stat_is_open(const struct irqoff_stat *s)
{
	return s->since != 0;
}

static inline void irqoff_stat_open(struct irqoff_stat *s, uint64_t now, uint64_t site)
{
	if (irqoff_stat_is_open(s))
		return;
	s->since = now ? now : 1;	/* 0 means "none open" */
	s->site = site;
}

/*
 * Keeps len as the longest window of `site`: in its entry if it has one,
 * else in place of the shortest entry if len is longer (an unused entry is
 * the shortest of all).
 */
static inline void irqoff_stat_rank(struct irqoff_stat *s, uint64_t site, uint64_t end,
				    uint64_t len)
{
	struct irqoff_site_max *victim = &s->top[0];

	for (unsigned i = 0; i < IRQOFF_TOP; i++) {
		struct irqoff_site_max *e = &s->top[i];

		if (e->site == site) {
			if (len > e->len)
				*e = (struct irqoff_site_max){ .site = site, .end = end, .len = len };
			return;
		}
		/* An unused entry beats any used one; among used ones the shortest. */
		if (victim->site && (!e->site || e->len < victim->len))
			victim = e;
	}
	if (!victim->site || len > victim->len)
		*victim = (struct irqoff_site_max){ .site = site, .end = end, .len = len };
}

static inline void irqoff_stat_close(struct irqoff_stat *s, uint64_t now, uint64_t end)
{
	if (!irqoff_stat_is_open(s))
		return;
	uint64_t len = now > s->since ? now - s->since : 0;

	s->windows++;
	irqoff_stat_rank(s, s->site, end, len);
	if (len > s->max) {
		s->max = len;
		s->max_site = s->site;
		s->max_end = end;
	}
	s->since = 0;
}

/* Forgets the longest window (a new measurement starts); an open window stays open. */
static inline void irqoff_stat_reset(struct irqoff_stat *s)
{
	s->max = 0;
	s->max_site = 0;
	s->max_end = 0;
	s->windows = 0;
	for (unsigned i = 0; i < IRQOFF_TOP; i++)
		s->top[i] = (struct irqoff_site_max){ 0 };
}

#endif
