/* SPDX-License-Identifier: MIT */
/*
 * IPC endpoints. One endpoint has an owner side (interface Endpoint: RECV
 * and RETURN, never transferable) and any number of client facets (the
 * served interface: CALL only, transferable). A CALL on a facet queues a
 * call record; the owner's RECV takes it (header, params and transferred
 * capabilities land in the server's buffer and table); the owner's RETURN
 * answers it (result message and capabilities land in the caller's buffer
 * and table) and posts the caller's CQE.
 *
 * The ring reaches these operations like any object's: through the
 * kobj_ring_ops of the two sides (cap/object.h). Everything else is
 * internal to kernel/ipc (endpoint_impl.h). See docs/ipc.md for the
 * queues, limits, cancellation rules and locking.
 */
#ifndef CAPOS_KERNEL_IPC_ENDPOINT_H
#define CAPOS_KERNEL_IPC_ENDPOINT_H

#include "cap/object.h"
#include "lib/types.h"

struct mem_account;

#define ENDPOINT_MAX_PENDING 128	/* calls waiting for a RECV */
#define ENDPOINT_MAX_INFLIGHT 128	/* calls received and not answered, plus waiting RECVs */
#define ENDPOINT_MAX_RECVS 16		/* RECVs waiting for a call */

/*
 * A new endpoint serving `iface`: the owner and one client facet, one
 * reference each. Its memory (with the spare call record it keeps) is
 * charged to `payer` until the endpoint is freed; QUOTA_EXCEEDED if that
 * is short (mm/account.h: NULL charges nobody), NO_MEMORY.
 */
__must_check int ipc_endpoint_create(uint64_t iface, struct mem_account *payer,
				     struct kobj **owner, struct kobj **client);

#endif
