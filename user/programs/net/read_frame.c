// SPDX-License-Identifier: MIT
/* The framing of a TcpSocket.read answer (read_frame.h). */
#include "read_frame.h"

uint8_t *read_frame(uint64_t *msg, uint32_t len)
{
	uint32_t seg_words = READ_FRAME_WORDS(len) - 1u;

	msg[0] = (uint64_t)seg_words << 32;	/* one segment (count - 1 = 0), its words */
	msg[1] = 1ull << 48;			/* root: struct at offset 0, 0 data words, 1 pointer */
	msg[2] = 1ull | ((uint64_t)(len << 3 | 2u) << 32);	/* list at offset 0 of bytes, len */
	if (len)
		msg[seg_words] = 0;		/* the last data word's padding */
	return (uint8_t *)&msg[3];
}
