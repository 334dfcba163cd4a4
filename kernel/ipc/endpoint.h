/* SPDX-License-Identifier: MIT */
/*
 * IPC endpoints. One endpoint has an owner side (interface Endpoint: RECV
 * and RETURN, never transferable) and any number of client facets (the
 * served interface: CALL only, transferable). A CALL on a facet queues a
 * call record; the owner's RECV takes it (header, params and transferred
 * capabilities land in the server's buffer and table); the owner's RETURN
 * answers it (result message and capabilities land in the caller's buffer
 * and table) and posts the caller's CQE. Completions that happen later are
 * posted with ring_post on the waiting side's ring (its CQ credit was kept
 * when the operation returned KOBJ_CALL_PENDING).
 *
 * See docs/ipc.md for the queues, limits, cancellation rules and locking.
 */
#ifndef CAPOS_KERNEL_IPC_ENDPOINT_H
#define CAPOS_KERNEL_IPC_ENDPOINT_H

#include <capos/ring.h>

#include "cap/object.h"
#include "ring/ring.h"

#define ENDPOINT_MAX_PENDING 128	/* calls waiting for a RECV */
#define ENDPOINT_MAX_INFLIGHT 128	/* calls received, not yet answered */
#define ENDPOINT_MAX_RECVS 16		/* RECVs waiting for a call */

/* A new endpoint serving `iface`: the owner and one client facet, one reference each. */
__must_check int endpoint_create(uint64_t iface, struct kobj **owner, struct kobj **client);

bool endpoint_is_client(const struct kobj *obj);
bool endpoint_is_owner(const struct kobj *obj);

/*
 * The ring operations. Each returns KOBJ_CALL_PENDING (the CQE will be
 * posted later), or the CQE result with *cqe's other fields filled.
 */
int endpoint_call(struct kobj *facet, const struct ring_caller *c, const struct capos_sqe *s,
		  struct capos_cqe *cqe);
int endpoint_recv(struct kobj *owner, const struct ring_caller *c, const struct capos_sqe *s,
		  struct capos_cqe *cqe);
int endpoint_return(struct kobj *owner, const struct ring_caller *c, const struct capos_sqe *s);

/*
 * The IPC fast path's two operations (ipc/fastpath.c). Each either does
 * exactly what the general operations would have done for these SQEs
 * (their completions posted and their waiters woken, under the same locks)
 * and returns 0, or returns ENDPOINT_FAST_DECLINED having changed nothing
 * the general path would not change again (a partly written receive or
 * result buffer, which the general path rewrites or leaves partly written
 * just the same).
 *   endpoint_fast_call: a CALL without capabilities (already validated, CALL
 *     right checked) that meets a waiting receiver;
 *   endpoint_fast_reply_recv: the RETURN fields of `ret` (a plain answer: no
 *     capabilities, no exception), then the RECV `rcv` on the same endpoint,
 *     which will wait; ret and rcv are one SQE for a RECV | REPLY.
 */
#define ENDPOINT_FAST_DECLINED 1
int endpoint_fast_call(struct kobj *facet, const struct ring_caller *c, const struct capos_sqe *s);
int endpoint_fast_reply_recv(struct kobj *owner, const struct ring_caller *c,
			     const struct capos_sqe *ret, const struct capos_sqe *rcv);

#endif
