// SPDX-License-Identifier: MIT
/* Echo service client (echo_client.h). */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "client.h"
#include "echo.capnp.h"
#include "echo_client.h"
#include "ustring.h"

int echo_spawn(capos_cap_t spawner, capos_cap_t console, const char *name,
	       capos_cap_t *handle, capos_cap_t *facet)
{
	struct spawn_grant g[2] = {
		{ .name = ECHO_GRANT, .iface = echo_Echo_TYPE_ID, .mode = SPAWN_NEW_ENDPOINT },
		{ .name = "console", .iface = CAPOS_IFACE_CONSOLE, .cap = console,
		  .mode = CAPOS_XFER_COPY },
	};
	capos_cap_t facets[2];
	int err;

	err = spawner_spawn_ep(spawner, name, "ipc-echo", g,
			       console == CAPOS_CAP_INVALID ? 1 : 2, handle, facets);
	if (!err)
		*facet = facets[0];
	return err;
}

int echo_submit_echo(struct uring *r, struct ipc_call *c, capos_cap_t ep, const void *data,
		     uint32_t len)
{
	ipc_call_begin(c);
	echo_Echo_echo_Params_set_data(echo_Echo_echo_Params_init_root(&c->msg), data, len);
	return ipc_call_submit(r, c, ep, echo_Echo_echo);
}

int echo_check_echo(struct ipc_call *c, const void *data, uint32_t len)
{
	struct capnp_data d = echo_Echo_echo_Results_get_data(echo_Echo_echo_Results_root(&c->msg));

	if (capnp_msg_error(&c->msg) || d.len != len || (len && memcmp(d.ptr, data, len)))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	return 0;
}

int echo_echo(struct uring *r, struct ipc_call *c, capos_cap_t ep, const void *data,
	      uint32_t len)
{
	int err = echo_submit_echo(r, c, ep, data, len);

	if (!err)
		err = ipc_call_wait(r, c, CAPOS_TIMEOUT_INFINITE);
	return err < 0 ? err : echo_check_echo(c, data, len);
}

int echo_raise(struct uring *r, struct ipc_call *c, capos_cap_t ep, uint16_t type,
	       const char *reason)
{
	struct echo_Echo_raise_Params_builder p;
	int err;

	ipc_call_begin(c);
	p = echo_Echo_raise_Params_init_root(&c->msg);
	echo_Echo_raise_Params_set_type(p, type);
	echo_Echo_raise_Params_set_reason(p, reason, (uint32_t)strlen(reason));
	err = ipc_call_run(r, c, ep, echo_Echo_raise);
	return err < 0 ? err : 0;
}

int echo_bounce(struct uring *r, struct ipc_call *c, capos_cap_t ep, capos_cap_t cap,
		uint8_t send_mode, uint8_t back_mode, capos_cap_t *back)
{
	struct echo_Echo_bounce_Params_builder p;
	struct echo_Echo_bounce_Results res;
	int idx, err;

	ipc_call_begin(c);
	p = echo_Echo_bounce_Params_init_root(&c->msg);
	idx = ipc_call_add_cap(c, cap, send_mode);
	if (idx < 0)
		return idx;
	echo_Echo_bounce_Params_set_capIndex(p, (uint16_t)idx);
	echo_Echo_bounce_Params_set_mode(p, back_mode);
	err = ipc_call_run(r, c, ep, echo_Echo_bounce);
	if (err < 0)
		return err;
	res = echo_Echo_bounce_Results_root(&c->msg);
	idx = echo_Echo_bounce_Results_get_capIndex(res);
	if (capnp_msg_error(&c->msg))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	return ipc_call_record(c, (uint32_t)idx, 0, back);
}

int echo_submit_hold(struct uring *r, struct ipc_call *c, capos_cap_t ep)
{
	ipc_call_begin(c);
	echo_Echo_hold_Params_init_root(&c->msg);
	return ipc_call_submit(r, c, ep, echo_Echo_hold);
}

int echo_held_count(struct uring *r, struct ipc_call *c, capos_cap_t ep, uint32_t *count)
{
	int err;

	ipc_call_begin(c);
	echo_Echo_heldCount_Params_init_root(&c->msg);
	err = ipc_call_run(r, c, ep, echo_Echo_heldCount);
	if (err < 0)
		return err;
	*count = echo_Echo_heldCount_Results_get_count(echo_Echo_heldCount_Results_root(&c->msg));
	return capnp_msg_error(&c->msg) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}

int echo_answer_held(struct uring *r, struct ipc_call *c, capos_cap_t ep, uint32_t *answered,
		     uint32_t *delivered, int32_t *first_error)
{
	struct echo_Echo_answerHeld_Results res;
	int err;

	ipc_call_begin(c);
	echo_Echo_answerHeld_Params_init_root(&c->msg);
	err = ipc_call_run(r, c, ep, echo_Echo_answerHeld);
	if (err < 0)
		return err;
	res = echo_Echo_answerHeld_Results_root(&c->msg);
	*answered = echo_Echo_answerHeld_Results_get_answered(res);
	*delivered = echo_Echo_answerHeld_Results_get_delivered(res);
	*first_error = echo_Echo_answerHeld_Results_get_firstError(res);
	return capnp_msg_error(&c->msg) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}

int echo_submit_exit(struct uring *r, struct ipc_call *c, capos_cap_t ep, int32_t code)
{
	ipc_call_begin(c);
	echo_Echo_exit_Params_set_code(echo_Echo_exit_Params_init_root(&c->msg), code);
	return ipc_call_submit(r, c, ep, echo_Echo_exit);
}

int echo_stop(struct uring *r, struct ipc_call *c, capos_cap_t ep, uint64_t *calls)
{
	int err;

	ipc_call_begin(c);
	echo_Echo_stop_Params_init_root(&c->msg);
	err = ipc_call_run(r, c, ep, echo_Echo_stop);
	if (err < 0)
		return err;
	if (calls)
		*calls = echo_Echo_stop_Results_get_calls(echo_Echo_stop_Results_root(&c->msg));
	return capnp_msg_error(&c->msg) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}

int echo_keep(struct uring *r, struct ipc_call *c, capos_cap_t ep, const capos_cap_t *caps,
	      uint32_t n, uint32_t *kept)
{
	uint32_t i;
	int err;

	ipc_call_begin(c);
	echo_Echo_keep_Params_init_root(&c->msg);
	for (i = 0; i < n; i++)
		if (ipc_call_add_cap(c, caps[i], CAPOS_XFER_COPY) < 0)
			return CAPOS_ERR_TOO_LARGE;
	err = ipc_call_run(r, c, ep, echo_Echo_keep);
	if (err < 0)
		return err;
	*kept = echo_Echo_keep_Results_get_kept(echo_Echo_keep_Results_root(&c->msg));
	return capnp_msg_error(&c->msg) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}

int echo_drop_kept(struct uring *r, struct ipc_call *c, capos_cap_t ep, uint32_t *dropped)
{
	int err;

	ipc_call_begin(c);
	echo_Echo_dropKept_Params_init_root(&c->msg);
	err = ipc_call_run(r, c, ep, echo_Echo_dropKept);
	if (err < 0)
		return err;
	*dropped = echo_Echo_dropKept_Results_get_dropped(echo_Echo_dropKept_Results_root(&c->msg));
	return capnp_msg_error(&c->msg) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}

int echo_note(struct uring *r, struct ipc_call *c, capos_cap_t ep, uint64_t value,
	      uint64_t *values, uint32_t max, uint32_t *n)
{
	struct capnp_list l;
	int err;

	ipc_call_begin(c);
	echo_Echo_note_Params_set_value(echo_Echo_note_Params_init_root(&c->msg), value);
	err = ipc_call_run(r, c, ep, echo_Echo_note);
	if (err < 0)
		return err;
	l = echo_Echo_note_Results_get_values(echo_Echo_note_Results_root(&c->msg));
	*n = capnp_list_len(l);
	for (uint32_t i = 0; i < *n && i < max; i++)
		values[i] = capnp_list_u64(l, i);
	return capnp_msg_error(&c->msg) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}
