// SPDX-License-Identifier: MIT
/*
 * The server's call-level API (server.h): ports added and removed, the
 * other-completions function, what a handler does with a call's
 * capabilities and exception, and the answers of held calls. The loop
 * itself is server.c.
 */
#include <capos/errors.h>

#include "heap.h"
#include "server.h"
#include "server_internal.h"
#include "ustring.h"

int server_add_port(struct server *s, capos_cap_t ep, uint64_t iface, server_dispatch_fn dispatch,
		    const void *impl, void *port_ctx)
{
	for (uint32_t i = 1; i < SERVER_PORTS_MAX; i++) {
		struct server_port *p = &s->ports[i];

		/* A removed port is reused only once its RECV has ended (its buffer is free). */
		if (p->live || p->recv_posted)
			continue;
		if (!p->recv_buf && !(p->recv_buf = malloc(SERVER_RECV_BYTES)))
			return CAPOS_ERR_NO_MEMORY;
		p->ep = ep;
		p->iface = iface;
		p->dispatch = dispatch;
		p->impl = impl;
		p->ctx = port_ctx;
		p->live = true;
		p->orphaned = false;
		if (i >= s->ports_used)
			s->ports_used = i + 1;
		return (int)i;
	}
	return CAPOS_ERR_TOO_LARGE;
}

int server_remove_port(struct server *s, int port)
{
	if (port <= 0 || port >= (int)SERVER_PORTS_MAX || !s->ports[port].live)
		return CAPOS_ERR_INVALID_ARGUMENT;
	s->ports[port].live = false;
	return 0;
}

void server_set_orphan(struct server *s, void (*fn)(void *arg, int port, void *port_ctx),
		       void *arg)
{
	s->orphan = fn;
	s->orphan_arg = arg;
}

void server_set_other(struct server *s, void (*fn)(void *arg, const struct capos_cqe *cqe),
		      void *arg)
{
	s->other = fn;
	s->other_arg = arg;
}

int server_raise(struct server_call *c, uint16_t type, const char *reason)
{
	size_t n = strlen(reason);

	if (n > SERVER_REASON_MAX)
		n = SERVER_REASON_MAX;
	c->exc_type = type;
	memcpy(c->exc_reason, reason, n);
	c->exc_reason[n] = '\0';
	return SERVER_RAISED;
}

int server_call_cap(struct server_call *c, uint32_t index, uint64_t iface, capos_cap_t *cap)
{
	if (index >= c->ncaps || (c->taken & (1u << index)))
		return CAPOS_ERR_INVALID_ARGUMENT;
	if (iface && c->caps[index].interface_id != iface)
		return CAPOS_ERR_WRONG_INTERFACE;
	c->taken |= (uint16_t)(1u << index);
	*cap = c->caps[index].cap_id;
	return 0;
}

int server_call_send(struct server_call *c, capos_cap_t cap, uint8_t mode)
{
	if (c->nxfer >= CAPOS_XFER_MAX)
		return CAPOS_ERR_TOO_LARGE;
	c->xfer[c->nxfer] = (struct capos_xfer){ .cap_id = cap, .mode = mode };
	return c->nxfer++;
}

int server_call_release_after(struct server_call *c, capos_cap_t cap)
{
	if (c->nrelease >= sizeof(c->release) / sizeof(c->release[0]))
		return CAPOS_ERR_TOO_LARGE;
	c->release[c->nrelease++] = cap;
	return 0;
}

int server_return_port(struct server *s, int port, uint32_t call_id, uint16_t flags,
		       const void *msg, uint32_t len, const struct capos_xfer *xfer, uint8_t n)
{
	struct capos_sqe sqe = {
		.opcode = CAPOS_OP_RETURN,
		.flags = flags,
		.cap_id = s->ports[(uint32_t)port % SERVER_PORTS_MAX].ep,
		.call_id = call_id,
		.params_addr = (uint64_t)(uintptr_t)msg,
		.params_len = len,
		.xfer_addr = n ? (uint64_t)(uintptr_t)xfer : 0,
		.xfer_count = n,
	};

	return uring_run(s->ring, &sqe, NULL);
}

int server_return_raw(struct server *s, uint32_t call_id, uint16_t flags, const void *msg,
		      uint32_t len, const struct capos_xfer *xfer, uint8_t n)
{
	return server_return_port(s, 0, call_id, flags, msg, len, xfer, n);
}

int server_answer_empty_port(struct server *s, int port, uint32_t call_id)
{
	/* Framing (one segment of one word) and a root pointer to an empty struct. */
	static const uint64_t empty[2] = { 0x0000000100000000ull, 0x00000000fffffffcull };

	return server_return_port(s, port, call_id, 0, empty, sizeof(empty), NULL, 0);
}

int server_answer_empty(struct server *s, uint32_t call_id)
{
	return server_answer_empty_port(s, 0, call_id);
}
