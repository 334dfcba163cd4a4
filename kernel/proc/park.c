// SPDX-License-Identifier: MIT
/*
 * PARK and UNPARK (include/capos/ring.h, docs/ring.md "Park and unpark"):
 * the futex contract of the original capOS §15 on a 32-bit word in the
 * caller's memory. A parked thread is on one list of a small hash table,
 * keyed by (address space, address), so threads of different processes
 * never meet, whatever addresses they use. The word is read under the
 * park lock, which every UNPARK of it also takes before it looks for
 * waiters: a thread that found the expected value is on the list before any
 * waker that changed the value after that read can look, so no wake-up is
 * lost.
 *
 * A waiter is its thread (struct park_wait in struct thread), one PARK at a
 * time, so waiters are bounded by threads (PROC_THREADS_MAX per process).
 * Its CQE goes to its own ring through its own IPC peer, checked alive
 * under the peer lock after the park lock is dropped (a waker holds a peer
 * reference meanwhile), so a thread that leaves between the two loses only
 * its CQE. A thread leaves the list as it leaves (park_cancel).
 *
 * Timeouts are served by the parked thread itself (park_expire): no timer
 * posts to a ring. Its cap_enter checks the deadline before consuming, and
 * a cap_enter that waits wakes at the PARK's deadline if that comes first.
 *
 * Locking: park_lock guards every park_wait and the table. It is taken with
 * nothing held but may be held across a user read of the word (a first
 * touch takes the address space's lock inside it); peer locks, cq_lock and
 * sched_lock are taken only after it is dropped. Bucket walks are bounded
 * by the threads parked in the system.
 */
#include <capos/errors.h>

#include "arch/arch.h"
#include "cap/object.h"
#include "ipc/message.h"
#include "ipc/peer.h"
#include "lib/lockdep.h"
#include "lib/spinlock.h"
#include "proc/park.h"
#include "proc/proc.h"
#include "ring/seam.h"
#include "sched/sched.h"

#define PARK_BUCKETS 64u

static struct spinlock park_lock = SPINLOCK_INIT_RANK(LOCK_RANK_PARK);
static struct thread *park_table[PARK_BUCKETS];

static struct thread **bucket_of(const void *as, uint64_t va)
{
	uint64_t h = ((uint64_t)(uintptr_t)as >> 6) ^ (va >> 2);

	h ^= h >> 17;
	return &park_table[(h * 0x9e3779b97f4a7c15ull) >> 58];	/* 64 buckets */
}

static void unlink_locked(struct thread *t)
{
	assert_held(&park_lock);
	for (struct thread **pp = bucket_of(t->park.as, t->park.va); *pp; pp = &(*pp)->park.next) {
		if (*pp == t) {
			*pp = t->park.next;
			break;
		}
	}
	t->park.next = NULL;
	t->park.queued = false;
}

/* Posts a PARK's CQE to the ring of the thread whose peer this is, if it is still there. */
static void park_post(struct ipc_peer *peer, uint64_t user_data, int32_t result)
{
	spin_lock(&peer->lock);
	if (peer->alive)
		peer_post_locked(peer, cqe_words(user_data, result, 0, 0, 0, 0, CAPOS_OP_PARK));
	spin_unlock(&peer->lock);
}

int ring_park(const struct ring_caller *c, const struct capos_sqe *s)
{
	struct thread *t = sched_current();
	uint32_t word;
	int ret = KOBJ_CALL_PENDING;

	if (s->thread_id != t->tid || t->proc != c->proc)
		return CAPOS_ERR_INVALID_ARGUMENT;
	if (t->park.queued)
		return CAPOS_ERR_BUSY;	/* one PARK per thread at a time */
	uint64_t deadline = s->result_addr ? proc_deadline_of(s->result_addr) : 0;
	spin_lock(&park_lock);
	if (as_copy_in(c->as, &word, s->params_addr, sizeof(word)))
		ret = CAPOS_ERR_BAD_ADDRESS;
	else if (word != s->params_len)
		ret = CAPOS_ERR_WOULD_BLOCK;	/* the value changed: not parked */
	else {
		t->park = (struct park_wait){ .as = c->as, .va = s->params_addr,
					      .user_data = s->user_data, .deadline = deadline,
					      .queued = true };
		struct thread **b = bucket_of(c->as, s->params_addr);
		t->park.next = *b;
		*b = t;
	}
	spin_unlock(&park_lock);
	return ret;
}

int ring_unpark(const struct ring_caller *c, const struct capos_sqe *s)
{
	struct ipc_peer *peers[PROC_THREADS_MAX];
	uint64_t user_data[PROC_THREADS_MAX];
	uint32_t want = s->params_len < PROC_THREADS_MAX ? s->params_len : PROC_THREADS_MAX;
	uint32_t n = 0, word;

	if (as_copy_in(c->as, &word, s->params_addr, sizeof(word)))
		return CAPOS_ERR_BAD_ADDRESS;
	spin_lock(&park_lock);
	struct thread **pp = bucket_of(c->as, s->params_addr);
	while (*pp && n < want) {
		struct thread *t = *pp;

		if (t->park.as != c->as || t->park.va != s->params_addr) {
			pp = &t->park.next;
			continue;
		}
		*pp = t->park.next;
		t->park.next = NULL;
		t->park.queued = false;
		ipc_peer_get(t->peer);	/* t may leave once the lock is dropped */
		peers[n] = t->peer;
		user_data[n++] = t->park.user_data;
	}
	spin_unlock(&park_lock);
	for (uint32_t i = 0; i < n; i++) {
		park_post(peers[i], user_data[i], 0);
		ipc_peer_put(peers[i]);
	}
	return (int)n;
}

void park_cancel(struct thread *t)
{
	spin_lock(&park_lock);
	if (t->park.queued)
		unlink_locked(t);
	spin_unlock(&park_lock);
}

bool park_expire(struct thread *t)
{
	uint64_t user_data = 0;
	bool expired = false;

	spin_lock(&park_lock);
	if (t->park.queued && t->park.deadline && arch_ticks() >= t->park.deadline) {
		user_data = t->park.user_data;
		unlink_locked(t);
		expired = true;
	}
	spin_unlock(&park_lock);
	if (expired)
		park_post(t->peer, user_data, CAPOS_ERR_TIMED_OUT);
	return expired;
}

uint64_t park_wait_deadline(const struct thread *t, uint64_t deadline)
{
	uint64_t park = t->park.deadline;

	return park && (!deadline || park < deadline) ? park : deadline;
}
