// SPDX-License-Identifier: MIT
/*
 * pci-check's INTx interrupts, on a function without MSI-X
 * (tests/qemu/pci-intx: virtio-net-pci,vectors=0). enableInterrupts
 * gives one vector, 0, in mode intx. The transmit queue (without an MSI-X
 * vector) sends a frame: the wait sent before the notify is answered from
 * the interrupt, counting 1. The line is masked until the next wait: a
 * wait sent before the driver read the ISR is answered again at once (the
 * line is still asserted, as the schema warns); reading the ISR says it
 * was a queue interrupt and lowers the line, so the next wait stays
 * pending until a second frame's interrupt answers it. When the scenario
 * put a virtio-rng without MSI-X on the same PIRQ, it is a second holder
 * of the line: the frame's interrupt answers its wait too, and its
 * release leaves the line to the first.
 */
#include "pci_check.h"

#define PG 4096u
#define QUEUE_TX 1
#define QSIZE 16
#define FRAME_LEN 60
#define NET_HDR_LEN 12
#define NO_VECTOR 0xffff
#define VIRTIO_RNG 0x1044
#define ISR_QUEUE 1

#define STATUS_ACK 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8

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

/* Reset, VERSION_1, queue 1 on mem (device address d): desc, avail, used; DRIVER_OK. */
static bool device_setup(volatile struct virtio_common *c, uint64_t d)
{
	const uint8_t base = STATUS_ACK | STATUS_DRIVER;

	c->device_status = 0;
	for (int i = 0; i < 1000 && c->device_status != 0; i++)
		;
	c->device_status = base;
	c->driver_feature_select = 0;
	c->driver_feature = 0;
	c->driver_feature_select = 1;
	c->driver_feature = 1;	/* VIRTIO_F_VERSION_1 */
	c->device_status = base | STATUS_FEATURES_OK;
	if (!(c->device_status & STATUS_FEATURES_OK))
		return false;
	c->queue_select = QUEUE_TX;
	c->queue_size = QSIZE;
	c->queue_desc_lo = (uint32_t)d;
	c->queue_desc_hi = (uint32_t)(d >> 32);
	c->queue_driver_lo = (uint32_t)(d + PG);
	c->queue_driver_hi = (uint32_t)((d + PG) >> 32);
	c->queue_device_lo = (uint32_t)(d + 2 * PG);
	c->queue_device_hi = (uint32_t)((d + 2 * PG) >> 32);
	c->queue_enable = 1;
	c->device_status = base | STATUS_FEATURES_OK | STATUS_DRIVER_OK;
	return true;
}

/* Frame number i (from 0) in descriptor i, made available. */
static void frame_queue(uint8_t *mem, uint64_t d, uint16_t i)
{
	struct vq_desc *desc = (struct vq_desc *)mem;
	struct vq_avail *avail = (struct vq_avail *)(mem + PG);
	uint8_t *buf = mem + 3 * PG + i * 128u;

	for (int j = 0; j < NET_HDR_LEN + FRAME_LEN; j++)
		buf[j] = 0;
	for (int j = 0; j < 6; j++)
		buf[NET_HDR_LEN + j] = 0xff;	/* broadcast */
	buf[NET_HDR_LEN + 6] = 0x52;		/* a locally administered source */
	buf[NET_HDR_LEN + 12] = 0x08;		/* ARP */
	buf[NET_HDR_LEN + 13] = 0x06;
	desc[i] = (struct vq_desc){ d + 3 * PG + i * 128u, NET_HDR_LEN + FRAME_LEN, 0, 0 };
	avail->ring[i] = i;
	barrier();
	avail->idx = (uint16_t)(i + 1);
	barrier();
}

/* The wait for ud: 0 and *count, or an error. */
static int wait_result(uint64_t ud, uint32_t *count)
{
	struct capos_cqe cqe;
	int err = uring_wait(&rt.ring, ud, &cqe);

	return err ? err : pci_wait_interrupt_result(&cqe, count);
}

/* A wait on vector 0 that reaches the kernel now. */
static int wait_send(capos_cap_t dev, uint64_t ud)
{
	int err = pci_wait_interrupt_submit(&rt.ring, dev, 0, ud);

	(void)uring_enter(&rt.ring, 0, 0);
	return err;
}

/* The virtio-rng on the same line, on INTx, with a wait pending; INVALID if there is none. */
static capos_cap_t second_holder(capos_cap_t devices)
{
	capos_cap_t rng = CAPOS_CAP_INVALID;
	uint16_t got = 0;
	int mode = 0;

	if (pci_open(devices, VIRTIO_VENDOR, VIRTIO_RNG, 0, &rng) != 0)
		return CAPOS_CAP_INVALID;
	check_err(pci_enable_interrupts(rng, 1, &mode, &got), 0, "second_holder_enabled");
	check(mode == PCI_INTERRUPT_INTX, "second_holder_on_intx", mode);
	check_err(wait_send(rng, 0x7301), 0, "second_holder_wait_sent");
	return rng;
}

static void intx_frames(capos_cap_t devices, capos_cap_t dev, const struct found *f,
			uint8_t *mem, uint64_t d)
{
	capos_cap_t rng = second_holder(devices);
	volatile struct virtio_common *c = (volatile void *)(f->bar + f->common.offset);
	volatile uint8_t *isr = f->bar + f->isr.offset;
	volatile struct vq_used *used = (volatile struct vq_used *)(mem + 2 * PG);
	struct capos_cqe cqe;
	uint32_t count = 0;
	uint8_t status;

	c->queue_select = QUEUE_TX;
	volatile uint16_t *notify = (volatile uint16_t *)(f->bar + f->notify.offset +
							  c->queue_notify_off * f->notify.notify_mult);

	frame_queue(mem, d, 0);
	check_err(wait_send(dev, 0x7201), 0, "intx_wait_sent");
	*notify = QUEUE_TX;
	check_err(wait_result(0x7201, &count), 0, "intx_wait_answered");
	check(count == 1, "intx_counts_1", count);
	check(used->idx == 1, "used_ring_has_the_frame", used->idx);
	if (rng != CAPOS_CAP_INVALID) {
		check_err(wait_result(0x7301, &count), 0, "shared_line_wakes_every_holder");
		check_err(cap_release(rng), 0, "second_holder_released");
	}
	check_err(wait_send(dev, 0x7202), 0, "unacknowledged_wait_sent");
	check_err(wait_result(0x7202, &count), 0, "unacknowledged_line_fires_again");
	status = *isr;
	check(status & ISR_QUEUE, "isr_says_queue_interrupt", status);
	status = *isr;
	check(status == 0, "isr_read_lowers_it", status);
	check_err(wait_send(dev, 0x7203), 0, "acknowledged_wait_sent");
	check(uring_find(&rt.ring, 0x7203, &cqe) == 0, "acknowledged_wait_pending", 0);
	frame_queue(mem, d, 1);
	*notify = QUEUE_TX;
	check_err(wait_result(0x7203, &count), 0, "second_frame_interrupt_answered");
	check(used->idx == 2, "used_ring_has_the_second_frame", used->idx);
	status = *isr;
	check(status & ISR_QUEUE, "isr_says_queue_interrupt_again", status);
}

void intx_checks(capos_cap_t devices, capos_cap_t dev, const struct found *f)
{
	volatile struct virtio_common *c = (volatile void *)(f->bar + f->common.offset);
	int mode = 0;
	uint16_t got = 0;
	uint64_t d = 0;
	void *mem = NULL;

	check(raised(pci_enable_interrupts(dev, 0, &mode, &got), capos_CapException_Type_failed),
	      "enable_0_vectors_fails", 0);
	check_err(pci_enable_interrupts(dev, 2, &mode, &got), 0, "enable_interrupts");
	check(mode == PCI_INTERRUPT_INTX && got == 1, "intx_with_1_vector", got);
	check(!(command(dev) & CMD_INTX_DISABLE), "intx_not_disabled", command(dev));
	check_err(pci_enable_interrupts(dev, 4, &mode, &got), 0, "enable_again");
	check(mode == PCI_INTERRUPT_INTX && got == 1, "enable_again_answers_the_mode_set", got);
	check(f->isr.length >= 1 && f->isr.bar == f->common.bar, "virtio_isr_found", f->isr.bar);
	if (!check_err(pci_alloc_dma(dev, 4 * PG, &mem, &d), 0, "ring_memory"))
		return;
	if (check(device_setup(c, d), "virtio_features_ok", c->device_status)) {
		check(c->queue_msix_vector == NO_VECTOR, "no_msix_vector", c->queue_msix_vector);
		intx_frames(devices, dev, f, mem, d);
	}
	c->device_status = 0;	/* reset: the device lets go of the ring */
	check_err(pci_free_dma(dev, mem), 0, "free_ring_memory");
}
