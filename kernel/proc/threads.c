// SPDX-License-Identifier: MIT
/*
 * The threads of a process (docs/threads.md): starting one (ThreadSpawner),
 * one leaving (thread exit, or stopped by its process's exit or kill), and
 * the window barrier over every thread's IPC peer.
 *
 * A thread owns ring slot i of its process while it lives: the ring's
 * frames are mapped at CAPOS_RING_VADDR + i * CAPOS_RING_STRIDE on the
 * slot's first use and stay until the process ends, so a later thread in
 * the same slot reuses them (ring_init zeroes them) and no user mapping is
 * ever taken away under a sibling. Its own IPC peer routes every completion
 * of what it submitted back to its ring; a thread that leaves kills its peer
 * first, so nothing is posted to a ring nobody owns.
 *
 * Locking: p->lock guards the thread list and the slot and count
 * reservations; a spawn reserves under it, builds without it, and links
 * the thread under it again unless the process started to exit meanwhile.
 * The scheduler lock (sched_restart) and the IPC peer locks (the barrier)
 * are taken inside p->lock, never the other way round.
 */
#include <capos/errors.h>
#include <capos/layout.h>

#include "capos.capnp.h"
#include "arch/arch.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/thread_arch.h"
#include "arch/x86_64/x86.h"
#include "ipc/fastpath.h"
#include "ipc/peer.h"
#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "mm/account.h"
#include "mm/frame.h"
#include "mm/kmalloc.h"
#include "mm/kstack.h"
#include "obj/thread_handle.h"
#include "proc/init.h"
#include "proc/park.h"
#include "proc/proc.h"
#include "proc/proc_internal.h"
#include "sched/sched.h"

#define RING_ORDER 2
#define RING_BYTES ((uint64_t)PAGE_SIZE << RING_ORDER)
#define THREAD_SMALL_OBJECTS_BYTES 2048	/* FPU area, peer, join record */

_Static_assert(PROC_THREADS_MAX <= 32, "ring_used is a 32-bit mask");
_Static_assert(PROC_THREADS_MAX <= CAPOS_RING_MAX, "every slot has its ring address");

/* What one thread beyond the first costs the kernel while it lives (its ring: ring_bytes). */
static uint64_t thread_kernel_bytes(void)
{
	return KSTACK_SIZE + kmalloc_footprint(sizeof(struct thread)) + THREAD_SMALL_OBJECTS_BYTES;
}

static uint64_t ring_vaddr(uint32_t slot)
{
	return CAPOS_RING_VADDR + (uint64_t)slot * CAPOS_RING_STRIDE;
}

void proc_thread_ipc_end(struct thread *t)
{
	struct proc *p = t->proc;
	uint32_t pending;

	ipc_fastpath_retire(&t->ring);
	pending = ipc_peer_kill(t->peer);	/* endpoints stop delivering to this thread */
	if (pending && t->tid == 0)	/* waits and sleeps: withdrawn, nothing posted (ipc/kcall.h) */
		klog("proc: %u (%s) exited with %u calls pending on kernel objects: withdrawn\n",
		     p->pid, p->name, pending);
	else if (pending)
		klog("proc: %u (%s) thread %u exited with %u calls pending on kernel objects: withdrawn\n",
		     p->pid, p->name, t->tid, pending);
	ipc_peer_put(t->peer);
	t->peer = NULL;
}

void proc_ipc_barrier(struct proc *p)
{
	spin_lock(&p->lock);
	for (struct thread *t = p->threads; t; t = t->sibling) {
		spin_lock(&t->peer->lock);
		spin_unlock(&t->peer->lock);
	}
	spin_unlock(&p->lock);
}

/* Where a stopped thread restarts (proc_stop_threads_locked). */
static _Noreturn void thread_leave_killed(void)
{
	proc_thread_leave(sched_current(), capos_ThreadHandle_exitKilled);
}

void proc_stop_threads_locked(struct proc *p, struct thread *skip)
{
	assert_held(&p->lock);
	for (struct thread *t = p->threads; t; t = t->sibling)
		if (t != skip)
			(void)sched_restart(t, thread_leave_killed);
}

static void unlink_locked(struct proc *p, struct thread *t)
{
	assert_held(&p->lock);
	for (struct thread **pp = &p->threads; *pp; pp = &(*pp)->sibling) {
		if (*pp == t) {
			*pp = t->sibling;
			t->sibling = NULL;
			return;
		}
	}
}

void proc_thread_leave(struct thread *t, int64_t value)
{
	struct proc *p = t->proc;
	bool last;

	init_thread_leaving();	/* the leak check waits for it (init_check_reaped) */
	park_cancel(t);
	proc_thread_ipc_end(t);
	if (t->handle) {
		thread_handle_exited(t->handle, value);
		kobj_put(&t->handle->obj);
		t->handle = NULL;
	}
	write_cr3(paging_kernel_root());	/* leave the address space: the last out destroys it */
	this_cpu()->user_root = 0;		/* no longer resident here: no shootdown needed */
	t->page_root = 0;
	if (t->kmem_bytes)
		mem_account_uncharge_kmem(p->kmem, t->kmem_bytes);
	spin_lock(&p->lock);
	unlink_locked(p, t);
	p->ring_used &= ~(1u << t->ring_slot);
	last = --p->nthreads == 0;
	spin_unlock(&p->lock);
	if (last)
		proc_end(p);
	t->proc = NULL;	/* p may be gone from here on */
	arch_thread_fpu_free(t);
	sched_exit_current();
}

/* Takes a ring slot and a count for a new thread, under p->lock. */
static int reserve_slot(struct proc *p, uint32_t *slot, uint32_t *tid)
{
	int err = 0;

	spin_lock(&p->lock);
	if (p->exiting)
		err = CAPOS_ERR_DISCONNECTED;
	else if (p->nthreads >= PROC_THREADS_MAX)
		err = CAPOS_ERR_QUOTA_EXCEEDED;
	if (!err) {
		*slot = (uint32_t)__builtin_ctz(~p->ring_used);
		p->ring_used |= 1u << *slot;
		p->nthreads++;
		*tid = p->next_tid++;
	}
	spin_unlock(&p->lock);
	return err;
}

static void unreserve_slot(struct proc *p, uint32_t slot)
{
	spin_lock(&p->lock);
	p->ring_used &= ~(1u << slot);
	p->nthreads--;
	spin_unlock(&p->lock);
}

/*
 * The ring frames of slot `slot` (reserved by the caller), mapped on first
 * use and charged to p->kmem until the process ends.
 */
static int slot_ring(struct proc *p, uint32_t slot, paddr_t *pa)
{
	if (p->ring_pa[slot]) {
		*pa = p->ring_pa[slot];
		return 0;
	}
	int err = mem_account_charge_kmem(p->kmem, RING_BYTES);
	if (err)
		return err;
	if (frame_alloc(RING_ORDER, FRAME_OWNER_PROC_BASE + p->pid, pa) != 0) {
		mem_account_uncharge_kmem(p->kmem, RING_BYTES);
		return CAPOS_ERR_NO_MEMORY;
	}
	err = as_map_borrowed(&p->as, ring_vaddr(slot), *pa, 1u << RING_ORDER,
			      AS_PROT_READ | AS_PROT_WRITE);
	if (err) {
		frame_release(*pa, RING_ORDER);
		mem_account_uncharge_kmem(p->kmem, RING_BYTES);
		return err;
	}
	p->ring_pa[slot] = *pa;
	__atomic_fetch_add(&p->ring_bytes, RING_BYTES, __ATOMIC_RELAXED);
	return 0;
}

static void thread_free_parts(struct thread *t)
{
	if (t->peer)
		ipc_peer_put(t->peer);
	if (t->handle)
		kobj_put(&t->handle->obj);
	if (t->kstack_top)
		kstack_free(t->kstack_top);
	arch_thread_fpu_free(t);
	(void)kfree(t);
}

/* A thread of p with its stack, FPU area, peer and join record; NULL if out of memory. */
static struct thread *thread_alloc(struct proc *p)
{
	struct thread *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	if (arch_thread_fpu_alloc(t) != 0 || !(t->kstack_top = kstack_alloc()) ||
	    !(t->handle = thread_handle_create()) ||
	    !(t->peer = ipc_peer_create(&t->ring, &p->as, &p->caps))) {
		thread_free_parts(t);
		return NULL;
	}
	return t;
}

/* Builds the thread for a reserved slot; on failure nothing of it is left (the slot stays reserved). */
static int thread_build(struct proc *p, const struct thread_start *st, uint32_t slot, uint32_t tid,
			struct thread **out)
{
	uint64_t bytes = thread_kernel_bytes();
	paddr_t ring_pa;
	int err = mem_account_charge_kmem(p->kmem, bytes);

	if (err)
		return err;
	struct thread *t = thread_alloc(p);
	err = t ? slot_ring(p, slot, &ring_pa) : CAPOS_ERR_NO_MEMORY;
	if (err) {
		if (t)
			thread_free_parts(t);
		mem_account_uncharge_kmem(p->kmem, bytes);
		return err;
	}
	ring_init(&t->ring, arch_phys_to_virt(ring_pa), slot, tid);
	t->proc = p;
	t->tid = tid;
	t->ring_slot = slot;
	t->kmem_bytes = bytes;
	t->caller = (struct ring_caller){ .caps = &p->caps, .as = &p->as, .proc = p,
					  .claim = &t->claim, .kmem = p->kmem, .peer = t->peer };
	arch_thread_init_user(t, st->entry, st->stack, ring_vaddr(slot), tid, st->arg);
	t->fs_base = st->tp;
	t->page_root = p->as.root;
	*out = t;
	return 0;
}

int proc_thread_spawn(struct proc *p, const struct thread_start *st, struct thread_handle **handle,
		      uint32_t *tid)
{
	struct thread *t;
	uint32_t slot;
	bool exiting;
	int err = reserve_slot(p, &slot, tid);

	if (err)
		return err;
	err = thread_build(p, st, slot, *tid, &t);
	if (err) {
		unreserve_slot(p, slot);
		return err;
	}
	spin_lock(&p->lock);
	exiting = p->exiting;	/* its exit stops only the threads it finds listed */
	if (!exiting) {
		t->sibling = p->threads;
		p->threads = t;
	}
	spin_unlock(&p->lock);
	if (exiting) {
		mem_account_uncharge_kmem(p->kmem, t->kmem_bytes);
		thread_free_parts(t);
		unreserve_slot(p, slot);
		return CAPOS_ERR_DISCONNECTED;
	}
	kobj_get(&t->handle->obj);
	*handle = t->handle;
	sched_add(t);
	return 0;
}
