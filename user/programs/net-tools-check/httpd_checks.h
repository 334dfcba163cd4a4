/* SPDX-License-Identifier: MIT */
/* net-tools-check: httpd asked over TCP through net.h (included once, by main.c). */
#ifndef NET_TOOLS_HTTPD_CHECKS_H
#define NET_TOOLS_HTTPD_CHECKS_H

#define HTTPD_PORT 80
#define BLOB_CHECK (256u * 1024u)

static char resp[BLOB_CHECK + 4096];

/* Connects to httpd (retrying while it starts), sends req, reads up to max bytes or the end. */
static int ask(capos_cap_t m, const char *req, size_t len, uint32_t max)
{
	capos_cap_t s;
	uint32_t got = 0;
	int n = -1;

	for (int tries = 0; tries < 50; tries++) {
		if (net_tcp_connect(m, SELF, HTTPD_PORT, &s) == 0) {
			n = 0;
			break;
		}
		timer_sleep(rt_cap("timer", CAPOS_IFACE_TIMER), 100000000ull);
	}
	if (n < 0)
		return -1;
	if (tcp_write(s, req, len) == 0) {
		while (got < max) {
			uint32_t want = max - got > NET_IO_CHUNK ? NET_IO_CHUNK : max - got;

			n = tcp_read(s, resp + got, want);
			if (n <= 0)
				break;
			got += (uint32_t)n;
		}
	}
	tcp_close(s);
	cap_release(s);
	resp[got < sizeof(resp) ? got : sizeof(resp) - 1] = '\0';
	return (int)got;
}

/* The first needle in resp (NUL-terminated), or NULL. */
static char *find(const char *needle)
{
	size_t n = strlen(needle);

	for (char *p = resp; *p; p++)
		if (strncmp(p, needle, n) == 0)
			return p;
	return NULL;
}

static bool starts(const char *p)
{
	return strncmp(resp, p, strlen(p)) == 0;
}

static bool blob_is_pattern(int got)
{
	char *body = find("\r\n\r\n");

	if (!body || got < (int)BLOB_CHECK)
		return false;
	body += 4;
	for (uint32_t i = 0; body + i < resp + got; i++)
		if ((uint8_t)body[i] != (uint8_t)(i % 251))
			return false;
	return true;
}

static void check_httpd(capos_cap_t m)
{
	static const char get[] = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	static const char nope[] = "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n";
	static const char bad[] = "GARBAGE\r\n\r\n";
	static const char head[] = "HEAD /blob HTTP/1.1\r\nHost: x\r\n\r\n";
	static const char blob[] = "GET /blob HTTP/1.1\r\nHost: x\r\n\r\n";
	int got, ok = 0;

	got = ask(m, get, sizeof(get) - 1, 4096);
	check(got > 0 && starts("HTTP/1.1 200 OK\r\n") && find("<h1>capOS httpd</h1>"),
	      "httpd_index_200", got);
	ask(m, nope, sizeof(nope) - 1, 4096);
	check(starts("HTTP/1.1 404 "), "httpd_nope_404", 0);
	ask(m, bad, sizeof(bad) - 1, 4096);
	check(starts("HTTP/1.1 400 "), "httpd_garbage_400", 0);
	ask(m, head, sizeof(head) - 1, 4096);
	check(starts("HTTP/1.1 200 ") && find("Content-Length: 67108864\r\n") &&
	      find("\r\n\r\n") && find("\r\n\r\n")[4] == '\0', "httpd_head_blob_no_body", 0);
	got = ask(m, blob, sizeof(blob) - 1, BLOB_CHECK);
	check(blob_is_pattern(got), "httpd_blob_is_the_pattern_leaving_mid_body", got);
	for (int i = 0; i < 50; i++)
		ok += ask(m, get, sizeof(get) - 1, 4096) > 0 && starts("HTTP/1.1 200 ");
	check(ok == 50, "httpd_50_connections_answered", ok);
}

#endif
