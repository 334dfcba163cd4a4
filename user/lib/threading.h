/* SPDX-License-Identifier: MIT */
/*
 * Threads of this process (docs/threads.md): thread_create() starts fn(arg)
 * on a stack of its own, allocated from the runtime's heap, through the
 * ThreadSpawner granted as "threads"; thread_join() waits for it and gives
 * the value fn returned (or thread_exit's); thread_detach() lets it run on
 * unwatched. thread_self() is the calling thread's record, found through its
 * FS base: each thread's record starts with the TCB self-pointer (%fs:0),
 * so FS base = the record.
 *
 * Each thread has its own ring (the kernel maps one per thread and passes
 * its address at entry), and client_ring is the calling thread's, so the
 * runtime's calls from any thread go through that thread's ring and their
 * completions come back to it.
 *
 * Limits: at most 16 threads per process, the first included. A thread
 * started here has no ELF TLS block (no __thread variables: the first
 * thread's are below its own TCB page). A detached thread's stack and
 * record are not reclaimed before the process ends.
 */
#ifndef CAPOS_USER_THREAD_H
#define CAPOS_USER_THREAD_H

#include <stddef.h>
#include <stdint.h>

#include <capos/cap.h>

#include "uring.h"

#define THREAD_STACK_DEFAULT (64u * 1024u)

struct thread {
	uint64_t tcb_self;		/* %fs:0: the TCB self-pointer of the TLS ABI */
	uint64_t tcb_reserved[7];	/* %fs:0x08..0x3f zero (0x28: the stack canary's slot) */
	struct uring *ring;		/* its ring (client_ring reads this slot) */
	uint32_t id;			/* kernel thread id: 0 for the first thread */
	capos_cap_t handle;		/* its ThreadHandle, or CAPOS_CAP_INVALID */
	int64_t (*fn)(void *arg);
	void *arg;
	void *stack;			/* heap block of the stack; NULL for the first thread */
	struct uring ring_storage;	/* the ring's state, for threads thread_create started */
};

/* The calling thread's record. */
struct thread *thread_self(void);

/*
 * Starts fn(arg) in a new thread with a stack of stack_size bytes (0:
 * THREAD_STACK_DEFAULT). Returns 0 with *out set, CAPOS_ERR_NO_MEMORY, a
 * transport error, or CAPOS_ERR_APPLICATION_EXCEPTION (client_exception():
 * overloaded for the thread quota, invalidArgument, ...); INVALID_CAP if
 * the process has no ThreadSpawner.
 */
int thread_create(struct thread **out, int64_t (*fn)(void *arg), void *arg, size_t stack_size);

/*
 * Waits for t to end and gives its value (ThreadHandle.join), then frees its
 * handle, stack and record. t must not be used again. 0 or an error (t is
 * then kept).
 */
int thread_join(struct thread *t, int64_t *value);

/* Releases t's handle: t runs on, and nobody can join it (ThreadHandle: detach). */
int thread_detach(struct thread *t);

/* Ends the calling thread with `value` (the first thread: the process). */
_Noreturn void thread_exit(int64_t value);

#endif
