// SPDX-License-Identifier: MIT
/*
 * Capability transfer: descriptors, install, moves (model in xfer.h).
 */
#include <capos/errors.h>

#include "cap/xfer.h"

/* The checks of one descriptor that need no table: mode, scope, flags, reserved, duplicates. */
static int xfer_check(const struct capos_xfer *d, uint32_t i)
{
	if (d[i].scope != CAPOS_XFER_SCOPE_DEFAULT || (d[i].flags & ~CAPOS_XFER_F_VALID_MASK) ||
	    d[i].reserved1 ||
	    (d[i].mode != CAPOS_XFER_COPY && d[i].mode != CAPOS_XFER_MOVE))
		return CAPOS_ERR_INVALID_XFER;
	for (uint32_t j = 0; j < i; j++)
		if (d[j].cap_id == d[i].cap_id &&
		    (d[i].mode == CAPOS_XFER_MOVE || d[j].mode == CAPOS_XFER_MOVE))
			return CAPOS_ERR_DUPLICATE_XFER;
	return 0;
}

int cap_xfer_collect(struct cap_table *caps, struct addrspace *as, uint64_t addr, uint32_t count,
		     struct cap_xfer *out, uint32_t *n)
{
	struct capos_xfer d[CAPOS_XFER_MAX];
	uint32_t rights;
	int err = 0;

	*n = 0;
	if (count > CAPOS_XFER_MAX)
		return CAPOS_ERR_INVALID_XFER;
	if (as_copy_in(as, d, addr, count * sizeof(d[0])))
		return CAPOS_ERR_BAD_ADDRESS;
	for (uint32_t i = 0; i < count && !err; i++) {
		err = xfer_check(d, i);
		if (err || (err = cap_table_lookup(caps, d[i].cap_id, &out[i].obj, &rights)))
			break;
		out[i].src = d[i].cap_id;
		out[i].mode = d[i].mode;
		out[i].rights = (uint8_t)rights;
		(*n)++;
		if (!(rights & CAP_RIGHT_TRANSFER) || !kobj_is_transferable(out[i].obj))
			err = CAPOS_ERR_NOT_TRANSFERABLE;
		if (d[i].flags & CAPOS_XFER_F_DROP_TRANSFER)
			out[i].rights &= (uint8_t)~CAP_RIGHT_TRANSFER;
	}
	if (err) {
		cap_xfer_put(out, *n);
		*n = 0;
	}
	return err;
}

void cap_xfer_put(struct cap_xfer *x, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		kobj_put(x[i].obj);
}

void cap_xfer_defer(struct cap_xfer *x, uint32_t n, struct kobj_defer *later)
{
	for (uint32_t i = 0; i < n; i++)
		kobj_defer(later, x[i].obj);
}

/*
 * Out of line: syscall_dispatch flattens the IPC operations, and this loop
 * inlined there (it runs only for messages that carry capabilities) cost
 * the fast path's round trip an instruction through register allocation.
 */
__attribute__((noinline)) int cap_xfer_install(struct cap_table *caps, const struct cap_xfer *x,
					       uint32_t n, struct capos_xfer_result *rec)
{
	struct cap_reservation r;
	int err = cap_table_reserve(caps, n, &r);

	if (err)
		return err;
	for (uint32_t i = 0; i < n; i++) {
		kobj_get(x[i].obj);	/* the table's own reference */
		rec[i] = (struct capos_xfer_result){
			.cap_id = cap_table_commit(caps, &r, i, x[i].obj, x[i].rights),
			.interface_id = x[i].obj->iface_id,
		};
	}
	return 0;
}

void cap_xfer_uninstall(struct cap_table *caps, const struct capos_xfer_result *rec, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct kobj *back;

		/* Fails only if another thread of the receiver guessed the id and released it. */
		if (cap_table_take(caps, rec[i].cap_id, &back) == 0)
			kobj_put_extra(back);
	}
}

void cap_xfer_finish_moves(struct cap_table *caps, const struct cap_xfer *x, uint32_t n,
			   struct kobj_defer *later)
{
	for (uint32_t i = 0; i < n; i++) {
		struct kobj *gone;

		/* Fails only if the sender released the id itself meanwhile. */
		if (x[i].mode == CAPOS_XFER_MOVE && cap_table_take(caps, x[i].src, &gone) == 0)
			kobj_defer(later, gone);
	}
}
