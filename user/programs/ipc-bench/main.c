// SPDX-License-Identifier: MIT
/*
 * ipc-bench: IPC round trips to ipc-bench-server (a bare server that
 * answers every call with its own params, one RECV | REPLY per call, like
 * seL4's Call + ReplyRecv benchmark), measured in the guest with rdtsc
 * (guest instructions under -icount shift=0, one CPU):
 *   ipc_call_rtt        Echo.echo with 64-byte params and result: client
 *                       CALL, server RECV | REPLY, client reaps the CQE
 *   ipc_call_rtt_empty  the same with no params and no result buffer
 *                       (seL4's empty-message case)
 *   ipc_call_rtt_xfer   Echo.bounce with one capability copied each way (the
 *                       client's RELEASE of the cap it got back rides in the
 *                       next CALL's cap_enter)
 * The client's params are built once; each figure is the median of
 * BENCH_SAMPLES samples of BENCH_INNER calls after BENCH_WARMUP calls.
 * Prints the BENCH lines and exits 0, or a FAIL line and exits 1.
 */
#include "bench.h"
#include "echo.capnp.h"
#include "echo_client.h"
#include "rt.h"

#define BENCH_WARMUP 64u
#define BENCH_SAMPLES 63u
#define BENCH_INNER 16u
#define BENCH_DATA 40u		/* 8 framing + 8 root + 8 pointer + 40 = 64 bytes */

static uint64_t samples[BENCH_SAMPLES];
static uint64_t params[16], result[32], arena[32];
static uint32_t params_len, result_len = sizeof(result);
static struct capos_xfer xfer = { .mode = CAPOS_XFER_COPY };
static capos_cap_t back = CAPOS_CAP_INVALID;	/* cap received by the last bounce */
static int bench_err;

static void bench_call(capos_cap_t ep, uint16_t method, bool with_cap)
{
	const struct capos_cqe *cqe;
	struct capos_sqe *sqe;
	uint64_t ud = uring_next_id(&rt.ring);

	if (back != CAPOS_CAP_INVALID) {
		sqe = uring_get_sqe(&rt.ring);
		sqe->opcode = CAPOS_OP_RELEASE;
		sqe->cap_id = back;
		sqe->user_data = ud + (1ull << 62);
		back = CAPOS_CAP_INVALID;
	}
	sqe = uring_get_sqe(&rt.ring);	/* zeroed: only the fields in use are set */
	sqe->opcode = CAPOS_OP_CALL;
	sqe->cap_id = ep;
	sqe->user_data = ud;
	sqe->method_id = method;
	sqe->params_addr = (uint64_t)(uintptr_t)params;
	sqe->params_len = params_len;
	sqe->result_addr = (uint64_t)(uintptr_t)result;
	sqe->result_len = result_len;
	if (with_cap) {
		sqe->xfer_count = 1;
		sqe->xfer_addr = (uint64_t)(uintptr_t)&xfer;
	}
	for (;;) {
		if (uring_enter(&rt.ring, 1, CAPOS_TIMEOUT_INFINITE) < 0)
			break;
		/* The benchmark owns its ring: completions are read in place. */
		while ((cqe = uring_peek_cqe(&rt.ring)) != NULL) {
			bool mine = cqe->user_data == ud;	/* else the RELEASE */

			if (mine && cqe->result < 0)
				bench_err = cqe->result;
			else if (mine && with_cap && cqe->xfer_count == 1)
				back = ((const struct capos_xfer_result *)((const uint8_t *)result +
					((cqe->written + 7u) & ~7u)))->cap_id;
			uring_cqe_seen(&rt.ring);
			if (mine)
				return;
		}
	}
	bench_err = CAPOS_ERR_CQ_FULL;
}

static uint64_t bench_run(capos_cap_t ep, uint16_t method, bool with_cap)
{
	uint32_t i, j;
	uint64_t t0;

	for (i = 0; i < BENCH_WARMUP; i++)
		bench_call(ep, method, with_cap);
	for (i = 0; i < BENCH_SAMPLES; i++) {
		t0 = rt_rdtsc();
		for (j = 0; j < BENCH_INNER; j++)
			bench_call(ep, method, with_cap);
		samples[i] = (rt_rdtsc() - t0) / BENCH_INNER;
	}
	return bench_median(samples, BENCH_SAMPLES);
}

static void build_params(bool bounce)
{
	static uint8_t data[BENCH_DATA];
	struct echo_Echo_bounce_Params_builder b;
	struct capnp_msg m;
	size_t len = 0;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	if (bounce) {
		b = echo_Echo_bounce_Params_init_root(&m);
		echo_Echo_bounce_Params_set_capIndex(b, 0);
		echo_Echo_bounce_Params_set_mode(b, CAPOS_XFER_COPY);
	} else {
		echo_Echo_echo_Params_set_data(echo_Echo_echo_Params_init_root(&m), data,
					       BENCH_DATA);
	}
	capnp_msg_write(&m, params, sizeof(params), &len);
	params_len = (uint32_t)len;
}

static int report(const char *name, uint64_t v)
{
	if (bench_err) {
		printf("ipc-bench: FAIL %s: %s\n", name, capos_strerror(bench_err));
		return 1;
	}
	printf("BENCH %s %llu insns/op\n", name, (unsigned long long)v);
	return 0;
}

int main(void)
{
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	static struct ipc_call stop;
	capos_cap_t h, ep;
	int64_t code;
	int fails = 0;

	struct spawn_grant g = { .name = ECHO_GRANT, .iface = echo_Echo_TYPE_ID,
				 .mode = SPAWN_NEW_ENDPOINT };

	if (spawner_spawn_ep(sp, "ipc-bench-server", "ipc-bench-server", &g, 1, &h, &ep)) {
		printf("ipc-bench: FAIL cannot spawn ipc-bench-server\n");
		return 1;
	}
	xfer.cap_id = rt.console;
	build_params(false);
	if (params_len != 64)
		printf("ipc-bench: note: params are %u bytes\n", params_len);
	fails += report("ipc_call_rtt", bench_run(ep, echo_Echo_echo, false));
	/* seL4's Call + ReplyRecv of an empty message: no params, no result buffer. */
	params_len = result_len = 0;
	fails += report("ipc_call_rtt_empty", bench_run(ep, echo_Echo_echo, false));
	result_len = sizeof(result);
	build_params(true);
	fails += report("ipc_call_rtt_xfer", bench_run(ep, echo_Echo_bounce, true));
	if (back != CAPOS_CAP_INVALID)
		cap_release(back);
	echo_stop(&rt.ring, &stop, ep, NULL);
	process_wait(h, &code);
	cap_release(h);
	cap_release(ep);
	return fails ? 1 : 0;
}
