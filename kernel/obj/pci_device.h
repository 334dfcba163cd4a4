/* SPDX-License-Identifier: MIT */
/*
 * DeviceManager and PciDevice (schema/device.capnp, docs/devices.md).
 *
 * The kernel gives init the one DeviceManager ("devices"); open makes a
 * PciDevice for one function found at boot (dev/pci.h), at most one at a
 * time per function. A PciDevice is a driver's whole right to its
 * function: filtered configuration space, its memory BARs mapped uncached
 * into the caller, DMA memory, and MSI-X or INTx interrupts, which complete
 * waitInterrupt calls held on kernel-object queues (ipc/kcall.h).
 *
 * Locking (docs/locking.md): pci_irq_lock (the interrupt slots and the
 * open devices that own them), then one pci_device.lock (the device's
 * BARs, DMA list, interrupt state, and its wait queues: a level-1 object
 * lock, a waiter's peer lock nests in it), then the caller's
 * addrspace.lock (mapBar, allocDma). Interrupt handlers take no lock: they
 * count in an atomic per slot and wake the device thread.
 */
#ifndef CAPOS_KERNEL_OBJ_PCI_DEVICE_H
#define CAPOS_KERNEL_OBJ_PCI_DEVICE_H

#include "cap/object.h"

/* The DeviceManager; the caller borrows it (take a reference to keep it). */
struct kobj *device_manager_object(void);

/* Starts the device interrupt thread and installs the vectors. Boot, after pci_init. */
void pci_device_init(void);

#endif
