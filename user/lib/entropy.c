// SPDX-License-Identifier: MIT
/* EntropySource client (entropy.h). */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "client.h"
#include "entropy.h"
#include "ustring.h"

#define ENTROPY_ARENA_WORDS 4
/* The answer (24 bytes of framing and pointers, then the data) or a CapException. */
#define ENTROPY_RESULT_WORDS ((24 + ENTROPY_GET_MAX + 40) / 8)

/* One getBytes(n), n <= ENTROPY_GET_MAX, into buf. */
static int entropy_get_chunk(capos_cap_t src, uint8_t *buf, uint32_t n)
{
	uint64_t arena[ENTROPY_ARENA_WORDS], params[ENTROPY_ARENA_WORDS];
	uint64_t result[ENTROPY_RESULT_WORDS];
	struct capnp_data d;
	struct capnp_msg m;
	int err;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	capos_EntropySource_getBytes_Params_set_n(capos_EntropySource_getBytes_Params_init_root(&m),
						  n);
	err = client_call_framed(src, capos_EntropySource_getBytes, &m, params, sizeof(params),
				 result, sizeof(result));
	if (err)
		return err;
	d = capos_EntropySource_getBytes_Results_get_data(
		capos_EntropySource_getBytes_Results_root(&m));
	if (capnp_msg_error(&m) || d.len != n)
		return CAPOS_ERR_MALFORMED_MESSAGE;
	memcpy(buf, d.ptr, n);
	return 0;
}

int entropy_get(capos_cap_t src, void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n) {
		uint32_t chunk = n > ENTROPY_GET_MAX ? ENTROPY_GET_MAX : (uint32_t)n;
		int err = entropy_get_chunk(src, p, chunk);

		if (err)
			return err;
		p += chunk;
		n -= chunk;
	}
	return 0;
}
