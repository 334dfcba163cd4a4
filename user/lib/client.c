// SPDX-License-Identifier: MIT
/*
 * Typed clients (client.h). A call is: build params with the generated
 * builders in the arena, frame them into the params buffer (one segment),
 * CALL through client_ring into the result buffer, then decode the answer, or
 * the CapException that CAPOS_ERR_APPLICATION_EXCEPTION says is there. The
 * kernel wrote the result, but it is read with the bounds-checked reader and
 * its error checked once, like any message.
 */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "client.h"
#include "client_internal.h"
#include "vm.h"
#include "heap.h"
#include "ustring.h"

#define CLIENT_ARENA_WORDS 640		/* params up to ~5 KiB: Console.write + framing */
/* The largest M3 answer is a BootPackage.read of BOOTPKG_READ_MAX bytes plus framing. */
#define CLIENT_RESULT_WORDS ((BOOTPKG_READ_MAX + 1024) / 8)

static struct uring *client_ring_first;

/* The first thread's slot; threading.c overrides this for programs that start threads. */
__attribute__((weak)) struct uring **client_ring_slot(void)
{
	return &client_ring_first;
}

/*
 * The buffers come from the heap on the first call, not from .bss: a program
 * that never calls (exit0) does not pay for 43 KiB of zeroed pages at spawn,
 * and the heap is mapped already.
 */
struct client_bufs {
	uint64_t arena[CLIENT_ARENA_WORDS];
	uint64_t params[CLIENT_ARENA_WORDS + 1];
	uint64_t result[CLIENT_RESULT_WORDS];
};

static struct client_bufs *client_buf;
struct capnp_msg client_msg;	/* params being built */
struct capnp_msg client_reply;	/* result being read */
static struct client_exception client_exc;

const struct client_exception *client_exception(void)
{
	return &client_exc;
}

/* Starts building params in client_msg; false if the buffers cannot be had. */
bool client_begin(void)
{
	if (!client_buf)
		client_buf = malloc(sizeof(*client_buf));
	if (!client_buf)
		return false;
	capnp_msg_init_build(&client_msg, client_buf->arena, sizeof(client_buf->arena));
	return true;
}

void client_keep_exception(const void *msg, uint32_t len)
{
	struct capos_CapException e;
	struct capnp_msg m;
	struct capnp_text t;
	uint32_t n;

	client_exc.type = capos_CapException_Type_failed;
	client_exc.reason[0] = '\0';
	if (capnp_msg_init_read(&m, msg, len))
		return;
	e = capos_CapException_root(&m);
	t = capos_CapException_get_reason(e);
	if (capnp_msg_error(&m))
		return;
	client_exc.type = capos_CapException_get_type(e);
	n = t.len < CLIENT_REASON_MAX - 1 ? t.len : CLIENT_REASON_MAX - 1;
	memcpy(client_exc.reason, t.str, n);
	client_exc.reason[n] = '\0';
}

/*
 * CALLs method of cap with the message built in client_msg. On success the
 * answer is open in client_reply and *cqe holds the completion.
 */
int client_open_answer(const struct capos_cqe *cqe, const void *result, size_t rsize,
		       struct capnp_msg *m)
{
	if (cqe->result == CAPOS_ERR_APPLICATION_EXCEPTION)
		client_keep_exception(result, cqe->written > rsize ? 0 : cqe->written);
	if (cqe->result < 0)
		return cqe->result;
	if (cqe->written > rsize || capnp_msg_init_read(m, result, cqe->written))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	return 0;
}

int client_call_framed(capos_cap_t cap, uint16_t method, struct capnp_msg *m, uint64_t *params,
		       size_t psize, uint64_t *result, size_t rsize)
{
	struct capos_cqe cqe = { .result = CAPOS_ERR_INVALID_ARGUMENT };
	size_t plen;
	int ret;

	if (!client_ring || capnp_msg_error(m) || capnp_msg_write(m, params, psize, &plen))
		return CAPOS_ERR_INVALID_ARGUMENT;
	ret = uring_call(client_ring, cap, method, params, (uint32_t)plen, result,
			 (uint32_t)rsize, NULL, 0, &cqe);
	cqe.result = ret;	/* also a failure before any CQE (no SQE free) */
	return client_open_answer(&cqe, result, rsize, m);
}

int client_call(capos_cap_t cap, uint16_t method, const struct capos_xfer *xfer,
		uint8_t nxfer, struct capos_cqe *cqe)
{
	size_t plen;
	int ret;

	if (!client_ring)
		return CAPOS_ERR_INVALID_ARGUMENT;
	if (capnp_msg_write(&client_msg, client_buf->params, sizeof(client_buf->params), &plen))
		return CAPOS_ERR_TOO_LARGE;
	ret = uring_call(client_ring, cap, method, client_buf->params, (uint32_t)plen, client_buf->result,
			 sizeof(client_buf->result), xfer, nxfer, cqe);
	cqe->result = ret;	/* also a failure before any CQE (no SQE free) */
	return client_open_answer(cqe, client_buf->result, sizeof(client_buf->result), &client_reply);
}

/*
 * The ring transport of the generated client stubs (I_m_call in the schema
 * headers): the params are the message being built in client_msg and the
 * answer opens in client_reply, as for client_call. The capability names its
 * own interface (the runtime checked it against the CapSet or the transfer
 * record it came from), so iface is not sent.
 */
static int client_transport_call(void *ctx, uint32_t cap, uint64_t iface, uint16_t method,
				 struct capnp_msg *params, struct capnp_msg *results)
{
	struct capos_cqe cqe;

	(void)ctx;
	(void)iface;
	if (params != &client_msg || results != &client_reply)
		return CAPOS_ERR_INVALID_ARGUMENT;
	return client_call(cap, method, NULL, 0, &cqe);
}

static const struct capnpc_transport client_transport = { client_transport_call, NULL };

/* Transfer record i of the last answer, if its interface is iface. */
int client_record(const struct capos_cqe *cqe, uint32_t i, uint64_t iface,
		  capos_cap_t *cap)
{
	uint32_t off = (cqe->written + 7u) & ~7u;
	const struct capos_xfer_result *rec;

	if (!(cqe->flags & CAPOS_CQE_F_XFER) || i >= cqe->xfer_count ||
	    off + (uint64_t)(i + 1) * sizeof(*rec) > sizeof(client_buf->result))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	rec = (const struct capos_xfer_result *)((const uint8_t *)client_buf->result + off) + i;
	if (rec->interface_id != iface)
		return CAPOS_ERR_WRONG_INTERFACE;
	*cap = rec->cap_id;
	return 0;
}

static int console_write_chunk(capos_cap_t con, const void *data, uint32_t len)
{
	struct capos_Console_write_Params_builder p;
	struct capos_Console_write_Results r;

	if (!client_begin())
		return CAPOS_ERR_NO_MEMORY;
	p = capos_Console_write_Params_init_root(&client_msg);
	capos_Console_write_Params_set_data(p, data, len);
	return capos_Console_write_call(&client_transport, con, &client_msg, &client_reply, &r);
}

int console_write(capos_cap_t con, const void *data, size_t len)
{
	const uint8_t *d = data;
	uint32_t n;
	int err;

	while (len) {
		n = len > CONSOLE_WRITE_MAX ? CONSOLE_WRITE_MAX : (uint32_t)len;
		err = console_write_chunk(con, d, n);
		if (err)
			return err;
		d += n;
		len -= n;
	}
	return 0;
}

int console_puts(capos_cap_t con, const char *s)
{
	return console_write(con, s, strlen(s));
}

int console_write_line(capos_cap_t con, const char *text)
{
	struct capos_Console_writeLine_Params_builder p;
	struct capos_Console_writeLine_Results r;
	size_t len = strlen(text);

	if (len >= CONSOLE_WRITE_MAX)
		return CAPOS_ERR_TOO_LARGE;
	if (!client_begin())
		return CAPOS_ERR_NO_MEMORY;
	p = capos_Console_writeLine_Params_init_root(&client_msg);
	capos_Console_writeLine_Params_set_text(p, text, (uint32_t)len);
	return capos_Console_writeLine_call(&client_transport, con, &client_msg, &client_reply, &r);
}

int bootpkg_list(capos_cap_t bp, struct bootpkg_entry *out, uint32_t max)
{
	struct capos_BootPackage_BinaryInfo__list l;
	struct capos_BootPackage_BinaryInfo bi;
	struct capnp_text name;
	struct capos_cqe cqe;
	uint32_t i, n, len;
	int err;

	if (!client_begin())
		return CAPOS_ERR_NO_MEMORY;
	capos_BootPackage_list_Params_init_root(&client_msg);
	err = client_call(bp, capos_BootPackage_list, NULL, 0, &cqe);
	if (err)
		return err;
	l = capos_BootPackage_list_Results_get_binaries(
		capos_BootPackage_list_Results_root(&client_reply));
	n = capos_BootPackage_BinaryInfo__list_len(l);
	for (i = 0; i < n && i < max; i++) {
		bi = capos_BootPackage_BinaryInfo__list_get(l, i);
		name = capos_BootPackage_BinaryInfo_get_name(bi);
		len = name.len < sizeof(out[i].name) - 1 ? name.len : sizeof(out[i].name) - 1;
		memcpy(out[i].name, name.str, len);
		out[i].name[len] = '\0';
		out[i].size = capos_BootPackage_BinaryInfo_get_size(bi);
	}
	return capnp_msg_error(&client_reply) ? CAPOS_ERR_MALFORMED_MESSAGE : (int)n;
}

int bootpkg_read(capos_cap_t bp, const char *name, uint64_t offset, void *buf, uint32_t max)
{
	struct capos_BootPackage_read_Params_builder p;
	struct capnp_data d;
	struct capos_cqe cqe;
	int err;

	if (!client_begin())
		return CAPOS_ERR_NO_MEMORY;
	p = capos_BootPackage_read_Params_init_root(&client_msg);
	capos_BootPackage_read_Params_set_name(p, name, (uint32_t)strlen(name));
	capos_BootPackage_read_Params_set_offset(p, offset);
	capos_BootPackage_read_Params_set_maxBytes(p, max);
	err = client_call(bp, capos_BootPackage_read, NULL, 0, &cqe);
	if (err)
		return err;
	d = capos_BootPackage_read_Results_get_data(
		capos_BootPackage_read_Results_root(&client_reply));
	if (capnp_msg_error(&client_reply) || d.len > max)
		return CAPOS_ERR_MALFORMED_MESSAGE;
	memcpy(buf, d.ptr, d.len);
	return (int)d.len;
}

int bootpkg_read_manifest(capos_cap_t bp, uint64_t offset, void *buf, uint32_t max,
			  uint64_t *size)
{
	struct capos_BootPackage_readManifest_Params_builder p;
	struct capos_BootPackage_readManifest_Results r;
	struct capnp_data d;
	struct capos_cqe cqe;
	uint64_t total;
	int err;

	if (!client_begin())
		return CAPOS_ERR_NO_MEMORY;
	p = capos_BootPackage_readManifest_Params_init_root(&client_msg);
	capos_BootPackage_readManifest_Params_set_offset(p, offset);
	capos_BootPackage_readManifest_Params_set_maxBytes(p, max);
	err = client_call(bp, capos_BootPackage_readManifest, NULL, 0, &cqe);
	if (err)
		return err;
	r = capos_BootPackage_readManifest_Results_root(&client_reply);
	d = capos_BootPackage_readManifest_Results_get_data(r);
	total = capos_BootPackage_readManifest_Results_get_size(r);
	if (capnp_msg_error(&client_reply) || d.len > max)
		return CAPOS_ERR_MALFORMED_MESSAGE;
	memcpy(buf, d.ptr, d.len);
	*size = total;
	return (int)d.len;
}

int endpoint_create(capos_cap_t factory, uint64_t iface, capos_cap_t *owner,
		    capos_cap_t *facet)
{
	struct capos_EndpointFactory_create_Params_builder p;
	struct capos_EndpointFactory_create_Results r;
	struct capos_cqe cqe;
	uint16_t oi, ci;
	int err;

	if (!client_begin())
		return CAPOS_ERR_NO_MEMORY;
	p = capos_EndpointFactory_create_Params_init_root(&client_msg);
	capos_EndpointFactory_create_Params_set_interfaceId(p, iface);
	err = client_call(factory, capos_EndpointFactory_create, NULL, 0, &cqe);
	if (err)
		return err;
	r = capos_EndpointFactory_create_Results_root(&client_reply);
	oi = capos_EndpointFactory_create_Results_get_ownerIndex(r);
	ci = capos_EndpointFactory_create_Results_get_clientIndex(r);
	if (capnp_msg_error(&client_reply))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	err = client_record(&cqe, oi, CAPOS_IFACE_ENDPOINT, owner);
	return err ? err : client_record(&cqe, ci, iface, facet);
}

int process_wait(capos_cap_t handle, int64_t *code)
{
	struct process_wait w;
	int err;

	if (!client_ring)
		return CAPOS_ERR_INVALID_ARGUMENT;
	err = process_wait_submit(client_ring, handle, &w);
	return err ? err : process_wait_end(client_ring, &w, CAPOS_TIMEOUT_INFINITE, code);
}

int process_cap_usage(capos_cap_t handle, uint32_t *used, uint32_t *quota)
{
	struct capos_ProcessHandle_capUsage_Results r;
	uint32_t u, q;
	int err;

	if (!client_begin())
		return CAPOS_ERR_NO_MEMORY;
	capos_ProcessHandle_capUsage_Params_init_root(&client_msg);
	err = capos_ProcessHandle_capUsage_call(&client_transport, handle, &client_msg,
						&client_reply, &r);
	if (err)
		return err;
	u = capos_ProcessHandle_capUsage_Results_get_used(r);
	q = capos_ProcessHandle_capUsage_Results_get_quota(r);
	if (capnp_msg_error(&client_reply))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*used = u;
	*quota = q;
	return 0;
}

int cap_usage(capos_cap_t mgr, uint32_t *used, uint32_t *quota)
{
	struct capos_CapabilityManager_usage_Results r;
	uint32_t u, q;
	int err;

	if (!client_begin())
		return CAPOS_ERR_NO_MEMORY;
	capos_CapabilityManager_usage_Params_init_root(&client_msg);
	err = capos_CapabilityManager_usage_call(&client_transport, mgr, &client_msg,
						 &client_reply, &r);
	if (err)
		return err;
	u = capos_CapabilityManager_usage_Results_get_used(r);
	q = capos_CapabilityManager_usage_Results_get_quota(r);
	if (capnp_msg_error(&client_reply))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*used = u;
	*quota = q;
	return 0;
}

int process_kill(capos_cap_t handle)
{
	struct capos_ProcessHandle_kill_Results r;

	if (!client_begin())
		return CAPOS_ERR_NO_MEMORY;
	capos_ProcessHandle_kill_Params_init_root(&client_msg);
	return capos_ProcessHandle_kill_call(&client_transport, handle, &client_msg, &client_reply,
					     &r);
}

int cap_release(capos_cap_t cap)
{
	struct capos_sqe sqe = { .opcode = CAPOS_OP_RELEASE, .cap_id = cap };

	if (!client_ring)
		return CAPOS_ERR_INVALID_ARGUMENT;
	return uring_run(client_ring, &sqe, NULL);
}

int cap_new_revoker(capos_cap_t mgr, capos_cap_t *revoker)
{
	struct capos_CapabilityManager_newRevoker_Results r;
	struct capos_cqe cqe;
	uint16_t idx;
	int err;

	if (!client_begin())
		return CAPOS_ERR_NO_MEMORY;
	capos_CapabilityManager_newRevoker_Params_init_root(&client_msg);
	err = client_call(mgr, capos_CapabilityManager_newRevoker, NULL, 0, &cqe);
	if (err)
		return err;
	r = capos_CapabilityManager_newRevoker_Results_root(&client_reply);
	idx = capos_CapabilityManager_newRevoker_Results_get_revokerIndex(r);
	if (capnp_msg_error(&client_reply))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	return client_record(&cqe, idx, CAPOS_IFACE_REVOKER, revoker);
}

int revoker_wrap(capos_cap_t rv, capos_cap_t cap, uint8_t mode, bool drop_transfer,
		 uint64_t iface, capos_cap_t *out)
{
	struct capos_Revoker_wrap_Params_builder p;
	struct capos_xfer x = { .cap_id = cap, .mode = mode };
	struct capos_cqe cqe;
	uint16_t idx;
	int err;

	if (!client_begin())
		return CAPOS_ERR_NO_MEMORY;
	p = capos_Revoker_wrap_Params_init_root(&client_msg);
	capos_Revoker_wrap_Params_set_cap(p, 0);
	capos_Revoker_wrap_Params_set_dropTransfer(p, drop_transfer);
	err = client_call(rv, capos_Revoker_wrap, &x, 1, &cqe);
	if (err)
		return err;
	idx = capos_Revoker_wrap_Results_get_capIndex(
		capos_Revoker_wrap_Results_root(&client_reply));
	if (capnp_msg_error(&client_reply))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	return client_record(&cqe, idx, iface, out);
}

int revoker_revoke(capos_cap_t rv)
{
	struct capos_Revoker_revoke_Results r;

	if (!client_begin())
		return CAPOS_ERR_NO_MEMORY;
	capos_Revoker_revoke_Params_init_root(&client_msg);
	return capos_Revoker_revoke_call(&client_transport, rv, &client_msg, &client_reply, &r);
}
