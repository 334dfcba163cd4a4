// SPDX-License-Identifier: MIT
/*
 * virtio-net bring-up over a PciDevice: find the modern transport's
 * structures, map them, negotiate, hand the device both queues, and keep the
 * interrupt wait armed. The data path is virtio_net_io.c.
 *
 * The initialisation order is the spec's (virtio 1.1, 3.1.1): reset,
 * ACKNOWLEDGE, DRIVER, features, FEATURES_OK (checked), queues, DRIVER_OK;
 * any failure after the reset sets FAILED so the device stops.
 */
#include <capos/errors.h>

#include "pci.h"
#include "virtio_net.h"

#define PCI_COMMAND 0x04u
#define PCI_COMMAND_MEMORY 0x2u
#define PCI_COMMAND_MASTER 0x4u
#define VNET_CFG_MAC 0u
#define VNET_CFG_STATUS 6u
#define VNET_CFG_MTU 10u
#define VNET_CFG_NEED 12u		/* through mtu */
#define VNET_STATUS_LINK_UP 1u
#define VNET_MTU_DEFAULT 1500u
#define VNET_MTU_MIN 68u
#define VNET_MTU_MAX (VNET_FRAME_MAX - 18u)	/* Ethernet header and a VLAN tag */
#define VNET_GENERATION_TRIES 8u	/* a device whose config never settles is broken */

static int vnet_cfg_read(void *ctx, uint16_t off, uint8_t width, uint32_t *val)
{
	return pci_config_read(*(capos_cap_t *)ctx, off, width, val);
}

/* The id is virtio-net: modern, or transitional (which must still have the modern caps). */
static int vnet_check_ids(capos_cap_t dev)
{
	uint32_t ids;
	int err = pci_config_read(dev, 0, 4, &ids);

	if (err != 0)
		return err;
	if ((ids & 0xffff) != VIRTIO_PCI_VENDOR ||
	    ((ids >> 16) != VIRTIO_PCI_DEVICE_NET_MODERN &&
	     (ids >> 16) != VIRTIO_PCI_DEVICE_NET_TRANSITIONAL))
		return CAPOS_ERR_NOT_SUPPORTED;
	return 0;
}

/* Maps the BAR holding region r and returns the structure's address if `need` bytes fit. */
static int vnet_map_region(struct vnet *n, const struct virtio_pci_region *r, uint32_t need,
			   volatile uint8_t **out)
{
	volatile void *bar;
	uint64_t size;
	int err = pci_map_bar(n->dev, r->bar, &bar, &size);

	if (err != 0)
		return err;
	if (!virtio_pci_region_fits(r, size, need))
		return CAPOS_ERR_INVALID_ARGUMENT;
	*out = (volatile uint8_t *)bar + r->offset;
	return 0;
}

static int vnet_map_structures(struct vnet *n, const struct virtio_pci_caps *caps)
{
	volatile uint8_t *p;
	int err;

	err = vnet_map_region(n, &caps->common, sizeof(struct virtio_pci_common_cfg), &p);
	if (err != 0)
		return err;
	n->common = (volatile struct virtio_pci_common_cfg *)p;
	err = vnet_map_region(n, &caps->isr, 1, &n->isr);
	if (err != 0)
		return err;
	if (caps->device.present &&
	    vnet_map_region(n, &caps->device, VNET_CFG_NEED, &n->devcfg) == 0)
		n->devcfg_len = caps->device.length;
	return 0;
}

static int vnet_alloc(struct vnet *n, struct vnet_dma *d, uint32_t size)
{
	void *addr;
	int err = pci_alloc_dma(n->dev, size, &addr, &d->dev_addr);

	if (err == 0)
		d->addr = addr;
	return err;
}

static void vnet_free_dma(struct vnet *n)
{
	struct vnet_dma *all[] = { &n->rx_ring, &n->tx_ring, &n->rx_bufs, &n->tx_bufs };

	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (all[i]->addr)
			(void)pci_free_dma(n->dev, all[i]->addr);
		all[i]->addr = NULL;
	}
}

static int vnet_alloc_dma(struct vnet *n)
{
	int err = vnet_alloc(n, &n->rx_ring, VIRTQ_RING_BYTES);

	if (err == 0)
		err = vnet_alloc(n, &n->tx_ring, VIRTQ_RING_BYTES);
	if (err == 0)
		err = vnet_alloc(n, &n->rx_bufs, VNET_RX_BUFS * VNET_BUF_SIZE);
	if (err == 0)
		err = vnet_alloc(n, &n->tx_bufs, VNET_TX_BUFS * VNET_BUF_SIZE);
	return err;
}

/* MSI-X vector 0 for everything, else INTx (one line, told apart by the ISR). */
static int vnet_enable_interrupts(struct vnet *n)
{
	uint16_t got;
	int err = pci_enable_interrupts(n->dev, 1, &n->irq_mode, &got);

	if (err != 0)
		return err;
	if (n->irq_mode == PCI_INTERRUPT_MSIX) {
		n->common->msix_config = 0;
		if (n->common->msix_config != 0)
			return CAPOS_ERR_NOT_SUPPORTED;	/* the device could not take the vector */
	} else if (n->irq_mode != PCI_INTERRUPT_INTX) {
		return CAPOS_ERR_NOT_SUPPORTED;
	}
	return 0;
}

/* Gives the device queue `index` (already set up in q) and finds its notify address. */
static int vnet_queue_start(struct vnet *n, const struct virtio_pci_caps *caps, uint16_t index,
			    const struct virtq *q, volatile uint16_t **notify)
{
	volatile struct virtio_pci_common_cfg *c = n->common;
	struct virtio_pci_region at = caps->notify;
	volatile uint8_t *p;
	uint64_t off;
	int err;

	c->queue_select = index;
	c->queue_size = q->size;
	if (n->irq_mode == PCI_INTERRUPT_MSIX) {
		c->queue_msix_vector = 0;
		if (c->queue_msix_vector != 0)
			return CAPOS_ERR_NOT_SUPPORTED;
	}
	c->queue_desc_lo = (uint32_t)q->desc_dev, c->queue_desc_hi = (uint32_t)(q->desc_dev >> 32);
	c->queue_driver_lo = (uint32_t)q->avail_dev;
	c->queue_driver_hi = (uint32_t)(q->avail_dev >> 32);
	c->queue_device_lo = (uint32_t)q->used_dev, c->queue_device_hi = (uint32_t)(q->used_dev >> 32);
	off = (uint64_t)c->queue_notify_off * caps->notify_off_multiplier;
	if (off > at.length || at.length - off < 2)
		return CAPOS_ERR_INVALID_ARGUMENT;
	at.offset += (uint32_t)off, at.length -= (uint32_t)off;
	err = vnet_map_region(n, &at, 2, &p);
	if (err != 0)
		return err;
	*notify = (volatile uint16_t *)p;
	c->queue_enable = 1;
	return 0;
}

/* The device's offered queue sizes (0 when a queue is missing). */
static void vnet_queue_sizes(struct vnet *n, uint16_t *rx, uint16_t *tx)
{
	*rx = *tx = 0;
	if (n->common->num_queues < 2)
		return;
	n->common->queue_select = VNET_RX_QUEUE;
	*rx = n->common->queue_size;
	n->common->queue_select = VNET_TX_QUEUE;
	*tx = n->common->queue_size;
}

static int vnet_setup_queues(struct vnet *n, const struct virtio_pci_caps *caps)
{
	uint16_t rx, tx;
	int err;

	vnet_queue_sizes(n, &rx, &tx);
	if (rx == 0 || tx == 0)
		return CAPOS_ERR_NOT_SUPPORTED;
	err = vnet_alloc_dma(n);
	if (err != 0)
		return err;
	if (vnet_rings_init(n, rx, tx, (n->features & VIRTIO_F_RING_EVENT_IDX) != 0) != 0)
		return CAPOS_ERR_NOT_SUPPORTED;
	err = vnet_queue_start(n, caps, VNET_RX_QUEUE, &n->rxq, &n->rx_notify);
	if (err == 0)
		err = vnet_queue_start(n, caps, VNET_TX_QUEUE, &n->txq, &n->tx_notify);
	return err;
}

/* MAC, link and MTU from the device configuration, read until the generation is stable. */
static void vnet_read_config(struct vnet *n)
{
	static const uint8_t fallback_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };	/* locally administered */
	unsigned tries;
	uint8_t gen;

	__builtin_memcpy(n->mac, fallback_mac, 6);
	n->mtu = VNET_MTU_DEFAULT;
	n->link_up = true;
	if (!n->devcfg)
		return;
	for (tries = 0; tries < VNET_GENERATION_TRIES; tries++) {
		gen = n->common->config_generation;
		if (n->features & VIRTIO_NET_F_MAC)
			for (unsigned i = 0; i < 6; i++)
				n->mac[i] = n->devcfg[VNET_CFG_MAC + i];
		if (n->features & VIRTIO_NET_F_STATUS)
			n->link_up = *(volatile uint16_t *)(n->devcfg + VNET_CFG_STATUS) & VNET_STATUS_LINK_UP;
		if (n->features & VIRTIO_NET_F_MTU)
			n->mtu = *(volatile uint16_t *)(n->devcfg + VNET_CFG_MTU);
		if (gen == n->common->config_generation)
			break;
	}
	if (n->mtu < VNET_MTU_MIN || n->mtu > VNET_MTU_MAX)
		n->mtu = n->mtu < VNET_MTU_MIN ? VNET_MTU_DEFAULT : VNET_MTU_MAX;
}

static int vnet_negotiate(struct vnet *n)
{
	uint64_t offered = virtio_pci_device_features(n->common);

	if (!(offered & VIRTIO_F_VERSION_1))
		return CAPOS_ERR_NOT_SUPPORTED;
	n->features = vnet_choose_features(offered);
	return virtio_pci_set_features(n->common, n->features) == 0 ? 0 : CAPOS_ERR_NOT_SUPPORTED;
}

/* Everything after the reset; the caller sets FAILED if this fails. */
static int vnet_bring_up(struct vnet *n, const struct virtio_pci_caps *caps)
{
	volatile struct virtio_pci_common_cfg *c = n->common;
	int err;

	c->device_status = VIRTIO_STATUS_ACKNOWLEDGE;
	c->device_status = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
	err = vnet_negotiate(n);
	if (err == 0)
		err = vnet_enable_interrupts(n);
	if (err == 0)
		err = vnet_setup_queues(n, caps);
	if (err != 0)
		return err;
	vnet_read_config(n);
	c->device_status = c->device_status | VIRTIO_STATUS_DRIVER_OK;
	if (c->device_status & (VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED))
		return CAPOS_ERR_DISCONNECTED;
	*n->rx_notify = VNET_RX_QUEUE;	/* the receive buffers are there */
	return pci_wait_interrupt_submit(n->ring, n->dev, 0, n->irq_user_data);
}

static int vnet_enable_bus_master(capos_cap_t dev)
{
	uint32_t cmd;
	int err = pci_config_read(dev, PCI_COMMAND, 2, &cmd);

	if (err != 0)
		return err;
	return pci_config_write(dev, PCI_COMMAND, 2, cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

int vnet_open(struct vnet *n, capos_cap_t pci_dev, struct uring *r, uint64_t irq_user_data)
{
	struct virtio_pci_caps caps;
	int err;

	*n = (struct vnet){ .dev = pci_dev, .ring = r, .irq_user_data = irq_user_data };
	err = vnet_check_ids(pci_dev);
	if (err != 0)
		return err;
	if (virtio_pci_find_caps(vnet_cfg_read, &n->dev, &caps) != 0)
		return CAPOS_ERR_NOT_SUPPORTED;
	err = vnet_map_structures(n, &caps);
	if (err == 0)
		err = vnet_enable_bus_master(pci_dev);
	if (err != 0)
		return err;
	if (virtio_pci_reset(n->common) != 0)
		return CAPOS_ERR_TIMED_OUT;
	err = vnet_bring_up(n, &caps);
	if (err != 0) {
		n->common->device_status = n->common->device_status | VIRTIO_STATUS_FAILED;
		(void)virtio_pci_reset(n->common);	/* stop DMA before the memory goes */
		vnet_free_dma(n);
	}
	return err;
}

void vnet_close(struct vnet *n)
{
	if (n->common)
		(void)virtio_pci_reset(n->common);
	vnet_free_dma(n);
	n->broken = true;
}

int vnet_interrupt(struct vnet *n, const struct capos_cqe *cqe)
{
	uint32_t count;
	int err;

	if (cqe->user_data != n->irq_user_data)
		return CAPOS_ERR_INVALID_ARGUMENT;
	err = pci_wait_interrupt_result(cqe, &count);
	if (err != 0)
		return err;
	/* INTx: reading the ISR lowers the line before the next wait unmasks it. */
	if (n->irq_mode == PCI_INTERRUPT_INTX)
		(void)*n->isr;
	if (n->devcfg && (n->features & VIRTIO_NET_F_STATUS))
		n->link_up = *(volatile uint16_t *)(n->devcfg + VNET_CFG_STATUS) & VNET_STATUS_LINK_UP;
	return pci_wait_interrupt_submit(n->ring, n->dev, 0, n->irq_user_data);
}
