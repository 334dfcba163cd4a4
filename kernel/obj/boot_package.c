// SPDX-License-Identifier: MIT
/*
 * BootPackage: read-only access to the binaries of the boot package.
 * list() names them with their sizes; read() returns up to maxBytes of one
 * binary from an offset (bounded by the result buffer the caller supplies);
 * readManifest() does the same for the boot manifest's bytes, which the
 * kernel serves without parsing them (init validates them).
 * Stateless and shared by every holder.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "obj/boot_package.h"
#include "proc/bootpkg.h"
#include "ring/call.h"

#define BOOT_PACKAGE_READ_MAX 32768	/* schema: maxBytes <= 32768 */

static int bootpkg_list(struct call_ctx *ctx)
{
	struct capnp_msg out;
	uint32_t n = bootpkg_count();
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	struct capos_BootPackage_list_Results_builder r =
		capos_BootPackage_list_Results_init_root(&out);
	struct capos_BootPackage_BinaryInfo__list_builder l =
		capos_BootPackage_list_Results_init_binaries(r, n);
	for (uint32_t i = 0; i < n; i++) {
		struct bootpkg_binary b;

		if (!bootpkg_get(i, &b))
			continue;
		struct capos_BootPackage_BinaryInfo_builder e =
			capos_BootPackage_BinaryInfo__list_build(l, i);
		(void)capos_BootPackage_BinaryInfo_set_name(e, b.name, b.name_len);
		capos_BootPackage_BinaryInfo_set_size(e, b.size);
	}
	return call_result_end(ctx, &out);
}

/*
 * The part of bytes[0..size) a read of up to max bytes from offset answers
 * with (*n bytes), or invalidArgument if max or offset is out of range.
 */
static int bootpkg_range(struct call_ctx *ctx, uint64_t size, uint64_t offset, uint32_t max,
			 uint32_t *n)
{
	if (max > BOOT_PACKAGE_READ_MAX)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "BootPackage: maxBytes is limited to 32768");
	if (offset > size)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "BootPackage: offset past the end");
	*n = (uint32_t)(size - offset < max ? size - offset : max);
	return 0;
}

static int bootpkg_read(struct call_ctx *ctx)
{
	struct capnp_msg in, out;
	struct bootpkg_binary b;
	uint32_t n = 0;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	struct capos_BootPackage_read_Params p = capos_BootPackage_read_Params_root(&in);
	struct capnp_text name = capos_BootPackage_read_Params_get_name(p);
	uint64_t offset = capos_BootPackage_read_Params_get_offset(p);
	uint32_t max = capos_BootPackage_read_Params_get_maxBytes(p);
	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	if (!bootpkg_find(name.str, name.len, &b))
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "BootPackage.read: no such binary");
	err = bootpkg_range(ctx, b.size, offset, max, &n);
	if (err)
		return err;
	err = call_result_begin(ctx, &out);
	if (err)
		return err;
	struct capos_BootPackage_read_Results_builder r =
		capos_BootPackage_read_Results_init_root(&out);
	(void)capos_BootPackage_read_Results_set_data(r, b.data + offset, n);
	return call_result_end(ctx, &out);
}

static int bootpkg_read_manifest(struct call_ctx *ctx)
{
	struct capnp_msg in, out;
	const uint8_t *data;
	uint32_t size, n = 0;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	struct capos_BootPackage_readManifest_Params p =
		capos_BootPackage_readManifest_Params_root(&in);
	uint64_t offset = capos_BootPackage_readManifest_Params_get_offset(p);
	uint32_t max = capos_BootPackage_readManifest_Params_get_maxBytes(p);
	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	bootpkg_manifest(&data, &size);
	err = bootpkg_range(ctx, size, offset, max, &n);
	if (err)
		return err;
	err = call_result_begin(ctx, &out);
	if (err)
		return err;
	struct capos_BootPackage_readManifest_Results_builder r =
		capos_BootPackage_readManifest_Results_init_root(&out);
	(void)capos_BootPackage_readManifest_Results_set_data(r, data + offset, n);
	capos_BootPackage_readManifest_Results_set_size(r, size);
	return call_result_end(ctx, &out);
}

static int bootpkg_call(struct kobj *obj, struct call_ctx *ctx)
{
	(void)obj;
	switch (ctx->method_id) {
	case 0:
		return bootpkg_list(ctx);
	case 1:
		return bootpkg_read(ctx);
	case 2:
		return bootpkg_read_manifest(ctx);
	default:
		return CAPOS_ERR_UNKNOWN_METHOD;
	}
}

static const struct kobj_ops boot_package_ops = {
	.iface_id = CAPOS_IFACE_BOOT_PACKAGE,
	.name = "BootPackage",
	.flags = KOBJ_F_TRANSFERABLE,
	.call = bootpkg_call,
	.destroy = kobj_destroy_static,
};

static struct kobj boot_package_obj;

struct kobj *boot_package_object(void)
{
	return kobj_singleton(&boot_package_obj, &boot_package_ops);
}
