// SPDX-License-Identifier: MIT
/*
 * ipc-echo: the Echo service (schema/echo.capnp) for the M4 scenarios and
 * the IPC benchmark. It serves the endpoint granted as "service" with the
 * runtime's server loop and the generated skeleton: each handler below is
 * one Echo method. It exits 0 after Echo.stop, with the code Echo.exit
 * names, or 2 if it has no endpoint or the loop fails (the error printed).
 */
#include "echo.capnp.h"
#include "rt.h"
#include "server.h"

#define ECHO_DATA_MAX 8192u
#define ECHO_HELD_MAX 64u
#define ECHO_KEPT_MAX 256u
#define ECHO_FLOATS_MAX 64u
#define ECHO_NOTES_MAX 64u

static struct server srv;
static uint32_t held[ECHO_HELD_MAX];
static uint32_t nheld;
static capos_cap_t kept[ECHO_KEPT_MAX];
static uint32_t nkept;
static uint64_t notes[ECHO_NOTES_MAX];
static uint32_t nnotes;

static int do_echo(void *ctx, struct echo_Echo_echo_Params p,
		   struct echo_Echo_echo_Results_builder r)
{
	struct capnp_data d = echo_Echo_echo_Params_get_data(p);

	if (d.len > ECHO_DATA_MAX)
		return server_raise(ctx, capos_CapException_Type_invalidArgument, "data too long");
	echo_Echo_echo_Results_set_data(r, d.ptr, d.len);
	return 0;
}

static int do_raise(void *ctx, struct echo_Echo_raise_Params p,
		    struct echo_Echo_raise_Results_builder r)
{
	struct capnp_text t = echo_Echo_raise_Params_get_reason(p);
	char reason[SERVER_REASON_MAX + 1];
	uint32_t n = t.len < SERVER_REASON_MAX ? t.len : SERVER_REASON_MAX;

	(void)r;
	memcpy(reason, t.str, n);
	reason[n] = '\0';
	return server_raise(ctx, echo_Echo_raise_Params_get_type(p), reason);
}

static int do_bounce(void *ctx, struct echo_Echo_bounce_Params p,
		     struct echo_Echo_bounce_Results_builder r)
{
	struct server_call *c = ctx;
	uint16_t idx = echo_Echo_bounce_Params_get_capIndex(p);
	uint8_t mode = echo_Echo_bounce_Params_get_mode(p);
	capos_cap_t cap;
	int back;

	if (mode != CAPOS_XFER_COPY && mode != CAPOS_XFER_MOVE)
		return server_raise(c, capos_CapException_Type_invalidArgument, "bad mode");
	if (server_call_cap(c, idx, 0, &cap))
		return server_raise(c, capos_CapException_Type_invalidArgument, "no such cap");
	back = server_call_send(c, cap, mode);
	if (back < 0)
		return back;
	if (mode == CAPOS_XFER_COPY)
		server_call_release_after(c, cap);
	echo_Echo_bounce_Results_set_capIndex(r, (uint16_t)back);
	echo_Echo_bounce_Results_set_interfaceId(r, c->caps[idx].interface_id);
	return 0;
}

static int do_hold(void *ctx, struct echo_Echo_hold_Params p,
		   struct echo_Echo_hold_Results_builder r)
{
	struct server_call *c = ctx;

	(void)p;
	(void)r;
	if (nheld == ECHO_HELD_MAX)
		return server_raise(c, capos_CapException_Type_overloaded, "too many held calls");
	held[nheld++] = c->call_id;
	return SERVER_HELD;
}

static int do_answer_held(void *ctx, struct echo_Echo_answerHeld_Params p,
			  struct echo_Echo_answerHeld_Results_builder r)
{
	uint32_t i, delivered = 0;
	int32_t first = 0;
	int ret;

	(void)ctx;
	(void)p;
	for (i = 0; i < nheld; i++) {
		ret = server_answer_empty(&srv, held[i]);
		if (ret == 0)
			delivered++;
		else if (!first)
			first = ret;
	}
	echo_Echo_answerHeld_Results_set_answered(r, nheld);
	echo_Echo_answerHeld_Results_set_delivered(r, delivered);
	echo_Echo_answerHeld_Results_set_firstError(r, first);
	nheld = 0;
	return 0;
}

static int do_held_count(void *ctx, struct echo_Echo_heldCount_Params p,
			 struct echo_Echo_heldCount_Results_builder r)
{
	(void)ctx;
	(void)p;
	echo_Echo_heldCount_Results_set_count(r, nheld);
	return 0;
}

static int do_exit(void *ctx, struct echo_Echo_exit_Params p,
		   struct echo_Echo_exit_Results_builder r)
{
	(void)ctx;
	(void)r;
	exit(echo_Echo_exit_Params_get_code(p));
}

static int do_stop(void *ctx, struct echo_Echo_stop_Params p,
		   struct echo_Echo_stop_Results_builder r)
{
	(void)ctx;
	(void)p;
	echo_Echo_stop_Results_set_calls(r, srv.calls - 1);
	return SERVER_STOP;
}

static int do_keep(void *ctx, struct echo_Echo_keep_Params p,
		   struct echo_Echo_keep_Results_builder r)
{
	struct server_call *c = ctx;
	uint32_t i;

	(void)p;
	for (i = 0; i < c->ncaps; i++) {
		if (nkept == ECHO_KEPT_MAX)
			return server_raise(c, capos_CapException_Type_overloaded, "keeping 256");
		server_call_cap(c, i, 0, &kept[nkept++]);
	}
	echo_Echo_keep_Results_set_kept(r, nkept);
	return 0;
}

static int do_drop_kept(void *ctx, struct echo_Echo_dropKept_Params p,
			struct echo_Echo_dropKept_Results_builder r)
{
	uint32_t i;

	(void)ctx;
	(void)p;
	for (i = 0; i < nkept; i++)
		cap_release(kept[i]);
	echo_Echo_dropKept_Results_set_dropped(r, nkept);
	nkept = 0;
	return 0;
}

/* Echo.floats: the float fields back bit for bit, and sum and scaled from our own arithmetic. */
static int do_floats(void *ctx, struct echo_Echo_floats_Params p,
		     struct echo_Echo_floats_Results_builder r)
{
	struct capnp_list f64s = echo_Echo_floats_Params_get_f64s(p);
	struct capnp_list f32s = echo_Echo_floats_Params_get_f32s(p);
	uint32_t n64 = capnp_list_len(f64s), n32 = capnp_list_len(f32s);
	double f64 = echo_Echo_floats_Params_get_f64(p), scale = echo_Echo_floats_Params_get_scale(p);
	double sum = 0;

	if (n64 > ECHO_FLOATS_MAX || n32 > ECHO_FLOATS_MAX)
		return server_raise(ctx, capos_CapException_Type_invalidArgument, "list too long");
	echo_Echo_floats_Results_set_f64(r, f64);
	echo_Echo_floats_Results_set_f32(r, echo_Echo_floats_Params_get_f32(p));
	echo_Echo_floats_Results_set_scale(r, scale);
	struct capnp_list_builder o64 = echo_Echo_floats_Results_init_f64s(r, n64);
	struct capnp_list_builder o32 = echo_Echo_floats_Results_init_f32s(r, n32);
	for (uint32_t i = 0; i < n64; i++) {
		capnp_list_set_f64(o64, i, capnp_list_f64(f64s, i));
		sum += capnp_list_f64(f64s, i);
	}
	for (uint32_t i = 0; i < n32; i++) {
		capnp_list_set_f32(o32, i, capnp_list_f32(f32s, i));
		sum += capnp_list_f32(f32s, i);
	}
	echo_Echo_floats_Results_set_sum(r, sum);
	echo_Echo_floats_Results_set_scaled(r, f64 * scale);
	return 0;
}

/* Echo.note: memory that outlives the callers (the restart scenario keeps its start times). */
static int do_note(void *ctx, struct echo_Echo_note_Params p,
		   struct echo_Echo_note_Results_builder r)
{
	struct capnp_list_builder l;

	if (nnotes == ECHO_NOTES_MAX)
		return server_raise(ctx, capos_CapException_Type_overloaded, "keeping 64 notes");
	notes[nnotes++] = echo_Echo_note_Params_get_value(p);
	l = echo_Echo_note_Results_init_values(r, nnotes);
	for (uint32_t i = 0; i < nnotes; i++)
		capnp_list_set_u64(l, i, notes[i]);
	return 0;
}

static const struct echo_Echo_server echo_impl = {
	.echo = do_echo,
	.raise = do_raise,
	.bounce = do_bounce,
	.hold = do_hold,
	.answerHeld = do_answer_held,
	.heldCount = do_held_count,
	.exit = do_exit,
	.stop = do_stop,
	.keep = do_keep,
	.dropKept = do_drop_kept,
	.floats = do_floats,
	.note = do_note,
};

int main(void)
{
	capos_cap_t ep = rt_cap("service", CAPOS_IFACE_ENDPOINT);
	int err;

	if (ep == CAPOS_CAP_INVALID) {
		printf("ipc-echo: FAIL no endpoint granted as \"service\"\n");
		return 2;
	}
	err = server_init(&srv, &rt.ring, ep, echo_Echo_TYPE_ID, echo_Echo_dispatch_any,
			  &echo_impl);
	if (!err)
		err = server_run(&srv);
	if (err) {
		printf("ipc-echo: FAIL serving: %s\n", capos_strerror(err));
		return 2;
	}
	return 0;
}
