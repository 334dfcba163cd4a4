/* SPDX-License-Identifier: MIT */
/*
 * capOS system calls. There are only two: everything else is a capability
 * invocation through the ring. Convention (x86_64 `syscall` instruction):
 * rax = number, arguments in rdi, rsi, rdx, r10, r8, r9; the result comes back
 * in rax; the CPU clobbers rcx and r11; every other register is preserved.
 *
 *   cap_enter(min_complete, timeout_ns, flags) -> rax
 *     Consume the caller's SQ, then return once at least min_complete CQEs are
 *     in the CQ or timeout_ns nanoseconds passed (0: never wait;
 *     CAPOS_TIMEOUT_INFINITE: no limit). flags must be 0. Returns the number
 *     of CQEs available (>= 0), or CAPOS_ERR_RING_CORRUPT, CAPOS_ERR_TIMED_OUT
 *     (fewer than min_complete at the deadline), CAPOS_ERR_INVALID_ARGUMENT
 *     (min_complete > CQ entries; all 64 bits of rdi count, so 2^32 is
 *     refused, not read as 0), CAPOS_ERR_INVALID_FLAGS, CAPOS_ERR_BUSY.
 *   exit(code, scope)
 *     scope 0: ends the process (all threads) with an int64 exit code.
 *     scope CAPOS_EXIT_THREAD: ends the calling thread; `code` is what
 *     ThreadHandle.join answers. From the process's first thread (id 0) it
 *     is the process's exit: the first thread's end is the process's end
 *     (docs/threads.md). Does not return, except CAPOS_ERR_INVALID_FLAGS
 *     for any other scope.
 * Unknown numbers return CAPOS_ERR_INVALID_SYSCALL.
 */
#ifndef CAPOS_SYSCALL_H
#define CAPOS_SYSCALL_H

#include <capos/ring.h>
#include <capos/types.h>

#define CAPOS_SYS_CAP_ENTER	0u
#define CAPOS_SYS_EXIT		1u
#define CAPOS_SYS_COUNT		2u

#define CAPOS_EXIT_PROCESS	0u	/* exit's scope: the whole process */
#define CAPOS_EXIT_THREAD	1u	/* exit's scope: the calling thread */

#define CAPOS_ENTER_F_VALID_MASK 0u	/* no cap_enter flags defined yet */

#if !defined(__ASSEMBLY__) && defined(__x86_64__)
static inline int64_t capos_cap_enter(uint32_t min_complete, uint64_t timeout_ns)
{
	int64_t ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"((uint64_t)CAPOS_SYS_CAP_ENTER), "D"((uint64_t)min_complete),
			       "S"(timeout_ns), "d"((uint64_t)0)
			     : "rcx", "r11", "memory");
	return ret;
}

static inline void capos_exit(int64_t code)
{
	__asm__ __volatile__("syscall"
			     :
			     : "a"((uint64_t)CAPOS_SYS_EXIT), "D"(code),
			       "S"((uint64_t)CAPOS_EXIT_PROCESS)
			     : "rcx", "r11", "memory");
	__builtin_unreachable();
}

static inline void capos_thread_exit(int64_t value)
{
	__asm__ __volatile__("syscall"
			     :
			     : "a"((uint64_t)CAPOS_SYS_EXIT), "D"(value),
			       "S"((uint64_t)CAPOS_EXIT_THREAD)
			     : "rcx", "r11", "memory");
	__builtin_unreachable();
}
#endif

#endif /* CAPOS_SYSCALL_H */
