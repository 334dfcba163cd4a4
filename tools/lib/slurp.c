// SPDX-License-Identifier: MIT
/* Reading a whole stream into memory: see slurp.h. */
#include "slurp.h"

#include <stdlib.h>

void *slurp(FILE *f, size_t *len, const char *prog)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap), *bigger;

	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n < cap)
			continue;
		bigger = realloc(buf, cap *= 2);
		if (!bigger)
			free(buf);
		buf = bigger;
	}
	if (!buf) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(2);
	}
	*len = n;
	return buf;
}
