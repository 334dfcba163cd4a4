/* SPDX-License-Identifier: MIT */
/*
 * The boot package: the Cap'n Proto BootPackage message (schema/boot.capnp)
 * that the boot loader hands over as the kernel's one module. It is read
 * in place through the bounds-checked reader; the kernel trusts it no more
 * than any other message (a bad package fails boot with a clear reason).
 */
#ifndef CAPOS_KERNEL_PROC_BOOTPKG_H
#define CAPOS_KERNEL_PROC_BOOTPKG_H

#include "lib/types.h"

struct bootpkg_binary {
	const char *name;	/* NUL-terminated, inside the package */
	uint32_t name_len;
	const uint8_t *data;	/* ELF image, inside the package */
	uint32_t size;
};

/* Opens the package at kva[0..len). Returns 0 or a CAPOS_ERR_* code. Boot time only. */
__must_check int bootpkg_open(const void *kva, size_t len);
uint32_t bootpkg_count(void);
/* Binary i (< bootpkg_count()); false if it is malformed. */
bool bootpkg_get(uint32_t i, struct bootpkg_binary *out);
/* Finds a binary by name; false if absent. */
bool bootpkg_find(const char *name, size_t name_len, struct bootpkg_binary *out);
/* The name of the first process ("init" unless the package says otherwise). */
const char *bootpkg_init_name(void);
/*
 * The boot manifest's bytes (boot.capnp BootPackage.manifest), unparsed: the
 * kernel only serves them (BootPackage.readManifest); init validates them.
 * *len is 0 when the package holds none.
 */
void bootpkg_manifest(const uint8_t **data, uint32_t *len);

#endif
