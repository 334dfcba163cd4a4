/* SPDX-License-Identifier: MIT */
/*
 * A simulated kernel endpoint for host tests of the server loop
 * (user/lib/server.c): it owns a real ring region and implements
 * uring_sys_enter() synchronously. Calls the test queued (sim_queue_call)
 * are delivered to RECVs in order, written as the kernel does (header,
 * params, transfer records); answers (RETURN, RECV | REPLY) and RELEASEs are
 * recorded with the enter they arrived in; a RECV with no call waits (enter
 * then reports TIMED_OUT if fewer than min_complete CQEs are ready). Flags
 * are checked per opcode as the kernel does (INVALID_FLAGS), and
 * CAPOS_SQE_F_SKIP_SUCCESS on NOP, RETURN and RELEASE posts no CQE when the
 * operation succeeds. An answer to a call not delivered, or answered
 * already, fails NO_SUCH_CALL. RECV | CAPOS_SQE_F_REPLY answers first, as
 * RETURN; if that fails it completes at once with the answer's error and
 * CAPOS_CQE_F_REPLY_FAILED and receives nothing, else it is a RECV.
 */
#ifndef CAPOS_TESTS_UNIT_SERVER_SIM_ENDPOINT_H
#define CAPOS_TESTS_UNIT_SERVER_SIM_ENDPOINT_H

#include <capos/endpoint.h>
#include <capos/ring.h>

#define SIM_MAX 256

struct sim_call {
	uint16_t method;
	uint64_t iface;
	uint8_t params[512];
	uint32_t params_len;
	uint16_t ncaps;
	struct capos_xfer_result caps[4];
	int recv_result;		/* nonzero: the RECV completes with this error instead */
	int bad_written;		/* nonzero: the CQE's written disagrees with the header */
};

struct sim_return {
	uint8_t opcode;			/* CAPOS_OP_RETURN, or CAPOS_OP_RECV (with REPLY) */
	int result;			/* what the answer completed with */
	uint32_t call_id;
	uint16_t flags;
	uint8_t msg[1024];
	uint32_t len;
	uint8_t nxfer;
	struct capos_xfer xfer[CAPOS_XFER_MAX];
	unsigned enter;			/* the enter that carried it */
};

struct sim {
	_Alignas(4096) uint8_t mem[CAPOS_RING_SIZE];
	uint32_t sq_head, cq_tail;
	unsigned enters;
	unsigned recvs;			/* receives posted (RECV SQEs whose answer, if any, worked) */
	uint16_t recv_flags;		/* the last such RECV's flags */
	uint8_t open[SIM_MAX];		/* call i delivered and not answered yet (id 101 + i) */
	struct capos_sqe pending_recv;	/* a RECV waiting for a call */
	int have_pending_recv;
	struct sim_call calls[SIM_MAX];
	uint32_t ncalls, next_call;
	struct sim_return returns[SIM_MAX];
	uint32_t nreturns;
	uint32_t released[SIM_MAX];
	uint32_t nreleased;
	unsigned posted;		/* CQEs posted */
	unsigned skipped;		/* successes not posted (SKIP_SUCCESS) */
	int return_result;		/* what an answer to an open call completes with */
	uint32_t return_fail_every;	/* nonzero: answer n fails DISCONNECTED if n % it == 0 */
	int release_result;		/* what RELEASE completes with */
	uint64_t foreign_ud;		/* nonzero: the next enter posts a CQE with it */
};

extern struct sim sim;

void sim_reset(void);
uint64_t sim_ring_addr(void);
/* Queues a call for the next RECV; returns it for extra settings. */
struct sim_call *sim_queue_call(uint16_t method, uint64_t iface, const void *params,
				uint32_t len);

#endif
