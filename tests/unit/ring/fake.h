/* SPDX-License-Identifier: MIT */
/*
 * Fakes for the seam of kernel/ring/seam.h in host tests and fuzz_ring: a
 * fake user address space (a few mapped regions with read/write
 * permissions, backed by host memory; the struct addrspace argument is
 * ignored), ring_wake() counting its calls and keeping the last ring, and
 * a test kernel object whose call handler behaves according to the method
 * id (FAKE_M_*) and records what it was given.
 */
#ifndef CAPOS_TESTS_UNIT_RING_FAKE_H
#define CAPOS_TESTS_UNIT_RING_FAKE_H

#include "cap/table.h"
#include "ipc/peer.h"
#include "mm/account.h"
#include "mm/addrspace.h"
#include "proc/proc.h"
#include "ring/call.h"
#include "ring/ring.h"

/* Fake user memory. */
void fake_mem_reset(void);
/* Maps [base, base + len) with AS_PROT_* prot; returns the host bytes (zeroed). */
uint8_t *fake_mem_map(uint64_t base, uint64_t len, uint32_t prot);
/* Host pointer for a user range inside one region, or NULL. */
uint8_t *fake_mem_ptr(uint64_t uaddr, uint64_t len);

extern int fake_wake_count;
extern struct ring *fake_woken_last;	/* the ring of the last ring_wake() */
extern long fake_copy_out_calls;

/* Test object methods. */
enum {
	FAKE_M_ECHO = 0,	/* result = the params bytes, verbatim */
	FAKE_M_RAISE = 1,	/* CapException(failed, "fake refuses") */
	FAKE_M_UNKNOWN = 2,	/* CAPOS_ERR_UNKNOWN_METHOD */
	FAKE_M_BUILD = 3,	/* reads a u64 at params root offset 0, answers it + 1 */
	FAKE_M_RELEASE_SELF = 4, /* releases fake_self_id from the caller's table, then echoes */
	FAKE_M_HOOK = 5,	/* calls fake_hook (if set), then echoes */
	FAKE_M_GIVE = 6,	/* answers fake_give references to itself as result caps, echoes */
};

extern uint32_t fake_give;
/* Non-zero: as_copy_out fails (memory unmapped after as_check_access passed). */
extern int fake_copy_out_fail;

/* Run by FAKE_M_HOOK inside the call: lets a test act as user code mid-consume. */
extern void (*fake_hook)(void);

struct fake_obj {
	struct kobj k;
	int destroyed;		/* destroy() calls */
	int calls;		/* handler calls */
	uint16_t last_method;
	uint32_t last_params_len;
	uint8_t last_params[64];	/* first bytes of the last params */
	uint32_t last_result_cap;
	uint32_t last_xfer_in;	/* capabilities the last call received */
	uint8_t last_xfer_rights;	/* the rights of the first of them (call_ctx.xfer_in_rights) */
};

extern capos_cap_t fake_self_id;

/* A transferable test object; _pinned: one that refuses transfer. */
void fake_obj_init(struct fake_obj *o);
void fake_obj_init_pinned(struct fake_obj *o);

/*
 * A process with one thread: table + ring region + caller record, the
 * thread's IPC peer that endpoints reach it through, and the struct proc
 * (its fields unused).
 */
struct fake_proc {
	struct cap_table caps;
	struct ring ring;
	struct ring_caller caller;
	struct proc proc;
	struct ipc_peer *peer;
	struct mem_account kmem;	/* pays for its kernel memory; FAKE_KMEM_PAGES */
	void *region;		/* CAPOS_RING_SIZE bytes, page aligned */
};

#define FAKE_KMEM_PAGES 4096

/* Calls that reached the fake ring_park / ring_unpark (past the SQE checks). */
extern int fake_park_calls, fake_unpark_calls;

void fake_proc_init(struct fake_proc *p);
void fake_proc_fini(struct fake_proc *p);

/* User-side helpers on the shared region (as user code would do them). */
void fake_submit(struct fake_proc *p, const struct capos_sqe *sqe);
/* Reaps one CQE into *cqe; returns 0, or -1 if the CQ is empty. */
int fake_reap(struct fake_proc *p, struct capos_cqe *cqe);

#endif
