/* SPDX-License-Identifier: MIT */
/* A 256-byte configuration space for the capability walk's tests and fuzzer. */
#ifndef CAPOS_TESTS_CFG_SPACE_H
#define CAPOS_TESTS_CFG_SPACE_H

#include <stdint.h>
#include <string.h>

#include "virtio_pci.h"

struct cfg_space {
	uint8_t b[256];
	unsigned reads;		/* how many reads the walk made */
};

static inline int cfg_space_read(void *ctx, uint16_t off, uint8_t width, uint32_t *val)
{
	struct cfg_space *s = ctx;
	uint32_t v = 0;

	s->reads++;
	if ((width != 1 && width != 2 && width != 4) || off % width != 0 || off + width > 256)
		return -1;
	for (unsigned i = 0; i < width; i++)
		v |= (uint32_t)s->b[off + i] << (8 * i);
	*val = v;
	return 0;
}

#endif
