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
 * skips the check while the epoch is unchanged.
 */
#ifndef CAPOS_KERNEL_IPC_CLAIM_H
#define CAPOS_KERNEL_IPC_CLAIM_H

#include "lib/types.h"

/* The kernel's mapping of a buffer's first bytes, up to the end of their page. */
struct buf_window {
	uint8_t *kva;		/* NULL when len is 0 */
	uint32_t len;
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

static inline uint64_t claim_key(uint32_t len, uint32_t epoch)
{
	return (uint64_t)epoch << 32 | len;
}

#endif
