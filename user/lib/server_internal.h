/* SPDX-License-Identifier: MIT */
/* What server.c and server_calls.c share: the buffer sizes. */
#ifndef CAPOS_USER_SERVER_INTERNAL_H
#define CAPOS_USER_SERVER_INTERNAL_H

#include <capos/endpoint.h>

#define SERVER_RECORDS_BYTES (CAPOS_XFER_MAX * sizeof(struct capos_xfer_result))
#define SERVER_RECV_BYTES (sizeof(struct capos_recv_header) + SERVER_MSG_MAX + \
			   SERVER_RECORDS_BYTES)
#define SERVER_OUT_BYTES (SERVER_MSG_MAX + 8u)

#endif
