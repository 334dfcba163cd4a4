/* SPDX-License-Identifier: MIT */
/*
 * Inside PciDevice: what pci_device.c (the object, info and configuration
 * space), pci_device_mem.c (BARs, DMA) and pci_device_irq.c (MSI-X,
 * waitInterrupt) share. See pci_device.h for the locking.
 */
#ifndef CAPOS_KERNEL_OBJ_PCI_DEVICE_IMPL_H
#define CAPOS_KERNEL_OBJ_PCI_DEVICE_IMPL_H

#include "device.capnp.h"
#include "dev/pci.h"
#include "dev/pci_arch.h"
#include "ipc/kcall.h"
#include "lib/spinlock.h"
#include "obj/pci_device.h"

#define PCI_BAR_MAP_MAX	(64ull << 20)	/* mapBar's limit (schema) */
#define PCI_DMA_ALLOC_MAX (256u << 10)	/* allocDma's limit (schema) */
#define PCI_DMA_DEVICE_MAX_PAGES 4096u	/* 16 MiB per device, counted in whole buddy blocks */
#define PCI_INTX_LINES	8u	/* INTx lines in use at once (q35 has 8 PIRQs) */
#define PCI_MSIX_SLOTS	(PCI_IRQ_SLOTS - PCI_INTX_LINES)	/* the last slots are the lines' */
#define PCI_DUE_MAX	PCI_IRQ_SLOTS	/* waits the device thread answers in one pass */

struct shared_pages;

/* One allocDma: the device's reference to the pages, and where the caller got them. */
struct pci_dma {
	struct pci_dma *next;
	uint64_t va;
	struct shared_pages *sp;	/* one reference (the device's) */
};

struct pci_device {
	struct kobj obj;
	struct pci_func *func;		/* claimed (pci_claim) until destroy */
	struct spinlock lock;		/* guards all below */
	struct shared_pages *bar_pages[PCI_BARS];	/* one reference each, or NULL */
	uint64_t bar_va[PCI_BARS];	/* where the last mapBar put it */
	struct pci_dma *dma;
	uint64_t dma_pages;		/* buddy pages held, against PCI_DMA_DEVICE_MAX_PAGES */
	uint16_t irq_mode;		/* device_InterruptMode */
	uint16_t nvec;			/* vectors enabled (MSI-X entries 0..nvec-1) */
	uint8_t slot[PCI_MSIX_MAX];	/* vector i raises interrupt slot slot[i] */
	struct kcall_queue waits[PCI_MSIX_MAX];	/* at most one waitInterrupt each */
	uint8_t intx_line;		/* INTx: its line (pci_device_intx.c), set once */
	uint32_t intx_seen;		/* INTx: the line's fire count at the last answer */
	uint32_t intx_first;		/* INTx: the line's fire count when d joined it */
	struct pci_device *intx_next;	/* INTx: the line's next holder (pci_irq_lock) */
};

/* A wait the device thread answers, with what fired. */
struct pci_due_wait {
	struct kcall *k;
	uint32_t count;
};

extern struct spinlock pci_irq_lock;	/* see pci_device.h */

/* Wakes the device thread (any context). */
void pci_device_irq_wake(void);
/* Takes off d's queues every wait whose vector fired, into due[*n..PCI_DUE_MAX). Both locks. */
void pci_device_due_collect_locked(struct pci_device *d, struct pci_due_wait *due, uint32_t *n);
/* enableInterrupts' answer: mode and vectors (also the room check, before any change). */
int pci_device_enable_result(struct call_ctx *ctx, uint16_t mode, uint16_t nvec);

/* INTx (pci_device_intx.c). */
int pci_device_intx_enable(struct pci_device *d, struct call_ctx *ctx);
/* Interrupt context: line fired. */
void pci_device_intx_irq(unsigned line);
/* 1 if d's line fired since d's last answer (and now it is answered), else 0. Under d->lock. */
uint32_t pci_device_intx_take_locked(struct pci_device *d);
/* Every INTx holder's due waits, into due[*n..). Under pci_irq_lock. */
void pci_device_intx_collect_locked(struct pci_due_wait *due, uint32_t *n);
/* A wait was taken: unmask d's line. No lock held. */
void pci_device_intx_rearm(struct pci_device *d);
/* At destroy, no lock held: INTx disabled in the function, off the line (masked if last). */
void pci_device_intx_release(struct pci_device *d);

/* The methods of the other files; each returns what a call handler returns. */
int pci_device_map_bar(struct pci_device *d, struct call_ctx *ctx);
int pci_device_alloc_dma(struct pci_device *d, struct call_ctx *ctx);
int pci_device_free_dma(struct pci_device *d, struct call_ctx *ctx);
int pci_device_enable_interrupts(struct pci_device *d, struct call_ctx *ctx);
int pci_device_wait_interrupt(struct pci_device *d, struct call_ctx *ctx);

/* At destroy, no lock held: drops the BAR and DMA references (mappings keep their own). */
void pci_device_mem_release(struct pci_device *d);
/* At destroy, no lock held (no wait can be pending: each holds a reference): MSI-X off, slots freed. */
void pci_device_irq_release(struct pci_device *d);

/* info's and list's PciDeviceInfo of f. */
void pci_device_info_fill(struct device_PciDeviceInfo_builder b, const struct pci_func *f);

#endif
