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
#include "serial.h"

#define INIT_PACKAGE_MAX 256	/* binaries a boot package holds at most (boot.capnp) */

/*
 * init's buffers come from the heap, not .bss: the heap is mapped (and
 * zeroed) at spawn anyway, while every page of .bss would add to the time
 * the kernel takes to start init (boot_to_init, boot_to_services).
 */
struct init_package {
	struct bootpkg_entry entries[INIT_PACKAGE_MAX];
	char names[INIT_PACKAGE_MAX][MANIFEST_NAME_MAX + 1];
};

#define INIT_REFUSAL_MAX 320	/* "init: manifest: " + a path + a reason + "\r\n" */

/*
 * The one line "init: manifest: PATH: REASON": to the log (printf's
 * Console) and, when init holds the SerialPort, to the terminal (COM1),
 * where contracts.md promises it to the person who booted. Nothing else is
 * on COM1 then: an invalid manifest starts no terminal.
 */
void init_refuse_manifest(const char *fmt, ...)
{
	capos_cap_t port = init_kernel_cap(manifest_SystemManifest_KernelSource_serial);
	char line[INIT_REFUSAL_MAX];
	va_list ap;
	int n = snprintf(line, sizeof(line) - 2, "init: manifest: ");

	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - 2 - (size_t)n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 3)
		n = (int)sizeof(line) - 3;
	printf("%s\n", line);
	memcpy(line + n, "\r\n", 2);
	if (port != CAPOS_CAP_INVALID)
		(void)serial_write(port, line, (size_t)n + 2);
}

/* Init cannot even read the manifest: the same one line, naming the call that failed. */
static int init_manifest_fail(const char *what, int err)
{
	init_refuse_manifest("$: %s: %s", what, capos_strerror(err));
	return 1;
}

capos_cap_t init_kernel_cap(uint32_t k)
{
	if (k >= manifest_kernel_source_count)
		return CAPOS_CAP_INVALID;
	return rt_cap(manifest_kernel_sources[k].capset_name, manifest_kernel_sources[k].iface);
}

/*
 * The manifest's bytes into a heap buffer, *buf (*len of them). A first read
 * of no bytes learns the size, so an oversized manifest is refused unread.
 */
static int init_read_manifest(capos_cap_t bp, uint8_t **buf, size_t *len)
{
	uint64_t size, seen;
	uint8_t none;
	size_t off = 0;
	int n = bootpkg_read_manifest(bp, 0, &none, 0, &size);

	if (n < 0)
		return init_manifest_fail("BootPackage.readManifest failed", n);
	if (size > MANIFEST_BYTES_MAX) {
		init_refuse_manifest("$: %llu bytes, at most %u", (unsigned long long)size,
				     MANIFEST_BYTES_MAX);
		return 1;
	}
	*buf = malloc(size ? (size_t)size : 1);
	if (!*buf)
		return init_manifest_fail("no memory for it", CAPOS_ERR_NO_MEMORY);
	while (off < size) {
		uint32_t chunk = size - off < INIT_MANIFEST_CHUNK ? (uint32_t)(size - off) :
								     INIT_MANIFEST_CHUNK;

		n = bootpkg_read_manifest(bp, off, *buf + off, chunk, &seen);
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

/* What init offers: the kernel sources it holds, the binaries the package has (in *pkg). */
static int init_env(capos_cap_t bp, struct init_package *pkg, struct manifest_env *env)
{
	int n = bootpkg_list(bp, pkg->entries, INIT_PACKAGE_MAX);

	if (n < 0)
		return init_manifest_fail("BootPackage.list failed", n);
	if (n > (int)INIT_PACKAGE_MAX)
		n = INIT_PACKAGE_MAX;
	for (int i = 0; i < n; i++)
		memcpy(pkg->names[i], pkg->entries[i].name, sizeof(pkg->names[i]));
	env->package = pkg->names;
	env->npackage = (uint32_t)n;
	for (uint32_t k = 0; k < manifest_kernel_source_count; k++)
		env->kernel_iface[k] = init_kernel_cap(k) == CAPOS_CAP_INVALID ?
					       0 : manifest_kernel_sources[k].iface;
	env->pci_devices = rt_cap("devices", CAPOS_IFACE_DEVICE_MANAGER) != CAPOS_CAP_INVALID;
	return 0;
}

int init_load_manifest(struct manifest *m)
{
	capos_cap_t bp = init_kernel_cap(manifest_SystemManifest_KernelSource_bootPackage);
	struct init_package *pkg = malloc(sizeof(*pkg));
	struct manifest_env env = { 0 };
	struct manifest_error err = { "", "" };
	uint8_t *bytes = NULL;
	size_t len = 0;
	int rc = 1;

	if (bp == CAPOS_CAP_INVALID)
		init_refuse_manifest("$: init holds no BootPackage to read it from");
	else if (!pkg)
		init_manifest_fail("no memory to read it", CAPOS_ERR_NO_MEMORY);
	else if (!init_env(bp, pkg, &env) && !init_read_manifest(bp, &bytes, &len))
		rc = manifest_load(m, bytes, len, &env, &err);
	if (rc && err.path[0])	/* manifest_load's refusal; the others printed their own */
		init_refuse_manifest("%s: %s", err.path, err.reason);
	free(bytes);
	free(pkg);
	return rc != 0;
}
