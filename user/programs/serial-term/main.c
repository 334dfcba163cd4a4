// SPDX-License-Identifier: MIT
/*
 * serial-term (QEMU scenario serial-terminal): reads lines typed on COM1
 * through SerialPort and the line discipline, the way M6's terminal
 * service will, and prints what it got, one line each:
 *   serial-term: line (N bytes): TEXT       (bytes outside ASCII as \xNN)
 *   serial-term: interrupt                  (Ctrl-C)
 *   serial-term: line refused: over 1024 bytes
 * The line "password" makes it prompt "password> " and read the next line
 * with echo off; it then says only how long it was and whether it matched.
 * Ctrl-D on an empty line ends the input. Before that it checks that the
 * port refuses bad reads, and at the end that no byte was dropped, and
 * leaves a read pending when it exits (the kernel withdraws it; the leak
 * check sees nothing left).
 */
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "check.h"
#include "linedisc.h"
#include "rt.h"
#include "serial.h"
#include "ustring.h"

#define SHOW_MAX 96	/* bytes of a line shown */
#define PASSWORD "hunter2-secret"

static capos_cap_t port;
static struct linedisc ld;
static bool reading_password;
static uint64_t raw_params[4], raw_result[48];

/* read(max) by hand into raw_result (rlen bytes); the CQE result. */
static int read_raw(uint32_t max, uint32_t rlen)
{
	uint64_t arena[4];
	struct capos_cqe cqe;
	struct capnp_msg m;
	size_t plen;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	capos_SerialPort_read_Params_set_max(capos_SerialPort_read_Params_init_root(&m), max);
	if (capnp_msg_write(&m, raw_params, sizeof(raw_params), &plen))
		return CAPOS_ERR_INVALID_ARGUMENT;
	return uring_call(&rt.ring, port, capos_SerialPort_read, raw_params, (uint32_t)plen,
			  raw_result, rlen, NULL, 0, &cqe);
}

/* Reads the port refuses before anything is pending (no input has come yet). */
static void bad_reads(void)
{
	struct capos_cqe cqe;

	check_err(read_raw(0, sizeof(raw_result)), CAPOS_ERR_APPLICATION_EXCEPTION, "read_zero");
	check_err(read_raw(257, sizeof(raw_result)), CAPOS_ERR_APPLICATION_EXCEPTION,
		  "read_over_max");
	check_err(read_raw(256, 24 + 248), CAPOS_ERR_RESULT_TOO_SMALL, "read_result_too_small");
	check_err(uring_call(&rt.ring, port, 3, raw_params, 16, raw_result, sizeof(raw_result),
			     NULL, 0, &cqe),
		  CAPOS_ERR_UNKNOWN_METHOD, "unknown_method");
	check_err(uring_call(&rt.ring, port, capos_SerialPort_read, raw_params, 5, raw_result,
			     sizeof(raw_result), NULL, 0, &cqe),
		  CAPOS_ERR_MALFORMED_MESSAGE, "read_malformed");
}

static void show_line(const uint8_t *s, size_t n)
{
	char out[SHOW_MAX * 4 + 8];
	size_t o = 0;
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n && i < SHOW_MAX; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\') {
			out[o++] = (char)s[i];
			continue;
		}
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[s[i] >> 4];
		out[o++] = hex[s[i] & 15];
	}
	out[o] = 0;
	printf("serial-term: line (%zu bytes): %s%s\n", n, out, n > SHOW_MAX ? "..." : "");
}

static void on_line(void)
{
	size_t n;
	const uint8_t *s = linedisc_line(&ld, &n);

	if (reading_password) {
		reading_password = false;
		linedisc_set_echo(&ld, true);
		printf("serial-term: password of %zu bytes, %s\n", n,
		       n == strlen(PASSWORD) && memcmp(s, PASSWORD, n) == 0 ? "matches" : "differs");
		return;
	}
	show_line(s, n);
	if (n == 8 && memcmp(s, "password", 8) == 0) {
		reading_password = true;
		linedisc_set_echo(&ld, false);
		(void)serial_write(port, "password> ", 10);
	}
}

/* Feeds one read's bytes; false at end of input. */
static bool feed(const uint8_t *in, size_t n)
{
	bool more = true;

	while (n) {
		enum linedisc_event ev;
		size_t used = linedisc_feed(&ld, in, n, &ev), elen;
		const uint8_t *echo = linedisc_echo(&ld, &elen);

		if (elen && serial_write(port, echo, elen))
			check(false, "echo_written", 0);
		linedisc_echo_clear(&ld);
		in += used;
		n -= used;
		if (ev == LINEDISC_LINE)
			on_line();
		else if (ev == LINEDISC_INTERRUPT)
			printf("serial-term: interrupt\n");
		else if (ev == LINEDISC_TOO_LONG)
			printf("serial-term: line refused: over %u bytes\n", LINEDISC_LINE_MAX);
		else if (ev == LINEDISC_EOF)
			more = false;
	}
	return more;
}

/* A read submitted and never waited for: the kernel must withdraw it at exit. */
static void leave_a_read_pending(void)
{
	uint64_t arena[4];
	struct capos_sqe *sqe;
	struct capnp_msg m;
	size_t plen;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	capos_SerialPort_read_Params_set_max(capos_SerialPort_read_Params_init_root(&m), 16);
	sqe = uring_get_sqe(&rt.ring);
	if (capnp_msg_write(&m, raw_params, sizeof(raw_params), &plen) || !sqe) {
		check(false, "read_left_pending", 0);
		return;
	}
	sqe->opcode = CAPOS_OP_CALL;
	sqe->cap_id = port;
	sqe->method_id = capos_SerialPort_read;
	sqe->user_data = uring_next_id(&rt.ring);
	sqe->params_addr = (uint64_t)(uintptr_t)raw_params;
	sqe->params_len = (uint32_t)plen;
	sqe->result_addr = (uint64_t)(uintptr_t)raw_result;
	sqe->result_len = sizeof(raw_result);
	uring_submit(&rt.ring);
	check(uring_enter(&rt.ring, 0, 0) >= 0, "read_left_pending", 0);
}

int main(void)
{
	uint8_t buf[SERIAL_READ_MAX];
	uint64_t dropped = 1;
	uint32_t got, buffered;
	int lines = 0;

	check_init("serial-term");
	port = rt_cap("serial", CAPOS_IFACE_SERIAL_PORT);
	if (!check(port != CAPOS_CAP_INVALID, "init_has_a_serial_port", 0))
		return check_done();
	bad_reads();
	linedisc_init(&ld);
	printf("serial-term: ready\n");	/* the harness types after this line */
	for (bool more = true; more; lines++) {
		int err = serial_read(port, buf, sizeof(buf), &got);

		if (err) {
			check_err(err, 0, "read");
			break;
		}
		more = feed(buf, got);
	}
	printf("serial-term: end of input after %d reads\n", lines);
	check_err(serial_status(port, &dropped, &buffered), 0, "status");
	check(dropped == 0, "no_byte_dropped", (long long)dropped);
	leave_a_read_pending();
	return check_done();
}
