// SPDX-License-Identifier: MIT
/*
 * The syscall instruction's MSRs and the dispatch of the two system calls.
 * Everything else a process does goes through its ring (cap_enter).
 */
#include <capos/errors.h>
#include <capos/layout.h>
#include <capos/syscall.h>

#include "arch/x86_64/gdt.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "proc/proc.h"
#include "sched/sched.h"

#define SFMASK_BITS ((1ull << 8) | (1ull << 9) | (1ull << 10) | (1ull << 14) | (1ull << 18))

extern char syscall_entry[];

void syscall_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)GDT_KERNEL_DS << 48) | ((uint64_t)GDT_KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, SFMASK_BITS);	/* IF, DF, TF, NT, AC off in the kernel */
}

/*
 * Flattened: everything cap_enter runs (the ring, the IPC fast path, the
 * switch to a peer) is inlined into this one frame, so a system call costs
 * one prologue and one epilogue; exit and kill stay out of line (cold).
 */
__attribute__((flatten)) uint64_t syscall_dispatch(struct syscall_frame *f)
{
	uint64_t ret;

	switch (f->nr) {
	case CAPOS_SYS_CAP_ENTER:
		ret = (uint64_t)proc_cap_enter(f->rdi, f->rsi, f->rdx);
		break;
	case CAPOS_SYS_EXIT:
		if (f->rsi == CAPOS_EXIT_PROCESS)
			proc_exit_current((int64_t)f->rdi);
		if (f->rsi == CAPOS_EXIT_THREAD)
			proc_thread_exit_current((int64_t)f->rdi);
		ret = (uint64_t)(int64_t)CAPOS_ERR_INVALID_FLAGS;
		break;
	default:
		ret = (uint64_t)(int64_t)CAPOS_ERR_INVALID_SYSCALL;
		break;
	}
	if (sched_should_yield())
		sched_yield();
	/* sysret to a non-canonical RIP would fault in ring 0 on the user's GS. */
	if (f->rip >= CAPOS_USER_HALF_END)
		proc_kill_current("system call return address is not canonical");
	return ret;
}
