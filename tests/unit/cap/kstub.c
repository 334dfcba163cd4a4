// SPDX-License-Identifier: MIT
/*
 * Host stand-ins for kmalloc/kfree and kernel output (kstub.h). They match
 * the prototypes of kernel/mm/kmalloc.h and kernel/lib/kprintf.h, which are
 * included so that the compiler checks the match.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "mm/kmalloc.h"
#include "kstub.h"

long kstub_kmalloc_fail_after = -1;
long kstub_kmalloc_live;
int kstub_quiet = 1;

/* Charges are what matters to the tests, not the real size classes: 16-byte rounding. */
size_t kmalloc_footprint(size_t size)
{
	return (size + 15) & ~(size_t)15;
}

void *kmalloc(size_t size)
{
	void *p;

	if (size == 0)
		return NULL;
	if (kstub_kmalloc_fail_after == 0)
		return NULL;
	if (kstub_kmalloc_fail_after > 0)
		kstub_kmalloc_fail_after--;
	p = malloc(size);
	if (p)
		kstub_kmalloc_live++;
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		__builtin_memset(p, 0, size);
	return p;
}

int kfree(void *p)
{
	if (p) {
		kstub_kmalloc_live--;
		free(p);
	}
	return 0;
}

static int kstub_vprint(const char *fmt, va_list ap)
{
	if (kstub_quiet)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kstub_vprint(fmt, ap);
	va_end(ap);
	return n;
}

int klog(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kstub_vprint(fmt, ap);
	va_end(ap);
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "panic: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

/* Each host thread plays one CPU. */
static _Thread_local uint32_t kstub_ipc_locks;

uint32_t *lockdep_ipc_count(void)
{
	return &kstub_ipc_locks;
}

/*
 * The lock-order check of lib/lockdep.c on a thread-local stack, so the host
 * tests of kernel code check the order too. Locks the tests make themselves
 * (SPINLOCK_INIT, spin_init: LOCK_RANK_NONE) are not tracked.
 */
#ifdef CAPOS_DEBUG
static _Thread_local struct lock_held_stack kstub_held;

struct lock_held_stack *lockdep_held_locks(void)
{
	return &kstub_held;
}

static void kstub_acquire(const struct spinlock *l, bool check)
{
	int conflict;

	if (l->rank == LOCK_RANK_NONE)
		return;
	conflict = check ? lock_order_conflict(&kstub_held, l, l->rank, l->key) : -1;
	if (conflict >= 0)
		panic("lockdep: %s lock (rank %u) taken inside %s lock (rank %u)",
		      lock_rank_info(l->rank).name, l->rank,
		      lock_rank_info(kstub_held.held[conflict].rank).name,
		      kstub_held.held[conflict].rank);
	if (!lock_held_push(&kstub_held, l, l->rank, l->key, 0))
		panic("lockdep: more than %d locks held", LOCK_HELD_MAX);
}

void lockdep_acquire(const struct spinlock *l)
{
	kstub_acquire(l, true);
}

void lockdep_acquired_try(const struct spinlock *l)
{
	kstub_acquire(l, false);
}

void lockdep_release(const struct spinlock *l)
{
	if (l->rank != LOCK_RANK_NONE && !lock_held_remove(&kstub_held, l))
		panic("lockdep: releasing a lock (rank %u) this thread does not hold", l->rank);
}

void lockdep_assert_switch(const struct spinlock *handed_over)
{
	(void)handed_over;
}
#endif
