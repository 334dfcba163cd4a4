/* SPDX-License-Identifier: MIT */
/*
 * A virtio-net driver (virtio 1.x, modern PCI transport, split queues) in
 * user space, over a PciDevice capability (pci.h). docs/virtio-net.md says
 * why it is shaped this way.
 *
 * One receive and one transmit queue. Buffers are fixed DMA pools allocated
 * at open: VNET_RX_BUFS receive buffers are all posted up front and each is
 * re-posted as soon as its frame has been handed on; transmit copies a frame
 * into one of VNET_TX_BUFS buffers (no allocation per packet) and, when all
 * are with the device, fails with CAPOS_ERR_WOULD_BLOCK until a completion
 * frees one (the transmit interrupt is asked for only then). Everything the
 * device writes (used ids, lengths, indices) is checked before use: a bad
 * element is dropped and counted, never followed.
 *
 * Not thread-safe: one owner (the network service's event loop) calls all
 * of it. The interrupt wait is a CALL on the owner's ring whose completion
 * carries irq_user_data; the owner hands that CQE to vnet_interrupt.
 */
#ifndef CAPOS_USER_VIRTIO_NET_H
#define CAPOS_USER_VIRTIO_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capos/cap.h>
#include <capos/ring.h>

#include "virtio_pci.h"
#include "virtq.h"

struct uring;

#define VNET_BUF_SIZE 2048u	/* one receive or transmit buffer: header + frame */
#define VNET_HDR_SIZE 12u	/* struct virtio_net_hdr with VERSION_1 (num_buffers included) */
#define VNET_RX_BUFS 128u	/* 256 KiB, one allocDma */
#define VNET_TX_BUFS 64u
#define VNET_TX_HOLD_MAX 16u	/* sends vnet_poll holds back before publishing anyway */
#define VNET_FRAME_MAX (VNET_BUF_SIZE - VNET_HDR_SIZE)
#define VNET_RX_QUEUE 0u
#define VNET_TX_QUEUE 1u

/* Feature bits (virtio 1.1, 5.1.3 and 6). */
#define VIRTIO_NET_F_CSUM (1ull << 0)
#define VIRTIO_NET_F_GUEST_CSUM (1ull << 1)
#define VIRTIO_NET_F_MTU (1ull << 3)
#define VIRTIO_NET_F_MAC (1ull << 5)
#define VIRTIO_NET_F_MRG_RXBUF (1ull << 15)
#define VIRTIO_NET_F_STATUS (1ull << 16)
#define VIRTIO_F_RING_EVENT_IDX (1ull << 29)
#define VIRTIO_F_VERSION_1 (1ull << 32)

struct vnet_iov {
	const void *base;
	size_t len;
};

/* rx_dropped: bad used elements and frames with a bad length; tx_dropped: sends refused
 * WOULD_BLOCK (the caller may retry them). */
struct vnet_stats {
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes, rx_dropped, tx_dropped;
	uint64_t device_errors;	/* used elements with a bad id, corrupt indices */
	uint64_t tx_rekicks;	/* kicks vnet_tx_watchdog sent to a stalled transmit queue */
	uint64_t tx_kicks;	/* notifications of the transmit queue (rekicks not counted) */
};

/* DMA memory: where we see it and where the device reaches it. */
struct vnet_dma {
	uint8_t *addr;
	uint64_t dev_addr;
};

struct vnet {
	capos_cap_t dev;
	struct uring *ring;
	uint64_t irq_user_data;
	int irq_mode;			/* 1 MSI-X, 2 INTx (pci.h) */
	volatile struct virtio_pci_common_cfg *common;
	volatile uint8_t *isr;
	volatile uint8_t *devcfg;	/* NULL if the device has none */
	uint32_t devcfg_len;
	volatile uint16_t *rx_notify, *tx_notify;
	struct vnet_dma rx_ring, tx_ring, rx_bufs, tx_bufs;
	struct virtq rxq, txq;
	uint16_t n_rx_bufs, n_tx_bufs;
	uint16_t n_tx_free;
	uint16_t tx_free[VNET_TX_BUFS];	/* stack of free transmit buffer ids */
	bool tx_irq_on;			/* transmit interrupt asked for (pool ran dry) */
	bool tx_hold;			/* in vnet_poll: sends are published at its end */
	uint16_t tx_held;		/* added, not yet published */
	bool tx_watched;		/* buffers were in flight at the last vnet_tx_watchdog */
	uint16_t tx_watched_used;	/* txq.last_used then */
	bool broken;			/* the device broke a queue's rules: stop using it */
	bool link_up;
	uint64_t features;		/* negotiated */
	uint8_t mac[6];
	uint16_t mtu;
	struct vnet_stats stats;
};

/*
 * Resets the device, negotiates features (VERSION_1 required; MAC, STATUS,
 * MTU, EVENT_IDX if offered), sets up both queues and the DMA pools, posts
 * every receive buffer, enables interrupts (MSI-X vector 0, else INTx), sets
 * DRIVER_OK and submits the first interrupt wait on r (the owner enters the
 * ring). On failure the device is left with FAILED set. 0 or CAPOS_ERR_*.
 */
int vnet_open(struct vnet *n, capos_cap_t pci_dev, struct uring *r, uint64_t irq_user_data);

/* Resets the device and frees the DMA memory (the process exiting does it too). */
void vnet_close(struct vnet *n);

void vnet_mac(const struct vnet *n, uint8_t mac[6]);
uint16_t vnet_mtu(const struct vnet *n);
bool vnet_link_up(const struct vnet *n);

/*
 * Copies one Ethernet frame (without the virtio header; 1..VNET_FRAME_MAX
 * bytes) to the device. 0; CAPOS_ERR_WOULD_BLOCK when no transmit buffer is
 * free (retry after the next vnet_poll); CAPOS_ERR_INVALID_ARGUMENT for a
 * bad length; CAPOS_ERR_DISCONNECTED once the device is broken.
 */
int vnet_send(struct vnet *n, const void *frame, size_t len);

/* vnet_send of the concatenation of n_iov pieces (lwIP pbuf chains). */
int vnet_sendv(struct vnet *n, const struct vnet_iov *iov, unsigned n_iov);

typedef void (*vnet_rx_fn)(void *arg, const void *frame, size_t len);

/*
 * Hands every received frame to fn (the bytes are valid during the call
 * only), re-posts the buffers, reaps finished transmits. Frames fn sends
 * (vnet_send) are published together, with one kick, at the end of each
 * round (or every VNET_TX_HOLD_MAX sends). Returns the number of frames
 * delivered. Bounded work per call: if vnet_has_work() is still true
 * afterwards, call again.
 */
int vnet_poll(struct vnet *n, vnet_rx_fn fn, void *arg);

/*
 * Call now and then (the network service: every 200 ms or so): kicks the
 * transmit queue again when buffers have been in flight since the last call
 * with none finished. QEMU before 9.1 can stop taking transmit buffers
 * after an asynchronous send finishes a full burst: notifications stay off
 * (with EVENT_IDX, avail_event stays behind, so virtq_publish says no kick
 * is needed) and the device waits for a kick that never comes. Seen as a
 * TCP receive stalling for good after tens of MB (docs/virtio-net.md).
 * Returns whether buffers are in flight (watched until the next call).
 */
bool vnet_tx_watchdog(struct vnet *n);

/* True when received frames or transmit completions are waiting. */
bool vnet_has_work(const struct vnet *n);

/*
 * For the CQE carrying irq_user_data: consumes it (INTx: reads the ISR,
 * which lowers the line), refreshes the link status and re-submits the
 * interrupt wait. The owner then calls vnet_poll. 0 or CAPOS_ERR_*: a
 * foreign CQE (INVALID_ARGUMENT), or the wait's own error, after which the
 * wait is not re-armed (the PciDevice is gone or refuses).
 */
int vnet_interrupt(struct vnet *n, const struct capos_cqe *cqe);

void vnet_stats(const struct vnet *n, struct vnet_stats *out);

/*
 * Internal, shared with the host tests: binds both queues and pools to the
 * DMA areas already in n (rx_ring, tx_ring, rx_bufs, tx_bufs) and posts the
 * receive buffers. 0, or -1 for a zero queue size.
 */
int vnet_rings_init(struct vnet *n, uint16_t rx_qsize, uint16_t tx_qsize, bool event_idx);

/* Internal: the features we accept out of those offered (VERSION_1 is the caller's check). */
uint64_t vnet_choose_features(uint64_t offered);

#endif /* CAPOS_USER_VIRTIO_NET_H */
