// SPDX-License-Identifier: MIT
/*
 * Console: the system log as a capability. write() sends bytes as they
 * are; writeLine() adds a newline. The bytes go to the kernel log (COM2,
 * beside the kernel's own lines), never to the terminal: COM1 belongs to
 * whoever holds the SerialPort, and a service's line there could follow
 * the shell's prompt (contracts.md, "Terminal"; docs/terminal.md). One
 * call writes at most 4,096 bytes (writeLine: 4,095 and its newline), as
 * the schema says; a longer one raises invalidArgument and writes nothing.
 * One shared object serves every holder; it has no state, so it never dies
 * (its reference count only keeps the accounting honest).
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

#define CONSOLE_STAMP_CHARS 64	/* of an init line, in the kernel log's stamp */

static bool stamp_init_lines;

void console_stamp_init_lines(void)
{
	stamp_init_lines = true;
}

/*
 * boot_to_init: cycles from the kernel's first instruction to init's first
 * output. With console_stamp_init_lines() (init_stamps=1 on the command
 * line), every line init writes is stamped the same way in the kernel log:
 * boot_to_services is the stamp of "init: all N services started".
 */
static void console_note_init_output(const struct call_ctx *ctx, const char *s, uint32_t n)
{
	static bool noted;
	uint64_t cycles;

	if (ctx->caller->proc->pid != 1 || (noted && !stamp_init_lines))
		return;
	cycles = arch_cycles() - boot_tsc;
	if (!noted)
		klog("boot: init's first output %llu cycles after the kernel's first instruction\n",
		     (unsigned long long)cycles);
	noted = true;
	if (!stamp_init_lines)
		return;
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	klog("boot: init wrote at %llu cycles: %.*s\n", (unsigned long long)cycles,
	     (int)(n < CONSOLE_STAMP_CHARS ? n : CONSOLE_STAMP_CHARS), s);
}

#define CONSOLE_WRITE_MAX 4096u	/* schema: Console.write's limit; writeLine's text, 4095 */

/*
 * Decode, then invoke: the params are checked (shape and the schema's
 * limits) and the answer is built in the caller's result buffer before a
 * byte is written, so a call that cannot be answered writes nothing.
 */
static int console_call(struct kobj *obj, struct call_ctx *ctx)
{
	const char *bytes;
	uint32_t len, max;
	struct capnp_msg in;
	int err;

	(void)obj;
	if (ctx->method_id > 1)
		return CAPOS_ERR_UNKNOWN_METHOD;
	err = call_params_open(ctx, &in);
	if (err)
		return err;
	if (ctx->method_id == 0) {
		struct capnp_data d =
			capos_Console_write_Params_get_data(capos_Console_write_Params_root(&in));

		bytes = (const char *)d.ptr;
		len = d.len;
		max = CONSOLE_WRITE_MAX;
	} else {
		struct capnp_text t = capos_Console_writeLine_Params_get_text(
			capos_Console_writeLine_Params_root(&in));

		bytes = t.str;
		len = t.len;
		max = CONSOLE_WRITE_MAX - 1;
	}
	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	if (len > max)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  ctx->method_id == 0 ? "data longer than 4096 bytes"
						      : "text longer than 4095 bytes");
	err = console_reply_empty(ctx);
	if (err)
		return err;
	console_note_init_output(ctx, bytes, len);
	arch_log_write(bytes, len);
	if (ctx->method_id == 1)
		arch_log_write("\n", 1);
	return 0;
}

static const struct kobj_ops console_ops = {
	.iface_id = CAPOS_IFACE_CONSOLE,
	.name = "Console",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = KOBJ_F_TRANSFERABLE,
	.call = console_call,
	.destroy = kobj_destroy_static,
};

static struct kobj console_obj;

struct kobj *console_object(void)
{
	return kobj_singleton(&console_obj, &console_ops);
}
