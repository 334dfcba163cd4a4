/* SPDX-License-Identifier: MIT */
/*
 * The seam between the ring engine (kernel/ring/, kernel/cap/: pure logic,
 * host-tested) and the rest of the kernel. Every function here is
 * IMPLEMENTED OUTSIDE kernel/ring and kernel/cap: in the kernel by the
 * memory and scheduler code, in host tests by fakes (tests/unit/ring/fake.c).
 * Nothing else is assumed of the kernel, apart from:
 *   as_copy_in()/as_copy_out() kernel/mm/addrspace.h (see below)
 *   as_check_access()    kernel/mm/addrspace.h
 *   kmalloc()/kfree()    kernel/mm/kmalloc.h  (may fail; kmalloc result
 *                        must be 8-byte aligned; not called with locks held)
 *   klog()/panic()/assert kernel/lib/kprintf.h
 *   memcpy()/memset()    kernel/lib/string.h
 */
#ifndef CAPOS_KERNEL_RING_SEAM_H
#define CAPOS_KERNEL_RING_SEAM_H

#include "lib/types.h"

#include "mm/addrspace.h"

struct ring;

/*
 * User memory: as_copy_in()/as_copy_out() of kernel/mm/addrspace.h (lead).
 * The ring engine relies on: 0 on success; any non-zero value (reported to
 * user code as CAPOS_ERR_BAD_ADDRESS) if any byte of [uaddr, uaddr + n) is
 * not mapped user memory with the needed access (read for copy_in, write for
 * copy_out), is in the kernel half, non-canonical, or the range wraps: never
 * a fault or panic. n == 0 succeeds without touching anything. The ring
 * engine has already checked that the range lies below CAPOS_USER_HALF_END
 * without wrapping, so that check is defence in depth. Called in the
 * caller's process context with no ring or cap-table lock held.
 */

/*
 * PARK and UNPARK for the thread consuming the ring (proc/park.c; host
 * tests: fakes), after sqe_check_park passed. ring_park returns
 * KOBJ_CALL_PENDING (parked: the CQE comes with the wake-up or the
 * timeout), CAPOS_ERR_WOULD_BLOCK (the word did not hold the expected
 * value), or another error;
 * ring_unpark the number of threads woken, or an error.
 */
struct capos_sqe;
struct ring_caller;
int ring_park(const struct ring_caller *c, const struct capos_sqe *s);
int ring_unpark(const struct ring_caller *c, const struct capos_sqe *s);

/*
 * Wakes the thread waiting in cap_enter on a ring: ring_wake(), declared
 * and defined where threads and their rings are (proc/proc.h, proc.c; host
 * tests: a fake that counts its calls).
 */
#include "proc/proc.h"

#endif
