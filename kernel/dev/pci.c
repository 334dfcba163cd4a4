// SPDX-License-Identifier: MIT
/*
 * PCI enumeration at boot (pci.h). Every loop is bounded by the bus's 32
 * devices x 8 functions, the 6 BARs and a capability list of at most 48
 * entries (a looping list ends there), so broken hardware cannot hang the
 * boot. BARs are sized with the function's decoding off (PCI local bus
 * 3.0, 6.2.5.1), then the command register is restored.
 */
#include "dev/pci.h"
#include "dev/pci_arch.h"
#include "lib/kprintf.h"
#include "lib/spinlock.h"

#define PCI_DEVICES	32u
#define PCI_FUNCTIONS	8u
#define PCI_CAPS_MAX	48u	/* (256 - 64) / 4: a longer list loops */
#define CAP_ID_MSI	0x05
#define CAP_ID_MSIX	0x11
#define STATUS_CAP_LIST	(1u << 4)
#define BAR_IO		0x1u
#define BAR_TYPE_64	0x4u

static struct pci_func funcs[PCI_FUNCS_MAX];
static uint32_t nfuncs;
static uint32_t cfg_size;
static struct spinlock pci_lock = SPINLOCK_INIT_RANK(LOCK_RANK_LEAF);	/* open, msix_table; leaf */

uint32_t pci_count(void)
{
	return nfuncs;
}

struct pci_func *pci_func_at(uint32_t i)
{
	return i < nfuncs ? &funcs[i] : NULL;
}

uint32_t pci_cfg_size(void)
{
	return cfg_size;
}

uint32_t pci_cfg_read(const struct pci_func *f, uint16_t off, uint8_t width)
{
	return pci_arch_cfg_read(f->bus, f->dev, f->fn, off, width);
}

void pci_cfg_write(const struct pci_func *f, uint16_t off, uint8_t width, uint32_t val)
{
	pci_arch_cfg_write(f->bus, f->dev, f->fn, off, width, val);
}

/* Writes all ones to the BAR at off and reads back what sticks; restores it. */
static uint32_t bar_probe(const struct pci_func *f, uint16_t off, uint32_t *orig)
{
	uint32_t mask;

	*orig = pci_cfg_read(f, off, 4);
	pci_cfg_write(f, off, 4, 0xffffffffu);
	mask = pci_cfg_read(f, off, 4);
	pci_cfg_write(f, off, 4, *orig);
	return mask;
}

static void bars_size(struct pci_func *f)
{
	uint16_t cmd = (uint16_t)pci_cfg_read(f, PCI_COMMAND, 2);

	pci_cfg_write(f, PCI_COMMAND, 2, cmd & ~(PCI_CMD_IO | PCI_CMD_MEMORY));
	for (uint32_t i = 0; i < PCI_BARS; i++) {
		uint16_t off = (uint16_t)(PCI_BAR0 + 4 * i);
		uint32_t lo, mask = bar_probe(f, off, &lo);
		struct pci_bar *b = &f->bar[i];

		if (lo & BAR_IO) {
			b->io = true;
			b->phys = lo & ~0x3u;
			b->size = mask & ~0x3u ? (uint32_t)(~(mask & ~0x3u) + 1) & 0xffff : 0;
			continue;
		}
		uint64_t base = lo & ~0xfu, smask = 0xffffffff00000000ull | (mask & ~0xfu);
		bool wide = (lo & BAR_TYPE_64) && i + 1 < PCI_BARS;

		if (wide) {
			uint32_t hi, hmask = bar_probe(f, off + 4, &hi);

			base |= (uint64_t)hi << 32;
			smask = (uint64_t)hmask << 32 | (mask & ~0xfu);
			f->bar[i + 1].upper = true;
		}
		if (smask & ~0xfull) {
			b->phys = base;
			b->size = ~(smask & ~0xfull) + 1;
		}
		if (wide)
			i++;	/* the high half is not a BAR of its own */
	}
	pci_cfg_write(f, PCI_COMMAND, 2, cmd);
}

static void msix_read(struct pci_func *f, uint16_t cap)
{
	uint16_t ctrl = (uint16_t)pci_cfg_read(f, cap + 2, 2);
	uint32_t table = pci_cfg_read(f, cap + 4, 4), pba = pci_cfg_read(f, cap + 8, 4);

	f->caps.msix = cap;
	f->msix_size = (uint16_t)((ctrl & 0x7ff) + 1);
	f->msix_table_bar = table & 7;
	f->msix_table_off = table & ~7u;
	f->msix_pba_bar = pba & 7;
	f->msix_pba_off = pba & ~7u;
}

static void caps_find(struct pci_func *f)
{
	uint16_t at;

	if (!(pci_cfg_read(f, PCI_STATUS, 2) & STATUS_CAP_LIST))
		return;
	at = pci_cfg_read(f, PCI_CAP_PTR, 1) & 0xfc;
	for (uint32_t n = 0; n < PCI_CAPS_MAX && at >= PCI_HEADER_END; n++) {
		uint8_t id = (uint8_t)pci_cfg_read(f, at, 1);

		if (id == CAP_ID_MSI && !f->caps.msi)
			f->caps.msi = at;
		else if (id == CAP_ID_MSIX && !f->caps.msix)
			msix_read(f, at);
		at = pci_cfg_read(f, at + 1, 1) & 0xfc;
	}
}

static void func_read(struct pci_func *f)
{
	uint32_t class = pci_cfg_read(f, PCI_REVISION, 4);

	f->revision = (uint8_t)class;
	f->prog_if = (uint8_t)(class >> 8);
	f->subclass = (uint8_t)(class >> 16);
	f->class_code = (uint8_t)(class >> 24);
	f->subsystem_id = (uint16_t)pci_cfg_read(f, PCI_SUBSYSTEM_ID, 2);
	f->interrupt_pin = (uint8_t)pci_cfg_read(f, PCI_INT_PIN, 1);
	if ((pci_cfg_read(f, PCI_HEADER_TYPE, 1) & 0x7f) == 0)
		bars_size(f);	/* a bridge's BARs and windows are not a driver's */
	caps_find(f);
	klog("pci: %02x:%02x.%x %04x:%04x class %02x\n", f->bus, f->dev, f->fn, f->vendor_id,
	     f->device_id, f->class_code);
}

/* Keeps (bus, dev, fn) if something answers there; false when the table is full. */
static bool func_probe(uint8_t bus, uint8_t dev, uint8_t fn)
{
	uint32_t id = pci_arch_cfg_read(bus, dev, fn, PCI_VENDOR_ID, 4);
	struct pci_func *f;

	if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0)
		return true;
	if (nfuncs == PCI_FUNCS_MAX) {
		klog("pci: more than %u functions: %02x:%02x.%x and later ones are not kept\n",
		     PCI_FUNCS_MAX, bus, dev, fn);
		return false;
	}
	f = &funcs[nfuncs++];
	f->bus = bus;
	f->dev = dev;
	f->fn = fn;
	f->vendor_id = (uint16_t)id;
	f->device_id = (uint16_t)(id >> 16);
	func_read(f);
	return true;
}

void pci_init(void)
{
	uint8_t bus;

	cfg_size = pci_arch_cfg_init(&bus);
	for (uint8_t dev = 0; dev < PCI_DEVICES; dev++) {
		uint32_t id = pci_arch_cfg_read(bus, dev, 0, PCI_VENDOR_ID, 2);
		bool multi;

		if (id == 0xffff)
			continue;
		multi = pci_arch_cfg_read(bus, dev, 0, PCI_HEADER_TYPE, 1) & 0x80;
		for (uint8_t fn = 0; fn < (multi ? PCI_FUNCTIONS : 1); fn++)
			if (!func_probe(bus, dev, fn))
				return;
	}
	klog("pci: %u functions\n", nfuncs);
}

bool pci_claim(struct pci_func *f)
{
	bool ok;

	spin_lock(&pci_lock);
	ok = !f->open;
	f->open = true;
	spin_unlock(&pci_lock);
	return ok;
}

void pci_unclaim(struct pci_func *f)
{
	spin_lock(&pci_lock);
	f->open = false;
	spin_unlock(&pci_lock);
}

volatile uint32_t *pci_msix_table(struct pci_func *f)
{
	const struct pci_bar *b;
	volatile uint32_t *t;

	spin_lock(&pci_lock);
	t = f->msix_table;
	spin_unlock(&pci_lock);
	if (t || !f->msix_size || f->msix_table_bar >= PCI_BARS)
		return t;
	b = &f->bar[f->msix_table_bar];
	if (!b->phys || b->io || b->size < f->msix_table_off + PCI_MSIX_MAX * 16ull)
		return NULL;
	uint64_t pa = b->phys + f->msix_table_off, page = pa & ~0xfffull;
	uint32_t npages = (uint32_t)((pa + PCI_MSIX_MAX * 16 - page + 0xfff) >> 12);

	/* Only one PciDevice has f at a time, and it maps the table in its own call: no race. */
	t = (volatile uint32_t *)((volatile uint8_t *)pci_arch_map_mmio(page, npages) + (pa - page));
	spin_lock(&pci_lock);
	f->msix_table = t;
	spin_unlock(&pci_lock);
	return t;
}
