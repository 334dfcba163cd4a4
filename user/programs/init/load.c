// SPDX-License-Identifier: MIT
/*
 * Loading the boot manifest. Init reads the manifest's bytes through its
 * BootPackage (readManifest, INIT_MANIFEST_CHUNK bytes a call, at most
 * MANIFEST_BYTES_MAX in all: a size above that is refused before anything
 * is read), learns what it can offer the manifest (which kernel sources it
 * holds, which binaries the package has), and hands all of it to the
 * validator. The bytes are untrusted: only lib/manifest interprets them.
 */
#include "init.h"
#include "manifest.capnp.h"

#define INIT_PACKAGE_MAX 256	/* binaries a boot package holds at most (boot.capnp) */

static uint64_t manifest_buf[MANIFEST_BYTES_MAX / 8];	/* 8-aligned for the reader */
static char package_names[INIT_PACKAGE_MAX][MANIFEST_NAME_MAX + 1];
static struct bootpkg_entry package_entries[INIT_PACKAGE_MAX];

/* Init cannot even read the manifest: the same one line, naming the call that failed. */
static int init_manifest_fail(const char *what, int err)
{
	printf("init: manifest: $: %s: %s\n", what, capos_strerror(err));
	return 1;
}

capos_cap_t init_kernel_cap(uint32_t k)
{
	if (k >= manifest_kernel_source_count)
		return CAPOS_CAP_INVALID;
	return rt_cap(manifest_kernel_sources[k].capset_name, manifest_kernel_sources[k].iface);
}

/*
 * The manifest's bytes into manifest_buf (*len of them). A first read of no
 * bytes learns the size, so an oversized manifest is refused unread.
 */
static int init_read_manifest(capos_cap_t bp, size_t *len)
{
	uint8_t *buf = (uint8_t *)manifest_buf;
	uint64_t size, seen;
	size_t off = 0;
	int n = bootpkg_read_manifest(bp, 0, buf, 0, &size);

	if (n < 0)
		return init_manifest_fail("BootPackage.readManifest failed", n);
	if (size > MANIFEST_BYTES_MAX) {
		printf("init: manifest: $: %llu bytes, at most %u\n", (unsigned long long)size,
		       MANIFEST_BYTES_MAX);
		return 1;
	}
	while (off < size) {
		uint32_t chunk = size - off < INIT_MANIFEST_CHUNK ? (uint32_t)(size - off) :
								     INIT_MANIFEST_CHUNK;

		n = bootpkg_read_manifest(bp, off, buf + off, chunk, &seen);
		if (n < 0)
			return init_manifest_fail("BootPackage.readManifest failed", n);
		if (n == 0 || seen != size)
			return init_manifest_fail("BootPackage.readManifest",
						  CAPOS_ERR_MALFORMED_MESSAGE);
		off += (size_t)n;
	}
	*len = off;
	return 0;
}

/* What init offers: the kernel sources it holds, the binaries the package has. */
static int init_env(capos_cap_t bp, struct manifest_env *env)
{
	int n = bootpkg_list(bp, package_entries, INIT_PACKAGE_MAX);

	if (n < 0)
		return init_manifest_fail("BootPackage.list failed", n);
	if (n > (int)INIT_PACKAGE_MAX)
		n = INIT_PACKAGE_MAX;
	for (int i = 0; i < n; i++)
		memcpy(package_names[i], package_entries[i].name, sizeof(package_names[i]));
	env->package = package_names;
	env->npackage = (uint32_t)n;
	for (uint32_t k = 0; k < manifest_kernel_source_count; k++)
		env->kernel_iface[k] = init_kernel_cap(k) == CAPOS_CAP_INVALID ?
					       0 : manifest_kernel_sources[k].iface;
	return 0;
}

int init_load_manifest(struct manifest *m)
{
	capos_cap_t bp = init_kernel_cap(manifest_SystemManifest_KernelSource_bootPackage);
	struct manifest_env env = { 0 };
	struct manifest_error err;
	size_t len = 0;

	if (bp == CAPOS_CAP_INVALID) {
		printf("init: manifest: $: init holds no BootPackage to read it from\n");
		return 1;
	}
	if (init_env(bp, &env) || init_read_manifest(bp, &len))
		return 1;
	if (manifest_load(m, manifest_buf, len, &env, &err)) {
		printf("init: manifest: %s: %s\n", err.path, err.reason);
		return 1;
	}
	return 0;
}
