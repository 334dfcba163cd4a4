// SPDX-License-Identifier: MIT
/*
 * ProcessHandle: wait() completes when the process has exited, at once for
 * one that already has. It never blocks the caller: a wait on a live
 * process is queued on the handle (ipc/kcall.h) and answered as the
 * process exits, so a process can wait on many children at once and
 * nothing stays behind if the waiter exits first. kill() ends the process
 * (proc_kill) unless it has exited. capUsage() reads the running process's
 * capability table. Both act under the handle's lock, which exit takes to
 * forget the process before tearing it down.
 *
 * Lock order: the handle's lock, then a waiter's peer lock (kcall.h), the
 * child's cap_table lock (capUsage) or the scheduler lock (kill).
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "cap/table.h"
#include "ipc/kcall.h"
#include "lib/kprintf.h"
#include "mm/kmalloc.h"
#include "obj/process_handle.h"
#include "proc/proc.h"
#include "ring/call.h"

#define WAIT_ANSWER_WORDS 4	/* segment table, root pointer, exitCode, spare */

/* wait()'s answer for exit code `code`, built in ctx's result buffer. */
static int wait_answer_build(struct call_ctx *ctx, int64_t code)
{
	struct capnp_msg msg;
	int err = call_result_begin(ctx, &msg);

	if (err)
		return err;
	struct capos_ProcessHandle_wait_Results_builder r =
		capos_ProcessHandle_wait_Results_init_root(&msg);
	capos_ProcessHandle_wait_Results_set_exitCode(r, code);
	return call_result_end(ctx, &msg);
}

/* wait()'s answer for `code` in buf; returns its length (the same for every code). */
static uint32_t wait_answer(int64_t code, uint64_t buf[WAIT_ANSWER_WORDS])
{
	struct call_ctx a = { .result = (uint8_t *)buf, .result_cap = WAIT_ANSWER_WORDS * 8 };
	int err = wait_answer_build(&a, code);

	assert(err == 0);	/* a fixed-size message that fits by construction */
	return a.result_written;
}

/*
 * Decode (the answer fits the caller's buffer, a record is to be had), then
 * either answer now (the process has exited) or queue the call, under the
 * lock process_handle_exited takes, so the exit cannot slip in between.
 */
static int handle_wait(struct proc_handle *h, struct call_ctx *ctx)
{
	uint64_t answer[WAIT_ANSWER_WORDS];
	struct kcall *k;
	int err = kcall_prepare(ctx, &h->obj, &h->waiters, wait_answer(0, answer), &k);

	if (err == CAPOS_ERR_NO_MEMORY)
		return call_raise(ctx, capos_CapException_Type_overloaded,
				  "no kernel memory for the wait");
	if (err)
		return err;
	spin_lock(&h->lock);
	bool exited = h->exited;
	int64_t code = h->exit_code;
	if (!exited)
		err = kcall_enqueue_locked(k);
	spin_unlock(&h->lock);
	if (!exited && err == KOBJ_CALL_PENDING)
		return err;
	kcall_discard(k);
	if (exited)
		return wait_answer_build(ctx, code);
	if (err == CAPOS_ERR_QUOTA_EXCEEDED)
		return call_raise(ctx, capos_CapException_Type_overloaded,
				  "too many calls pending on kernel objects");
	return err;
}

/*
 * Ends the process unless it has exited or was killed already (then it
 * does nothing: kill is idempotent, and safe against the process's own
 * exit, which marks the handle under the same lock first).
 */
static int handle_kill(struct proc_handle *h, struct call_ctx *ctx)
{
	struct capnp_msg msg;
	bool self;

	spin_lock(&h->lock);
	/* Unreachable today: a handle is not transferable, so no process holds its own. */
	self = h->proc == ctx->caller->proc;
	if (!self && !h->exited && !h->killed) {
		h->killed = true;
		proc_kill(h->proc);
	}
	spin_unlock(&h->lock);
	if (self)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "a process cannot kill itself through a handle");
	int err = call_result_begin(ctx, &msg);
	if (err)
		return err;
	capos_ProcessHandle_kill_Results_init_root(&msg);
	return call_result_end(ctx, &msg);
}

static int handle_cap_usage(struct proc_handle *h, struct call_ctx *ctx)
{
	uint32_t used = 0, quota = 0;
	struct capnp_msg msg;
	bool gone;

	spin_lock(&h->lock);
	gone = h->proc == NULL;
	if (!gone)
		cap_table_usage(&h->proc->caps, &used, &quota);
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
		return handle_kill(h, ctx);
	case 2:
		return handle_cap_usage(h, ctx);
	default:
		return CAPOS_ERR_UNKNOWN_METHOD;
	}
}

static void handle_destroy(struct kobj *obj)
{
	struct proc_handle *h = (struct proc_handle *)obj;

	assert(kcall_queue_is_empty(&h->waiters));	/* each waiter holds a reference */
	(void)kfree(h);
}

static const struct kobj_ops process_handle_ops = {
	.iface_id = CAPOS_IFACE_PROCESS_HANDLE,
	.name = "ProcessHandle",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = 0,
	.call = handle_call,
	.destroy = handle_destroy,
};

struct proc_handle *process_handle_create(struct proc *p)
{
	struct proc_handle *h = kzalloc(sizeof(*h));

	if (h) {
		kobj_init(&h->obj, &process_handle_ops);
		spin_init_class(&h->lock, LOCK_RANK_KCALL_OBJ);
		kcall_queue_init(&h->waiters, &h->lock);
		h->proc = p;
	}
	return h;
}

void process_handle_exited(struct proc_handle *h, int64_t code)
{
	uint64_t answer[WAIT_ANSWER_WORDS];
	uint32_t len = wait_answer(code, answer);
	struct kcall *waiters;

	spin_lock(&h->lock);
	h->exited = true;
	h->exit_code = code;
	h->proc = NULL;
	waiters = kcall_queue_take_locked(&h->waiters);
	spin_unlock(&h->lock);
	kcall_answer_all(waiters, answer, len);
}
