/* SPDX-License-Identifier: MIT */
/*
 * ThreadHandle objects (schema/capos.capnp): the join record of one thread.
 * It outlives the thread for as long as someone holds a reference: the
 * thread itself (until it leaves) and every ThreadHandle capability.
 * Releasing every capability detaches the thread: nothing waits for it and
 * its value is dropped with the record. Not transferable.
 *
 * Lock order: lock before a joiner's IPC peer lock (ipc/kcall.h).
 */
#ifndef CAPOS_KERNEL_OBJ_THREAD_HANDLE_H
#define CAPOS_KERNEL_OBJ_THREAD_HANDLE_H

#include "cap/object.h"
#include "ipc/kcall.h"
#include "lib/spinlock.h"

struct thread_handle {
	struct kobj obj;
	struct spinlock lock;		/* guards everything below */
	bool exited;
	int64_t value;
	struct kcall_queue joiners;	/* join() calls pending until the thread ends */
};

/* A new join record with one reference (the thread's); NULL if out of memory. */
struct thread_handle *thread_handle_create(void);
/* Records the join value and answers every pending join(). Once, no lock held. */
void thread_handle_exited(struct thread_handle *h, int64_t value);

#endif
