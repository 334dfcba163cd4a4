// SPDX-License-Identifier: MIT
/* HTTP/1.1 heads and chunked bodies (http.h). */
#include "http/http1.h"
#include "inet/ipv4.h"

#define CHUNK_SIZE_DIGITS_MAX 15	/* hex digits of a chunk size: < 2^60 */

static size_t length_of(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static bool lower_eq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char x = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] + 32) : a[i];

		if (x != b[i])
			return false;
	}
	return true;
}

static void copy_text(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
	dst[n] = '\0';
}

int http_parse_url(const char *s, struct http_url *u)
{
	size_t n = length_of(s), host_end, addr_end, path_len;
	uint32_t port = 80;

	if (n < 7 || !lower_eq(s, "http://", 7))
		return -1;
	s += 7, n -= 7;
	for (host_end = 0; host_end < n && s[host_end] != '/'; host_end++)
		;
	for (addr_end = 0; addr_end < host_end && s[addr_end] != ':'; addr_end++)
		;
	if (host_end >= HTTP_HOST_MAX || ipv4_parse(s, addr_end, &u->address))
		return -1;
	if (addr_end < host_end) {
		if (addr_end + 1 == host_end || host_end - addr_end > 6)
			return -1;
		port = 0;
		for (size_t i = addr_end + 1; i < host_end; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			port = port * 10 + (uint32_t)(s[i] - '0');
		}
		if (port == 0 || port > 65535)
			return -1;
	}
	path_len = n - host_end;
	if (path_len >= HTTP_PATH_MAX)
		return -1;
	u->port = (uint16_t)port;
	copy_text(u->host, s, host_end);
	if (path_len)
		copy_text(u->path, s + host_end, path_len);
	else
		copy_text(u->path, "/", 1);
	return 0;
}

size_t http_head_end(const char *buf, size_t len)
{
	for (size_t i = 3; i < len; i++)
		if (buf[i - 3] == '\r' && buf[i - 2] == '\n' && buf[i - 1] == '\r' && buf[i] == '\n')
			return i + 1;
	return 0;
}

/* The line at buf[*at..len) without its CRLF: its start and length; *at moves past it. */
static int next_line(const char *buf, size_t len, size_t *at, const char **line, size_t *n)
{
	size_t i = *at;

	while (i + 1 < len && !(buf[i] == '\r' && buf[i + 1] == '\n'))
		i++;
	if (i + 1 >= len)
		return -1;
	*line = buf + *at;
	*n = i - *at;
	*at = i + 2;
	return 0;
}

/* A header line "name: value": does name match (lower case), and its value. */
static bool header_is(const char *line, size_t n, const char *name, const char **value,
		      size_t *vlen)
{
	size_t k = length_of(name);

	if (n <= k || line[k] != ':' || !lower_eq(line, name, k))
		return false;
	k++;
	while (k < n && (line[k] == ' ' || line[k] == '\t'))
		k++;
	*value = line + k;
	*vlen = n - k;
	while (*vlen && ((*value)[*vlen - 1] == ' ' || (*value)[*vlen - 1] == '\t'))
		(*vlen)--;
	return true;
}

static int parse_decimal(const char *s, size_t n, uint64_t *v)
{
	if (n == 0 || n > 18)
		return -1;
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

/* One response header: what it says of the body. */
static int response_header(const char *line, size_t n, struct http_response *r)
{
	const char *v;
	size_t vn;

	if (header_is(line, n, "content-length", &v, &vn)) {
		if (parse_decimal(v, vn, &r->length))
			return -1;
		if (r->body != HTTP_BODY_CHUNKED)
			r->body = HTTP_BODY_LENGTH;
	} else if (header_is(line, n, "transfer-encoding", &v, &vn)) {
		if (vn != 7 || !lower_eq(v, "chunked", 7))
			return -1;	/* no other coding is spoken */
		r->body = HTTP_BODY_CHUNKED;
	}
	return 0;
}

int http_parse_response(const char *buf, size_t len, struct http_response *r)
{
	const char *line;
	size_t at = 0, n;

	if (next_line(buf, len, &at, &line, &n) || n < 12 || !lower_eq(line, "http/1.", 7) ||
	    line[8] != ' ' || (n > 12 && line[12] != ' '))
		return -1;
	r->status = 0;
	for (int i = 9; i < 12; i++) {
		if (line[i] < '0' || line[i] > '9')
			return -1;
		r->status = r->status * 10 + (line[i] - '0');
	}
	if (r->status < 100)
		return -1;
	copy_text(r->status_line, line, n < HTTP_STATUS_LINE_MAX ? n : HTTP_STATUS_LINE_MAX - 1);
	r->body = HTTP_BODY_UNTIL_CLOSE;
	r->length = 0;
	while (!next_line(buf, len, &at, &line, &n) && n)
		if (response_header(line, n, r))
			return -1;
	return 0;
}

enum { CH_SIZE, CH_EXT, CH_SIZE_LF, CH_DATA, CH_DATA_CR, CH_DATA_LF, CH_TRAILER,
       CH_TRAILER_LF, CH_TRAILER_LINE, CH_TRAILER_LINE_LF, CH_DONE };

void http_chunked_init(struct http_chunked *c)
{
	c->state = CH_SIZE;
	c->left = 0;
	c->digits = 0;
}

static int hex_value(uint8_t ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* One byte of framing (not data): the next state, or -1. */
static int framing_byte(struct http_chunked *c, uint8_t ch)
{
	int h;

	switch (c->state) {
	case CH_SIZE:
		h = hex_value(ch);
		if (h >= 0 && c->digits < CHUNK_SIZE_DIGITS_MAX) {
			c->left = c->left * 16 + (uint64_t)h;
			c->digits++;
			return CH_SIZE;
		}
		if (!c->digits || h >= 0)
			return -1;
		return ch == '\r' ? CH_SIZE_LF : (ch == ';' || ch == ' ') ? CH_EXT : -1;
	case CH_EXT:
		return ch == '\r' ? CH_SIZE_LF : ch == '\n' ? -1 : CH_EXT;
	case CH_SIZE_LF:
		if (ch != '\n')
			return -1;
		return c->left ? CH_DATA : CH_TRAILER;
	case CH_DATA_CR:
		return ch == '\r' ? CH_DATA_LF : -1;
	case CH_DATA_LF:
		c->digits = 0;
		return ch == '\n' ? CH_SIZE : -1;
	case CH_TRAILER:	/* at the start of a trailer line: CRLF ends the body */
		return ch == '\r' ? CH_TRAILER_LF : CH_TRAILER_LINE;
	case CH_TRAILER_LINE:
		return ch == '\r' ? CH_TRAILER_LINE_LF : CH_TRAILER_LINE;
	case CH_TRAILER_LINE_LF:
		return ch == '\n' ? CH_TRAILER : -1;
	case CH_TRAILER_LF:
		return ch == '\n' ? CH_DONE : -1;
	default:
		return -1;
	}
}

int http_chunked_feed(struct http_chunked *c, uint8_t *in, size_t *len, size_t *used)
{
	size_t i = 0, out = 0, n = *len;

	while (i < n && c->state != CH_DONE) {
		if (c->state == CH_DATA) {
			size_t take = n - i < c->left ? n - i : (size_t)c->left;

			for (size_t k = 0; k < take; k++)
				in[out + k] = in[i + k];
			out += take, i += take;
			c->left -= take;
			if (!c->left)
				c->state = CH_DATA_CR;
			continue;
		}
		int next = framing_byte(c, in[i++]);

		if (next < 0) {
			*len = out;
			*used = i;
			return -1;
		}
		c->state = next;
	}
	*len = out;
	*used = i;
	return c->state == CH_DONE ? 1 : 0;
}

/* The request line "METHOD SP PATH SP HTTP/1.x": r's method and path, and its minor version. */
static int request_line(const char *line, size_t n, struct http_request *r, int *minor)
{
	size_t sp1 = 0, sp2;

	while (sp1 < n && line[sp1] != ' ')
		sp1++;
	sp2 = sp1 + 1;
	while (sp2 < n && line[sp2] != ' ')
		sp2++;
	if (sp1 == 0 || sp2 >= n || n - sp2 != 9 || !lower_eq(line + sp2 + 1, "http/1.", 7) ||
	    (line[n - 1] != '0' && line[n - 1] != '1'))
		return -1;
	if (sp2 - sp1 - 1 == 0 || sp2 - sp1 - 1 >= HTTP_PATH_MAX || line[sp1 + 1] != '/')
		return -1;
	for (size_t i = sp1 + 1; i < sp2; i++)
		if ((uint8_t)line[i] <= ' ' || (uint8_t)line[i] >= 0x7f)
			return -1;
	r->method = (sp1 == 3 && lower_eq(line, "get", 3) && line[0] == 'G') ? HTTP_GET :
		    (sp1 == 4 && line[0] == 'H' && lower_eq(line, "head", 4)) ? HTTP_HEAD :
										  HTTP_OTHER;
	copy_text(r->path, line + sp1 + 1, sp2 - sp1 - 1);
	*minor = line[n - 1] - '0';
	return 0;
}

static bool has_colon(const char *line, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (line[i] == ':')
			return true;
	return false;
}

int http_parse_request(const char *buf, size_t len, struct http_request *r)
{
	const char *line, *v;
	size_t at = 0, n, vn;
	int minor;

	if (len > HTTP_HEAD_MAX || next_line(buf, len, &at, &line, &n) ||
	    request_line(line, n, r, &minor))
		return -1;
	r->keep_alive = minor == 1;
	for (;;) {
		if (next_line(buf, len, &at, &line, &n))
			return -1;	/* a head ends with an empty line */
		if (!n)
			return 0;
		if (!has_colon(line, n))
			return -1;
		if (header_is(line, n, "connection", &v, &vn))
			r->keep_alive = vn == 10 && lower_eq(v, "keep-alive", 10) ? true :
					vn == 5 && lower_eq(v, "close", 5) ? false : r->keep_alive;
	}
}
