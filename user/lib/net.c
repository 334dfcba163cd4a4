// SPDX-License-Identifier: MIT
/*
 * Network client (net.h): the requests (reads, writes, accepts) that a
 * program keeps in flight. The blocking calls are in net_calls.c. Params
 * are built in one scratch arena (a submit builds and frames at once, so
 * requests never share it while in flight) taken from the heap on first
 * use; answers are read with the bounds-checked reader in the request's
 * own result buffer.
 */
#include <capos/errors.h>

#include "client.h"
#include "heap.h"
#include "ipc_call.h"
#include "net.capnp.h"
#include "net.h"
#include "net_internal.h"

static uint64_t *scratch;

int net_begin(struct capnp_msg *m)
{
	if (!scratch)
		scratch = malloc(NET_SCRATCH_WORDS * sizeof(uint64_t));
	if (!scratch)
		return CAPOS_ERR_NO_MEMORY;
	capnp_msg_init_build(m, scratch, NET_SCRATCH_WORDS * sizeof(uint64_t));
	return 0;
}

int net_queue(struct uring *r, capos_cap_t cap, uint16_t method, struct capnp_msg *m,
	      uint64_t *params, size_t psize, uint64_t *result, size_t rsize, uint64_t *user_data)
{
	size_t plen;
	int err;

	if (capnp_msg_error(m) || capnp_msg_write(m, params, psize, &plen))
		return CAPOS_ERR_INVALID_ARGUMENT;
	err = uring_queue(r, &(struct capos_sqe){
		.opcode = CAPOS_OP_CALL,
		.cap_id = cap,
		.params_addr = (uint64_t)(uintptr_t)params,
		.params_len = (uint32_t)plen,
		.result_addr = (uint64_t)(uintptr_t)result,
		.result_len = (uint32_t)rsize,
		.method_id = method,
	}, user_data);
	if (!err)
		uring_submit(r);
	return err;
}

int net_open(const struct capos_cqe *cqe, const uint64_t *result, size_t rsize,
	     struct capnp_msg *m, uint16_t *exc_type)
{
	int err = client_open_answer(cqe, result, rsize, m);

	*exc_type = err == CAPOS_ERR_APPLICATION_EXCEPTION ? client_exception()->type : 0;
	return err;
}

int net_record(const struct capos_cqe *cqe, const uint64_t *result, size_t rsize,
	       uint32_t index, uint64_t iface, capos_cap_t *cap)
{
	uint32_t off = (cqe->written + 7u) & ~7u;
	const struct capos_xfer_result *rec;

	if (!(cqe->flags & CAPOS_CQE_F_XFER) || index >= cqe->xfer_count ||
	    off + (uint64_t)(index + 1) * sizeof(*rec) > rsize)
		return CAPOS_ERR_MALFORMED_MESSAGE;
	rec = (const struct capos_xfer_result *)((const uint8_t *)result + off) + index;
	if (rec->interface_id != iface)
		return CAPOS_ERR_WRONG_INTERFACE;
	*cap = rec->cap_id;
	return 0;
}

int tcp_read_submit(struct uring *r, capos_cap_t sock, uint32_t max, struct tcp_read_req *req)
{
	struct capnp_msg m;
	int err;

	if (max == 0 || max > NET_TCP_IO_MAX)
		return CAPOS_ERR_INVALID_ARGUMENT;
	err = net_begin(&m);
	if (err)
		return err;
	net_TcpSocket_read_Params_set_max(net_TcpSocket_read_Params_init_root(&m), max);
	req->max = max;
	req->data = NULL;
	req->len = 0;
	req->exc_type = 0;
	return net_queue(r, sock, net_TcpSocket_read, &m, req->params, sizeof(req->params),
			 req->result, sizeof(req->result), &req->user_data);
}

int tcp_read_result(struct tcp_read_req *req, const struct capos_cqe *cqe)
{
	struct capnp_data d;
	struct capnp_msg m;
	int err;

	req->cqe = *cqe;
	req->data = NULL;
	req->len = 0;
	err = net_open(cqe, req->result, sizeof(req->result), &m, &req->exc_type);
	if (err)
		return err;
	d = net_TcpSocket_read_Results_get_data(net_TcpSocket_read_Results_root(&m));
	if (capnp_msg_error(&m) || d.len > req->max)
		return CAPOS_ERR_MALFORMED_MESSAGE;
	req->data = d.ptr;
	req->len = d.len;
	return (int)d.len;
}

int tcp_read_wait(struct uring *r, struct tcp_read_req *req, uint64_t timeout_ns)
{
	struct capos_cqe cqe;
	int err = ipc_wait_id(r, req->user_data, timeout_ns, &cqe);

	return err ? err : tcp_read_result(req, &cqe);
}

int tcp_write_submit(struct uring *r, capos_cap_t sock, const void *data, uint32_t len,
		     struct tcp_write_req *req)
{
	struct capnp_msg m;
	int err;

	if (len > NET_TCP_IO_MAX)
		return CAPOS_ERR_INVALID_ARGUMENT;
	err = net_begin(&m);
	if (err)
		return err;
	net_TcpSocket_write_Params_set_data(net_TcpSocket_write_Params_init_root(&m), data, len);
	req->exc_type = 0;
	return net_queue(r, sock, net_TcpSocket_write, &m, req->params, sizeof(req->params),
			 req->result, sizeof(req->result), &req->user_data);
}

int tcp_write_result(struct tcp_write_req *req, const struct capos_cqe *cqe)
{
	struct capnp_msg m;

	req->cqe = *cqe;
	return net_open(cqe, req->result, sizeof(req->result), &m, &req->exc_type);
}

int tcp_write_wait(struct uring *r, struct tcp_write_req *req, uint64_t timeout_ns)
{
	struct capos_cqe cqe;
	int err = ipc_wait_id(r, req->user_data, timeout_ns, &cqe);

	return err ? err : tcp_write_result(req, &cqe);
}

int tcp_accept_submit(struct uring *r, capos_cap_t listener, struct tcp_accept_req *req)
{
	struct capnp_msg m;
	int err = net_begin(&m);

	if (err)
		return err;
	net_TcpListener_accept_Params_init_root(&m);
	req->exc_type = 0;
	return net_queue(r, listener, net_TcpListener_accept, &m, req->params, sizeof(req->params),
			 req->result, sizeof(req->result), &req->user_data);
}

int tcp_accept_result(struct tcp_accept_req *req, const struct capos_cqe *cqe, capos_cap_t *sock,
		      uint32_t *raddr, uint16_t *rport)
{
	struct net_TcpListener_accept_Results res;
	struct capnp_msg m;
	uint32_t addr;
	uint16_t idx, port;
	int err;

	req->cqe = *cqe;
	err = net_open(cqe, req->result, sizeof(req->result), &m, &req->exc_type);
	if (err)
		return err;
	res = net_TcpListener_accept_Results_root(&m);
	idx = net_TcpListener_accept_Results_get_socketIndex(res);
	addr = net_TcpListener_accept_Results_get_remoteAddress(res);
	port = net_TcpListener_accept_Results_get_remotePort(res);
	if (capnp_msg_error(&m))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	err = net_record(cqe, req->result, sizeof(req->result), idx, net_TcpSocket_TYPE_ID, sock);
	if (err)
		return err;
	if (raddr)
		*raddr = addr;
	if (rport)
		*rport = port;
	return 0;
}

int tcp_accept_wait(struct uring *r, struct tcp_accept_req *req, uint64_t timeout_ns,
		    capos_cap_t *sock, uint32_t *raddr, uint16_t *rport)
{
	struct capos_cqe cqe;
	int err = ipc_wait_id(r, req->user_data, timeout_ns, &cqe);

	return err ? err : tcp_accept_result(req, &cqe, sock, raddr, rport);
}
