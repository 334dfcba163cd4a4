// SPDX-License-Identifier: MIT
/*
 * httpd: one connection. Its request head is read (at most HTTP_HEAD_MAX
 * bytes, else 400), parsed, and answered: the fixed document at "/",
 * 64 MiB of pattern at "/blob" (byte i is i % 251, made on the fly from a
 * precomputed period so a write is one copy), 404 for other paths, 405
 * for methods other than GET and HEAD, 400 for a malformed head. Each
 * response says Connection: close and the connection closes once it is
 * sent (keep-alive is not offered). HTTPD_WRITES writes stay in flight.
 */
#include "httpd_conn.h"
#include "rt.h"

static const char index_doc[] =
	"<!DOCTYPE html>\n<html><head><title>capOS</title></head>\n"
	"<body><h1>capOS httpd</h1><p>Served over a TcpSocket capability.</p></body></html>\n";

/* The pattern for NET_TCP_IO_MAX bytes from any offset of the period. */
static uint8_t pattern[NET_TCP_IO_MAX + HTTPD_BLOB_PERIOD];

static void pattern_init(void)
{
	if (pattern[1])
		return;
	for (uint32_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i % HTTPD_BLOB_PERIOD);
}

static void conn_close(struct conn *c)
{
	tcp_close(c->sock);
	cap_release(c->sock);
	c->sock = CAPOS_CAP_INVALID;
}

/* Queues writes while there is something to send and room in flight. */
static void pump(struct conn *c)
{
	while (c->body_left && c->writing < HTTPD_WRITES) {
		uint32_t n = c->body_left > NET_IO_CHUNK ? NET_IO_CHUNK : (uint32_t)c->body_left;
		const uint8_t *src = c->blob ? pattern + c->blob_off % HTTPD_BLOB_PERIOD : c->body;
		struct tcp_write_req *w = &c->writes[0];

		for (uint32_t i = 0; i < HTTPD_WRITES; i++)
			if (!c->writes[i].user_data)
				w = &c->writes[i];
		if (tcp_write_submit(client_ring, c->sock, src, n, w)) {
			c->body_left = 0;	/* no SQE: give up on this response */
			break;
		}
		c->writing++;
		c->body_left -= n;
		c->blob_off += n;
		if (!c->blob)
			c->body += n;
	}
	if (!c->body_left)
		c->closing = true;
}

/* Starts a response: the head (queued at once) and the body to pump. */
static void respond(struct conn *c, int status, const char *reason, bool head_only,
		    const uint8_t *body, uint64_t len, bool blob)
{
	char h[256];
	int n = snprintf(h, sizeof(h),
			 "HTTP/1.1 %d %s\r\nServer: capOS-httpd\r\nContent-Length: %llu\r\n"
			 "Content-Type: %s\r\nConnection: close\r\n\r\n",
			 status, reason, (unsigned long long)len,
			 blob ? "application/octet-stream" : "text/html");

	/* The head first, from h: a write copies its data into its params at submit. */
	c->blob = false;
	c->body = (const uint8_t *)h;
	c->body_left = (uint64_t)n;
	pump(c);
	c->blob = blob;
	c->blob_off = 0;
	c->body = blob ? NULL : body;
	c->body_left = head_only ? 0 : len;
	c->closing = false;
	pump(c);
}

static void answer(struct conn *c, uint32_t end)
{
	static const char nf[] = "<html><body>404 not found</body></html>\n";
	static const char bad[] = "<html><body>400 bad request</body></html>\n";
	static const char na[] = "<html><body>405 method not allowed</body></html>\n";
	struct http_request r;

	if (!end || http_parse_request(c->head, end, &r)) {
		respond(c, 400, "Bad Request", false, (const uint8_t *)bad, sizeof(bad) - 1, false);
		return;
	}
	if (r.method == HTTP_OTHER) {
		respond(c, 405, "Method Not Allowed", false, (const uint8_t *)na, sizeof(na) - 1,
			false);
	} else if (strcmp(r.path, "/") == 0) {
		respond(c, 200, "OK", r.method == HTTP_HEAD, (const uint8_t *)index_doc,
			sizeof(index_doc) - 1, false);
	} else if (strcmp(r.path, "/blob") == 0) {
		respond(c, 200, "OK", r.method == HTTP_HEAD, NULL, HTTPD_BLOB_SIZE, true);
	} else {
		respond(c, 404, "Not Found", r.method == HTTP_HEAD, (const uint8_t *)nf,
			sizeof(nf) - 1, false);
	}
}

bool conn_start(struct conn *c, capos_cap_t sock)
{
	pattern_init();
	c->sock = sock;
	c->head_len = 0;
	c->writing = 0;
	c->closing = false;
	c->body_left = 0;
	c->read.user_data = 0;
	for (uint32_t i = 0; i < HTTPD_WRITES; i++)
		c->writes[i].user_data = 0;
	c->reading = !tcp_read_submit(client_ring, sock, NET_IO_CHUNK, &c->read);
	if (!c->reading)
		conn_close(c);
	return c->reading;
}

/* Some of the request head arrived (n > 0), or its end (n == 0), or an error (n < 0). */
static void head_read(struct conn *c, int n)
{
	uint32_t room = HTTP_HEAD_MAX - c->head_len, end;

	c->reading = false;
	if (n <= 0) {
		c->closing = true;	/* the client left before asking */
		return;
	}
	if ((uint32_t)n > room)
		n = (int)room;
	memcpy(c->head + c->head_len, c->read.data, (uint32_t)n);
	c->head_len += (uint32_t)n;
	end = (uint32_t)http_head_end(c->head, c->head_len);
	if (end || c->head_len == HTTP_HEAD_MAX) {
		answer(c, end);
		return;
	}
	c->reading = !tcp_read_submit(client_ring, c->sock, HTTP_HEAD_MAX - c->head_len, &c->read);
	c->closing = !c->reading;
}

bool conn_complete(struct conn *c, const struct capos_cqe *cqe, bool *ended)
{
	bool mine = false;

	if (c->reading && cqe->user_data == c->read.user_data) {
		head_read(c, tcp_read_result(&c->read, cqe));
		mine = true;
	}
	for (uint32_t i = 0; !mine && i < HTTPD_WRITES; i++) {
		if (!c->writes[i].user_data || cqe->user_data != c->writes[i].user_data)
			continue;
		c->writes[i].user_data = 0;
		c->writing--;
		if (tcp_write_result(&c->writes[i], cqe))
			c->body_left = 0;	/* reset or closed: stop sending */
		pump(c);
		mine = true;
	}
	*ended = false;
	if (mine && c->closing && !c->writing && !c->reading) {
		conn_close(c);
		*ended = true;
	}
	return mine;
}
