// SPDX-License-Identifier: MIT
/*
 * Tests of lib/http/http1.c: URLs (port, path, what is refused), response
 * heads (status, Content-Length, chunked, until close, malformed), chunked
 * bodies fed whole and a byte at a time (with extensions and trailers,
 * and malformed ones), and request heads for httpd.
 */
#include <string.h>

#include "http/http1.h"
#include "test.h"

TEST(url_parses)
{
	struct http_url u;

	CHECK(http_parse_url("http://10.0.2.2:8000/file", &u) == 0);
	CHECK(u.address == 0x0a000202u && u.port == 8000);
	CHECK_STR(u.host, "10.0.2.2:8000");
	CHECK_STR(u.path, "/file");
	CHECK(http_parse_url("http://10.0.2.2", &u) == 0 && u.port == 80);
	CHECK_STR(u.path, "/");
	CHECK_STR(u.host, "10.0.2.2");
}

TEST(url_refuses)
{
	static const char *const bad[] = {
		"https://10.0.2.2/", "10.0.2.2/", "http://example.com/", "http://10.0.2.2:/",
		"http://10.0.2.2:0/", "http://10.0.2.2:65536/", "http://10.0.2.2:80a/", "http://",
		"http://10.0.2/x",
	};
	struct http_url u;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(http_parse_url(bad[i], &u) == -1);
}

static int response(const char *s, struct http_response *r)
{
	size_t n = http_head_end(s, strlen(s));

	return n ? http_parse_response(s, n, r) : -2;
}

TEST(response_heads)
{
	struct http_response r;

	CHECK(response("HTTP/1.0 200 OK\r\nContent-Length: 12\r\nServer: x\r\n\r\nbody", &r) == 0);
	CHECK(r.status == 200 && r.body == HTTP_BODY_LENGTH && r.length == 12);
	CHECK_STR(r.status_line, "HTTP/1.0 200 OK");
	CHECK(response("HTTP/1.1 404 Not Found\r\ntransfer-encoding: chunked\r\n\r\n", &r) == 0);
	CHECK(r.status == 404 && r.body == HTTP_BODY_CHUNKED);
	CHECK(response("HTTP/1.1 200\r\n\r\n", &r) == 0 && r.body == HTTP_BODY_UNTIL_CLOSE);
	CHECK(response("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", &r) == -1);
	CHECK(response("HTTP/1.1 2x0 OK\r\n\r\n", &r) == -1);
	CHECK(response("SSH-2.0 hello\r\n\r\n", &r) == -1);
	CHECK(response("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", &r) == -1);
	CHECK(http_head_end("HTTP/1.1 200 OK\r\n\r", 18) == 0);
}

static const char chunked_body[] =
	"4\r\nWiki\r\n5;ext=1\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nTrailer: x\r\n\r\nNEXT";

TEST(chunked_whole)
{
	struct http_chunked c;
	uint8_t buf[sizeof(chunked_body)];
	size_t len = sizeof(chunked_body) - 1, used;

	memcpy(buf, chunked_body, len);
	http_chunked_init(&c);
	CHECK(http_chunked_feed(&c, buf, &len, &used) == 1);
	CHECK(len == 23 && memcmp(buf, "Wikipedia in\r\n\r\nchunks.", 23) == 0);
	CHECK(used == sizeof(chunked_body) - 1 - 4);	/* "NEXT" is not the body's */
}

TEST(chunked_byte_at_a_time)
{
	struct http_chunked c;
	char out[64];
	size_t got = 0, i;
	int st = 0;

	http_chunked_init(&c);
	for (i = 0; i < sizeof(chunked_body) - 1 && st == 0; i++) {
		uint8_t b = (uint8_t)chunked_body[i];
		size_t len = 1, used;

		st = http_chunked_feed(&c, &b, &len, &used);
		CHECK(used == 1);
		if (len)
			out[got++] = (char)b;
	}
	CHECK(st == 1 && got == 23 && memcmp(out, "Wikipedia in\r\n\r\nchunks.", 23) == 0);
}

TEST(chunked_malformed)
{
	static const char *const bad[] = { "x\r\n", "4\r\nWikiX", "\r\n", "4\nWiki",
					   "1111111111111111\r\n" };
	struct http_chunked c;
	uint8_t buf[64];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = strlen(bad[i]), used;

		memcpy(buf, bad[i], len);
		http_chunked_init(&c);
		CHECK(http_chunked_feed(&c, buf, &len, &used) == -1);
	}
}

static int request(const char *s, struct http_request *r)
{
	return http_parse_request(s, strlen(s), r);
}

TEST(request_heads)
{
	struct http_request r;

	CHECK(request("GET / HTTP/1.1\r\nHost: x\r\n\r\n", &r) == 0);
	CHECK(r.method == HTTP_GET && r.keep_alive);
	CHECK_STR(r.path, "/");
	CHECK(request("HEAD /blob HTTP/1.0\r\n\r\n", &r) == 0 && r.method == HTTP_HEAD &&
	      !r.keep_alive);
	CHECK_STR(r.path, "/blob");
	CHECK(request("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", &r) == 0 && !r.keep_alive);
	CHECK(request("POST /x HTTP/1.1\r\n\r\n", &r) == 0 && r.method == HTTP_OTHER);
}

TEST(request_malformed)
{
	static const char *const bad[] = {
		"GET / HTTP/1.1\r\n", "GET /\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n", "GET x HTTP/1.1\r\n\r\n",
		"GET / HTTP/2.0\r\n\r\n", "GET / HTTP/1.1\r\nno colon\r\n\r\n", "\r\n\r\n",
		"GET /a\x01 HTTP/1.1\r\n\r\n",
	};
	struct http_request r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(request(bad[i], &r) == -1);
}

int main(void)
{
	RUN(url_parses);
	RUN(url_refuses);
	RUN(response_heads);
	RUN(chunked_whole);
	RUN(chunked_byte_at_a_time);
	RUN(chunked_malformed);
	RUN(request_heads);
	RUN(request_malformed);
	TEST_EXIT();
}
