/* SPDX-License-Identifier: MIT */
/*
 * Boot package packing and reading (schema/boot.capnp BootPackage), split
 * from the command line in main.c so tests can call it. The package is one
 * framed, unpacked, single-segment Cap'n Proto message built with our runtime
 * (lib/capnp) through the capnpc-c bindings of boot.capnp.
 */
#ifndef CAPOS_TOOLS_MKPKG_H
#define CAPOS_TOOLS_MKPKG_H

#include <stddef.h>
#include <stdint.h>

#define MKPKG_MAX_BINARIES 256	/* boot.capnp: at most 256 */
#define MKPKG_NAME_MAX 31	/* bytes of [A-Za-z0-9_.-] */

struct mkpkg_binary {
	const char *name;
	const uint8_t *data;
	size_t len;
};

/* True if name is 1..31 bytes of [A-Za-z0-9_.-]. */
int mkpkg_name_ok(const char *name);

#define MKPKG_MANIFEST_MAX 65536	/* boot.capnp: the manifest's bytes, at most */

/* The parts of a package besides its binaries. */
struct mkpkg_meta {
	const char *init;		/* name of the first process */
	const uint8_t *manifest;	/* the boot manifest's bytes, unparsed (may be NULL) */
	size_t manifest_len;
};

/*
 * Checks names (valid, unique), the count, that init names a binary and the
 * manifest's size, then builds the framed message in a malloc'd buffer:
 * *out, *out_len. The manifest's bytes go in as they are. Returns 0, or -1
 * with a message in err[0..errlen).
 */
int mkpkg_pack(const struct mkpkg_binary *bins, size_t n, const struct mkpkg_meta *meta,
	       uint8_t **out, size_t *out_len, char *err, size_t errlen);

/*
 * Reads a package with the bounds-checked reader and checks it as the
 * kernel will (names valid and unique, init present). Fills bins[0..max)
 * (pointing into pkg), *n and *meta (pointing into pkg). Returns 0 or -1
 * with a message in err.
 */
int mkpkg_read(const uint8_t *pkg, size_t len, struct mkpkg_binary *bins, size_t max,
	       size_t *n, struct mkpkg_meta *meta, char *err, size_t errlen);

/* manifest.c: --manifest-binaries of a compiled manifest; --check-manifest of a package. */
int mkpkg_manifest_binaries(const uint8_t *bytes, size_t len);
int mkpkg_check_manifest(const struct mkpkg_binary *bins, size_t n, const struct mkpkg_meta *meta);

#endif
