// SPDX-License-Identifier: MIT
/*
 * Timer: the monotonic clock (now) and sleeps that do not block (sleep).
 * now() answers at once from arch_now_ns(). sleep(ns) hands the CALL to the
 * timer queue (timer_queue.h), which completes it once the deadline has
 * passed, and returns KOBJ_CALL_PENDING, so the caller's thread is free to
 * run and to have other sleeps and calls in flight (docs/timer.md). One
 * stateless object serves every holder: a sleep counts against the calling
 * process's own quota (struct proc.sleeps), whoever gave it the Timer.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "arch/arch.h"
#include "ipc/kcall.h"
#include "lib/kprintf.h"
#include "capos.capnp.h"
#include "obj/timer.h"
#include "obj/timer_queue.h"
#include "ring/call.h"
#include "ring/ring.h"

/* The empty answer of sleep, framed: segment table, then a root pointer to an empty struct. */
#define SLEEP_ANSWER_LEN 16u

static int timer_now(struct call_ctx *ctx)
{
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	struct capos_Timer_now_Results_builder r = capos_Timer_now_Results_init_root(&out);

	capos_Timer_now_Results_set_ns(r, arch_now_ns());
	return call_result_end(ctx, &out);
}

/* The answer every sleep completes with: built once at boot, a constant for the queue. */
static uint64_t sleep_answer[SLEEP_ANSWER_LEN / 8];

void timer_object_init(void)
{
	struct call_ctx c = { .result = (uint8_t *)sleep_answer, .result_cap = SLEEP_ANSWER_LEN };
	struct capnp_msg out;

	if (call_result_begin(&c, &out))
		panic("timer: cannot build the sleep answer");
	(void)capos_Timer_sleep_Results_init_root(&out);
	if (call_result_end(&c, &out) || c.result_written != SLEEP_ANSWER_LEN)
		panic("timer: the sleep answer is not %u bytes", SLEEP_ANSWER_LEN);
	timer_queue_start(sleep_answer, SLEEP_ANSWER_LEN);
}

/* ns from now, saturated: a deadline past 2^64 - 1 is never reached. */
static uint64_t deadline_after(uint64_t ns)
{
	uint64_t now = arch_now_ns();

	return ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
}

static int timer_sleep(struct kobj *obj, struct call_ctx *ctx)
{
	struct capnp_msg in;
	uint64_t ns;
	int err;

	err = call_params_open(ctx, &in);
	if (err)
		return err;
	ns = capos_Timer_sleep_Params_get_ns(capos_Timer_sleep_Params_root(&in));
	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	if (ctx->result_cap < SLEEP_ANSWER_LEN)
		return CAPOS_ERR_RESULT_TOO_SMALL;
	if (ns == 0) {
		__builtin_memcpy(ctx->result, sleep_answer, SLEEP_ANSWER_LEN);
		ctx->result_written = SLEEP_ANSWER_LEN;
		return 0;
	}
	err = timer_queue_add(ctx, obj, deadline_after(ns));
	if (err == CAPOS_ERR_QUOTA_EXCEEDED)
		return call_raise(ctx, capos_CapException_Type_overloaded,
				  "too many calls pending on kernel objects");
	if (err == CAPOS_ERR_NO_MEMORY)
		return call_raise(ctx, capos_CapException_Type_overloaded, "out of kernel memory");
	return err;
}

static int timer_call(struct kobj *obj, struct call_ctx *ctx)
{
	switch (ctx->method_id) {
	case 0:
		return timer_now(ctx);
	case 1:
		return timer_sleep(obj, ctx);
	default:
		return CAPOS_ERR_UNKNOWN_METHOD;
	}
}

static const struct kobj_ops timer_ops = {
	.iface_id = CAPOS_IFACE_TIMER,
	.name = "Timer",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = KOBJ_F_TRANSFERABLE,
	.call = timer_call,
	.destroy = kobj_destroy_static,
};

static struct kobj timer_obj;

struct kobj *timer_object(void)
{
	return kobj_singleton(&timer_obj, &timer_ops);
}
