/* SPDX-License-Identifier: MIT */
/* fetch (main.c): the response, taken apart as it arrives (body.c). */
#ifndef CAPOS_FETCH_H
#define CAPOS_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/sha256.h"
#include "http/http1.h"

enum fetch_mode { FETCH_PRINT, FETCH_SHA256, FETCH_QUIET };

struct fetch {
	enum fetch_mode mode;
	char head[HTTP_HEAD_MAX];	/* the response head, until its end is seen */
	uint32_t head_len;
	bool in_body;
	bool done;			/* the body has ended (length, last chunk) */
	struct http_response resp;
	struct http_chunked chunked;
	uint64_t body_bytes;
	struct sha256 sha;
};

/*
 * Takes data[0..len) of the stream (data may be changed in place). Returns
 * 0, or -1 with a message printed (a bad or non-2xx response).
 */
int fetch_take(struct fetch *f, uint8_t *data, uint32_t len);

/* The stream ended (the peer closed): 0 if the body is whole, else -1 with a message. */
int fetch_end(struct fetch *f);

#endif
