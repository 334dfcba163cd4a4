// SPDX-License-Identifier: MIT
/*
 * PciDevice's legacy INTx interrupt (pci_device_impl.h, docs/devices.md):
 * for a function without MSI-X, enableInterrupts gives one vector, 0, fed
 * by the function's interrupt pin where dev/pci_intx.h's rule says it
 * reaches the I/O APIC.
 *
 * A line is level-triggered and may be shared: up to PCI_INTX_LINES lines
 * at once, each with its own interrupt slot (the last ones), its holders
 * in a list. The handler masks the line (else a level line asserted until
 * the driver acknowledges its device would fire again at once, forever),
 * counts the fire in the line and wakes the device thread, which answers
 * the pending wait of every holder on the line (a shared line wakes them
 * all: each driver asks its own device). A holder's waitInterrupt that is
 * taken unmasks the line, as the schema says: the driver has acknowledged
 * its device by then, so a line still asserted is another event or
 * another holder's, and fires again. A holder that never waits again only
 * keeps its own line masked until another holder waits; each unmask costs
 * one interrupt at most, so no holder can make the kernel storm.
 *
 * The function's command register's INTx disable bit is cleared while a
 * holder has the line and set again at release (and when MSI-X is on), so
 * a released device cannot hold a shared line asserted.
 */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "dev/pci_intx.h"
#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "obj/pci_device_impl.h"
#include "ring/call.h"

struct intx_line {
	uint32_t gsi;			/* atomic: written while unused, before routing */
	uint32_t users;			/* pci_irq_lock */
	uint32_t fired;			/* atomic: fires so far (wraps) */
	struct pci_device *holders;	/* pci_irq_lock, linked by intx_next */
};

static struct intx_line lines[PCI_INTX_LINES];

/* Interrupt context. */
void pci_device_intx_irq(unsigned line)
{
	struct intx_line *l;

	if (line >= PCI_INTX_LINES)
		return;
	l = &lines[line];
	pci_arch_intx_mask(__atomic_load_n(&l->gsi, __ATOMIC_ACQUIRE), true);
	__atomic_add_fetch(&l->fired, 1, __ATOMIC_RELEASE);
	pci_device_irq_wake();
}

uint32_t pci_device_intx_take_locked(struct pci_device *d)
{
	uint32_t fired = __atomic_load_n(&lines[d->intx_line].fired, __ATOMIC_ACQUIRE);

	assert_held(&d->lock);
	if (fired == d->intx_seen)
		return 0;
	d->intx_seen = fired;
	return 1;	/* a level line counts no more than that it fired */
}

void pci_device_intx_collect_locked(struct pci_due_wait *due, uint32_t *n)
{
	assert_held(&pci_irq_lock);
	for (uint32_t i = 0; i < PCI_INTX_LINES; i++) {
		for (struct pci_device *d = lines[i].holders; d; d = d->intx_next) {
			spin_lock(&d->lock);
			pci_device_due_collect_locked(d, due, n);
			spin_unlock(&d->lock);
		}
	}
}

void pci_device_intx_rearm(struct pci_device *d)
{
	pci_arch_intx_mask(__atomic_load_n(&lines[d->intx_line].gsi, __ATOMIC_ACQUIRE), false);
}

#define LINES_TAKEN	(-1)
#define LINE_REFUSED	(-2)	/* the I/O APIC has no such entry, or it is in use */

/* The line already routed to gsi, else a free one routed now (masked); or LINES_*. */
static int line_get_locked(const struct pci_intx_route *r)
{
	int free_line = -1;

	assert_held(&pci_irq_lock);
	for (uint32_t i = 0; i < PCI_INTX_LINES; i++) {
		if (lines[i].users && lines[i].gsi == r->gsi)
			return (int)i;
		if (!lines[i].users && free_line < 0)
			free_line = (int)i;
	}
	if (free_line < 0)
		return LINES_TAKEN;
	__atomic_store_n(&lines[free_line].gsi, r->gsi, __ATOMIC_RELEASE);
	if (pci_arch_intx_program(r, PCI_MSIX_SLOTS + (unsigned)free_line))
		return LINE_REFUSED;
	return free_line;
}

/* Joins d to line i. Under both locks. */
static void line_join_locked(struct pci_device *d, uint32_t i)
{
	assert_held(&pci_irq_lock);
	assert_held(&d->lock);
	lines[i].users++;
	d->intx_next = lines[i].holders;
	lines[i].holders = d;
	d->intx_line = (uint8_t)i;
	d->intx_seen = __atomic_load_n(&lines[i].fired, __ATOMIC_ACQUIRE);
	d->intx_first = d->intx_seen;
	d->nvec = 1;
	d->irq_mode = device_InterruptMode_intx;
}

static void intx_disable_set(struct pci_device *d, bool disabled)
{
	uint16_t cmd = (uint16_t)pci_cfg_read(d->func, PCI_COMMAND, 2);

	cmd = disabled ? cmd | PCI_CMD_INTX_DISABLE : cmd & ~PCI_CMD_INTX_DISABLE;
	pci_cfg_write(d->func, PCI_COMMAND, 2, cmd);
}

int pci_device_intx_enable(struct pci_device *d, struct call_ctx *ctx)
{
	struct pci_intx_route r;
	const char *why = pci_arch_intx_route(d->func, &r);
	int line = 0, err;
	bool joined = false;

	if (why) {
		klog("pci: %02x:%02x.%x: no INTx: %s\n", d->func->bus, d->func->dev, d->func->fn,
		     why);
		return call_raise(ctx, capos_CapException_Type_failed,
				  "enableInterrupts: no MSI-X, and the INTx line's route is unknown");
	}
	err = pci_device_enable_result(ctx, device_InterruptMode_intx, 1);	/* room checked */
	if (err)
		return err;
	spin_lock(&pci_irq_lock);
	spin_lock(&d->lock);
	if (d->irq_mode == device_InterruptMode_none) {
		line = line_get_locked(&r);
		if (line >= 0) {
			line_join_locked(d, (uint32_t)line);
			joined = true;
		}
	}
	spin_unlock(&d->lock);
	spin_unlock(&pci_irq_lock);
	if (line == LINE_REFUSED)
		return call_raise(ctx, capos_CapException_Type_failed,
				  "enableInterrupts: the INTx line's I/O APIC entry is not free");
	if (line < 0)
		return call_raise(ctx, capos_CapException_Type_overloaded,
				  "enableInterrupts: every INTx line is taken");
	if (joined) {
		intx_disable_set(d, false);
		klog("pci: %02x:%02x.%x: INTx pin %u on GSI %u (%s, active %s)\n", d->func->bus,
		     d->func->dev, d->func->fn, d->func->interrupt_pin, r.gsi,
		     r.level ? "level" : "edge", r.active_low ? "low" : "high");
	}
	return pci_device_enable_result(ctx, d->irq_mode, d->nvec);
}

void pci_device_intx_release(struct pci_device *d)
{
	struct intx_line *l = &lines[d->intx_line];
	uint32_t fires = __atomic_load_n(&l->fired, __ATOMIC_ACQUIRE) - d->intx_first;

	intx_disable_set(d, true);	/* the function lets go of a shared line */
	/* Few: the line is masked from each interrupt to the next wait (qemu/pci-intx). */
	klog("pci: %02x:%02x.%x: released after %u INTx interrupts\n", d->func->bus, d->func->dev,
	     d->func->fn, fires);
	spin_lock(&pci_irq_lock);
	for (struct pci_device **p = &l->holders; *p; p = &(*p)->intx_next) {
		if (*p == d) {
			*p = d->intx_next;
			break;
		}
	}
	if (--l->users == 0)
		pci_arch_intx_mask(l->gsi, true);
	spin_unlock(&pci_irq_lock);
	d->intx_next = NULL;
	d->nvec = 0;
	d->irq_mode = device_InterruptMode_none;
}
