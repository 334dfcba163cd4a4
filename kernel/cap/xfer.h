/* SPDX-License-Identifier: MIT */
/*
 * Capability transfer (docs/ipc.md "Transfers: all or nothing"): the one
 * place where an SQE's transfer descriptors are read and checked, and where
 * transferred capabilities enter and leave tables. Used for CALLs to kernel
 * objects (ring/dispatch.c) and for every IPC message (kernel/ipc/).
 *
 * A message holds one reference to each capability it carries, taken when
 * its SQE is consumed (cap_xfer_collect). Installing them in the receiver's
 * table is two-phase (cap_table_reserve, then commits that cannot fail), so
 * a message lands whole or not at all. Moves leave the sender only after a
 * delivery that succeeded.
 *
 * References that these functions give up are not dropped here but handed
 * to a struct kobj_defer: callers run them while holding endpoint and peer
 * locks, and a destroy() may take those locks (cap/object.h).
 */
#ifndef CAPOS_KERNEL_CAP_XFER_H
#define CAPOS_KERNEL_CAP_XFER_H

#include <capos/endpoint.h>

#include "cap/object.h"
#include "cap/table.h"
#include "mm/addrspace.h"

struct cap_xfer {
	struct kobj *obj;	/* one reference */
	capos_cap_t src;	/* the sender's id (a move frees it after delivery) */
	uint8_t mode;		/* CAPOS_XFER_COPY or CAPOS_XFER_MOVE */
	uint8_t rights;		/* the sender's slot's CAP_RIGHT_*: the receiver's, never more */
};

/*
 * Reads `count` (<= CAPOS_XFER_MAX, checked by SQE validation) descriptors
 * from user memory at addr of `as`, checks each (mode, scope, reserved
 * fields, no capability moved twice, a live id with the TRANSFER right on a
 * transferable object) and takes a reference to each object. A descriptor
 * with CAPOS_XFER_F_DROP_TRANSFER gives its receiver no TRANSFER right. Returns 0 with
 * *n == count, or the first error (BAD_ADDRESS, INVALID_XFER,
 * DUPLICATE_XFER, INVALID_CAP, STALE_CAP, NOT_TRANSFERABLE) with nothing
 * held. No locks held (it drops references on failure).
 */
__must_check int cap_xfer_collect(struct cap_table *caps, struct addrspace *as, uint64_t addr,
				  uint32_t count, struct cap_xfer *out, uint32_t *n);

/* Drops the message's references. No lock a destroy() takes may be held. */
void cap_xfer_put(struct cap_xfer *x, uint32_t n);

/* Hands the message's references to `later` (for holders of such locks). */
void cap_xfer_defer(struct cap_xfer *x, uint32_t n, struct kobj_defer *later);

/*
 * Installs copies of the n capabilities in `caps`, all or nothing, with
 * the rights their sender's slots had, and fills their records (id and
 * interface). Returns 0 or CAP_TABLE_FULL
 * (nothing installed). The message keeps its own references.
 */
__must_check int cap_xfer_install(struct cap_table *caps, const struct cap_xfer *x, uint32_t n,
				  struct capos_xfer_result *rec);

/*
 * Takes back what cap_xfer_install put into `caps` (the delivery failed
 * after all). The message still holds its own references, so the table's
 * are dropped at once, under any lock (kobj_put_extra).
 */
void cap_xfer_uninstall(struct cap_table *caps, const struct capos_xfer_result *rec, uint32_t n);

/* After a delivery, moved capabilities leave the sender's table `caps`. */
void cap_xfer_finish_moves(struct cap_table *caps, const struct cap_xfer *x, uint32_t n,
			   struct kobj_defer *later);

#endif
