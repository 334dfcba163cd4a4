/* SPDX-License-Identifier: MIT */
/*
 * Buffers claimed by IPC operations (message.c, buffer_claim): a RECV's
 * receive buffer and a CALL's result buffer are checked writable when the
 * operation is submitted, and the kernel's mapping of their first bytes is
 * kept, so a message later goes in without a page walk.
 *
 * Both stay true while the process lives and nothing in its address space
 * is unmapped or loses write access: as_unmap_epoch() counts such changes
 * (mm/addrspace.h). So each thread keeps its last claim, and a server or
 * client that posts the same buffer again, as they do every round trip,
 * skips the check while the epoch is unchanged; and every write through a
 * window checks the epoch again, since an unmap may come between the claim
 * and the message (VirtualMemory, which frees the frames only after that
 * write is over: obj/virtual_memory.c).
 */
#ifndef CAPOS_KERNEL_IPC_CLAIM_H
#define CAPOS_KERNEL_IPC_CLAIM_H

#include "lib/types.h"

/*
 * The kernel's mapping of a buffer's first bytes, up to the end of their
 * page, and the unmap epoch it was taken in: a write through it checks the
 * epoch first, under the receiver's peer lock, and when it has moved goes
 * the page-walking way instead (put_message; mm/addrspace.h).
 */
struct buf_window {
	uint8_t *kva;		/* NULL when len is 0 */
	uint32_t len;
	uint64_t epoch;		/* as_unmap_epoch() before kva was looked up */
};

/*
 * A thread's last successful claim; only that thread reads or writes it.
 * Zeroed, it stands for the claim of nothing at address 0, which is what
 * such a claim would give (an empty window), so it needs no valid flag.
 */
struct ipc_claim_cache {
	uint64_t addr;
	uint64_t key;		/* claim_key(len, as_unmap_epoch() when it was claimed) */
	struct buf_window win;
};

/* Field by field: a structure assignment of 24 bytes may become rep movs. */
static inline void buf_window_copy(struct buf_window *dst, const struct buf_window *src)
{
	dst->kva = src->kva;
	dst->len = src->len;
	dst->epoch = src->epoch;
}

/* The low 32 bits of the epoch suffice here: the window carries all 64, checked at the write. */
static inline uint64_t claim_key(uint32_t len, uint64_t epoch)
{
	return epoch << 32 | len;
}

#endif
