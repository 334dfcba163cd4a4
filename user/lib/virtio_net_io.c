// SPDX-License-Identifier: MIT
/*
 * virtio-net data path: posting receive buffers, delivering received frames,
 * copying frames out through the fixed transmit pool, reaping completions.
 * No PciDevice calls here (virtio_net.c opens the device), so the host tests
 * drive this file against a simulated device in plain memory.
 *
 * Buffer id i of a queue is descriptor i and bytes [i * VNET_BUF_SIZE, +
 * VNET_BUF_SIZE) of that queue's pool; the device's used lengths are checked
 * against VNET_BUF_SIZE before a byte is read.
 */
#include <capos/errors.h>

#include "virtio_net.h"

/* The device has sent us nothing we can trust any more. */
static void vnet_mark_broken(struct vnet *n)
{
	n->broken = true;
	n->stats.device_errors++;
}

static void vnet_kick(volatile uint16_t *notify, uint16_t queue)
{
	*notify = queue;
}

static void vnet_post_rx(struct vnet *n, uint16_t id)
{
	/* Cannot fail: id just came back from the device, so it is in range and free. */
	(void)virtq_add(&n->rxq, id, n->rx_bufs.dev_addr + (uint64_t)id * VNET_BUF_SIZE,
			VNET_BUF_SIZE, true);
}

uint64_t vnet_choose_features(uint64_t offered)
{
	/* No checksum offload (the service checksums in software) and no merged buffers:
	 * a receive buffer always holds a whole frame. */
	return offered & (VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS |
			  VIRTIO_NET_F_MTU | VIRTIO_F_RING_EVENT_IDX);
}

int vnet_rings_init(struct vnet *n, uint16_t rx_qsize, uint16_t tx_qsize, bool event_idx)
{
	uint16_t i;

	if (virtq_init(&n->rxq, rx_qsize, n->rx_ring.addr, n->rx_ring.dev_addr, event_idx) != 0 ||
	    virtq_init(&n->txq, tx_qsize, n->tx_ring.addr, n->tx_ring.dev_addr, event_idx) != 0)
		return -1;
	n->n_rx_bufs = n->rxq.size < VNET_RX_BUFS ? n->rxq.size : VNET_RX_BUFS;
	n->n_tx_bufs = n->txq.size < VNET_TX_BUFS ? n->txq.size : VNET_TX_BUFS;
	for (i = 0; i < n->n_rx_bufs; i++)
		vnet_post_rx(n, i);
	(void)virtq_publish(&n->rxq);	/* before DRIVER_OK: no kick needed */
	for (i = 0; i < n->n_tx_bufs; i++)
		n->tx_free[i] = (uint16_t)(n->n_tx_bufs - 1 - i);
	n->n_tx_free = n->n_tx_bufs;
	/* Transmit completions are reaped when convenient; no interrupt until the pool runs dry. */
	virtq_disable_interrupts(&n->txq);
	return 0;
}

/* Takes back every finished transmit buffer. */
static void vnet_reap_tx(struct vnet *n)
{
	uint16_t budget, id;
	uint32_t len;
	int r;

	for (budget = n->txq.size; budget > 0 && !n->broken; budget--) {
		r = virtq_get_used(&n->txq, &id, &len);
		if (r == 0)
			break;
		if (r == VIRTQ_USED_CORRUPT) {
			vnet_mark_broken(n);
		} else if (r == VIRTQ_USED_BAD_ID || id >= n->n_tx_bufs) {
			n->stats.device_errors++;
		} else {
			n->tx_free[n->n_tx_free++] = id;
		}
	}
	if (n->n_tx_free > 0) {
		virtq_disable_interrupts(&n->txq);	/* EVENT_IDX: moves used_event on */
		n->tx_irq_on = false;
	}
}

/* A free transmit buffer id, or -1 after asking for the interrupt that frees one. */
static int vnet_take_tx(struct vnet *n)
{
	if (n->n_tx_free == 0)
		vnet_reap_tx(n);
	if (n->n_tx_free == 0) {
		n->tx_irq_on = true;
		if (virtq_enable_interrupts(&n->txq))
			vnet_reap_tx(n);	/* one finished while we asked */
	}
	if (n->n_tx_free == 0)
		return -1;
	return n->tx_free[--n->n_tx_free];
}

/*
 * Hands the device what was added and notifies it if it asks to be. A
 * notification is a trap into the emulator, so the frames lwIP sends while
 * vnet_poll delivers a batch (an ACK per two segments received) go with one.
 */
static void vnet_tx_publish(struct vnet *n)
{
	n->tx_held = 0;
	if (virtq_publish(&n->txq)) {
		vnet_kick(n->tx_notify, VNET_TX_QUEUE);
		n->stats.tx_kicks++;
	}
}

int vnet_sendv(struct vnet *n, const struct vnet_iov *iov, unsigned n_iov)
{
	size_t total = 0, off = VNET_HDR_SIZE;
	uint8_t *buf;
	unsigned i;
	int id;

	if (n->broken)
		return CAPOS_ERR_DISCONNECTED;
	for (i = 0; i < n_iov; i++) {
		if (iov[i].len > VNET_FRAME_MAX - total)
			return CAPOS_ERR_INVALID_ARGUMENT;
		total += iov[i].len;
	}
	if (total == 0)
		return CAPOS_ERR_INVALID_ARGUMENT;
	id = vnet_take_tx(n);
	if (id < 0) {
		n->stats.tx_dropped++;
		return CAPOS_ERR_WOULD_BLOCK;
	}
	buf = n->tx_bufs.addr + (size_t)id * VNET_BUF_SIZE;
	__builtin_memset(buf, 0, VNET_HDR_SIZE);	/* no offload, no GSO */
	for (i = 0; i < n_iov; off += iov[i].len, i++)
		__builtin_memcpy(buf + off, iov[i].base, iov[i].len);
	(void)virtq_add(&n->txq, (uint16_t)id, n->tx_bufs.dev_addr + (uint64_t)id * VNET_BUF_SIZE,
			(uint32_t)(VNET_HDR_SIZE + total), false);
	if (!n->tx_hold || ++n->tx_held >= VNET_TX_HOLD_MAX)
		vnet_tx_publish(n);
	n->stats.tx_packets++;
	n->stats.tx_bytes += total;
	return 0;
}

int vnet_send(struct vnet *n, const void *frame, size_t len)
{
	struct vnet_iov one = { frame, len };

	return vnet_sendv(n, &one, 1);
}

/* Hands on (or drops) one used receive element; true if its buffer goes back. */
static bool vnet_rx_one(struct vnet *n, uint16_t id, uint32_t len, vnet_rx_fn fn, void *arg,
			int *delivered)
{
	if (id >= n->n_rx_bufs) {
		n->stats.device_errors++;	/* never posted: nothing to re-post */
		return false;
	}
	if (len <= VNET_HDR_SIZE || len > VNET_BUF_SIZE) {
		n->stats.rx_dropped++;
		return true;
	}
	fn(arg, n->rx_bufs.addr + (size_t)id * VNET_BUF_SIZE + VNET_HDR_SIZE, len - VNET_HDR_SIZE);
	n->stats.rx_packets++;
	n->stats.rx_bytes += len - VNET_HDR_SIZE;
	(*delivered)++;
	return true;
}

/*
 * Takes up to the queue's size of used receive elements, then re-posts
 * their buffers: not before, so a device that hands back one buffer twice
 * in a batch finds it not in flight the second time.
 */
static void vnet_rx_batch(struct vnet *n, vnet_rx_fn fn, void *arg, int *delivered)
{
	uint16_t repost[VIRTQ_MAX_SIZE], n_repost = 0, budget, id;
	uint32_t len;
	int r;

	for (budget = n->rxq.size; budget > 0 && !n->broken; budget--) {
		r = virtq_get_used(&n->rxq, &id, &len);
		if (r == 0)
			break;
		if (r == VIRTQ_USED_CORRUPT) {
			vnet_mark_broken(n);
		} else if (r == VIRTQ_USED_BAD_ID) {
			n->stats.rx_dropped++;
			n->stats.device_errors++;
		} else if (vnet_rx_one(n, id, len, fn, arg, delivered)) {
			repost[n_repost++] = id;
		}
	}
	while (n_repost > 0)
		vnet_post_rx(n, repost[--n_repost]);
}

int vnet_poll(struct vnet *n, vnet_rx_fn fn, void *arg)
{
	unsigned rounds;
	int delivered = 0;

	/* Re-enabling interrupts and re-checking closes the race with the device; the
	 * rounds bound the work a device that never stops can make us do. */
	n->tx_hold = true;
	for (rounds = 0; rounds < 4 && !n->broken; rounds++) {
		virtq_disable_interrupts(&n->rxq);
		vnet_rx_batch(n, fn, arg, &delivered);
		if (virtq_publish(&n->rxq))
			vnet_kick(n->rx_notify, VNET_RX_QUEUE);
		vnet_tx_publish(n);	/* each round's answers before waiting for more */
		if (!virtq_enable_interrupts(&n->rxq))
			break;
	}
	n->tx_hold = false;
	vnet_reap_tx(n);
	return delivered;
}

bool vnet_tx_watchdog(struct vnet *n)
{
	if (n->broken)
		return false;
	vnet_reap_tx(n);
	if (n->tx_watched && n->txq.num_in_flight && n->txq.last_used == n->tx_watched_used) {
		vnet_kick(n->tx_notify, VNET_TX_QUEUE);	/* a spurious kick costs the device nothing */
		n->stats.tx_rekicks++;
	}
	n->tx_watched = n->txq.num_in_flight != 0;
	n->tx_watched_used = n->txq.last_used;
	return n->tx_watched;
}

bool vnet_has_work(const struct vnet *n)
{
	return !n->broken && (virtq_has_used(&n->rxq) || virtq_has_used(&n->txq));
}

void vnet_stats(const struct vnet *n, struct vnet_stats *out)
{
	*out = n->stats;
}

void vnet_mac(const struct vnet *n, uint8_t mac[6])
{
	__builtin_memcpy(mac, n->mac, 6);
}

uint16_t vnet_mtu(const struct vnet *n)
{
	return n->mtu;
}

bool vnet_link_up(const struct vnet *n)
{
	return n->link_up;
}
