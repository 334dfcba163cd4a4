/* SPDX-License-Identifier: MIT */
/*
 * PciDevice and DeviceManager from user code (schema/device.capnp,
 * docs/devices.md). A driver is given one PciDevice (manifest grant source
 * pciDevice); init alone holds the DeviceManager ("devices").
 *
 * Every function returns 0 or a negative CAPOS_ERR_*;
 * CAPOS_ERR_APPLICATION_EXCEPTION means the kernel raised a CapException,
 * which client_exception() (client.h) then gives: invalidArgument for a
 * bad argument, failed for a refused field or a second wait, overloaded
 * when memory or vectors run out. Static buffers of their own: one call at
 * a time, except the waits, which are asynchronous.
 */
#ifndef CAPOS_USER_PCI_H
#define CAPOS_USER_PCI_H

#include <stdint.h>

#include <capos/cap.h>
#include <capos/ring.h>

#include "uring.h"

struct pci_info {
	uint8_t bus, device, function, class_code, subclass, prog_if, revision, interrupt_pin;
	uint16_t vendor_id, device_id, subsystem_id;
};

#define PCI_INTERRUPT_MSIX 1
#define PCI_INTERRUPT_INTX 2

/* PciDevice.info. */
int pci_info(capos_cap_t dev, struct pci_info *out);

/* configRead / configWrite of width 1, 2 or 4 bytes at off (filtered: schema). */
int pci_config_read(capos_cap_t dev, uint16_t off, uint8_t width, uint32_t *val);
int pci_config_write(capos_cap_t dev, uint16_t off, uint8_t width, uint32_t val);

/* mapBar: the whole memory BAR `bar`, uncached, in this process; where and how big. */
int pci_map_bar(capos_cap_t dev, uint8_t bar, volatile void **addr, uint64_t *size);

/* allocDma: size bytes (page multiple, <= 256 KiB) of zeroed contiguous memory. */
int pci_alloc_dma(capos_cap_t dev, uint32_t size, void **addr, uint64_t *dev_addr);
int pci_free_dma(capos_cap_t dev, void *addr);

/* enableInterrupts(want): *mode PCI_INTERRUPT_MSIX or _INTX, *got vectors 0..got-1. */
int pci_enable_interrupts(capos_cap_t dev, uint16_t want, int *mode, uint16_t *got);

/*
 * waitInterrupt is asynchronous, like terminal_wait_interrupt_submit: the
 * CALL is queued in ring r (the next cap_enter sends it) with user_data;
 * its CQE arrives among the caller's other completions and
 * pci_wait_interrupt_result reads it. The library keeps the buffers of up
 * to PCI_WAITS_MAX waits in flight (CAPOS_ERR_QUOTA_EXCEEDED beyond);
 * a wait's buffers are free again once its result is read.
 */
#define PCI_WAITS_MAX 16
int pci_wait_interrupt_submit(struct uring *r, capos_cap_t dev, uint16_t vector,
			      uint64_t user_data);
/* *count: interrupts since the last answered wait (>= 1). Or the CQE's error. */
int pci_wait_interrupt_result(const struct capos_cqe *cqe, uint32_t *count);

/* One DeviceManager.list entry is a struct pci_info; *n how many there are (may exceed max). */
int pci_list(capos_cap_t devices, struct pci_info *out, uint32_t max, uint32_t *n);

/* DeviceManager.open: the index-th function with vendor:device as *dev. */
int pci_open(capos_cap_t devices, uint16_t vendor, uint16_t device, uint16_t index,
	     capos_cap_t *dev);

#endif
