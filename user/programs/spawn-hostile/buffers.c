// SPDX-License-Identifier: MIT
/*
 * Bad buffers, descriptors and methods around a spawn whose params are
 * fine: the ring's transport errors, before the spawner acts, or
 * RESULT_TOO_SMALL when the answer cannot be delivered. Nothing may start.
 */
#include <capos/layout.h>

#include "hostile.h"

/* A result buffer the process may read but not write. */
static const uint64_t read_only[64] = { 1 };

/* CALLs `method` with the framed probe request and these buffers. */
static void call_with(const char *name, uint16_t method, uint64_t params, uint32_t plen,
		      const struct capos_xfer *x, uint8_t nx, uint64_t result, uint32_t rlen,
		      struct want w)
{
	uint32_t used = hostile_used();
	struct outcome o;

	req_call_raw(method, params, plen, x, nx, result, rlen, &o);
	hostile_expect(name, &o, w, used);
}

static void result_buffers(uint32_t plen)
{
	uint64_t params = (uintptr_t)req_params, result = (uintptr_t)req_result;

	call_with("result_buffer_empty", 0, params, plen, NULL, 0, result, 0,
		  WANT_ERR(CAPOS_ERR_RESULT_TOO_SMALL));
	call_with("result_buffer_of_8_bytes", 0, params, plen, NULL, 0, result, 8,
		  WANT_ERR(CAPOS_ERR_RESULT_TOO_SMALL));
	call_with("result_buffer_read_only", 0, params, plen, NULL, 0, (uintptr_t)read_only,
		  sizeof(read_only), WANT_ERR(CAPOS_ERR_BAD_ADDRESS));
	call_with("result_buffer_unmapped", 0, params, plen, NULL, 0, 0x1000, 256,
		  WANT_ERR(CAPOS_ERR_BAD_ADDRESS));
	call_with("result_buffer_in_kernel_half", 0, params, plen, NULL, 0,
		  0xffff800000000000ull, 256, WANT_ERR(CAPOS_ERR_BAD_ADDRESS));
}

static void params_buffers(uint32_t plen)
{
	uint64_t params = (uintptr_t)req_params, result = (uintptr_t)req_result;

	call_with("params_unmapped", 0, 0x1000, plen, NULL, 0, result, REQ_RESULT_BYTES,
		  WANT_ERR(CAPOS_ERR_BAD_ADDRESS));
	call_with("params_past_user_half", 0, CAPOS_USER_HALF_END - 8, plen, NULL, 0, result,
		  REQ_RESULT_BYTES, WANT_ERR(CAPOS_ERR_BAD_ADDRESS));
	call_with("params_longer_than_64k", 0, params, CAPOS_PARAMS_MAX + 1, NULL, 0, result,
		  REQ_RESULT_BYTES, WANT_ERR(CAPOS_ERR_TOO_LARGE));
	call_with("unknown_method", 1, params, plen, NULL, 0, result, REQ_RESULT_BYTES,
		  WANT_ERR(CAPOS_ERR_UNKNOWN_METHOD));
}

/* Descriptors the ring refuses before the spawner sees the call. */
static void descriptors(const struct hostile_caps *c, uint32_t plen)
{
	uint64_t params = (uintptr_t)req_params, result = (uintptr_t)req_result;
	struct capos_xfer x[CAPOS_XFER_MAX + 1];

	x[0] = (struct capos_xfer){ .cap_id = 0x7fff1234u, .mode = CAPOS_XFER_COPY };
	call_with("descriptor_of_no_cap", 0, params, plen, x, 1, result, REQ_RESULT_BYTES,
		  WANT_ERR(CAPOS_ERR_INVALID_CAP));
	x[0] = (struct capos_xfer){ .cap_id = c->console, .mode = 7 };
	call_with("descriptor_mode_unknown", 0, params, plen, x, 1, result, REQ_RESULT_BYTES,
		  WANT_ERR(CAPOS_ERR_INVALID_XFER));
	x[0] = (struct capos_xfer){ .cap_id = c->handle, .mode = CAPOS_XFER_COPY };
	call_with("descriptor_not_transferable", 0, params, plen, x, 1, result,
		  REQ_RESULT_BYTES, WANT_ERR(CAPOS_ERR_NOT_TRANSFERABLE));
	x[0] = (struct capos_xfer){ .cap_id = c->facet, .mode = CAPOS_XFER_MOVE };
	x[1] = x[0];
	call_with("descriptor_moved_twice", 0, params, plen, x, 2, result, REQ_RESULT_BYTES,
		  WANT_ERR(CAPOS_ERR_DUPLICATE_XFER));
	for (uint32_t i = 0; i <= CAPOS_XFER_MAX; i++)
		x[i] = (struct capos_xfer){ .cap_id = c->console, .mode = CAPOS_XFER_COPY };
	call_with("seventeen_descriptors", 0, params, plen, x, CAPOS_XFER_MAX + 1, result,
		  REQ_RESULT_BYTES, WANT_ERR(CAPOS_ERR_TOO_LARGE));
}

void hostile_buffers(const struct hostile_caps *c)
{
	struct spawn_req q = hostile_probe_req();
	uint32_t plen = req_frame(&q);	/* a spawn that would work, in req_params */

	result_buffers(plen);
	params_buffers(plen);
	descriptors(c, plen);
}
