// SPDX-License-Identifier: MIT
/*
 * Console: the serial console as a capability. write() sends bytes as they
 * are; writeLine() adds a newline. The size of one call is bounded by the
 * ring's params limit (CAPOS_PARAMS_MAX). One shared object serves every
 * holder; it has no state, so it never dies (its reference count only keeps
 * the accounting honest).
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "arch/arch.h"
#include "capos.capnp.h"
#include "obj/console.h"
#include "proc/proc.h"
#include "ring/call.h"
#include "ring/ring.h"
#include "lib/kprintf.h"

static int console_reply_empty(struct call_ctx *ctx)
{
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	(void)capos_Console_write_Results_init_root(&out);	/* both results are empty */
	return call_result_end(ctx, &out);
}

extern uint64_t boot_tsc;

/* boot_to_init: cycles from the kernel's first instruction to init's first output. */
static void console_note_first_init_output(const struct call_ctx *ctx)
{
	static bool noted;

	if (noted || ctx->caller->proc->pid != 1)
		return;
	noted = true;
	klog("boot: init's first output %llu cycles after the kernel's first instruction\n",
	     (unsigned long long)(arch_cycles() - boot_tsc));
}

static int console_call(struct kobj *obj, struct call_ctx *ctx)
{
	struct capnp_msg in;
	int err;

	(void)obj;
	if (ctx->method_id > 1)
		return CAPOS_ERR_UNKNOWN_METHOD;
	err = call_params_open(ctx, &in);
	if (err)
		return err;
	console_note_first_init_output(ctx);
	if (ctx->method_id == 0) {
		struct capnp_data d =
			capos_Console_write_Params_get_data(capos_Console_write_Params_root(&in));
		if (capnp_msg_error(&in))
			return CAPOS_ERR_MALFORMED_MESSAGE;
		arch_console_write((const char *)d.ptr, d.len);
	} else {
		struct capnp_text t = capos_Console_writeLine_Params_get_text(
			capos_Console_writeLine_Params_root(&in));
		if (capnp_msg_error(&in))
			return CAPOS_ERR_MALFORMED_MESSAGE;
		arch_console_write(t.str, t.len);
		arch_console_write("\n", 1);
	}
	return console_reply_empty(ctx);
}

static const struct kobj_ops console_ops = {
	.iface_id = CAPOS_IFACE_CONSOLE,
	.name = "Console",
	.flags = KOBJ_F_TRANSFERABLE,
	.call = console_call,
	.destroy = kobj_destroy_static,
};

static struct kobj console_obj;

struct kobj *console_object(void)
{
	return kobj_singleton(&console_obj, &console_ops);
}
