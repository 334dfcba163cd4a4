/* SPDX-License-Identifier: MIT */
/*
 * The capOS user runtime: what a program gets before main() and the calls
 * every program uses. crt0.S enters rt_start(ring, pid, capset) with the
 * registers of the start-up contract (<capos/startup.h>); rt_start binds the
 * ring, checks the CapSet, sets up the heap the CapSet header describes (the
 * layout.h default when there is no CapSet), points printf at the CapSet's
 * Console (else at the TerminalSession granted as "terminal"), calls main()
 * and exits with its return value.
 *
 * A program includes "rt.h" and defines `int main(void)`; it finds its
 * capabilities with rt_cap("name", CAPOS_IFACE_...). docs/userspace.md.
 */
#ifndef CAPOS_USER_RT_H
#define CAPOS_USER_RT_H

#include <stddef.h>
#include <stdint.h>

#include <capos/cap.h>
#include <capos/errors.h>
#include <capos/interfaces.h>
#include <capos/startup.h>

#include "capset.h"
#include "client.h"
#include "entropy.h"
#include "heap.h"
#include "print.h"
#include "sync.h"
#include "threading.h"
#include "timer.h"
#include "uring.h"
#include "ustring.h"
#include "memobj.h"
#include "vm.h"

/* Exit codes the runtime itself uses. */
#define RT_EXIT_BAD_START 125	/* ring, CapSet or arguments failed their check at start-up */
#define RT_EXIT_ABORT 134	/* abort(), failed assert, heap corruption */

struct rt {
	struct uring ring;			/* the first thread's ring */
	const struct capos_capset *capset;	/* NULL if started without capabilities */
	uint64_t pid;				/* informational */
	struct heap heap;			/* malloc's heap */
	uint64_t heap_next;			/* where the heap grows: the end of its pages */
	capos_cap_t vm;				/* its own VirtualMemory ("vm"), or invalid */
	capos_cap_t console;			/* printf's Console, or CAPOS_CAP_INVALID */
};

/* The heap grows through rt.vm in multiples of RT_HEAP_CHUNK, with RT_HEAP_SLACK to spare. */
#define RT_HEAP_CHUNK (64u * 1024u)
#define RT_HEAP_SLACK 64u

extern struct rt rt;

int main(void);

void rt_start(uint64_t ring, uint64_t pid, uint64_t capset) __attribute__((noreturn));

/*
 * The program's arguments (ProcessSpawner.spawn args, a manifest service's
 * args, the shell's `run "BINARY" "ARG"...`): rt_argc() of them, 0 if none;
 * rt_argv(i) is the i-th as a C string, NULL if i is out of range. The
 * binary's name is not one of them. Checked at start-up (capset_args).
 */
int rt_argc(void);
const char *rt_argv(int i);
/* rt_argv(i) as a decimal number below 10^18; `fallback` if absent or not one. */
uint64_t rt_argv_u64(int i, uint64_t fallback);

/* The capability granted as `name` if it implements iface, else CAPOS_CAP_INVALID. */
capos_cap_t rt_cap(const char *name, uint64_t iface);

void exit(int status) __attribute__((noreturn));
void abort(void) __attribute__((noreturn));
void rt_assert_fail(const char *expr, const char *file, int line) __attribute__((noreturn));

#define assert(expr) ((expr) ? (void)0 : rt_assert_fail(#expr, __FILE__, __LINE__))

/* Time-stamp counter (cycles; guest instructions under QEMU -icount shift=0). */
static inline uint64_t rt_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

#endif
