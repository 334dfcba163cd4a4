// SPDX-License-Identifier: MIT
/*
 * Command line lookup. The command line comes from the boot loader and is
 * bounded (boot_info copies it into a fixed buffer), so a linear scan is fine.
 */
#include "lib/cmdline.h"
#include "lib/string.h"

static const char *skip_spaces(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

static size_t word_length(const char *p)
{
	size_t n = 0;

	while (p[n] && p[n] != ' ')
		n++;
	return n;
}

bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);

	for (const char *p = skip_spaces(cmdline); *p; p = skip_spaces(p + word_length(p))) {
		size_t wlen = word_length(p);

		if (wlen < klen || strncmp(p, key, klen) != 0)
			continue;
		if (wlen != klen && p[klen] != '=')
			continue;
		const char *val = wlen == klen ? p + klen : p + klen + 1;
		size_t vlen = wlen == klen ? 0 : wlen - klen - 1;
		if (size) {
			size_t n = vlen < size - 1 ? vlen : size - 1;
			memcpy(buf, val, n);
			buf[n] = 0;
		}
		return true;
	}
	return false;
}

uint64_t cmdline_get_u64(const char *cmdline, const char *key, uint64_t fallback)
{
	char buf[24];
	uint64_t v = 0;

	if (!cmdline_get(cmdline, key, buf, sizeof(buf)) || buf[0] == 0)
		return fallback;
	for (const char *p = buf; *p; p++) {
		if (*p < '0' || *p > '9')
			return fallback;
		uint64_t digit = (uint64_t)(*p - '0');
		if (v > (UINT64_MAX - digit) / 10)
			return fallback;
		v = v * 10 + digit;
	}
	return v;
}
