// SPDX-License-Identifier: MIT
/*
 * PARK and UNPARK (include/capos/ring.h, docs/ring.md "Park and unpark"):
 * the futex contract of the original capOS §15 on a 32-bit word in the
 * caller's memory. A parked thread is on one list of a small hash table,
 * keyed by (address space, address), so threads of different processes
 * never meet, whatever addresses they use. Each list has its own lock, so
 * processes that share nothing share no lock either (two of them may only
 * hash to the same bucket). The word is read under its bucket's lock,
 * which every UNPARK of it also takes before it looks for waiters: a
 * thread that found the expected value is on the list before any waker
 * that changed the value after that read can look, so no wake-up is lost.
 *
 * A waiter is its thread (struct park_wait in struct thread), one PARK at a
 * time, so waiters are bounded by threads (PROC_THREADS_MAX per process).
 * Its CQE goes to its own ring through its own IPC peer, checked alive
 * under the peer lock after the bucket lock is dropped (a waker holds a
 * peer reference meanwhile), so a thread that leaves between the two loses
 * only its CQE. A thread leaves the list as it leaves (park_cancel). An
 * UNPARK claims the first thread it wakes for a direct hand-off
 * (proc.c ring_wake): if the unparker then waits, as a ping-pong's PARK
 * does, the woken thread runs in its place without a trip through the run
 * queue.
 *
 * Timeouts: whoever comes first posts TIMED_OUT. The parked thread's own
 * cap_enter (park_expire: a cap_enter that waits wakes at the deadline, and
 * one that starts after it looks first), or the park timer, a kernel
 * thread that sleeps until the earliest deadline of any timed PARK and
 * then expires every due one, so the CQE comes even while the thread runs
 * in user space and never enters the kernel.
 *
 * Locking (docs/locking.md 2c): a bucket lock guards its list and the
 * park_wait of every thread on it. It is taken with nothing held, one at a
 * time, and may be held across a user read of the word (a first touch
 * takes the address space's lock inside it); peer locks, cq_lock and
 * the run-queue locks are taken only after it is dropped. Bucket walks are bounded
 * by the threads parked in the system.
 */
#include <capos/errors.h>

#include "arch/arch.h"
#include "cap/object.h"
#include "ipc/message.h"
#include "ipc/peer.h"
#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "lib/spinlock.h"
#include "proc/park.h"
#include "proc/proc.h"
#include "ring/seam.h"
#include "sched/sched.h"

#define PARK_BUCKETS 64u
#define PARK_EXPIRE_BATCH 8u	/* timeouts posted per bucket lock hold */

/* One list and its lock, on a cache line of its own (two CPUs on two buckets share nothing). */
struct park_bucket {
	struct spinlock lock;
	struct thread *head;
} __attribute__((aligned(64)));

static struct park_bucket park_table[PARK_BUCKETS] = {
	[0 ... PARK_BUCKETS - 1] = { .lock = SPINLOCK_INIT_RANK(LOCK_RANK_PARK) },
};

/*
 * The park timer: the earliest deadline (tick) it knows of, UINT64_MAX for
 * none. A timed PARK that finds its deadline earlier lowers it and wakes the
 * timer, which then looks again (park_timer_main).
 */
static struct thread *park_timer;
static uint64_t park_timer_due = UINT64_MAX;

static struct park_bucket *bucket_of(const void *as, uint64_t va)
{
	uint64_t h = ((uint64_t)(uintptr_t)as >> 6) ^ (va >> 2);

	h ^= h >> 17;
	return &park_table[(h * 0x9e3779b97f4a7c15ull) >> 58];	/* 64 buckets */
}

static void unlink_locked(struct park_bucket *b, struct thread *t)
{
	assert_held(&b->lock);
	for (struct thread **pp = &b->head; *pp; pp = &(*pp)->park.next) {
		if (*pp == t) {
			*pp = t->park.next;
			break;
		}
	}
	t->park.next = NULL;
	__atomic_store_n(&t->park.queued, false, __ATOMIC_RELAXED);	/* read unlocked by t */
}

/* Posts a PARK's CQE to the ring of the thread whose peer this is, if it is still there. */
static void park_post(struct ipc_peer *peer, uint64_t user_data, int32_t result)
{
	spin_lock(&peer->lock);
	if (peer->alive)
		peer_post_locked(peer, cqe_words(user_data, result, 0, 0, 0, 0, CAPOS_OP_PARK));
	spin_unlock(&peer->lock);
}

/* Lowers the park timer's deadline to `deadline` if that is earlier; true if it did. */
static bool park_timer_lower(uint64_t deadline)
{
	uint64_t due = __atomic_load_n(&park_timer_due, __ATOMIC_ACQUIRE);

	while (deadline < due) {	/* retried only when another CPU moved it */
		if (__atomic_compare_exchange_n(&park_timer_due, &due, deadline, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return true;
	}
	return false;
}

int ring_park(const struct ring_caller *c, const struct capos_sqe *s)
{
	struct thread *t = sched_current();
	uint32_t word;
	int ret = KOBJ_CALL_PENDING;

	if (s->thread_id != t->tid || t->proc != c->proc)
		return CAPOS_ERR_INVALID_ARGUMENT;
	if (__atomic_load_n(&t->park.queued, __ATOMIC_RELAXED))
		return CAPOS_ERR_BUSY;	/* one PARK per thread at a time */
	uint64_t deadline = s->result_addr ? proc_deadline_of(s->result_addr) : 0;
	struct park_bucket *b = bucket_of(c->as, s->params_addr);

	spin_lock(&b->lock);
	if (as_copy_in(c->as, &word, s->params_addr, sizeof(word)))
		ret = CAPOS_ERR_BAD_ADDRESS;
	else if (word != s->params_len)
		ret = CAPOS_ERR_WOULD_BLOCK;	/* the value changed: not parked */
	else {
		t->park = (struct park_wait){ .next = b->head, .as = c->as, .va = s->params_addr,
					      .user_data = s->user_data, .deadline = deadline,
					      .queued = true };
		b->head = t;
	}
	spin_unlock(&b->lock);
	if (ret == KOBJ_CALL_PENDING && deadline && park_timer_lower(deadline))
		sched_wake(park_timer);	/* it sleeps until a later deadline, or none */
	return ret;
}

/*
 * Takes up to `want` threads parked on (as, va) off bucket b into peers[]
 * and user_data[], each with a peer reference (it may leave once the lock
 * is dropped). Returns how many.
 */
static uint32_t take_waiters(struct park_bucket *b, const void *as, uint64_t va, uint32_t want,
			     struct ipc_peer **peers, uint64_t *user_data)
{
	uint32_t n = 0;

	spin_lock(&b->lock);
	for (struct thread **pp = &b->head; *pp && n < want;) {
		struct thread *t = *pp;

		if (t->park.as != as || t->park.va != va) {
			pp = &t->park.next;
			continue;
		}
		*pp = t->park.next;
		t->park.next = NULL;
		__atomic_store_n(&t->park.queued, false, __ATOMIC_RELAXED);
		ipc_peer_get(t->peer);
		peers[n] = t->peer;
		user_data[n++] = t->park.user_data;
	}
	spin_unlock(&b->lock);
	return n;
}

int ring_unpark(const struct ring_caller *c, const struct capos_sqe *s)
{
	struct ipc_peer *peers[PROC_THREADS_MAX];
	uint64_t user_data[PROC_THREADS_MAX];
	uint32_t want = s->params_len < PROC_THREADS_MAX ? s->params_len : PROC_THREADS_MAX;
	uint32_t word;
	uint32_t n = take_waiters(bucket_of(c->as, s->params_addr), c->as, s->params_addr, want,
				  peers, user_data);

	/*
	 * Only an UNPARK that woke nobody reads the word, to tell an
	 * unreadable one (BAD_ADDRESS) from one with no waiter: a word with
	 * waiters was readable when they parked, and waking them is no harm
	 * even if it has been unmapped since.
	 */
	if (n == 0)
		return as_copy_in(c->as, &word, s->params_addr, sizeof(word)) ? CAPOS_ERR_BAD_ADDRESS : 0;
	struct thread *self = sched_current();
	bool armed = self->handoff_armed;

	/* The first one woken is claimed to run in this thread's place if it waits (ring_wake). */
	self->handoff_armed = true;
	for (uint32_t i = 0; i < n; i++) {
		park_post(peers[i], user_data[i], 0);
		ipc_peer_put(peers[i]);
	}
	self->handoff_armed = armed;
	return (int)n;
}

void park_cancel(struct thread *t)
{
	struct park_bucket *b = bucket_of(t->park.as, t->park.va);

	spin_lock(&b->lock);
	if (t->park.queued)
		unlink_locked(b, t);
	spin_unlock(&b->lock);
}

bool park_expire(struct thread *t)
{
	struct park_bucket *b = bucket_of(t->park.as, t->park.va);
	uint64_t user_data = 0;
	bool expired = false;

	spin_lock(&b->lock);
	if (t->park.queued && t->park.deadline && arch_ticks() >= t->park.deadline) {
		user_data = t->park.user_data;
		unlink_locked(b, t);
		expired = true;
	}
	spin_unlock(&b->lock);
	if (expired)
		park_post(t->peer, user_data, CAPOS_ERR_TIMED_OUT);
	return expired;
}

uint64_t park_wait_deadline(const struct thread *t, uint64_t deadline)
{
	uint64_t park = t->park.deadline;

	return park && (!deadline || park < deadline) ? park : deadline;
}

/*
 * Expires the due PARKs of bucket b (tick `now`), at most PARK_EXPIRE_BATCH
 * per lock hold; returns the earliest deadline left on it (UINT64_MAX: none).
 */
static uint64_t expire_bucket(struct park_bucket *b, uint64_t now)
{
	struct ipc_peer *peers[PARK_EXPIRE_BATCH];
	uint64_t user_data[PARK_EXPIRE_BATCH];
	uint64_t next;
	uint32_t n;

	do {
		n = 0;
		next = UINT64_MAX;
		spin_lock(&b->lock);
		for (struct thread **pp = &b->head; *pp;) {
			struct thread *t = *pp;
			uint64_t d = t->park.deadline;

			if (!d || d > now || n == PARK_EXPIRE_BATCH) {
				next = d && d < next ? d : next;
				pp = &t->park.next;
				continue;
			}
			*pp = t->park.next;
			t->park.next = NULL;
			__atomic_store_n(&t->park.queued, false, __ATOMIC_RELAXED);
			ipc_peer_get(t->peer);
			peers[n] = t->peer;
			user_data[n++] = t->park.user_data;
		}
		spin_unlock(&b->lock);
		for (uint32_t i = 0; i < n; i++) {
			park_post(peers[i], user_data[i], CAPOS_ERR_TIMED_OUT);
			ipc_peer_put(peers[i]);
		}
	} while (n == PARK_EXPIRE_BATCH);	/* a full batch may have left due ones */
	return next;
}

/*
 * The park timer's thread: forgets its deadline, expires what is due in
 * every bucket, sleeps until the earliest deadline left. A PARK that lands
 * in a bucket after it was looked at lowers the deadline from UINT64_MAX
 * and wakes the thread (its wake-up is kept if it has not blocked yet), so
 * it looks again: no timeout is missed.
 */
static void park_timer_main(void)
{
	for (;;) {
		__atomic_store_n(&park_timer_due, UINT64_MAX, __ATOMIC_SEQ_CST);
		uint64_t now = arch_ticks(), next = UINT64_MAX;

		for (uint32_t i = 0; i < PARK_BUCKETS; i++) {
			uint64_t d = expire_bucket(&park_table[i], now);

			next = d < next ? d : next;
		}
		(void)park_timer_lower(next);
		uint64_t due = __atomic_load_n(&park_timer_due, __ATOMIC_ACQUIRE);

		(void)sched_block(due == UINT64_MAX ? 0 : due);
	}
}

void park_timer_start(void)
{
	park_timer = sched_kthread_create(park_timer_main);
	if (!park_timer)
		panic("park: no memory for the park timer's thread");
}
