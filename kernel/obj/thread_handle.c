// SPDX-License-Identifier: MIT
/*
 * ThreadHandle: join() completes when the thread has ended, at once for one
 * that already has. Like ProcessHandle.wait it never blocks the caller: a
 * join on a live thread is queued on the handle (ipc/kcall.h) and answered
 * as the thread leaves (proc/threads.c), so a thread may join many at once,
 * and a joiner that ends first has its join withdrawn.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "ipc/kcall.h"
#include "mm/kmalloc.h"
#include "obj/thread_handle.h"
#include "ring/call.h"

#define JOIN_ANSWER_WORDS 4	/* segment table, root pointer, value, spare */

static int join_answer_build(struct call_ctx *ctx, int64_t value)
{
	struct capnp_msg msg;
	int err = call_result_begin(ctx, &msg);

	if (err)
		return err;
	capos_ThreadHandle_join_Results_set_value(capos_ThreadHandle_join_Results_init_root(&msg),
						  value);
	return call_result_end(ctx, &msg);
}

/* join()'s answer for `value` in buf; returns its length (the same for every value). */
static uint32_t join_answer(int64_t value, uint64_t buf[JOIN_ANSWER_WORDS])
{
	struct call_ctx a = { .result = (uint8_t *)buf, .result_cap = JOIN_ANSWER_WORDS * 8 };
	int err = join_answer_build(&a, value);

	assert(err == 0);	/* a fixed-size message that fits by construction */
	return a.result_written;
}

/* Decode, then answer now or queue, under the lock thread_handle_exited takes. */
static int handle_join(struct thread_handle *h, struct call_ctx *ctx)
{
	uint64_t answer[JOIN_ANSWER_WORDS];
	struct kcall *k;
	int err = kcall_prepare(ctx, &h->obj, &h->joiners, join_answer(0, answer), &k);

	if (err == CAPOS_ERR_NO_MEMORY)
		return call_raise(ctx, capos_CapException_Type_overloaded,
				  "no kernel memory for the join");
	if (err)
		return err;
	spin_lock(&h->lock);
	bool exited = h->exited;
	int64_t value = h->value;
	if (!exited)
		err = kcall_enqueue_locked(k);
	spin_unlock(&h->lock);
	if (!exited && err == KOBJ_CALL_PENDING)
		return err;
	kcall_discard(k);
	if (exited)
		return join_answer_build(ctx, value);
	if (err == CAPOS_ERR_QUOTA_EXCEEDED)
		return call_raise(ctx, capos_CapException_Type_overloaded,
				  "too many calls pending on kernel objects");
	return err;
}

static int handle_call(struct kobj *obj, struct call_ctx *ctx)
{
	if (ctx->method_id == 0)
		return handle_join((struct thread_handle *)obj, ctx);
	return CAPOS_ERR_UNKNOWN_METHOD;
}

static void handle_destroy(struct kobj *obj)
{
	struct thread_handle *h = (struct thread_handle *)obj;

	assert(kcall_queue_is_empty(&h->joiners));	/* each joiner holds a reference */
	(void)kfree(h);
}

static const struct kobj_ops thread_handle_ops = {
	.iface_id = CAPOS_IFACE_THREAD_HANDLE,
	.name = "ThreadHandle",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = 0,
	.call = handle_call,
	.destroy = handle_destroy,
};

struct thread_handle *thread_handle_create(void)
{
	struct thread_handle *h = kzalloc(sizeof(*h));

	if (h) {
		kobj_init(&h->obj, &thread_handle_ops);
		spin_init_class(&h->lock, LOCK_RANK_KCALL_OBJ);
		kcall_queue_init(&h->joiners, &h->lock);
	}
	return h;
}

void thread_handle_exited(struct thread_handle *h, int64_t value)
{
	uint64_t answer[JOIN_ANSWER_WORDS];
	uint32_t len = join_answer(value, answer);
	struct kcall *joiners;

	spin_lock(&h->lock);
	h->exited = true;
	h->value = value;
	joiners = kcall_queue_take_locked(&h->joiners);
	spin_unlock(&h->lock);
	kcall_answer_all(joiners, answer, len);
}
