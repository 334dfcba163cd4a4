/* SPDX-License-Identifier: MIT */
/*
 * Test manifests described as C tables and built into SystemManifest
 * messages with the generated builders, so each test states the one thing
 * it changes from a valid base (mb_base: a console-only hello, an echo
 * service that exports its endpoint, and a client that imports it).
 */
#ifndef CAPOS_TESTS_UNIT_MANIFEST_MBUILD_H
#define CAPOS_TESTS_UNIT_MANIFEST_MBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capos/interfaces.h>

#include "manifest/manifest.h"

#define MB_LIST_MAX 70		/* more than any limit, to build over-limit manifests */

enum mb_source { MB_UNSET, MB_KERNEL, MB_SERVICE, MB_RAW_WHICH, MB_PCI };

struct mb_grant {
	const char *name;
	uint64_t iface;
	enum mb_source kind;
	uint16_t kernel;		/* MB_KERNEL: KernelSource; MB_RAW_WHICH: the discriminant */
	const char *service, *export;	/* MB_SERVICE */
	uint16_t pci_vendor;		/* MB_PCI */
	uint32_t pci_nids;
	uint16_t pci_ids[12];
};

#define MB_GRANT_KERNEL(n, i, k) ((struct mb_grant){ .name = (n), .iface = (i), .kind = MB_KERNEL, \
							  .kernel = (k) })
#define MB_GRANT_IMPORT(n, i, s, e) ((struct mb_grant){ .name = (n), .iface = (i), \
							.kind = MB_SERVICE, .service = (s), \
							.export = (e) })

#define MB_GRANT_PCI(n, v, id) ((struct mb_grant){ .name = (n), .iface = CAPOS_IFACE_PCI_DEVICE, \
						     .kind = MB_PCI, .pci_vendor = (v), \
						     .pci_nids = 1, .pci_ids = { (id) } })

struct mb_export {
	const char *name;
	uint64_t iface;
};

struct mb_service {
	const char *name, *binary;
	uint32_t ngrants, nexports;
	struct mb_grant grants[MB_LIST_MAX];
	struct mb_export exports[MB_LIST_MAX];
	bool has_restart;
	uint16_t mode;
	uint32_t max_restarts, backoff_ms, max_backoff_ms;
	uint32_t memory_pages;		/* 0: left out (the default) */
	uint32_t nargs;			/* 0: args left out */
	const char *args[MB_LIST_MAX];
	uint32_t arg_len[MB_LIST_MAX];	/* 0: strlen (so an arg may hold a NUL) */
};

struct mb_manifest {
	uint32_t nbinaries, nservices;
	const char *binaries[MB_LIST_MAX];
	const char *motd;		/* NULL: no kernelParams */
	struct mb_service services[MB_LIST_MAX];
};

/* The valid base manifest (3 services, 3 binaries). */
void mb_base(struct mb_manifest *d);

/* A service with only a name and binary appended to d; returns it. */
struct mb_service *mb_add_service(struct mb_manifest *d, const char *name, const char *binary);

/* Builds d into out[0..cap) (framed); returns the length, or 0 if it does not fit. */
size_t mb_build(const struct mb_manifest *d, uint8_t *out, size_t cap);

/*
 * An environment where init holds every kernel source and a DeviceManager
 * and the package has these binaries.
 */
void mb_env(struct manifest_env *env, const char *const *binaries, uint32_t n);

/* The base environment: hello, ipc-echo, echo-demo, fault-pf, exit0, and b0..b69. */
const struct manifest_env *mb_default_env(void);

#endif
