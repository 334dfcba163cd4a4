// SPDX-License-Identifier: MIT
/*
 * Host tests of the virtio-net data path (user/lib/virtio_net_io.c): frames
 * in and out through queues served by fake_virtq_dev.h, and a device that
 * lies about ids, lengths and indices. Device addresses are the host
 * addresses, so the fake device reaches buffers directly.
 */
#include <capos/errors.h>

#include "test.h"
#include "fake_virtq_dev.h"
#include "virtio_net.h"

static struct vnet n;
static struct fake_dev rxdev, txdev;
static volatile uint16_t rx_kick, tx_kick;
static uint8_t got[4][VNET_BUF_SIZE];
static size_t got_len[4];
static int ngot;

static struct vnet_dma dma_alloc(size_t size)
{
	struct vnet_dma d;

	d.addr = aligned_alloc(4096, size);
	memset(d.addr, 0, size);
	d.dev_addr = (uint64_t)(uintptr_t)d.addr;
	return d;
}

static void teardown(void)
{
	free(n.rx_ring.addr), free(n.tx_ring.addr), free(n.rx_bufs.addr), free(n.tx_bufs.addr);
	memset(&n, 0, sizeof(n));
}

static void setup_ev(uint16_t qsize, bool event_idx)
{
	teardown();
	n.rx_ring = dma_alloc(VIRTQ_RING_BYTES);
	n.tx_ring = dma_alloc(VIRTQ_RING_BYTES);
	n.rx_bufs = dma_alloc(VNET_RX_BUFS * VNET_BUF_SIZE);
	n.tx_bufs = dma_alloc(VNET_TX_BUFS * VNET_BUF_SIZE);
	n.rx_notify = &rx_kick;
	n.tx_notify = &tx_kick;
	rx_kick = tx_kick = 0xffff;
	vnet_rings_init(&n, qsize, qsize, event_idx);
	rxdev = (struct fake_dev){ .q = &n.rxq };
	txdev = (struct fake_dev){ .q = &n.txq };
	ngot = 0;
}

static void setup(uint16_t qsize)
{
	setup_ev(qsize, false);
}

static void on_frame(void *arg, const void *frame, size_t len)
{
	(void)arg;
	if (ngot < 4) {
		memcpy(got[ngot], frame, len);
		got_len[ngot] = len;
	}
	ngot++;
}

/* The device receives a frame: the next posted buffer gets a header and the bytes. */
static int device_receive(const void *frame, uint32_t len)
{
	uint16_t id;
	uint64_t addr;
	uint32_t cap;

	if (!fake_dev_pop(&rxdev, &id, &addr, &cap) || VNET_HDR_SIZE + len > cap)
		return -1;
	memset((void *)(uintptr_t)addr, 0, VNET_HDR_SIZE);
	memcpy((uint8_t *)(uintptr_t)addr + VNET_HDR_SIZE, frame, len);
	fake_dev_push(&rxdev, id, VNET_HDR_SIZE + len);
	return id;
}

TEST(open_state_posts_every_receive_buffer)
{
	setup(256);
	CHECK_EQ(n.n_rx_bufs, VNET_RX_BUFS);
	CHECK_EQ(n.rxq.avail->idx, VNET_RX_BUFS);
	CHECK_EQ(n.n_tx_free, VNET_TX_BUFS);
	CHECK_EQ(n.txq.avail->flags, VIRTQ_AVAIL_F_NO_INTERRUPT);
	setup(16);	/* a small queue bounds the pools */
	CHECK_EQ(n.n_rx_bufs, 16);
	CHECK_EQ(n.n_tx_free, 16);
}

TEST(received_frames_are_delivered_and_reposted)
{
	const char a[] = "first frame, sixty bytes or so, an ethernet header and more";
	const char b[] = "second";

	setup(256);
	CHECK(device_receive(a, sizeof(a)) >= 0);
	CHECK(device_receive(b, sizeof(b)) >= 0);
	CHECK_EQ(vnet_poll(&n, on_frame, NULL), 2);
	CHECK_EQ(got_len[0], sizeof(a));
	CHECK(memcmp(got[0], a, sizeof(a)) == 0);
	CHECK(memcmp(got[1], b, sizeof(b)) == 0);
	CHECK_EQ(n.stats.rx_packets, 2);
	CHECK_EQ(n.stats.rx_bytes, sizeof(a) + sizeof(b));
	CHECK_EQ(n.rxq.avail->idx, VNET_RX_BUFS + 2);	/* both buffers back */
	CHECK_EQ(rx_kick, VNET_RX_QUEUE);
	CHECK_EQ(vnet_poll(&n, on_frame, NULL), 0);
}

/* 70,000 frames through a queue of 16: the 16-bit indices wrap. */
TEST(receive_survives_index_wrap)
{
	uint32_t i;

	setup(16);
	for (i = 0; i < 70000; i++) {
		CHECK(device_receive(&i, sizeof(i)) >= 0);
		CHECK_EQ(vnet_poll(&n, on_frame, NULL), 1);
	}
	CHECK_EQ(n.stats.rx_packets, 70000);
	CHECK_EQ(n.stats.rx_dropped, 0);
}

TEST(bad_used_elements_are_dropped_and_counted)
{
	uint16_t id;
	uint64_t addr;
	uint32_t cap, i;

	setup(256);
	/* Take every posted buffer; the last one (id 127) is at the end of the pool. */
	for (i = 0; i < VNET_RX_BUFS; i++)
		CHECK(fake_dev_pop(&rxdev, &id, &addr, &cap));
	CHECK_EQ(id, VNET_RX_BUFS - 1);
	fake_dev_push(&rxdev, 500, 100);		/* id past the queue */
	fake_dev_push(&rxdev, 200, 100);		/* in the queue, never posted */
	fake_dev_push(&rxdev, id, 2 * VNET_BUF_SIZE);	/* longer than the buffer */
	fake_dev_push(&rxdev, 5, VNET_HDR_SIZE);	/* no frame at all */
	fake_dev_push(&rxdev, 6, 64);			/* good */
	fake_dev_push(&rxdev, 6, 64);			/* the same buffer again */
	CHECK_EQ(vnet_poll(&n, on_frame, NULL), 1);
	CHECK_EQ(ngot, 1);
	CHECK_EQ(got_len[0], 64 - VNET_HDR_SIZE);
	CHECK_EQ(n.stats.rx_dropped, 5);
	CHECK_EQ(n.stats.rx_packets, 1);
	CHECK(!n.broken);
	/* The long and the empty buffer went back to the device with the good one. */
	CHECK(virtq_is_in_flight(&n.rxq, VNET_RX_BUFS - 1));
	CHECK(virtq_is_in_flight(&n.rxq, 5));
	CHECK(virtq_is_in_flight(&n.rxq, 6));
}

TEST(corrupt_used_index_breaks_the_device)
{
	setup(256);
	n.rxq.used->idx = 1000;
	CHECK_EQ(vnet_poll(&n, on_frame, NULL), 0);
	CHECK(n.broken);
	CHECK_EQ(n.stats.device_errors, 1);
	CHECK_EQ(vnet_send(&n, "x", 1), CAPOS_ERR_DISCONNECTED);
	CHECK(!vnet_has_work(&n));
}

TEST(send_copies_behind_a_zero_header)
{
	uint8_t frame[60];
	uint16_t id;
	uint64_t addr;
	uint32_t len;

	setup(256);
	memset(frame, 0xab, sizeof(frame));
	memset(n.tx_bufs.addr, 0x55, VNET_BUF_SIZE * VNET_TX_BUFS);
	CHECK_EQ(vnet_send(&n, frame, sizeof(frame)), 0);
	CHECK_EQ(tx_kick, VNET_TX_QUEUE);
	CHECK(fake_dev_pop(&txdev, &id, &addr, &len));
	CHECK_EQ(len, VNET_HDR_SIZE + sizeof(frame));
	CHECK_EQ(n.txq.desc[id].flags, 0);	/* the device reads it */
	for (unsigned i = 0; i < VNET_HDR_SIZE; i++)
		CHECK_EQ(((uint8_t *)(uintptr_t)addr)[i], 0);
	CHECK(memcmp((uint8_t *)(uintptr_t)addr + VNET_HDR_SIZE, frame, sizeof(frame)) == 0);
	CHECK_EQ(n.stats.tx_packets, 1);
	CHECK_EQ(n.stats.tx_bytes, sizeof(frame));
}

/* A device that stopped taking transmit buffers gets kicked again, once it made no progress. */
TEST(tx_watchdog_rekicks_a_stalled_queue)
{
	uint16_t id;
	uint64_t addr;
	uint32_t len;

	setup_ev(256, true);
	vnet_tx_watchdog(&n);
	CHECK_EQ(n.stats.tx_rekicks, 0);	/* nothing in flight */
	CHECK_EQ(vnet_send(&n, "ab", 2), 0);
	tx_kick = 0xffff;
	vnet_tx_watchdog(&n);			/* in flight: watched from now on */
	CHECK_EQ(tx_kick, 0xffff);
	vnet_tx_watchdog(&n);			/* no progress since: kicked again */
	CHECK_EQ(tx_kick, VNET_TX_QUEUE);
	CHECK_EQ(n.stats.tx_rekicks, 1);
	/* Progress between two calls (one finished, one more sent): no kick. */
	CHECK(fake_dev_pop(&txdev, &id, &addr, &len));
	fake_dev_push(&txdev, id, 0);
	CHECK_EQ(vnet_send(&n, "cd", 2), 0);
	tx_kick = 0xffff;
	CHECK(vnet_tx_watchdog(&n));
	CHECK_EQ(tx_kick, 0xffff);
	CHECK_EQ(n.stats.tx_rekicks, 1);
	/* All finished: nothing to watch, no kick. */
	CHECK(fake_dev_pop(&txdev, &id, &addr, &len));
	fake_dev_push(&txdev, id, 0);
	CHECK(!vnet_tx_watchdog(&n));
	CHECK(!vnet_tx_watchdog(&n));
	CHECK_EQ(tx_kick, 0xffff);
	CHECK_EQ(n.stats.tx_rekicks, 1);
}

TEST(sendv_gathers)
{
	struct vnet_iov iov[3] = { { "abc", 3 }, { "", 0 }, { "defgh", 5 } };
	uint16_t id;
	uint64_t addr;
	uint32_t len;

	setup(256);
	CHECK_EQ(vnet_sendv(&n, iov, 3), 0);
	CHECK(fake_dev_pop(&txdev, &id, &addr, &len));
	CHECK_EQ(len, VNET_HDR_SIZE + 8);
	CHECK(memcmp((uint8_t *)(uintptr_t)addr + VNET_HDR_SIZE, "abcdefgh", 8) == 0);
}

TEST(send_refuses_bad_lengths)
{
	static uint8_t big[VNET_FRAME_MAX + 1];
	struct vnet_iov iov[2] = { { big, VNET_FRAME_MAX }, { big, 1 } };

	setup(256);
	CHECK_EQ(vnet_send(&n, big, 0), CAPOS_ERR_INVALID_ARGUMENT);
	CHECK_EQ(vnet_send(&n, big, sizeof(big)), CAPOS_ERR_INVALID_ARGUMENT);
	CHECK_EQ(vnet_sendv(&n, iov, 2), CAPOS_ERR_INVALID_ARGUMENT);
	iov[1].len = (size_t)-1;	/* the sum must not wrap */
	CHECK_EQ(vnet_sendv(&n, iov, 2), CAPOS_ERR_INVALID_ARGUMENT);
	CHECK_EQ(vnet_send(&n, big, VNET_FRAME_MAX), 0);
	CHECK_EQ(n.stats.tx_packets, 1);
}

TEST(empty_pool_pushes_back_until_a_completion)
{
	uint16_t id;
	uint64_t addr;
	uint32_t len, i;

	setup(256);
	for (i = 0; i < VNET_TX_BUFS; i++)
		CHECK_EQ(vnet_send(&n, "frame", 5), 0);
	CHECK_EQ(vnet_send(&n, "frame", 5), CAPOS_ERR_WOULD_BLOCK);
	CHECK_EQ(n.txq.avail->flags, 0);	/* the transmit interrupt is wanted now */
	CHECK(fake_dev_pop(&txdev, &id, &addr, &len));
	fake_dev_push(&txdev, id, 0);
	CHECK(vnet_has_work(&n));
	CHECK_EQ(vnet_poll(&n, on_frame, NULL), 0);
	CHECK_EQ(n.txq.avail->flags, VIRTQ_AVAIL_F_NO_INTERRUPT);
	CHECK_EQ(vnet_send(&n, "frame", 5), 0);
	CHECK_EQ(n.stats.tx_packets, VNET_TX_BUFS + 1);
	CHECK_EQ(n.stats.tx_dropped, 1);
	/* A completion for a buffer the device does not have is ignored. */
	fake_dev_push(&txdev, 100, 0);
	fake_dev_push(&txdev, 999, 0);
	vnet_poll(&n, on_frame, NULL);
	CHECK_EQ(n.n_tx_free, 0);
	CHECK_EQ(n.stats.device_errors, 2);
}

/* The reaping inside vnet_send finds a completion without a poll. */
TEST(send_reaps_when_dry)
{
	uint16_t id;
	uint64_t addr;
	uint32_t len, i;

	setup(256);
	for (i = 0; i < VNET_TX_BUFS; i++)
		CHECK_EQ(vnet_send(&n, "frame", 5), 0);
	CHECK(fake_dev_pop(&txdev, &id, &addr, &len));
	fake_dev_push(&txdev, id, 0);
	CHECK_EQ(vnet_send(&n, "frame", 5), 0);
	CHECK_EQ(n.txq.avail->flags, VIRTQ_AVAIL_F_NO_INTERRUPT);
}

/* EVENT_IDX: used_event trails the transmit completions, except while the pool is dry. */
TEST(event_idx_keeps_transmit_quiet)
{
	volatile uint16_t *tx_used_event;
	uint16_t id;
	uint64_t addr;
	uint32_t len, i;

	setup_ev(16, true);
	tx_used_event = &n.txq.avail->ring[n.txq.size];
	CHECK_EQ(*tx_used_event, 0xffff);
	for (i = 0; i < 3; i++) {
		CHECK_EQ(vnet_send(&n, "frame", 5), 0);
		CHECK(fake_dev_pop(&txdev, &id, &addr, &len));
		fake_dev_push(&txdev, id, 0);
	}
	vnet_poll(&n, on_frame, NULL);
	CHECK_EQ(*tx_used_event, 2);	/* one behind the next completion */
	for (i = 0; i < 16; i++)
		CHECK_EQ(vnet_send(&n, "frame", 5), 0);
	CHECK_EQ(vnet_send(&n, "frame", 5), CAPOS_ERR_WOULD_BLOCK);
	CHECK_EQ(*tx_used_event, 3);	/* the next completion interrupts */
}

/* Answers every frame received with a send, as lwIP's ACKs do; notes what the device could see. */
static uint16_t seen_tx_idx[24];

static void on_frame_answer(void *arg, const void *frame, size_t len)
{
	(void)arg;
	(void)frame;
	(void)len;
	if (ngot < 24)
		seen_tx_idx[ngot] = n.txq.avail->idx;
	ngot++;
	CHECK_EQ(vnet_send(&n, "ack", 3), 0);
}

TEST(sends_during_poll_go_with_one_kick)
{
	uint32_t i;

	setup(256);
	for (i = 0; i < 3; i++)
		CHECK(device_receive("data", 4) >= 0);
	CHECK_EQ(vnet_poll(&n, on_frame_answer, NULL), 3);
	CHECK_EQ(seen_tx_idx[2], 0);	/* held back while the batch was delivered */
	CHECK_EQ(n.txq.avail->idx, 3);	/* published at its end */
	CHECK_EQ(n.stats.tx_kicks, 1);
	CHECK_EQ(tx_kick, VNET_TX_QUEUE);
	CHECK_EQ(vnet_send(&n, "alone", 5), 0);	/* outside a poll: at once */
	CHECK_EQ(n.txq.avail->idx, 4);
	CHECK_EQ(n.stats.tx_kicks, 2);
	/* A long batch still publishes every VNET_TX_HOLD_MAX sends. */
	ngot = 0;
	for (i = 0; i < 20; i++)
		CHECK(device_receive("data", 4) >= 0);
	CHECK_EQ(vnet_poll(&n, on_frame_answer, NULL), 20);
	CHECK_EQ(seen_tx_idx[VNET_TX_HOLD_MAX], 4 + VNET_TX_HOLD_MAX);
	CHECK_EQ(n.txq.avail->idx, 24);
	CHECK_EQ(n.stats.tx_kicks, 4);
}

TEST(features_chosen)
{
	uint64_t all = ~0ull;

	CHECK_EQ(vnet_choose_features(all), VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC |
		 VIRTIO_NET_F_STATUS | VIRTIO_NET_F_MTU | VIRTIO_F_RING_EVENT_IDX);
	CHECK_EQ(vnet_choose_features(VIRTIO_NET_F_CSUM | VIRTIO_NET_F_GUEST_CSUM |
				      VIRTIO_NET_F_MRG_RXBUF), 0);
}

int main(void)
{
	RUN(open_state_posts_every_receive_buffer);
	RUN(received_frames_are_delivered_and_reposted);
	RUN(receive_survives_index_wrap);
	RUN(bad_used_elements_are_dropped_and_counted);
	RUN(corrupt_used_index_breaks_the_device);
	RUN(send_copies_behind_a_zero_header);
	RUN(sendv_gathers);
	RUN(send_refuses_bad_lengths);
	RUN(empty_pool_pushes_back_until_a_completion);
	RUN(send_reaps_when_dry);
	RUN(event_idx_keeps_transmit_quiet);
	RUN(sends_during_poll_go_with_one_kick);
	RUN(tx_watchdog_rekicks_a_stalled_queue);
	RUN(features_chosen);
	teardown();
	TEST_EXIT();
}
