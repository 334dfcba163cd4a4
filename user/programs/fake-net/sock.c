// SPDX-License-Identifier: MIT
/*
 * One scripted connection's TcpSocket (fakenet.h): what the gateway writes
 * is kept in the connection's log (telnet bytes as they are), and the
 * script moves on each time the text it waits for has been written since
 * its last step; its bytes are then answered to the gateway's read (held
 * until there are some), or its hang-up as the read's end.
 */
#include <capos/endpoint.h>
#include <capos/interfaces.h>

#include "client.h"
#include "fakenet.h"
#include "rt.h"
#include "ustring.h"

static struct fn_conn *conn_of(void *ctx)
{
	return ((struct server_call *)ctx)->port_ctx;
}

static bool found(struct fn_conn *c, const char *text)
{
	size_t n = strlen(text);

	for (uint32_t i = c->seen; i + n <= c->log_len; i++)
		if (!memcmp(c->log + i, text, n)) {
			c->seen = i + (uint32_t)n;
			return true;
		}
	return false;
}

/* Answers the held read with what is queued, or with the end after a hang-up. */
static void answer_read(struct fn_conn *c)
{
	uint64_t arena[(FN_IN_MAX + 64) / 8], out[(FN_IN_MAX + 64) / 8];
	uint32_t n = c->in_len < c->read_max ? c->in_len : c->read_max;
	struct capnp_msg m;
	size_t len;

	if (!c->read_held || (!n && !c->hung_up && !c->closed))
		return;
	capnp_msg_init_build(&m, arena, sizeof(arena));
	net_TcpSocket_read_Results_set_data(net_TcpSocket_read_Results_init_root(&m), c->in, n);
	c->read_held = false;
	memmove(c->in, c->in + n, c->in_len - n);
	c->in_len -= n;
	if (!capnp_msg_write(&m, out, sizeof(out), &len))
		(void)server_return_port(&fsrv, c->port, c->read_call, 0, out, (uint32_t)len, NULL,
					 0);
}

void sock_advance(struct fn_conn *c)
{
	while (c->step < c->nsteps) {
		const struct fn_step *s = &c->steps[c->step];

		if (s->action == FN_HOLD || s->action == FN_WAIT_CLOSE)
			break;
		if (s->expect[0] && !found(c, s->expect))
			break;
		if (s->action == FN_SEND && c->in_len + s->len <= FN_IN_MAX) {
			memcpy(c->in + c->in_len, s->bytes, s->len);
			c->in_len += (uint32_t)s->len;
		} else if (s->action == FN_HANGUP) {
			c->hung_up = true;
		}
		c->step++;
	}
	answer_read(c);
	if (c->step < c->nsteps && c->steps[c->step].action == FN_HOLD &&
	    (!c->steps[c->step].expect[0] || found(c, c->steps[c->step].expect))) {
		c->step++;	/* reached: the phase may go on */
		script_progress();
	}
}

void sock_hangup(struct fn_conn *c)
{
	c->hung_up = true;
	answer_read(c);
}

bool sock_connect(struct fn_conn *c)
{
	capos_cap_t facet;
	int err;

	if (!fn_accept_held())
		return false;
	err = endpoint_create(fn_endpoints, net_TcpSocket_TYPE_ID, &c->owner, &facet);
	if (!err) {
		c->port = server_add_port(&fsrv, c->owner, net_TcpSocket_TYPE_ID,
					  net_TcpSocket_dispatch_any, &sock_impl, c);
		err = c->port < 0 ? c->port : 0;
	}
	if (!err)
		err = fn_answer_accept(facet);
	if (err) {
		printf("fake-net: FAIL %s: cannot connect: %s\n", c->name, capos_strerror(err));
		return false;
	}
	c->accepted = true;
	return true;
}

static int do_read(void *ctx, struct net_TcpSocket_read_Params p,
		   struct net_TcpSocket_read_Results_builder r)
{
	struct server_call *call = ctx;
	struct fn_conn *c = conn_of(ctx);
	uint32_t max = net_TcpSocket_read_Params_get_max(p);

	(void)r;
	if (max == 0 || max > 32768)
		return server_raise(call, capos_CapException_Type_invalidArgument, "bad max");
	if (c->read_held)
		return server_raise(call, capos_CapException_Type_overloaded, "one read at a time here");
	c->read_held = true;
	c->read_call = call->call_id;
	c->read_max = max;
	answer_read(c);
	return SERVER_HELD;
}

static int do_write(void *ctx, struct net_TcpSocket_write_Params p,
		    struct net_TcpSocket_write_Results_builder r)
{
	struct fn_conn *c = conn_of(ctx);
	struct capnp_data d = net_TcpSocket_write_Params_get_data(p);

	(void)r;
	if (c->closed || c->hung_up)
		return server_raise(ctx, capos_CapException_Type_disconnected, "the peer is gone");
	for (uint32_t i = 0; i < d.len && c->log_len < FN_LOG_MAX; i++)
		c->log[c->log_len++] = (char)d.ptr[i];
	sock_advance(c);
	return 0;
}

static int do_close(void *ctx, struct net_TcpSocket_close_Params p,
		    struct net_TcpSocket_close_Results_builder r)
{
	struct fn_conn *c = conn_of(ctx);

	(void)p;
	(void)r;
	c->closed = true;
	answer_read(c);
	if (c->step < c->nsteps && c->steps[c->step].action == FN_WAIT_CLOSE &&
	    (!c->steps[c->step].expect[0] || found(c, c->steps[c->step].expect)))
		c->step++;
	script_progress();
	return 0;
}

const struct net_TcpSocket_server sock_impl = {
	.read = do_read,
	.write = do_write,
	.close = do_close,
};
