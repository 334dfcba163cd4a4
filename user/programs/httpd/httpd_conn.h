/* SPDX-License-Identifier: MIT */
/* httpd: one connection's state (conn.c), driven by the loop in main.c. */
#ifndef CAPOS_HTTPD_H
#define CAPOS_HTTPD_H

#include <stdbool.h>
#include <stdint.h>

#include "http/http1.h"
#include "net.h"

#define HTTPD_CONNS 8		/* connections served at once */
#define HTTPD_WRITES 2		/* writes in flight on one connection */
#define HTTPD_BLOB_SIZE (64ull << 20)
#define HTTPD_BLOB_PERIOD 251u	/* byte i of /blob is i % 251 (the host makes the same) */

struct conn {
	capos_cap_t sock;
	char head[HTTP_HEAD_MAX];
	uint32_t head_len;
	bool reading;			/* read in flight */
	uint32_t writing;		/* writes in flight */
	bool closing;			/* no more to send: close when writes are done */
	const uint8_t *body;		/* a fixed body still to send, or NULL */
	uint64_t body_left;		/* bytes of the response body still to queue */
	uint64_t blob_off;		/* with the blob: where the next write starts */
	bool blob;
	struct tcp_read_req read;
	struct tcp_write_req writes[HTTPD_WRITES];
};

/* A new connection: starts reading its request. false if it cannot (closed). */
bool conn_start(struct conn *c, capos_cap_t sock);

/*
 * The completion cqe, if it is one of c's: handles it and returns true.
 * *ended becomes true when the connection is over (closed and released:
 * the slot is free).
 */
bool conn_complete(struct conn *c, const struct capos_cqe *cqe, bool *ended);

#endif
