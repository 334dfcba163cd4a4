// SPDX-License-Identifier: MIT
/*
 * Reading the boot package. The message is parsed once at boot; afterwards
 * readers only index it, and the module's frames stay reserved, so every
 * pointer handed out stays valid for the life of the system.
 */
#include <capos/errors.h>

#include "boot.capnp.h"
#include "lib/string.h"
#include "proc/bootpkg.h"

static struct capnp_msg pkg_msg;
static struct boot_BootPackage pkg_root;
static struct boot_BootPackage_Binary__list pkg_list;
static struct capnp_text pkg_init;
static struct capnp_data pkg_manifest;

int bootpkg_open(const void *kva, size_t len)
{
	if (capnp_msg_init_read(&pkg_msg, kva, len) != 0)
		return CAPOS_ERR_MALFORMED_MESSAGE;
	/* Read in place for the life of the system: a read budget would run out. */
	capnp_msg_set_limits(&pkg_msg, UINT64_MAX, CAPNP_DEFAULT_NESTING);
	pkg_root = boot_BootPackage_root(&pkg_msg);
	pkg_list = boot_BootPackage_get_binaries(pkg_root);
	pkg_init = boot_BootPackage_get_init(pkg_root);
	pkg_manifest = boot_BootPackage_get_manifest(pkg_root);
	return capnp_msg_error(&pkg_msg) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}

uint32_t bootpkg_count(void)
{
	return boot_BootPackage_Binary__list_len(pkg_list);
}

bool bootpkg_get(uint32_t i, struct bootpkg_binary *out)
{
	struct boot_BootPackage_Binary b = boot_BootPackage_Binary__list_get(pkg_list, i);
	struct capnp_text name = boot_BootPackage_Binary_get_name(b);
	struct capnp_data data = boot_BootPackage_Binary_get_data(b);

	if (capnp_msg_error(&pkg_msg))
		return false;
	*out = (struct bootpkg_binary){ name.str, name.len, data.ptr, data.len };
	return true;
}

bool bootpkg_find(const char *name, size_t name_len, struct bootpkg_binary *out)
{
	uint32_t n = bootpkg_count();

	for (uint32_t i = 0; i < n; i++)
		if (bootpkg_get(i, out) && out->name_len == name_len &&
		    memcmp(out->name, name, name_len) == 0)
			return true;
	return false;
}

const char *bootpkg_init_name(void)
{
	return pkg_init.str;
}

void bootpkg_manifest(const uint8_t **data, uint32_t *len)
{
	*data = pkg_manifest.len ? pkg_manifest.ptr : (const uint8_t *)"";
	*len = pkg_manifest.len;
}
