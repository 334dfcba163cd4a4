// SPDX-License-Identifier: MIT
/*
 * mkpkg's manifest commands (main.c dispatches to them):
 *
 *   mkpkg --manifest-binaries MANIFEST.bin   the binaries a compiled manifest names,
 *                                            one a line (what the build packs)
 *   mkpkg --check-manifest PKG               the package's manifest checked as init
 *                                            checks it (lib/manifest), every kernel
 *                                            source held: "manifest: ok ..." or
 *                                            init's "init: manifest: PATH: REASON"
 *
 * --manifest-binaries reads only the binaries list, so that a manifest that
 * is wrong elsewhere still boots and init reports it; a name that cannot be
 * a binary's is left out with a warning (init refuses it later).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.capnp.h"
#include "manifest/manifest.h"
#include "mkpkg.h"

int mkpkg_manifest_binaries(const uint8_t *bytes, size_t len)
{
	struct manifest_SystemManifest_Binary__list l;
	struct capnp_msg msg;
	uint32_t i, n;

	if (capnp_msg_init_read(&msg, bytes, len)) {
		fprintf(stderr, "mkpkg: the manifest is not a Cap'n Proto message\n");
		return 1;
	}
	capnp_msg_set_limits(&msg, (len / 8) * MANIFEST_TRAVERSAL_FACTOR, MANIFEST_NESTING);
	l = manifest_SystemManifest_get_binaries(manifest_SystemManifest_root(&msg));
	n = manifest_SystemManifest_Binary__list_len(l);
	for (i = 0; i < n && i < MANIFEST_BINARIES_MAX; i++) {
		struct capnp_text t = manifest_SystemManifest_Binary_get_name(
			manifest_SystemManifest_Binary__list_get(l, i));
		char name[MKPKG_NAME_MAX + 1];

		if (capnp_msg_error(&msg))
			break;
		snprintf(name, sizeof(name), "%.*s",
			 (int)(t.len < MKPKG_NAME_MAX ? t.len : MKPKG_NAME_MAX), t.str);
		if (t.len <= MKPKG_NAME_MAX && strlen(name) == t.len && mkpkg_name_ok(name))
			printf("%s\n", name);
		else
			fprintf(stderr,
				"mkpkg: manifest binaries[%u] is not a binary name; left out\n", i);
	}
	if (capnp_msg_error(&msg)) {
		fprintf(stderr, "mkpkg: the manifest's binaries are unreadable: %s\n",
			capnp_strerror(capnp_msg_error(&msg)));
		return 1;
	}
	return 0;
}

int mkpkg_check_manifest(const struct mkpkg_binary *bins, size_t n, const struct mkpkg_meta *meta)
{
	static char names[MKPKG_MAX_BINARIES][MANIFEST_NAME_MAX + 1];
	static struct manifest m;
	struct manifest_env env = { .package = names, .npackage = (uint32_t)n };
	struct manifest_error err;

	for (size_t i = 0; i < n; i++)
		snprintf(names[i], sizeof(names[i]), "%s", bins[i].name);
	for (uint32_t k = 0; k < manifest_kernel_source_count; k++)
		env.kernel_iface[k] = manifest_kernel_sources[k].iface;
	env.pci_devices = true;	/* the kernel gives init a DeviceManager */
	if (manifest_load(&m, meta->manifest, meta->manifest_len, &env, &err)) {
		printf("init: manifest: %s: %s\n", err.path, err.reason);
		return 1;
	}
	printf("manifest: ok, %u services; start order:", m.nservices);
	for (uint32_t i = 0; i < m.nservices; i++)
		printf(" %s", m.services[m.order[i]].name);
	printf("\n");
	return 0;
}
