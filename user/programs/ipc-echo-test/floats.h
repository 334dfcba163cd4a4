/* SPDX-License-Identifier: MIT */
/* Echo.floats checks of ipc-echo-test (floats.c). */
#ifndef IPC_ECHO_TEST_FLOATS_H
#define IPC_ECHO_TEST_FLOATS_H

#include "ipc_call.h"

#define FLOATS_CALLS 6u	/* Echo.floats calls test_floats makes when all go well */

/* Float fields, a defaulted field and float lists through Echo.floats on ep. */
void test_floats(struct uring *ring, struct ipc_call *c, capos_cap_t ep);

#endif
