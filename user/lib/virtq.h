/* SPDX-License-Identifier: MIT */
/*
 * The driver's side of one virtio split virtqueue (virtio 1.1, 2.6), over
 * DMA memory the device reads and writes.
 *
 * Buffers are single descriptors named by their index: the caller owns the
 * mapping from descriptor id to buffer (virtio_net uses id i for buffer i),
 * so nothing here chains descriptors or trusts a `next` field. Which ids are
 * with the device is kept in driver-private memory (in_flight[]), never read
 * back from the rings: a used element is believed only if its id is in range
 * and in flight, and only once (the device is untrusted, like user input).
 *
 * Indices are free-running 16-bit counters (the ring slot is idx & mask).
 * Ordering on x86 (TSO): stores are seen in program order, so publishing
 * needs only a compiler barrier between the ring entry and the index; the
 * two places where a later load must not pass an earlier store (kick after
 * publish; re-check after re-enabling interrupts) take an mfence.
 */
#ifndef CAPOS_USER_VIRTQ_H
#define CAPOS_USER_VIRTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VIRTQ_MAX_SIZE 256u		/* our bound on a queue (the device may offer more) */
#define VIRTQ_DESC_F_WRITE 2u		/* device writes the buffer (receive) */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1u
#define VIRTQ_USED_F_NO_NOTIFY 1u

/* Ring layout in one DMA area: descriptors, then avail and used each on their own page. */
#define VIRTQ_AVAIL_OFFSET 4096u
#define VIRTQ_USED_OFFSET 8192u
#define VIRTQ_RING_BYTES 12288u		/* what virtq_init needs for VIRTQ_MAX_SIZE */

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];	/* size entries, then used_event (EVENT_IDX) */
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];	/* size entries, then avail_event (EVENT_IDX) */
};

struct virtq {
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	uint64_t desc_dev, avail_dev, used_dev;	/* device addresses for the transport */
	uint16_t size;			/* a power of two, <= VIRTQ_MAX_SIZE */
	uint16_t avail_idx;		/* next avail slot (published up to here by virtq_publish) */
	uint16_t published_idx;		/* avail->idx as last written */
	uint16_t last_used;		/* next used element to read */
	uint16_t num_in_flight;
	bool event_idx;			/* VIRTIO_F_RING_EVENT_IDX negotiated */
	uint8_t in_flight[VIRTQ_MAX_SIZE];
};

/* Outcome of virtq_get_used beyond "got one" (1) and "none" (0). */
#define VIRTQ_USED_BAD_ID (-1)		/* id out of range or not in flight: element skipped */
#define VIRTQ_USED_CORRUPT (-2)		/* used->idx ran more than size ahead: queue unusable */

/*
 * Binds q to ring memory `mem` (VIRTQ_RING_BYTES, zeroed) that the device
 * reaches at `dev_addr`. size is rounded down to a power of two and capped
 * at VIRTQ_MAX_SIZE. Returns 0, or -1 if size is 0.
 */
int virtq_init(struct virtq *q, uint16_t size, void *mem, uint64_t dev_addr, bool event_idx);

/*
 * Offers buffer `id` (< size, not in flight) at device address addr, len
 * bytes, device-writable if `device_writes`. Not visible until virtq_publish.
 * Returns 0, or -1 for a bad or busy id.
 */
int virtq_add(struct virtq *q, uint16_t id, uint64_t addr, uint32_t len, bool device_writes);

/* Makes every added buffer visible; true if the device wants a notification. */
bool virtq_publish(struct virtq *q);

/*
 * Takes the next used element: 1 with *id and *len set, 0 if none,
 * VIRTQ_USED_BAD_ID (that element consumed and ignored) or VIRTQ_USED_CORRUPT.
 * *len is what the device claims; checking it against the buffer is the
 * caller's (it knows the size).
 */
int virtq_get_used(struct virtq *q, uint16_t *id, uint32_t *len);

/* Asks the device not to interrupt for this queue (best effort, a hint). */
void virtq_disable_interrupts(struct virtq *q);

/* Asks for an interrupt on the next used buffer; true if some are already there. */
bool virtq_enable_interrupts(struct virtq *q);

/* True when used elements wait to be read. */
bool virtq_has_used(const struct virtq *q);

static inline bool virtq_is_in_flight(const struct virtq *q, uint16_t id)
{
	return id < q->size && q->in_flight[id];
}

#endif /* CAPOS_USER_VIRTQ_H */
