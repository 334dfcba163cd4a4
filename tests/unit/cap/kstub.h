/* SPDX-License-Identifier: MIT */
/*
 * Host stand-ins for the kernel services kernel/cap and kernel/ring use:
 * kmalloc/kfree over malloc with failure injection and a live count, and
 * panic/klog/kprintf that print (panic aborts, so a broken assertion fails
 * the test program). Shared by the cap and ring unit tests and fuzz_ring.
 */
#ifndef CAPOS_TESTS_UNIT_CAP_KSTUB_H
#define CAPOS_TESTS_UNIT_CAP_KSTUB_H

#include <stdint.h>

/* kmalloc fails (returns NULL) on the call after this many more succeed; -1: never. */
extern long kstub_kmalloc_fail_after;
/* Allocations not yet freed. */
extern long kstub_kmalloc_live;
/* Non-zero: klog and kprintf print nothing. */
extern int kstub_quiet;

#endif
