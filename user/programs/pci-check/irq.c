// SPDX-License-Identifier: MIT
/*
 * pci-check's interrupts: MSI-X enabled (once), and a real one. The
 * device is reset and set up with only its transmit queue (queue 1) on
 * MSI-X vector 0; one 60-byte frame is queued; the wait is sent before
 * the notify, so it is answered from the interrupt (the held call); the
 * used ring then says the frame went. Hostile waits on a second open:
 * a vector not enabled, two waits on one vector (the second left pending
 * at exit, for the kernel to withdraw).
 */
#include "pci_check.h"

#define PG 4096u
#define QUEUE_TX 1
#define QSIZE 16
#define FRAME_LEN 60
#define NET_HDR_LEN 12	/* struct virtio_net_hdr with VIRTIO_F_VERSION_1 */

#define STATUS_ACK 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8

/* The common configuration (virtio 1.2, 4.1.4.3). */
struct virtio_common {
	uint32_t device_feature_select, device_feature;
	uint32_t driver_feature_select, driver_feature;
	uint16_t msix_config, num_queues;
	uint8_t device_status, config_generation;
	uint16_t queue_select, queue_size, queue_msix_vector, queue_enable, queue_notify_off;
	uint32_t queue_desc_lo, queue_desc_hi, queue_driver_lo, queue_driver_hi;
	uint32_t queue_device_lo, queue_device_hi;
};

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

struct vq_avail {
	uint16_t flags, idx, ring[QSIZE];
};

struct vq_used {
	uint16_t flags, idx;
	struct { uint32_t id, len; } ring[QSIZE];
};

static void barrier(void)
{
	__asm__ volatile("mfence" ::: "memory");
}

/* Reset, features (VERSION_1 only), FEATURES_OK. True if the device took them. */
static bool negotiate(volatile struct virtio_common *c)
{
	c->device_status = 0;
	for (int i = 0; i < 1000 && c->device_status != 0; i++)
		;
	c->device_status = STATUS_ACK | STATUS_DRIVER;
	c->driver_feature_select = 0;
	c->driver_feature = 0;
	c->driver_feature_select = 1;
	c->driver_feature = 1;	/* VIRTIO_F_VERSION_1 */
	c->device_status = STATUS_ACK | STATUS_DRIVER | STATUS_FEATURES_OK;
	return c->device_status & STATUS_FEATURES_OK;
}

/* Queue 1 on ring memory at mem (device address d): desc, then avail, then used. */
static bool queue_setup(volatile struct virtio_common *c, uint64_t d)
{
	c->msix_config = 0xffff;	/* no configuration interrupts */
	c->queue_select = QUEUE_TX;
	c->queue_size = QSIZE;
	c->queue_msix_vector = 0;
	if (c->queue_msix_vector != 0)
		return false;	/* the device refused the vector */
	c->queue_desc_lo = (uint32_t)d;
	c->queue_desc_hi = (uint32_t)(d >> 32);
	c->queue_driver_lo = (uint32_t)(d + PG);
	c->queue_driver_hi = (uint32_t)((d + PG) >> 32);
	c->queue_device_lo = (uint32_t)(d + 2 * PG);
	c->queue_device_hi = (uint32_t)((d + 2 * PG) >> 32);
	c->queue_enable = 1;
	c->device_status = STATUS_ACK | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK;
	return true;
}

/* One frame (header + broadcast ARP-looking frame) in descriptor 0, made available. */
static void frame_queue(uint8_t *mem, uint64_t d)
{
	struct vq_desc *desc = (struct vq_desc *)mem;
	struct vq_avail *avail = (struct vq_avail *)(mem + PG);
	uint8_t *buf = mem + 3 * PG;

	for (int i = 0; i < NET_HDR_LEN; i++)
		buf[i] = 0;
	for (int i = 0; i < 6; i++)
		buf[NET_HDR_LEN + i] = 0xff;	/* broadcast */
	buf[NET_HDR_LEN + 6] = 0x52;		/* a locally administered source */
	buf[NET_HDR_LEN + 12] = 0x08;		/* ARP */
	buf[NET_HDR_LEN + 13] = 0x06;
	desc[0] = (struct vq_desc){ d + 3 * PG, NET_HDR_LEN + FRAME_LEN, 0, 0 };
	avail->ring[0] = 0;
	barrier();
	avail->idx = 1;
	barrier();
}

uint32_t command(capos_cap_t dev)
{
	uint32_t v = 0xffffffff;

	(void)pci_config_read(dev, 4, 2, &v);
	return v;
}

static int wait_for(capos_cap_t dev, uint16_t vector, uint64_t ud, uint32_t *count,
		    bool notify_first, volatile uint16_t *notify)
{
	struct capos_cqe cqe;
	int err = pci_wait_interrupt_submit(&rt.ring, dev, vector, ud);

	if (err)
		return err;
	(void)uring_enter(&rt.ring, 0, 0);	/* the wait reaches the kernel first */
	if (notify_first)
		*notify = QUEUE_TX;
	err = uring_wait(&rt.ring, ud, &cqe);
	return err ? err : pci_wait_interrupt_result(&cqe, count);
}

void irq_checks(capos_cap_t dev, const struct found *f)
{
	volatile struct virtio_common *c = (volatile void *)(f->bar + f->common.offset);
	int mode = 0;
	uint16_t got = 0, got2 = 0;
	uint32_t count = 0;
	uint64_t d = 0;
	void *mem = NULL;

	check(raised(pci_enable_interrupts(dev, 0, &mode, &got), capos_CapException_Type_failed),
	      "enable_0_vectors_fails", 0);
	check_err(pci_enable_interrupts(dev, 2, &mode, &got), 0, "enable_interrupts");
	check(mode == PCI_INTERRUPT_MSIX && got == 2, "msix_with_2_vectors", got);
	check(command(dev) & CMD_INTX_DISABLE, "msix_sets_intx_disable", command(dev));
	check_err(pci_enable_interrupts(dev, 4, &mode, &got2), 0, "enable_again");
	check(mode == PCI_INTERRUPT_MSIX && got2 == 2, "enable_again_answers_the_mode_set", got2);
	if (!check_err(pci_alloc_dma(dev, 4 * PG, &mem, &d), 0, "ring_memory"))
		return;
	check(negotiate(c), "virtio_features_ok", c->device_status);
	check(queue_setup(c, d), "transmit_queue_on_vector_0", c->queue_msix_vector);
	frame_queue(mem, d);
	c->queue_select = QUEUE_TX;
	volatile uint16_t *notify = (volatile uint16_t *)(f->bar + f->notify.offset +
							  c->queue_notify_off * f->notify.notify_mult);

	check_err(wait_for(dev, 0, 0x7001, &count, true, notify), 0, "wait_interrupt_answered");
	check(count >= 1, "interrupt_counted", count);
	volatile struct vq_used *used = (volatile struct vq_used *)((uint8_t *)mem + 2 * PG);

	check(used->idx == 1 && used->ring[0].id == 0, "used_ring_has_the_frame", used->idx);
	c->device_status = 0;	/* reset: the device lets go of the ring */
	check_err(pci_free_dma(dev, mem), 0, "free_ring_memory");
}

void irq_hostile_checks(capos_cap_t dev, bool intx)
{
	uint16_t last = intx ? 0 : 1;	/* INTx has vector 0 only */
	struct capos_cqe cqe;
	uint32_t count = 0;
	uint16_t got = 0;
	int mode = 0, err;

	err = pci_wait_interrupt_submit(&rt.ring, dev, 0, 0x7100);
	if (!err)
		err = uring_wait(&rt.ring, 0x7100, &cqe);
	check(raised(err ? err : pci_wait_interrupt_result(&cqe, &count),
		     capos_CapException_Type_invalidArgument), "wait_before_enable_refused", 0);
	check(command(dev) & CMD_INTX_DISABLE, "release_left_intx_disabled", command(dev));
	check_err(pci_enable_interrupts(dev, 3, &mode, &got), 0, "enable_on_reopen");
	if (intx)
		check(!(command(dev) & CMD_INTX_DISABLE), "intx_enable_clears_intx_disable",
		      command(dev));
	err = pci_wait_interrupt_submit(&rt.ring, dev, 5, 0x7101);
	if (!err)
		err = uring_wait(&rt.ring, 0x7101, &cqe);
	check(raised(err ? err : pci_wait_interrupt_result(&cqe, &count),
		     capos_CapException_Type_invalidArgument), "wait_on_vector_not_enabled_refused",
	      0);
	/* The last vector never fires (the device was reset): the first wait stays pending. */
	check_err(pci_wait_interrupt_submit(&rt.ring, dev, last, 0x7102), 0,
		  "first_wait_submitted");
	(void)uring_enter(&rt.ring, 0, 0);
	err = pci_wait_interrupt_submit(&rt.ring, dev, last, 0x7103);
	if (!err)
		err = uring_wait(&rt.ring, 0x7103, &cqe);
	check(raised(err ? err : pci_wait_interrupt_result(&cqe, &count),
		     capos_CapException_Type_failed), "second_wait_on_a_vector_fails", 0);
}
