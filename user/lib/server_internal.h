/* SPDX-License-Identifier: MIT */
/* What server.c and server_calls.c share: the buffer sizes. */
#ifndef CAPOS_USER_SERVER_INTERNAL_H
#define CAPOS_USER_SERVER_INTERNAL_H

#include <capos/endpoint.h>
#include <capos/ring.h>

#define SERVER_RECORDS_BYTES (CAPOS_XFER_MAX * sizeof(struct capos_xfer_result))
/*
 * A port's receive buffer is as large as a RECV may be (CAPOS_RESULT_MAX),
 * not just SERVER_MSG_MAX: a RECV too small for the call in line fails and
 * the call stays first, so one oversized call would stop the port for good
 * (a hostile client could end a service). The kernel refuses a CALL no RECV
 * could hold (ipc/ops.c), so every call arrives; those over SERVER_MSG_MAX
 * are answered invalidArgument (server.c).
 */
#define SERVER_RECV_BYTES CAPOS_RESULT_MAX
#define SERVER_OUT_BYTES (SERVER_MSG_MAX + 8u)

#endif
