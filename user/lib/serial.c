// SPDX-License-Identifier: MIT
/* SerialPort client (serial.h). Answers are read with the bounds-checked reader. */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "client.h"
#include "serial.h"
#include "ustring.h"

#define SERIAL_ARENA_WORDS 4
/* read's answer (24 bytes of framing and pointers, then the data) or a CapException. */
#define SERIAL_RESULT_WORDS ((24 + SERIAL_READ_MAX + 296) / 8)
#define SERIAL_WRITE_WORDS ((SERIAL_WRITE_MAX + 64) / 8)

int serial_read(capos_cap_t port, void *buf, uint32_t max, uint32_t *got)
{
	uint64_t arena[SERIAL_ARENA_WORDS], params[SERIAL_ARENA_WORDS];
	uint64_t result[SERIAL_RESULT_WORDS];
	struct capnp_data d;
	struct capnp_msg m;
	int err;

	*got = 0;
	capnp_msg_init_build(&m, arena, sizeof(arena));
	capos_SerialPort_read_Params_set_max(capos_SerialPort_read_Params_init_root(&m), max);
	err = client_call_framed(port, capos_SerialPort_read, &m, params, sizeof(params), result,
				 sizeof(result));
	if (err)
		return err;
	d = capos_SerialPort_read_Results_get_data(capos_SerialPort_read_Results_root(&m));
	if (capnp_msg_error(&m) || d.len == 0 || d.len > max)
		return CAPOS_ERR_MALFORMED_MESSAGE;
	memcpy(buf, d.ptr, d.len);
	*got = d.len;
	return 0;
}

/* One write of n <= SERIAL_WRITE_MAX bytes. */
static int serial_write_chunk(capos_cap_t port, const void *buf, uint32_t n)
{
	static uint64_t arena[SERIAL_WRITE_WORDS], params[SERIAL_WRITE_WORDS];
	uint64_t result[40];	/* the empty answer, or a CapException */
	struct capnp_msg m;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	if (capos_SerialPort_write_Params_set_data(capos_SerialPort_write_Params_init_root(&m),
						   buf, n))
		return CAPOS_ERR_INVALID_ARGUMENT;
	return client_call_framed(port, capos_SerialPort_write, &m, params, sizeof(params), result,
				  sizeof(result));
}

int serial_write(capos_cap_t port, const void *buf, size_t n)
{
	const uint8_t *p = buf;

	while (n) {
		uint32_t chunk = n > SERIAL_WRITE_MAX ? SERIAL_WRITE_MAX : (uint32_t)n;
		int err = serial_write_chunk(port, p, chunk);

		if (err)
			return err;
		p += chunk;
		n -= chunk;
	}
	return 0;
}

int serial_status(capos_cap_t port, uint64_t *dropped, uint32_t *buffered)
{
	uint64_t arena[SERIAL_ARENA_WORDS], params[SERIAL_ARENA_WORDS], result[8];
	struct capos_SerialPort_status_Results r;
	struct capnp_msg m;
	int err;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	capos_SerialPort_status_Params_init_root(&m);
	err = client_call_framed(port, capos_SerialPort_status, &m, params, sizeof(params), result,
				 sizeof(result));
	if (err)
		return err;
	r = capos_SerialPort_status_Results_root(&m);
	*dropped = capos_SerialPort_status_Results_get_dropped(r);
	*buffered = capos_SerialPort_status_Results_get_buffered(r);
	return capnp_msg_error(&m) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}
