/* SPDX-License-Identifier: MIT */
/*
 * The server loop: how a process serves the endpoint it owns. One loop is
 * RECV a call, hand it to the interface's generated dispatch function
 * (capnpc-c <Iface>_dispatch_any, docs/capnpc-c.md) with the params opened
 * as a reader and the results started as a builder, then answer with the
 * results, or a CapException when the handler raised one, the method is
 * unknown or the params did not decode. The answer of one call and the RECV
 * of the next are one SQE, RECV | CAPOS_SQE_F_REPLY (seL4's ReplyRecv),
 * followed by the RELEASEs the call asks for, in one cap_enter that returns
 * when the next call arrives. RELEASE carries CAPOS_SQE_F_SKIP_SUCCESS and
 * posts a CQE only when it fails; an answer that fails completes its RECV |
 * REPLY at once (CAPOS_CQE_F_REPLY_FAILED), and the loop posts a plain RECV
 * (failures are counted in return_errors and release_errors; serving goes
 * on). The last answer, sent by server_flush, is a RETURN.
 *
 * Capabilities that came with a call are offered to the handler through
 * server_call_cap(); those it does not take are released when the call is
 * answered, so a server never fills its table with caps it did not ask for.
 * A handler may send capabilities back (server_call_send) and keep a call
 * unanswered (return SERVER_HELD, answer later with server_answer_empty).
 *
 * A service is a handler table and a few lines (user/programs/ipc-echo):
 *
 *	static const struct echo_Echo_server impl = { .echo = do_echo };
 *	server_init(&s, &rt.ring, ep, echo_Echo_TYPE_ID, echo_Echo_dispatch_any, &impl);
 *	return server_run(&s);
 *
 * Buffers come from the heap (server_init); one server per thread. While the
 * loop waits it reaps every completion: others go to the ring's stash for
 * uring_wait (it grows on the heap; none is dropped).
 */
#ifndef CAPOS_USER_SERVER_H
#define CAPOS_USER_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include <capos/cap.h>
#include <capos/endpoint.h>
#include <capos/ring.h>

#include "capnp/capnp.h"
#include "uring.h"

/*
 * Bytes of a params or results message: 32 KiB of data (the largest a
 * schema here carries, TcpSocket.write) and its framing. A call with bigger
 * params is never received: the kernel fails the RECV and keeps the call.
 */
#define SERVER_MSG_MAX 33024u
#define SERVER_REASON_MAX 200u		/* bytes of a raised CapException's reason */

/* Handler return values besides 0 and negative CAPOS_ERR_* (which raise failed). */
#define SERVER_RAISED (-0x4001)		/* server_raise() set the exception to return */
#define SERVER_HELD (-0x4002)		/* leave the call unanswered (answer it later) */
#define SERVER_STOP (-0x4003)		/* answer with the results, then leave server_run */

/*
 * Ports: a server may serve several endpoints at once, each with its own
 * interface, dispatch and handler table (a broker serving one endpoint per
 * session, a service exporting a reader and a writer). Port 0 is the
 * endpoint server_init binds; server_add_port adds more. A RECV is posted on
 * every port, and the first call to arrive on any of them is served. An
 * answer rides on the next RECV of its own port (RECV | REPLY), or goes
 * alone as RETURN when that port's RECV is posted already.
 *
 * Other completions: a program that also waits for its own CALLs while it
 * serves (a SerialPort.read, a ProcessHandle.wait, a Timer.sleep) sets a
 * function with server_set_other; every completion that is not the loop's
 * own is handed to it from within server_serve_one, in the order reaped,
 * instead of going to the ring's stash. It may queue SQEs, wait for its own
 * calls and answer held calls, but must not put cqe back into the stash
 * (the loop would hand it over again). Without one, such completions go to
 * the stash as before.
 */
#define SERVER_PORTS_MAX 160u	/* < 256 (8 bits of user_data), and RECVs leave CQ room */

typedef int (*server_dispatch_fn)(const void *impl, void *ctx, uint16_t method,
				  struct capnp_msg *params, struct capnp_msg *results);

struct server;

struct server_port {
	capos_cap_t ep;			/* the endpoint owned (RECV, RETURN) */
	uint64_t iface;			/* other interfaces raise unimplemented; 0: any */
	server_dispatch_fn dispatch;	/* a generated <Iface>_dispatch_any */
	const void *impl;
	void *ctx;			/* the port_ctx given to server_add_port */
	uint64_t *recv_buf;		/* header + params + records */
	bool live;			/* served (removed ports wait for their RECV to end) */
	bool recv_posted;		/* a RECV is with the kernel */
	bool orphaned;			/* no client left: no RECV is posted again */
};

/* One received call, the ctx a generated dispatch passes to every handler. */
struct server_call {
	struct server *srv;
	int port;			/* the port it came on (0: server_init's) */
	void *port_ctx;			/* that port's ctx (NULL for port 0) */
	uint32_t call_id;		/* from the RECV: pass to RETURN */
	uint16_t method_id;
	uint64_t interface_id;		/* the interface the caller invoked */
	struct capnp_msg params;	/* the caller's params (reader) */
	struct capnp_msg results;	/* the answer being built */
	const struct capos_xfer_result *caps;	/* capabilities received, by record index */
	uint16_t ncaps;
	uint16_t taken;			/* bit i: record i taken by the handler */
	struct capos_xfer xfer[CAPOS_XFER_MAX];	/* capabilities sent with the answer */
	uint8_t nxfer;
	uint8_t nrelease;
	capos_cap_t release[2 * CAPOS_XFER_MAX];	/* released once the answer is sent */
	uint16_t exc_type;		/* with SERVER_RAISED */
	char exc_reason[SERVER_REASON_MAX + 1];
};

struct server {
	struct uring *ring;
	struct server_port ports[SERVER_PORTS_MAX];	/* [0]: server_init's endpoint */
	void (*other)(void *arg, const struct capos_cqe *cqe);	/* server_set_other */
	void *other_arg;
	void (*orphan)(void *arg, int port, void *port_ctx);	/* server_set_orphan */
	void *orphan_arg;
	uint32_t ports_used;		/* ports[0..ports_used) have been used */
	uint64_t *arena;		/* results being built */
	uint64_t *out;			/* the framed answer */
	bool answer_ready;		/* call's answer is in out[], not sent yet */
	uint16_t answer_flags;		/* CAPOS_SQE_F_EXCEPTION or 0 */
	uint32_t answer_len;		/* bytes of out[] */
	uint32_t outstanding;		/* loop SQEs that post on success, unreaped (the RECVs) */
	/*
	 * 0 when the loop queues an answer (RECV | REPLY or RETURN), its error
	 * if that answer fails: the failure CQE is posted by the cap_enter that
	 * sends it and noted before server_serve_one or server_flush returns.
	 */
	int last_return;
	uint64_t calls;			/* calls received */
	uint64_t return_errors;		/* answers that failed (RETURN or RECV | REPLY) */
	uint64_t release_errors;	/* RELEASEs that completed with an error */
	struct server_call call;	/* the call being served */
};

/*
 * Binds s to endpoint ep on ring r, serving interface iface (0: any) with
 * dispatch(impl, call, ...). Returns 0 or CAPOS_ERR_NO_MEMORY.
 */
int server_init(struct server *s, struct uring *r, capos_cap_t ep, uint64_t iface,
		int (*dispatch)(const void *impl, void *ctx, uint16_t method,
				struct capnp_msg *params, struct capnp_msg *results),
		const void *impl);

/* Frees the buffers (a RECV still posted keeps its buffer: do not call then). */
void server_fini(struct server *s);

/*
 * Serves endpoint ep too, interface iface (0: any), with dispatch(impl, ...);
 * its calls carry port_ctx. Returns the port (1..SERVER_PORTS_MAX-1),
 * CAPOS_ERR_TOO_LARGE (no free port) or CAPOS_ERR_NO_MEMORY.
 */
int server_add_port(struct server *s, capos_cap_t ep, uint64_t iface, server_dispatch_fn dispatch,
		    const void *impl, void *port_ctx);

/*
 * Stops serving port (not 0). The caller then releases the endpoint: its
 * posted RECV ends with DISCONNECTED and the port is free again. A call
 * held on the port can no longer be answered through it. Returns 0 or
 * CAPOS_ERR_INVALID_ARGUMENT.
 */
int server_remove_port(struct server *s, int port);

/*
 * Calls fn once for a port when every client capability of its endpoint is
 * gone (released, or their holders exited): the kernel answers its RECV
 * NO_CLIENTS, since no call can come any more. The port stays allocated
 * and is not received on again; fn typically frees what the port stood for
 * (a socket, a session), answers or drops calls held on it, and removes it
 * (server_remove_port, then releases the endpoint). Runs where other
 * completions are handled (within server_serve_one), with the same rules.
 * Without fn, the port is simply served no more (port 0 too: the loop goes
 * on with the other ports and completions).
 */
void server_set_orphan(struct server *s, void (*fn)(void *arg, int port, void *port_ctx),
		       void *arg);

/* Hands every completion that is not the loop's own to fn (see "Other completions"). */
void server_set_other(struct server *s, void (*fn)(void *arg, const struct capos_cqe *cqe),
		      void *arg);

/*
 * Sends the answer of the last call (if any), receives the next call, waiting
 * at most timeout_ns, and serves it. Returns 0, SERVER_STOP after a handler
 * asked to stop (the answer is still sent by the next server_serve_one or by
 * server_flush), or the negative error of the RECV or of cap_enter
 * (CAPOS_ERR_TIMED_OUT: nothing arrived; the RECV stays posted).
 */
int server_serve_one(struct server *s, uint64_t timeout_ns);

/*
 * Sends the pending answer (a RETURN: nothing more is received) and releases
 * now. Returns 0 (also if no answer was pending), the RETURN's error, or a
 * cap_enter error. With a RECV posted
 * (after a timeout) a failure is noted only by the next server_serve_one.
 */
int server_flush(struct server *s);

/*
 * Serves calls until a handler returns SERVER_STOP (then sends its answer
 * and returns 0) or receiving fails (returns the error).
 */
int server_run(struct server *s);

/*
 * Record `index` of the call's capabilities, if its interface is iface (0:
 * any): *cap is the cap id, now the handler's to keep or send. Returns 0,
 * CAPOS_ERR_INVALID_ARGUMENT (no such record, or taken already) or
 * CAPOS_ERR_WRONG_INTERFACE.
 */
int server_call_cap(struct server_call *c, uint32_t index, uint64_t iface, capos_cap_t *cap);

/*
 * Sends cap with the answer, copied or moved (CAPOS_XFER_*). Returns its
 * record index in the caller's result, or CAPOS_ERR_TOO_LARGE.
 */
int server_call_send(struct server_call *c, capos_cap_t cap, uint8_t mode);

/*
 * Releases cap once the answer has been sent (e.g. a copy just sent). If the
 * call ends in an exception, caps queued with CAPOS_XFER_MOVE are released
 * too (an exception carries no capabilities). Returns 0 or CAPOS_ERR_TOO_LARGE.
 */
int server_call_release_after(struct server_call *c, capos_cap_t cap);

/* Sets the exception to return; the handler then returns SERVER_RAISED. */
int server_raise(struct server_call *c, uint16_t type, const char *reason);

/* Answers a call held on port 0 with an empty struct. Returns the RETURN's result. */
int server_answer_empty(struct server *s, uint32_t call_id);

/* server_answer_empty for a call held on `port` (call ids are per endpoint). */
int server_answer_empty_port(struct server *s, int port, uint32_t call_id);

/*
 * Raw RETURN of call_id, held on port 0, with msg[0..len) (8-byte aligned;
 * a CapException with CAPOS_SQE_F_EXCEPTION in flags) and xfer[0..n).
 * Returns its result.
 */
int server_return_raw(struct server *s, uint32_t call_id, uint16_t flags, const void *msg,
		      uint32_t len, const struct capos_xfer *xfer, uint8_t n);

/* server_return_raw for a call held on `port`: keep call->port with its call_id. */
int server_return_port(struct server *s, int port, uint32_t call_id, uint16_t flags,
		       const void *msg, uint32_t len, const struct capos_xfer *xfer, uint8_t n);

#endif
