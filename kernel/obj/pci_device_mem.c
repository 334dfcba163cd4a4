// SPDX-License-Identifier: MIT
/*
 * PciDevice.mapBar, allocDma and freeDma (pci_device_impl.h). Both kinds
 * of memory are shared pages (mm/shared_pages.h) shown in the caller's
 * mapping area as a MemoryObject's are: the region holds one reference,
 * the device another, and the pages go when both are gone. So
 * VirtualMemory.unmap of DMA memory is allowed and only takes the mapping
 * away: the memory stays the device's (it may still be in a queue) until
 * freeDma or the device's release, and a BAR's pages are never frames at
 * all. The device's records are kmalloc'd; at most 4,096 DMA records per
 * device (16 MiB in one-page blocks).
 */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "ipc/peer.h"
#include "lib/lockdep.h"
#include "mm/addrspace.h"
#include "mm/kmalloc.h"
#include "mm/shared_pages.h"
#include "obj/pci_device_impl.h"
#include "proc/proc.h"
#include "ring/call.h"
#include "ring/ring.h"

#define PROT_RW (AS_PROT_READ | AS_PROT_WRITE)

static int invalid(struct call_ctx *ctx, const char *why)
{
	return call_raise(ctx, capos_CapException_Type_invalidArgument, why);
}

static int overloaded(struct call_ctx *ctx, const char *why)
{
	return call_raise(ctx, capos_CapException_Type_overloaded, why);
}

static int map_bar_result(struct call_ctx *ctx, uint64_t addr, uint64_t size)
{
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	struct device_PciDevice_mapBar_Results_builder r =
		device_PciDevice_mapBar_Results_init_root(&out);

	device_PciDevice_mapBar_Results_set_addr(r, addr);
	device_PciDevice_mapBar_Results_set_size(r, size);
	return call_result_end(ctx, &out);
}

/* Why BAR i of f may not be mapped, or NULL. */
static const char *bar_refusal(const struct pci_func *f, uint32_t i)
{
	const struct pci_bar *b = &f->bar[i];

	if (!b->phys || b->upper)
		return "mapBar: no memory BAR there";
	if (b->io)
		return "mapBar: an I/O BAR";
	if (f->msix_size && (i == f->msix_table_bar || i == f->msix_pba_bar))
		return "mapBar: the BAR holds the MSI-X table or pending bits (the kernel's)";
	if (b->size > PCI_BAR_MAP_MAX)
		return "mapBar: over 64 MiB";
	if (b->size < PAGE_SIZE || (b->phys & (PAGE_SIZE - 1)))
		return "mapBar: smaller than a page or not page aligned (would show a neighbour)";
	return NULL;
}

/*
 * The caller's mapping of BAR i: the one made before if the caller still
 * shows it there, else a new one (which replaces the record). Under d->lock.
 */
static int bar_map_locked(struct pci_device *d, struct addrspace *as, uint32_t i, uint64_t *va)
{
	const struct pci_bar *b = &d->func->bar[i];
	int err;

	assert_held(&d->lock);
	if (!d->bar_pages[i]) {
		err = shared_pages_create_device(b->phys, b->size / PAGE_SIZE, &d->bar_pages[i]);
		if (err)
			return err;
	} else if (as_vm_shows(as, d->bar_va[i], d->bar_pages[i])) {
		*va = d->bar_va[i];
		return 0;
	}
	err = as_vm_map_shared(as, 0, d->bar_pages[i], PROT_RW, PROT_RW, va);
	if (!err)
		d->bar_va[i] = *va;
	return err;
}

int pci_device_map_bar(struct pci_device *d, struct call_ctx *ctx)
{
	struct capnp_msg in;
	const char *refusal;
	uint64_t va = 0;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	uint8_t bar = device_PciDevice_mapBar_Params_get_bar(device_PciDevice_mapBar_Params_root(&in));

	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	if (bar >= PCI_BARS)
		return invalid(ctx, "mapBar: BARs are 0..5");
	refusal = bar_refusal(d->func, bar);
	if (refusal)
		return invalid(ctx, refusal);
	err = map_bar_result(ctx, 0, 0);	/* the same size as the real one: room checked */
	if (err)
		return err;
	spin_lock(&d->lock);
	err = bar_map_locked(d, ctx->caller->as, bar, &va);
	spin_unlock(&d->lock);
	if (err)
		return overloaded(ctx, "mapBar: address space, region limit or memory exhausted");
	return map_bar_result(ctx, va, d->func->bar[bar].size);
}

static int dma_result(struct call_ctx *ctx, uint64_t addr, uint64_t dev_addr)
{
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	struct device_PciDevice_allocDma_Results_builder r =
		device_PciDevice_allocDma_Results_init_root(&out);

	device_PciDevice_allocDma_Results_set_addr(r, addr);
	device_PciDevice_allocDma_Results_set_deviceAddr(r, dev_addr);
	return call_result_end(ctx, &out);
}

/* Pages of the buddy block that holds npages. */
static uint64_t block_pages(uint64_t npages)
{
	uint64_t n = 1;

	while (n < npages)
		n <<= 1;
	return n;
}

/* Makes, maps and records the allocation of rec; 0 or the error (nothing kept). */
static int dma_make(struct pci_device *d, struct call_ctx *ctx, uint64_t npages,
		    struct pci_dma *rec)
{
	struct addrspace *as = ctx->caller->as;
	uint64_t held = block_pages(npages);
	int err;

	if (!as->account)
		return CAPOS_ERR_QUOTA_EXCEEDED;
	spin_lock(&d->lock);
	err = d->dma_pages + held > PCI_DMA_DEVICE_MAX_PAGES ? CAPOS_ERR_QUOTA_EXCEEDED : 0;
	if (!err)
		d->dma_pages += held;	/* reserved now, so two calls cannot both pass */
	spin_unlock(&d->lock);
	if (err)
		return err;
	err = shared_pages_create_dma(as->account, npages, &rec->sp);
	if (!err) {
		err = as_vm_map_shared(as, 0, rec->sp, PROT_RW, PROT_RW, &rec->va);
		if (err)
			shared_pages_put(rec->sp);	/* the last: never mapped */
	}
	spin_lock(&d->lock);
	if (err) {
		d->dma_pages -= held;
	} else {
		rec->next = d->dma;
		d->dma = rec;
	}
	spin_unlock(&d->lock);
	return err;
}

int pci_device_alloc_dma(struct pci_device *d, struct call_ctx *ctx)
{
	struct capnp_msg in;
	struct pci_dma *rec;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	uint32_t size =
		device_PciDevice_allocDma_Params_get_size(device_PciDevice_allocDma_Params_root(&in));

	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	if (size == 0 || size % PAGE_SIZE || size > PCI_DMA_ALLOC_MAX)
		return invalid(ctx, "allocDma: a multiple of 4096 bytes, at most 262,144");
	err = dma_result(ctx, 0, 0);	/* the same size as the real one: room checked */
	if (err)
		return err;
	rec = kzalloc(sizeof(*rec));
	if (!rec)
		return call_raise_no_memory(ctx, CAPOS_ERR_NO_MEMORY, "allocDma");
	err = dma_make(d, ctx, size / PAGE_SIZE, rec);
	if (err) {
		(void)kfree(rec);
		return overloaded(ctx, "allocDma: quota, the device's 16 MiB or contiguous memory "
				       "exhausted");
	}
	return dma_result(ctx, rec->va, rec->sp->base);
}

/* Takes the record of the allocation at va off d's list, or NULL. */
static struct pci_dma *dma_take_locked(struct pci_device *d, uint64_t va)
{
	assert_held(&d->lock);
	for (struct pci_dma **pp = &d->dma; *pp; pp = &(*pp)->next) {
		struct pci_dma *rec = *pp;

		if (rec->va == va) {
			*pp = rec->next;
			d->dma_pages -= block_pages(rec->sp->npages);
			return rec;
		}
	}
	return NULL;
}

/*
 * Unmaps rec's pages from the caller if it shows them at rec->va (another
 * process that got the device, or a caller that unmapped them itself,
 * does not), after the window barrier of VirtualMemory.unmap.
 */
static void dma_unmap_caller(struct call_ctx *ctx, const struct pci_dma *rec)
{
	struct addrspace *as = ctx->caller->as;
	struct proc *p = ctx->caller->proc;
	struct as_freed freed;

	if (!as_vm_shows(as, rec->va, rec->sp))
		return;
	if (as_vm_unmap(as, rec->va, rec->sp->npages * PAGE_SIZE, &freed) != 0)
		return;	/* the mapping stays; the pages go with it later */
	proc_ipc_barrier(p);	/* the window barrier (obj/virtual_memory.c) */
	as_vm_release(&freed);
}

int pci_device_free_dma(struct pci_device *d, struct call_ctx *ctx)
{
	struct capnp_msg in, out;
	struct pci_dma *rec;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	uint64_t va =
		device_PciDevice_freeDma_Params_get_addr(device_PciDevice_freeDma_Params_root(&in));

	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	err = call_result_begin(ctx, &out);
	if (err)
		return err;
	(void)device_PciDevice_freeDma_Results_init_root(&out);
	err = call_result_end(ctx, &out);
	if (err)
		return err;
	spin_lock(&d->lock);
	rec = dma_take_locked(d, va);
	spin_unlock(&d->lock);
	if (!rec)
		return invalid(ctx, "freeDma: no DMA memory of this device there");
	dma_unmap_caller(ctx, rec);
	shared_pages_put(rec->sp);
	(void)kfree(rec);
	return 0;
}

void pci_device_mem_release(struct pci_device *d)
{
	while (d->dma) {
		struct pci_dma *rec = d->dma;

		d->dma = rec->next;
		shared_pages_put(rec->sp);
		(void)kfree(rec);
	}
	d->dma_pages = 0;
	for (uint32_t i = 0; i < PCI_BARS; i++)
		if (d->bar_pages[i])
			shared_pages_put(d->bar_pages[i]);
}
