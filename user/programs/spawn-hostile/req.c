// SPDX-License-Identifier: MIT
/* ProcessSpawner.spawn requests that may break the schema's rules (req.h). */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "req.h"
#include "ustring.h"

uint64_t req_params[REQ_PARAMS_BYTES / 8];
uint64_t req_result[REQ_RESULT_BYTES / 8];
capos_cap_t req_spawner = CAPOS_CAP_INVALID;

static uint64_t req_arena[REQ_PARAMS_BYTES / 8];

/* CapGrant's union discriminant: data byte 10 (the generated reader's offset). */
#define CAPGRANT_WHICH_BYTE 10

struct spawn_req req_simple(struct txt name, struct txt binary)
{
	struct spawn_req q;

	memset(&q, 0, sizeof(q));
	q.name = name;
	q.binary = binary;
	return q;
}

void req_grant(struct spawn_req *q, struct txt name, uint64_t iface, enum req_source src,
	       uint16_t index)
{
	if (q->ngrants < REQ_GRANTS_MAX)
		q->grants[q->ngrants++] = (struct req_grant){ name, iface, src, index };
}

void req_xfer(struct spawn_req *q, capos_cap_t cap, uint8_t mode)
{
	if (q->nxfer < CAPOS_XFER_MAX)
		q->xfer[q->nxfer++] = (struct capos_xfer){ .cap_id = cap, .mode = mode };
}

static void build_grant(struct capos_CapGrant_builder gb, const struct req_grant *g)
{
	struct capos_CapGrant_source_builder src = capos_CapGrant_init_source(gb);

	(void)capos_CapGrant_set_name(gb, g->name.s, g->name.len);
	capos_CapGrant_set_interfaceId(gb, g->iface);
	if (g->source == SRC_NEW_ENDPOINT)
		capos_CapGrant_source_set_newEndpoint(src);
	else
		capos_CapGrant_source_set_transfer(src, g->source == SRC_TRANSFER ? g->index : 0);
	if (g->source == SRC_UNKNOWN)	/* no setter writes a discriminant the schema lacks */
		capnp_set_u16(gb.b, CAPGRANT_WHICH_BYTE, g->index, 0);
}

uint32_t req_frame(const struct spawn_req *q)
{
	struct capos_ProcessSpawner_spawn_Params_builder p;
	struct capos_CapGrant__list_builder l;
	struct capnp_msg m;
	size_t len;

	capnp_msg_init_build(&m, req_arena, sizeof(req_arena));
	p = capos_ProcessSpawner_spawn_Params_init_root(&m);
	(void)capos_ProcessSpawner_spawn_Params_set_name(p, q->name.s, q->name.len);
	(void)capos_ProcessSpawner_spawn_Params_set_binary(p, q->binary.s, q->binary.len);
	if (q->ngrants) {
		l = capos_ProcessSpawner_spawn_Params_init_grants(p, q->ngrants);
		for (uint32_t i = 0; i < q->ngrants; i++)
			build_grant(capos_CapGrant__list_build(l, i), &q->grants[i]);
	}
	if (capnp_msg_error(&m) || capnp_msg_write(&m, req_params, sizeof(req_params), &len))
		return 0;
	return (uint32_t)len;
}

static void read_exception(struct outcome *o, const void *result)
{
	struct capos_CapException e;
	struct capnp_msg m;
	struct capnp_text t;
	uint32_t n;

	o->exc_type = 0xffff;
	o->reason[0] = '\0';
	if (capnp_msg_init_read(&m, result, o->cqe.written))
		return;
	e = capos_CapException_root(&m);
	t = capos_CapException_get_reason(e);
	if (capnp_msg_error(&m))
		return;
	o->exc_type = capos_CapException_get_type(e);
	n = t.len < REQ_REASON_MAX - 1 ? t.len : REQ_REASON_MAX - 1;
	memcpy(o->reason, t.str, n);
	o->reason[n] = '\0';
}

void req_call_raw(uint16_t method, uint64_t params, uint32_t plen, const struct capos_xfer *x,
		  uint8_t nx, uint64_t result, uint32_t rlen, struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	o->ret = uring_call(&rt.ring, req_spawner, method, (const void *)(uintptr_t)params, plen,
			    (void *)(uintptr_t)result, rlen, x, nx, &o->cqe);
	if (o->ret == CAPOS_ERR_APPLICATION_EXCEPTION)
		read_exception(o, (const void *)(uintptr_t)result);
}

void req_spawn(const struct spawn_req *q, uint32_t rlen, struct outcome *o)
{
	uint32_t plen = req_frame(q);

	if (!plen) {
		memset(o, 0, sizeof(*o));
		o->ret = CAPOS_ERR_TOO_LARGE;
		return;
	}
	req_call_raw(capos_ProcessSpawner_spawn, (uintptr_t)req_params, plen, q->xfer, q->nxfer,
		     (uintptr_t)req_result, rlen, o);
}

capos_cap_t req_handle(const struct outcome *o)
{
	struct capos_ProcessSpawner_spawn_Results r;
	const struct capos_xfer_result *rec;
	struct capnp_msg m;
	uint16_t idx;

	if (o->ret < 0 || capnp_msg_init_read(&m, req_result, o->cqe.written))
		return CAPOS_CAP_INVALID;
	r = capos_ProcessSpawner_spawn_Results_root(&m);
	idx = capos_ProcessSpawner_spawn_Results_get_handleIndex(r);
	if (capnp_msg_error(&m) || idx >= o->cqe.xfer_count)
		return CAPOS_CAP_INVALID;
	rec = (const struct capos_xfer_result *)((const uint8_t *)req_result +
						  ((o->cqe.written + 7u) & ~7u));
	return rec[idx].interface_id == CAPOS_IFACE_PROCESS_HANDLE ? rec[idx].cap_id
								  : CAPOS_CAP_INVALID;
}
