/* SPDX-License-Identifier: MIT */
/*
 * A bounded FIFO of bytes over a caller's array whose size is a power of
 * two (the serial port's receive buffer, obj/serial_port.c). Pure logic,
 * no lock and no allocation: the owner guards it (host-tested,
 * tests/unit/lib/test_byte_ring.c).
 *
 * Overflow drops the newest bytes, the ones that do not fit, and counts
 * them: what is already queued stays whole and in order, so a reader sees
 * a clean prefix of what arrived and learns from the count that the rest
 * was lost (docs/terminal.md, "Overflow").
 *
 * head and tail are free-running 32-bit counters (tail - head is the fill,
 * correct across wrap-around because the size divides 2^32).
 */
#ifndef CAPOS_KERNEL_LIB_BYTE_RING_H
#define CAPOS_KERNEL_LIB_BYTE_RING_H

#include <stddef.h>
#include <stdint.h>

struct byte_ring {
	uint8_t *buf;		/* size bytes, owned by the caller */
	uint32_t size;		/* a power of two, at most 2^31 */
	uint32_t head;		/* next byte to take */
	uint32_t tail;		/* next byte to put */
	uint64_t dropped;	/* bytes refused because the ring was full, ever */
};

static inline void byte_ring_init(struct byte_ring *r, uint8_t *buf, uint32_t size)
{
	r->buf = buf;
	r->size = size;
	r->head = 0;
	r->tail = 0;
	r->dropped = 0;
}

static inline uint32_t byte_ring_len(const struct byte_ring *r)
{
	return r->tail - r->head;
}

/* Appends what fits of in[0..n); counts the rest as dropped. Returns the bytes kept. */
static inline uint32_t byte_ring_put(struct byte_ring *r, const uint8_t *in, size_t n)
{
	uint32_t room = r->size - byte_ring_len(r);
	uint32_t keep = n < room ? (uint32_t)n : room;

	for (uint32_t i = 0; i < keep; i++)
		r->buf[(r->tail + i) & (r->size - 1)] = in[i];
	r->tail += keep;
	r->dropped += n - keep;
	return keep;
}

/* Moves up to max of the oldest bytes to out. Returns how many. */
static inline uint32_t byte_ring_take(struct byte_ring *r, uint8_t *out, uint32_t max)
{
	uint32_t len = byte_ring_len(r);
	uint32_t n = max < len ? max : len;

	for (uint32_t i = 0; i < n; i++)
		out[i] = r->buf[(r->head + i) & (r->size - 1)];
	r->head += n;
	return n;
}

#endif
