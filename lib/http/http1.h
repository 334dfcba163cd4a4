/* SPDX-License-Identifier: MIT */
/*
 * The little HTTP/1.1 that fetch and httpd speak (docs/network.md): URLs
 * of the form http://A.B.C.D[:PORT][/PATH] (no names: there is no DNS),
 * a response's head (status line, Content-Length, chunked), a chunked body
 * decoded as it arrives, and a request's head for the server. Pure and
 * freestanding, every input bounded; host-tested (tests/unit/http).
 */
#ifndef CAPOS_LIB_HTTP_HTTP1_H
#define CAPOS_LIB_HTTP_HTTP1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_HEAD_MAX 8192u	/* bytes of a request's or response's head */
#define HTTP_PATH_MAX 1024u
#define HTTP_HOST_MAX 24u	/* "255.255.255.255:65535" and a NUL */
#define HTTP_STATUS_LINE_MAX 128u

struct http_url {
	uint32_t address;
	uint16_t port;
	char host[HTTP_HOST_MAX];	/* for the Host header, as written */
	char path[HTTP_PATH_MAX];	/* "/" when the URL had none */
};

/* Parses s; 0 or -1 (not http://, not a dotted IPv4, a bad port, too long). */
int http_parse_url(const char *s, struct http_url *u);

/* Where the end of a head ("\r\n\r\n") is in buf[0..len): its length with it, or 0. */
size_t http_head_end(const char *buf, size_t len);

enum http_body_kind { HTTP_BODY_LENGTH, HTTP_BODY_CHUNKED, HTTP_BODY_UNTIL_CLOSE };

struct http_response {
	int status;				/* 100..999 */
	char status_line[HTTP_STATUS_LINE_MAX];	/* without CRLF, possibly cut */
	enum http_body_kind body;
	uint64_t length;			/* with HTTP_BODY_LENGTH */
};

/* Parses a response head buf[0..len) (as http_head_end measured it). 0 or -1. */
int http_parse_response(const char *buf, size_t len, struct http_response *r);

/* A chunked body, decoded as it arrives. */
struct http_chunked {
	int state;
	uint64_t left;		/* of the current chunk */
	uint32_t digits;	/* of its size, bounded */
};

void http_chunked_init(struct http_chunked *c);

/*
 * Decodes in[0..*len) in place: the body's bytes are moved to the front of
 * in and *len becomes their count; *used says how much of the input was
 * taken (the rest follows the body). Returns 1 when the body has ended, 0
 * when more is needed, -1 when malformed.
 */
int http_chunked_feed(struct http_chunked *c, uint8_t *in, size_t *len, size_t *used);

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_OTHER };

struct http_request {
	enum http_method method;
	char path[HTTP_PATH_MAX];
	bool keep_alive;	/* HTTP/1.1 without "Connection: close" */
};

/* Parses a request head buf[0..len). 0, or -1 for a malformed one (400). */
int http_parse_request(const char *buf, size_t len, struct http_request *r);

#endif
