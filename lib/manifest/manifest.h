/* SPDX-License-Identifier: MIT */
/*
 * The boot manifest's validator (schema/manifest.capnp, docs/manifest.md):
 * it turns the untrusted bytes of a SystemManifest message into a plan init
 * can follow without checking anything again, or into one error naming the
 * field path and the reason. Nothing is started until the whole manifest has
 * passed, so a manifest is taken or refused as a whole.
 *
 * The message is read with the Cap'n Proto reader's limits on (a traversal
 * limit of a few times the message's size, a nesting limit of 16), every
 * read is checked where it happens (so a malformed pointer is blamed on the
 * field that holds it), and every list has a limit checked before it is
 * walked. The plan lives in the caller's struct manifest: no allocation, no
 * globals, no recursion (lib/ code is built for user space and the host:
 * init, the unit tests and the fuzzer use the same file).
 *
 * Checks, in the order they are made: framing; binaries (names, unique, in
 * the boot package); kernelParams.motd; each service's name, binary,
 * exports and restart policy; then each service's grants (kernel sources
 * init holds, imports of exports that exist, PCI devices no other grant
 * could match, interfaces that match); then
 * the dependency order (no cycle). The first failure is the one reported.
 */
#ifndef CAPOS_LIB_MANIFEST_MANIFEST_H
#define CAPOS_LIB_MANIFEST_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capos/startup.h>

#define MANIFEST_BYTES_MAX 65536u	/* the message, framed (boot.capnp) */
#define MANIFEST_BINARIES_MAX 64u
#define MANIFEST_ARGS_MAX CAPOS_ARGS_MAX	/* a service's args: ProcessSpawner.spawn's */
#define MANIFEST_ARGS_BYTES CAPOS_ARGS_BYTES	/* with one NUL after each */
#define MANIFEST_SERVICES_MAX 32u
#define MANIFEST_GRANTS_MAX 15u		/* grants + exports: spawn's 16, less the service's vm */
#define MANIFEST_EXPORTS_MAX 15u	/* newEndpoint grants of one spawn */
#define MANIFEST_GRAPH_EXPORTS_MAX 64u	/* init keeps a client facet of each */
#define MANIFEST_NAME_MAX 31u		/* bytes of [A-Za-z0-9_.-] */
#define MANIFEST_MOTD_MAX 1024u
#define MANIFEST_RESTARTS_MAX 100u
#define MANIFEST_MEMORY_PAGES_DEFAULT 512u	/* memoryPages 0: 2 MiB */
#define MANIFEST_MEMORY_PAGES_MAX 262144u	/* 1 GiB */
#define MANIFEST_VM_NAME "vm"			/* the service's own VirtualMemory */
#define MANIFEST_BACKOFF_MAX_MS 60000u		/* backoffMs */
#define MANIFEST_MAX_BACKOFF_MAX_MS 600000u	/* maxBackoffMs */
#define MANIFEST_NESTING 16		/* pointer depth; a valid manifest needs 5 */
#define MANIFEST_TRAVERSAL_FACTOR 4	/* words read, per word of the message */
#define MANIFEST_KERNEL_SOURCES_MAX 16u	/* KernelSource values init may know */
#define MANIFEST_PCI_IDS_MAX 8u		/* deviceIds of one pciDevice grant */
#define MANIFEST_PCI_GRANTS_MAX 8u	/* pciDevice grants in the whole graph */

#define MANIFEST_PATH_MAX 64u
#define MANIFEST_REASON_MAX 256u

enum manifest_source_kind {
	MANIFEST_SOURCE_KERNEL = 1,	/* a copy of one of init's capabilities */
	MANIFEST_SOURCE_SERVICE = 2,	/* a client facet of another service's export */
	MANIFEST_SOURCE_PCI = 3,	/* a PciDevice init opens through its DeviceManager */
};

struct manifest_grant {
	char name[MANIFEST_NAME_MAX + 1];	/* NUL-terminated */
	uint64_t iface;				/* checked against the source's */
	uint8_t kind;				/* MANIFEST_SOURCE_* */
	uint8_t kernel;				/* KERNEL: KernelSource value */
	uint8_t service;			/* SERVICE: the exporter's index */
	uint8_t export;				/* SERVICE: index in its exports */
	bool optional;				/* SERVICE: left out if the exporter is not started */
	uint8_t pci_nids;			/* PCI: 1..MANIFEST_PCI_IDS_MAX */
	uint16_t pci_vendor;			/* PCI: vendorId */
	uint16_t pci_ids[MANIFEST_PCI_IDS_MAX];	/* PCI: deviceIds, tried in order */
};

struct manifest_export {
	char name[MANIFEST_NAME_MAX + 1];
	uint64_t iface;				/* never 0 */
};

struct manifest_restart {
	uint16_t mode;			/* manifest_SystemManifest_RestartPolicy_Mode_* */
	uint32_t max_restarts;		/* <= MANIFEST_RESTARTS_MAX */
	uint32_t backoff_ms;		/* <= MANIFEST_BACKOFF_MAX_MS */
	uint32_t max_backoff_ms;	/* backoff_ms..MANIFEST_MAX_BACKOFF_MAX_MS */
};

struct manifest_service {
	char name[MANIFEST_NAME_MAX + 1];
	char binary[MANIFEST_NAME_MAX + 1];	/* one of manifest.binaries */
	uint32_t ngrants;
	uint32_t nexports;			/* ngrants + nexports <= MANIFEST_GRANTS_MAX */
	struct manifest_grant grants[MANIFEST_GRANTS_MAX];
	struct manifest_export exports[MANIFEST_EXPORTS_MAX];
	struct manifest_restart restart;
	uint32_t memory_pages;			/* its vm's quota, the default resolved */
	bool daemon;				/* counted with the servers (Service.daemon) */
	uint32_t argc;				/* <= MANIFEST_ARGS_MAX */
	char args[MANIFEST_ARGS_BYTES];		/* argc strings, each NUL-terminated */
};

/* A valid manifest: every name checked, every reference resolved to an index. */
struct manifest {
	uint32_t nbinaries;
	uint32_t nservices;
	uint32_t motd_len;
	char binaries[MANIFEST_BINARIES_MAX][MANIFEST_NAME_MAX + 1];
	char motd[MANIFEST_MOTD_MAX + 1];	/* NUL-terminated; printable */
	struct manifest_service services[MANIFEST_SERVICES_MAX];
	uint8_t order[MANIFEST_SERVICES_MAX];	/* start order: exporters before importers */
};

/*
 * What the system offers the manifest: the interface of each kernel source
 * (indexed by KernelSource value; 0 where init holds no such capability)
 * and the names of the boot package's binaries.
 */
struct manifest_env {
	uint64_t kernel_iface[MANIFEST_KERNEL_SOURCES_MAX];
	const char (*package)[MANIFEST_NAME_MAX + 1];
	uint32_t npackage;
	bool pci_devices;	/* init holds a DeviceManager ("devices"): pciDevice grants allowed */
};

/* Why a manifest was refused: "PATH: REASON" (both NUL-terminated, maybe cut). */
struct manifest_error {
	char path[MANIFEST_PATH_MAX];
	char reason[MANIFEST_REASON_MAX];
};

/*
 * Validates bytes[0..len) (a framed SystemManifest message) against env and
 * fills *m with the plan. Returns 0, or CAPOS_ERR_INVALID_ARGUMENT with *err
 * set (and *m unspecified). Never reads outside bytes[0..len); does work
 * bounded by the limits above.
 */
int manifest_load(struct manifest *m, const void *bytes, size_t len,
		  const struct manifest_env *env, struct manifest_error *err);

/*
 * The kernel sources, indexed by KernelSource value: the schema's name of
 * each, and the name and interface of the capability init holds for it (the
 * grants kernel/proc/init.c gives init). A KernelSource added to the schema
 * gets a row here (tests/unit/manifest checks the two agree).
 */
struct manifest_kernel_source {
	const char *schema_name;	/* "bootPackage" */
	const char *capset_name;	/* "boot" */
	uint64_t iface;			/* CAPOS_IFACE_BOOT_PACKAGE */
};

extern const struct manifest_kernel_source manifest_kernel_sources[];
extern const uint32_t manifest_kernel_source_count;

/* The schema's name of KernelSource value k ("console", ...), or NULL if unknown. */
const char *manifest_kernel_source_name(uint32_t k);

/* Points argv[i] at each of svc's args; returns their number. */
uint32_t manifest_service_argv(const struct manifest_service *svc,
			       const char *argv[MANIFEST_ARGS_MAX]);

/* Index of the service named name[0..len), or -1. */
int manifest_find_service(const struct manifest *m, const char *name, size_t len);

#endif
