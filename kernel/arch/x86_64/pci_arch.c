// SPDX-License-Identifier: MIT
/*
 * PCI for x86_64 (dev/pci_arch.h). Configuration space through the ECAM
 * window when the MCFG gives one (PCI Express base 3.0, 7.2.2: function
 * (b, d, f) at base + (b << 20 | d << 15 | f << 12)), else through the
 * configuration ports (PCI local bus 3.0, 3.2.2.3.2: the address
 * 0x80000000 | b << 16 | d << 11 | f << 8 | offset to 0xCF8, the data at
 * 0xCFC + (offset & 3)). Only the first bus is mapped: the kernel scans no
 * bridge. Device vectors are 64..127 (trap.h); their MSI-X message is the
 * local APIC's fixed-delivery address of the boot CPU (Intel SDM vol. 3,
 * 11.11: address 0xFEE00000 | destination << 12, data = vector, edge).
 */
#include "arch/arch.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "boot/acpi.h"
#include "dev/pci.h"
#include "dev/pci_arch.h"
#include "dev/pci_intx.h"
#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "lib/spinlock.h"

#define PCI_CFG_ADDR 0xcf8
#define PCI_CFG_DATA 0xcfc
#define ECAM_BUS_PAGES 256u	/* 32 devices x 8 functions x 4 KiB */
#define MSI_ADDR_BASE 0xfee00000ull

static volatile uint8_t *ecam;	/* the first bus's window, or NULL: ports */
static uint8_t ecam_bus;
static struct spinlock cfg_lock = SPINLOCK_INIT_RANK(LOCK_RANK_LEAF);	/* the port pair; leaf */
static uint32_t boot_apic_id;
static void (*irq_handler)(unsigned slot);

uint32_t pci_arch_cfg_init(uint8_t *first_bus)
{
	struct acpi_mcfg m;

	/* The scan that follows changes the memory map (docs/smp.md "Multi-threaded TCG"). */
	assert(smp_cpu_count() == 1);
	*first_bus = 0;
	if (!acpi_platform_mcfg(&m)) {
		klog("pci: no MCFG: configuration through ports 0xcf8/0xcfc\n");
		return PCI_CFG_PORT_SIZE;
	}
	ecam = pci_arch_map_mmio(m.ecam_phys, ECAM_BUS_PAGES);
	ecam_bus = m.bus_start;
	*first_bus = m.bus_start;
	klog("pci: ECAM at 0x%llx, buses %u..%u (bus %u scanned)\n",
	     (unsigned long long)m.ecam_phys, m.bus_start, m.bus_end, m.bus_start);
	return PCI_CFG_ECAM_SIZE;
}

static volatile uint8_t *ecam_at(uint8_t dev, uint8_t fn, uint16_t off)
{
	return ecam + ((uint32_t)dev << 15 | (uint32_t)fn << 12 | off);
}

static uint32_t port_address(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
	return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)dev << 11 | (uint32_t)fn << 8 |
	       (off & 0xfcu);
}

static uint32_t port_read(uint16_t port, uint8_t width)
{
	uint32_t v;

	if (width == 4) {
		__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	} else if (width == 2) {
		uint16_t w;

		__asm__ volatile("inw %1, %0" : "=a"(w) : "Nd"(port));
		v = w;
	} else {
		v = inb(port);
	}
	return v;
}

static void port_write(uint16_t port, uint8_t width, uint32_t v)
{
	if (width == 4)
		outl(port, v);
	else if (width == 2)
		__asm__ volatile("outw %0, %1" : : "a"((uint16_t)v), "Nd"(port));
	else
		outb(port, (uint8_t)v);
}

uint32_t pci_arch_cfg_read(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint8_t width)
{
	uint32_t v;

	if (ecam) {
		volatile uint8_t *p = ecam_at(dev, fn, off);

		if (bus != ecam_bus)
			return 0xffffffffu >> (32 - 8 * width);	/* not mapped: nothing there */
		if (width == 4)
			return *(volatile uint32_t *)p;
		return width == 2 ? *(volatile uint16_t *)p : *p;
	}
	uint64_t flags = arch_irq_save();

	spin_lock(&cfg_lock);
	outl(PCI_CFG_ADDR, port_address(bus, dev, fn, off));
	v = port_read((uint16_t)(PCI_CFG_DATA + (off & 3)), width);
	spin_unlock(&cfg_lock);
	arch_irq_restore(flags);
	return v;
}

void pci_arch_cfg_write(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint8_t width,
			uint32_t val)
{
	if (ecam) {
		volatile uint8_t *p = ecam_at(dev, fn, off);

		if (bus != ecam_bus)
			return;
		if (width == 4)
			*(volatile uint32_t *)p = val;
		else if (width == 2)
			*(volatile uint16_t *)p = (uint16_t)val;
		else
			*p = (uint8_t)val;
		return;
	}
	uint64_t flags = arch_irq_save();

	spin_lock(&cfg_lock);
	outl(PCI_CFG_ADDR, port_address(bus, dev, fn, off));
	port_write((uint16_t)(PCI_CFG_DATA + (off & 3)), width, val);
	spin_unlock(&cfg_lock);
	arch_irq_restore(flags);
}

volatile void *pci_arch_map_mmio(paddr_t pa, uint32_t npages)
{
	volatile uint8_t *first = paging_map_mmio(pa);

	/* The window hands out pages in order: the next ones follow the first. */
	for (uint32_t i = 1; i < npages; i++)
		if ((volatile uint8_t *)paging_map_mmio(pa + (uint64_t)i * PAGE_SIZE) !=
		    first + (uint64_t)i * PAGE_SIZE)
			panic("pci: the MMIO window is not contiguous");
	return first;
}

static void device_interrupt(struct trap_frame *tf)
{
	irq_handler((unsigned)(tf->vector - VEC_DEVICE_BASE));
	lapic_eoi();
}

void pci_arch_irq_init(void (*handler)(unsigned slot))
{
	irq_handler = handler;
	boot_apic_id = lapic_id();
	for (unsigned i = 0; i < PCI_IRQ_SLOTS; i++)
		trap_set_handler(VEC_DEVICE_BASE + i, device_interrupt);
}

void pci_arch_msi_message(unsigned slot, uint64_t *addr, uint32_t *data)
{
	*addr = MSI_ADDR_BASE | (uint64_t)(boot_apic_id & 0xff) << 12;
	*data = VEC_DEVICE_BASE + slot;
}

const char *pci_arch_intx_route(const struct pci_func *f, struct pci_intx_route *out)
{
	uint32_t host = pci_arch_cfg_read(f->bus, 0, 0, PCI_VENDOR_ID, 4);
	struct pci_intx_in in = {
		.chipset = pci_intx_chipset_of((uint16_t)host, (uint16_t)(host >> 16)),
		.dev = f->dev,
		.pin = f->interrupt_pin,
		.line = (uint8_t)pci_arch_cfg_read(f->bus, f->dev, f->fn, PCI_INTX_LINE, 1),
	};

	if (in.chipset == PCI_INTX_Q35) {
		uint32_t ad = pci_arch_cfg_read(f->bus, PCI_INTX_Q35_LPC_DEV, 0,
						PCI_INTX_Q35_PIRQ_AD, 4);
		uint32_t eh = pci_arch_cfg_read(f->bus, PCI_INTX_Q35_LPC_DEV, 0,
						PCI_INTX_Q35_PIRQ_EH, 4);

		for (unsigned i = 0; i < 4; i++) {
			in.pirq_route[i] = (uint8_t)(ad >> (8 * i));
			in.pirq_route[4 + i] = (uint8_t)(eh >> (8 * i));
		}
	}
	for (unsigned i = 0; i < PCI_INTX_ISA_IRQS; i++)
		ioapic_isa_line(i, &in.isa_gsi[i], &in.isa_flags[i]);
	return pci_intx_route(&in, out);
}

int pci_arch_intx_program(const struct pci_intx_route *r, unsigned slot)
{
	return ioapic_route_gsi(r->gsi, VEC_DEVICE_BASE + slot, boot_apic_id, r->level,
				r->active_low);
}

void pci_arch_intx_mask(uint32_t gsi, bool masked)
{
	ioapic_mask_gsi(gsi, masked);
}
