// SPDX-License-Identifier: MIT
/*
 * fetch: the response as it arrives. The head is gathered (at most
 * HTTP_HEAD_MAX bytes) and checked; a status outside 2xx is an error
 * reported with its status line; the body, framed by Content-Length,
 * chunked, or the end of the connection, goes to the terminal, into the
 * SHA-256, or nowhere (-q), and is counted.
 */
#include "fetch.h"
#include "rt.h"
#include "terminal.h"

/* Body bytes to wherever the mode sends them. */
static void body_out(struct fetch *f, const uint8_t *p, uint32_t n)
{
	f->body_bytes += n;
	if (f->mode == FETCH_SHA256) {
		sha256_update(&f->sha, p, n);
	} else if (f->mode == FETCH_PRINT && n) {
		capos_cap_t term = rt_cap("terminal", CAPOS_IFACE_TERMINAL_SESSION);

		print_flush();
		if (rt.console != CAPOS_CAP_INVALID)
			console_write(rt.console, p, n);
		else if (term != CAPOS_CAP_INVALID)
			terminal_write(term, p, n);
	}
}

static int body_take(struct fetch *f, uint8_t *p, uint32_t n)
{
	size_t len = n, used;
	int st;

	switch (f->resp.body) {
	case HTTP_BODY_LENGTH:
		if (f->resp.length - f->body_bytes < n)
			n = (uint32_t)(f->resp.length - f->body_bytes);
		body_out(f, p, n);
		f->done = f->body_bytes == f->resp.length;
		return 0;
	case HTTP_BODY_CHUNKED:
		st = http_chunked_feed(&f->chunked, p, &len, &used);
		body_out(f, p, (uint32_t)len);
		if (st < 0) {
			printf("fetch: malformed chunked body after %llu bytes\n",
			       (unsigned long long)f->body_bytes);
			return -1;
		}
		f->done = st == 1;
		return 0;
	default:
		body_out(f, p, n);
		return 0;
	}
}

/* The head is whole in f->head[0..end): parse and judge it. */
static int head_done(struct fetch *f, uint32_t end)
{
	if (http_parse_response(f->head, end, &f->resp)) {
		printf("fetch: malformed response head\n");
		return -1;
	}
	if (f->resp.status < 200 || f->resp.status > 299) {
		printf("fetch: %s\n", f->resp.status_line);
		return -1;
	}
	f->in_body = true;
	http_chunked_init(&f->chunked);
	f->done = f->resp.body == HTTP_BODY_LENGTH && f->resp.length == 0;
	return 0;
}

int fetch_take(struct fetch *f, uint8_t *data, uint32_t len)
{
	uint32_t room, end, before, copy;

	if (f->done)
		return 0;	/* what follows the body is not ours */
	if (f->in_body)
		return body_take(f, data, len);
	before = f->head_len;
	room = HTTP_HEAD_MAX - f->head_len;
	copy = len > room ? room : len;
	memcpy(f->head + f->head_len, data, copy);
	f->head_len += copy;
	end = (uint32_t)http_head_end(f->head, f->head_len);
	if (!end) {
		if (f->head_len < HTTP_HEAD_MAX)
			return 0;
		printf("fetch: response head over %u bytes\n", HTTP_HEAD_MAX);
		return -1;
	}
	if (head_done(f, end))
		return -1;
	/* The bytes of this piece after the head are the body's first. */
	return end - before < len ? body_take(f, data + (end - before), len - (end - before)) : 0;
}

int fetch_end(struct fetch *f)
{
	if (!f->in_body) {
		printf("fetch: connection closed before the response head ended\n");
		return -1;
	}
	if (f->resp.body == HTTP_BODY_UNTIL_CLOSE || f->done)
		return 0;
	printf("fetch: connection closed after %llu bytes of the body\n",
	       (unsigned long long)f->body_bytes);
	return -1;
}
