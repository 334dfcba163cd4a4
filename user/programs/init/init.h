/* SPDX-License-Identifier: MIT */
/*
 * init's parts (docs/manifest.md): load.c reads the boot manifest through
 * BootPackage in bounded chunks and validates all of it (lib/manifest)
 * against what init holds; supervise.c starts the service graph in
 * dependency order and supervises it until no service is left to run;
 * main.c ties them together. Init has one thread: nothing here locks.
 */
#ifndef CAPOS_INIT_INIT_H
#define CAPOS_INIT_INIT_H

#include "manifest/manifest.h"
#include "rt.h"

#define INIT_MANIFEST_CHUNK 4096u	/* bytes per BootPackage.readManifest */

/*
 * Reads and validates the boot manifest into *m. Returns 0, or prints the
 * one line "init: manifest: PATH: REASON" and returns nonzero.
 */
int init_load_manifest(struct manifest *m);

/*
 * Prints "init: manifest: " and the formatted rest as one line, in the log
 * and, through the SerialPort when init holds it, on the terminal (COM1).
 */
void init_refuse_manifest(const char *fmt, ...) __attribute__((format(__printf__, 1, 2)));

/* The capability init holds for KernelSource k (CAPOS_CAP_INVALID if none). */
capos_cap_t init_kernel_cap(uint32_t k);

/*
 * Starts every service of m and supervises them until none is running or
 * waiting to restart. Returns the number of services init gave up on
 * (restarts exhausted, or never able to start).
 */
uint32_t init_supervise(const struct manifest *m);

/* init_pci_open's answer when the machine has no function the grant matches. */
#define INIT_PCI_ABSENT 1

/*
 * Opens the PciDevice of pciDevice grant g: the first of its device ids
 * that the DeviceManager lists. 0 and *dev, INIT_PCI_ABSENT, or the
 * DeviceManager's error (failed: the function is open already).
 */
int init_pci_open(const struct manifest_grant *g, capos_cap_t *dev);

/* "1af4:1041" (or "1af4:1041/1000" for several ids) into out. */
void init_pci_name(const struct manifest_grant *g, char *out, size_t size);

#endif
