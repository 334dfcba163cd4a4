// SPDX-License-Identifier: MIT
/* Dotted IPv4 text (ipv4.h). */
#include "inet/ipv4.h"

/* One part at s[*i..len): 1..3 digits, at most 255. 0 and *v, or -1. */
static int parse_part(const char *s, size_t len, size_t *i, uint32_t *v)
{
	size_t start = *i;

	*v = 0;
	while (*i < len && *i - start < 3 && s[*i] >= '0' && s[*i] <= '9')
		*v = *v * 10 + (uint32_t)(s[(*i)++] - '0');
	return (*i == start || *v > 255) ? -1 : 0;
}

int ipv4_parse(const char *s, size_t len, uint32_t *addr)
{
	uint32_t out = 0, v;
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		if (part && (i >= len || s[i++] != '.'))
			return -1;
		if (parse_part(s, len, &i, &v))
			return -1;
		out = (out << 8) | v;
	}
	if (i != len)
		return -1;
	*addr = out;
	return 0;
}

size_t ipv4_format(uint32_t addr, char out[IPV4_TEXT_MAX])
{
	size_t n = 0;

	for (int part = 3; part >= 0; part--) {
		uint32_t v = (addr >> (part * 8)) & 0xffu;

		if (v >= 100)
			out[n++] = (char)('0' + v / 100);
		if (v >= 10)
			out[n++] = (char)('0' + v / 10 % 10);
		out[n++] = (char)('0' + v % 10);
		if (part)
			out[n++] = '.';
	}
	out[n] = '\0';
	return n;
}
