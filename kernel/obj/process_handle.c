// SPDX-License-Identifier: MIT
/*
 * ProcessHandle: wait() blocks the calling thread inside the call until the
 * process has exited, then returns its exit code; it returns at once for a
 * process that already exited. kill() is reserved (M5): unimplemented.
 * capUsage() reads the running process's capability table under the
 * handle's lock, which exit takes to forget the table before destroying it.
 *
 * A waiter links a node on its own stack into the handle, so waiting costs
 * no allocation and any number of holders can wait.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "cap/table.h"
#include "lib/kprintf.h"
#include "mm/kmalloc.h"
#include "obj/process_handle.h"
#include "ring/call.h"
#include "sched/sched.h"

struct handle_waiter {
	struct thread *thread;
	struct handle_waiter *next;
};

static int handle_wait(struct proc_handle *h, struct call_ctx *ctx)
{
	struct handle_waiter self = { .thread = sched_current() };
	struct capnp_msg msg;

	spin_lock(&h->lock);
	if (!h->exited) {
		/* Listed once: process_handle_exited empties the whole list at once. */
		self.next = h->waiters;
		h->waiters = &self;
	}
	while (!h->exited) {
		spin_unlock(&h->lock);
		sched_block(0);
		spin_lock(&h->lock);
	}
	int64_t code = h->exit_code;
	spin_unlock(&h->lock);

	int err = call_result_begin(ctx, &msg);
	if (err)
		return err;
	struct capos_ProcessHandle_wait_Results_builder r =
		capos_ProcessHandle_wait_Results_init_root(&msg);
	capos_ProcessHandle_wait_Results_set_exitCode(r, code);
	return call_result_end(ctx, &msg);
}

static int handle_cap_usage(struct proc_handle *h, struct call_ctx *ctx)
{
	uint32_t used = 0, quota = 0;
	struct capnp_msg msg;
	bool gone;

	spin_lock(&h->lock);
	gone = h->caps == NULL;
	if (!gone)
		cap_table_usage(h->caps, &used, &quota);
	spin_unlock(&h->lock);
	if (gone)
		return call_raise(ctx, capos_CapException_Type_disconnected,
				  "the process has exited");
	int err = call_result_begin(ctx, &msg);
	if (err)
		return err;
	struct capos_ProcessHandle_capUsage_Results_builder r =
		capos_ProcessHandle_capUsage_Results_init_root(&msg);
	capos_ProcessHandle_capUsage_Results_set_used(r, used);
	capos_ProcessHandle_capUsage_Results_set_quota(r, quota);
	return call_result_end(ctx, &msg);
}

static int handle_call(struct kobj *obj, struct call_ctx *ctx)
{
	struct proc_handle *h = (struct proc_handle *)obj;

	switch (ctx->method_id) {
	case 0:
		return handle_wait(h, ctx);
	case 1:
		return call_raise(ctx, capos_CapException_Type_unimplemented,
				  "ProcessHandle.kill arrives with M5");
	case 2:
		return handle_cap_usage(h, ctx);
	default:
		return CAPOS_ERR_UNKNOWN_METHOD;
	}
}

static void handle_destroy(struct kobj *obj)
{
	(void)kfree(obj);
}

static const struct kobj_ops process_handle_ops = {
	.iface_id = CAPOS_IFACE_PROCESS_HANDLE,
	.name = "ProcessHandle",
	.flags = 0,
	.call = handle_call,
	.destroy = handle_destroy,
};

struct proc_handle *process_handle_create(struct cap_table *caps)
{
	struct proc_handle *h = kzalloc(sizeof(*h));

	if (h) {
		kobj_init(&h->obj, &process_handle_ops);
		spin_init(&h->lock);
		h->caps = caps;
	}
	return h;
}

void process_handle_exited(struct proc_handle *h, int64_t code)
{
	spin_lock(&h->lock);
	h->exited = true;
	h->exit_code = code;
	h->caps = NULL;
	struct handle_waiter *w = h->waiters;
	h->waiters = NULL;
	while (w) {
		struct handle_waiter *next = w->next;	/* w lives on the waiter's stack */

		sched_wake(w->thread);
		w = next;
	}
	spin_unlock(&h->lock);
}
