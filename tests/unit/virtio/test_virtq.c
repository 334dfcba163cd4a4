// SPDX-License-Identifier: MIT
/* Host tests of the split virtqueue (user/lib/virtq.c) against fake_virtq_dev.h. */
#include "test.h"
#include "fake_virtq_dev.h"

static void *ring_mem;
static struct virtq q;
static struct fake_dev dev;

static void setup(uint16_t size, bool event_idx)
{
	free(ring_mem);
	ring_mem = fake_ring_alloc();
	virtq_init(&q, size, ring_mem, 0x100000, event_idx);
	dev = (struct fake_dev){ .q = &q };
}

TEST(size_is_bounded_power_of_two)
{
	setup(300, false);
	CHECK_EQ(q.size, 256);
	setup(100, false);
	CHECK_EQ(q.size, 64);
	setup(1, false);
	CHECK_EQ(q.size, 1);
	CHECK_EQ(virtq_init(&q, 0, ring_mem, 0, false), -1);
	setup(256, false);
	CHECK_EQ(q.avail_dev, 0x100000 + VIRTQ_AVAIL_OFFSET);
	CHECK_EQ(q.used_dev, 0x100000 + VIRTQ_USED_OFFSET);
}

TEST(add_publish_use_roundtrip)
{
	uint16_t id;
	uint64_t addr;
	uint32_t len;

	setup(8, false);
	CHECK_EQ(virtq_add(&q, 3, 0x5000, 100, true), 0);
	CHECK_EQ(virtq_add(&q, 3, 0x5000, 100, true), -1);	/* already in flight */
	CHECK_EQ(virtq_add(&q, 8, 0x5000, 100, true), -1);	/* out of range */
	CHECK_EQ(fake_dev_pop(&dev, &id, &addr, &len), 0);	/* not published yet */
	CHECK(virtq_publish(&q));
	CHECK(!virtq_publish(&q));	/* nothing new: no kick */
	CHECK_EQ(fake_dev_pop(&dev, &id, &addr, &len), 1);
	CHECK_EQ(id, 3);
	CHECK_EQ(addr, 0x5000);
	CHECK_EQ(len, 100);
	CHECK_EQ(q.desc[3].flags, VIRTQ_DESC_F_WRITE);
	CHECK_EQ(virtq_get_used(&q, &id, &len), 0);
	fake_dev_push(&dev, 3, 60);
	CHECK(virtq_has_used(&q));
	CHECK_EQ(virtq_get_used(&q, &id, &len), 1);
	CHECK_EQ(id, 3);
	CHECK_EQ(len, 60);
	CHECK(!virtq_is_in_flight(&q, 3));
	CHECK_EQ(q.num_in_flight, 0);
}

/* 70,000 buffers through a queue of 4: avail and used indices wrap past 65,535. */
TEST(indices_wrap_around)
{
	uint16_t id, got;
	uint64_t addr;
	uint32_t len, i;

	setup(4, false);
	for (i = 0; i < 70000; i++) {
		CHECK_EQ(virtq_add(&q, (uint16_t)(i % 4), 0x1000 * (i % 4), 64, false), 0);
		virtq_publish(&q);
		CHECK_EQ(fake_dev_pop(&dev, &id, &addr, &len), 1);
		CHECK_EQ(id, i % 4);
		fake_dev_push(&dev, id, (uint32_t)(i & 0xff));
		CHECK_EQ(virtq_get_used(&q, &got, &len), 1);
		CHECK_EQ(got, id);
		CHECK_EQ(len, i & 0xff);
	}
	CHECK_EQ(q.avail->idx, (uint16_t)70000);
	CHECK_EQ(q.last_used, (uint16_t)70000);
}

TEST(used_id_out_of_range_or_twice_is_refused)
{
	uint16_t id;
	uint32_t len;

	setup(8, false);
	virtq_add(&q, 1, 0x1000, 64, true);
	virtq_publish(&q);
	fake_dev_push(&dev, 9, 10);		/* past the queue */
	fake_dev_push(&dev, 0xffffffff, 10);
	fake_dev_push(&dev, 2, 10);		/* in range, never offered */
	fake_dev_push(&dev, 1, 10);		/* good */
	fake_dev_push(&dev, 1, 10);		/* the same buffer twice */
	CHECK_EQ(virtq_get_used(&q, &id, &len), VIRTQ_USED_BAD_ID);
	CHECK_EQ(virtq_get_used(&q, &id, &len), VIRTQ_USED_BAD_ID);
	CHECK_EQ(virtq_get_used(&q, &id, &len), VIRTQ_USED_BAD_ID);
	CHECK_EQ(virtq_get_used(&q, &id, &len), 1);
	CHECK_EQ(id, 1);
	CHECK_EQ(virtq_get_used(&q, &id, &len), VIRTQ_USED_BAD_ID);
	CHECK_EQ(virtq_get_used(&q, &id, &len), 0);
}

TEST(used_index_running_ahead_is_corrupt)
{
	uint16_t id;
	uint32_t len;

	setup(8, false);
	q.used->idx = 9;	/* nine used with eight slots */
	CHECK_EQ(virtq_get_used(&q, &id, &len), VIRTQ_USED_CORRUPT);
	q.used->idx = 0xfff0;	/* "behind" us: a huge distance ahead */
	CHECK_EQ(virtq_get_used(&q, &id, &len), VIRTQ_USED_CORRUPT);
}

TEST(kick_follows_no_notify_flag)
{
	setup(8, false);
	q.used->flags = VIRTQ_USED_F_NO_NOTIFY;
	virtq_add(&q, 0, 0x1000, 64, false);
	CHECK(!virtq_publish(&q));
	q.used->flags = 0;
	virtq_add(&q, 1, 0x1000, 64, false);
	CHECK(virtq_publish(&q));
}

TEST(kick_follows_avail_event)
{
	volatile uint16_t *avail_event;

	setup(8, true);
	avail_event = (volatile uint16_t *)&q.used->ring[q.size];
	*avail_event = 0;	/* device wants a kick when avail idx passes 0 */
	virtq_add(&q, 0, 0x1000, 64, false);
	CHECK(virtq_publish(&q));	/* 0 -> 1 crosses 0 */
	virtq_add(&q, 1, 0x1000, 64, false);
	CHECK(!virtq_publish(&q));	/* 1 -> 2 does not */
	*avail_event = 3;
	virtq_add(&q, 2, 0x1000, 64, false);
	virtq_add(&q, 3, 0x1000, 64, false);
	CHECK(virtq_publish(&q));	/* 2 -> 4 crosses 3 */
}

TEST(interrupt_suppression)
{
	uint16_t id;
	uint32_t len;

	setup(8, false);
	virtq_disable_interrupts(&q);
	CHECK_EQ(q.avail->flags, VIRTQ_AVAIL_F_NO_INTERRUPT);
	CHECK(!virtq_enable_interrupts(&q));
	CHECK_EQ(q.avail->flags, 0);
	virtq_add(&q, 0, 0x1000, 64, true);
	virtq_publish(&q);
	fake_dev_push(&dev, 0, 20);
	CHECK(virtq_enable_interrupts(&q));	/* the re-check sees what came meanwhile */

	setup(8, true);
	virtq_add(&q, 0, 0x1000, 64, true);
	virtq_publish(&q);
	fake_dev_push(&dev, 0, 20);
	CHECK_EQ(virtq_get_used(&q, &id, &len), 1);
	CHECK(!virtq_enable_interrupts(&q));
	CHECK_EQ(q.avail->ring[q.size], 1);	/* used_event: interrupt after used idx 1 */
}

int main(void)
{
	RUN(size_is_bounded_power_of_two);
	RUN(add_publish_use_roundtrip);
	RUN(indices_wrap_around);
	RUN(used_id_out_of_range_or_twice_is_refused);
	RUN(used_index_running_ahead_is_corrupt);
	RUN(kick_follows_no_notify_flag);
	RUN(kick_follows_avail_event);
	RUN(interrupt_suppression);
	free(ring_mem);
	return test_failures ? 1 : 0;
}
