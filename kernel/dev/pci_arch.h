/* SPDX-License-Identifier: MIT */
/*
 * What the PCI code (dev/pci.c, obj/pci_device*.c) needs from the
 * architecture (x86_64: arch/x86_64/pci_arch.c): configuration space
 * access, kernel mappings of device memory, interrupt vectors for MSI-X
 * with the message that reaches them, and INTx lines routed through the
 * I/O APIC (docs/devices.md).
 */
#ifndef CAPOS_KERNEL_DEV_PCI_ARCH_H
#define CAPOS_KERNEL_DEV_PCI_ARCH_H

#include "lib/types.h"

#define PCI_CFG_PORT_SIZE 256u	/* configuration space reached through ports 0xCF8/0xCFC */
#define PCI_CFG_ECAM_SIZE 4096u	/* ... through the ECAM window */

/*
 * Chooses the access method at boot: the ECAM window of the ACPI MCFG
 * (bus `first_bus` mapped uncached in the kernel's MMIO window), else
 * configuration ports. Returns the bytes of configuration space each
 * function has (PCI_CFG_*_SIZE) and the one bus reachable (*first_bus):
 * buses behind bridges are not scanned (docs/devices.md).
 */
uint32_t pci_arch_cfg_init(uint8_t *first_bus);

/*
 * Reads or writes `width` (1, 2 or 4) bytes at `off` (naturally aligned,
 * below the size pci_arch_cfg_init returned) of a function's configuration
 * space. The caller has checked all of it. Thread context; a leaf lock.
 */
uint32_t pci_arch_cfg_read(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint8_t width);
void pci_arch_cfg_write(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint8_t width,
			uint32_t val);

/* Maps npages of device memory from pa (page aligned) uncached for the kernel, for good. */
volatile void *pci_arch_map_mmio(paddr_t pa, uint32_t npages);

/* Interrupt vectors the devices share: slot 0..PCI_IRQ_SLOTS-1. */
#define PCI_IRQ_SLOTS 64u

/*
 * Installs `handler` for every device vector: it runs in interrupt
 * context with the slot that fired, and the local APIC is acknowledged
 * after it returns. Boot, once.
 */
void pci_arch_irq_init(void (*handler)(unsigned slot));

/* The MSI-X message (address, data) that raises slot's vector on the boot CPU, edge, fixed. */
void pci_arch_msi_message(unsigned slot, uint64_t *addr, uint32_t *data);

struct pci_func;
struct pci_intx_route;

/*
 * Where f's INTx pin reaches the interrupt controller (dev/pci_intx.h's
 * rule over the host bridge, the firmware's routing and the MADT): NULL
 * and *out, or why the kernel cannot know. Thread context.
 */
const char *pci_arch_intx_route(const struct pci_func *f, struct pci_intx_route *out);

/* Points r's line at slot's vector on the boot CPU, masked: 0, or NOT_SUPPORTED. */
int pci_arch_intx_program(const struct pci_intx_route *r, unsigned slot);

/* Masks or unmasks an INTx line (a route's gsi). Any context, interrupt included. */
void pci_arch_intx_mask(uint32_t gsi, bool masked);

#endif
