/* SPDX-License-Identifier: MIT */
/*
 * Client of the Echo test service (schema/echo.capnp, user/programs/ipc-echo)
 * on top of ipc_call.h: one function per method, plus echo_spawn, which
 * starts a server with a new endpoint. Synchronous wrappers return the
 * call's result (0 or a negative CAPOS_ERR_*; the CapException of
 * CAPOS_ERR_APPLICATION_EXCEPTION is in c->exc_type / c->exc_reason). The
 * _submit variants only queue the CALL; finish them with ipc_call_wait.
 */
#ifndef CAPOS_USER_ECHO_CLIENT_H
#define CAPOS_USER_ECHO_CLIENT_H

#include "ipc_call.h"

#define ECHO_GRANT "service"	/* the endpoint's name in the server's CapSet */

/*
 * Spawns ipc-echo as `name` with a new endpoint (and a copy of console if it
 * is valid): *handle is its ProcessHandle, *facet the Echo client facet.
 */
int echo_spawn(capos_cap_t spawner, capos_cap_t console, const char *name,
	       capos_cap_t *handle, capos_cap_t *facet);

int echo_submit_echo(struct uring *r, struct ipc_call *c, capos_cap_t ep, const void *data,
		     uint32_t len);
/* After a successful wait: 0 if the answer is data[0..len), else CAPOS_ERR_MALFORMED_MESSAGE. */
int echo_check_echo(struct ipc_call *c, const void *data, uint32_t len);
/* Echo.echo of data and the check of its answer. */
int echo_echo(struct uring *r, struct ipc_call *c, capos_cap_t ep, const void *data,
	      uint32_t len);

int echo_raise(struct uring *r, struct ipc_call *c, capos_cap_t ep, uint16_t type,
	       const char *reason);

/*
 * Echo.bounce: sends cap (mode send_mode), the server sends it back with
 * back_mode; *back is the cap received. Returns 0 or an error.
 */
int echo_bounce(struct uring *r, struct ipc_call *c, capos_cap_t ep, capos_cap_t cap,
		uint8_t send_mode, uint8_t back_mode, capos_cap_t *back);

int echo_submit_hold(struct uring *r, struct ipc_call *c, capos_cap_t ep);
int echo_held_count(struct uring *r, struct ipc_call *c, capos_cap_t ep, uint32_t *count);
int echo_answer_held(struct uring *r, struct ipc_call *c, capos_cap_t ep, uint32_t *answered,
		     uint32_t *delivered, int32_t *first_error);
int echo_submit_exit(struct uring *r, struct ipc_call *c, capos_cap_t ep, int32_t code);
/* Echo.stop; *calls (may be NULL) is how many calls the server served before. */
int echo_stop(struct uring *r, struct ipc_call *c, capos_cap_t ep, uint64_t *calls);

/* Echo.keep of caps[0..n) (copied); *kept: how many the server keeps now. */
int echo_keep(struct uring *r, struct ipc_call *c, capos_cap_t ep, const capos_cap_t *caps,
	      uint32_t n, uint32_t *kept);
int echo_drop_kept(struct uring *r, struct ipc_call *c, capos_cap_t ep, uint32_t *dropped);

/* Echo.note of value: values[0..max) receives the notes, oldest first; *n how many there are. */
int echo_note(struct uring *r, struct ipc_call *c, capos_cap_t ep, uint64_t value,
	      uint64_t *values, uint32_t max, uint32_t *n);

#endif
