// SPDX-License-Identifier: MIT
/*
 * The ring client's door to the kernel in the user build: cap_enter through
 * the one-instruction wrapper of <capos/syscall.h>. Host tests link a
 * simulated kernel in its place.
 */
#include <capos/syscall.h>

#include "uring.h"

int64_t uring_sys_enter(uint32_t min_complete, uint64_t timeout_ns)
{
	return capos_cap_enter(min_complete, timeout_ns);
}
