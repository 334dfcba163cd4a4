// SPDX-License-Identifier: MIT
/*
 * A new user thread's kernel stack holds, from the top: a struct trap_frame
 * describing the first user-mode state, then the callee-saved registers and
 * return address that arch_switch_stacks pops. The return address is
 * thread_first_entry (entry.S), which finishes the switch and leaves through
 * the ordinary trap exit path, so a new thread enters user mode exactly like
 * an interrupted one returns to it.
 *
 * A thread restarted in the kernel (arch_thread_restart) gets the same kind
 * of frame at the top of its stack, over whatever it held, with the return
 * address thread_restart_entry and the function to run in r12.
 */
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/irqoff.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/thread_arch.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "lib/errno.h"
#include "lib/string.h"

#define RFLAGS_RESERVED_ONE (1ull << 1)

struct switch_frame {
	uint64_t r15, r14, r13, r12, rbx, rbp;
	uint64_t ret;
};

extern char thread_first_entry[];
extern char thread_restart_entry[];

void arch_thread_init_user(struct thread *t, uint64_t entry, uint64_t user_rsp, uint64_t a0,
			   uint64_t a1, uint64_t a2)
{
	struct trap_frame *tf = (struct trap_frame *)(t->kstack_top - sizeof(*tf));
	struct switch_frame *sf = (struct switch_frame *)((uint64_t)tf - sizeof(*sf));

	memset(tf, 0, sizeof(*tf));
	tf->rip = entry;
	tf->cs = GDT_USER_CS | 3;
	tf->rflags = RFLAGS_IF | RFLAGS_RESERVED_ONE;
	tf->rsp = user_rsp;
	tf->ss = GDT_USER_DS | 3;
	tf->rdi = a0;
	tf->rsi = a1;
	tf->rdx = a2;
	tf->swapped = 1;	/* the exit path swaps GS back to the user's */
	memset(sf, 0, sizeof(*sf));
	sf->ret = (uint64_t)thread_first_entry;
	t->ksp = (uint64_t)sf;
}

/*
 * Called by both entries (entry.S) just before interrupts come on: the
 * interrupts-off window that switched to the thread ends there.
 */
void thread_entry_irqs_on(void);

void thread_entry_irqs_on(void)
{
	irqoff_closed((uint64_t)thread_first_entry);
}

void arch_thread_restart(struct thread *t, void (*fn)(void))
{
	/* Popped, the frame leaves rsp at kstack_top - 16: 16-aligned for the calls. */
	struct switch_frame *sf = (struct switch_frame *)(t->kstack_top - 16 - sizeof(*sf));

	memset(sf, 0, sizeof(*sf));	/* rbp 0: backtraces end here */
	sf->r12 = (uint64_t)fn;
	sf->ret = (uint64_t)thread_restart_entry;
	t->ksp = (uint64_t)sf;
}

void arch_thread_activate(struct thread *t)
{
	struct cpu *c = this_cpu();

	if (t->kstack_top) {
		c->tss.rsp[0] = t->kstack_top;
		c->kernel_rsp = t->kstack_top;
	}
	if (t->proc)
		wrmsr_halves(MSR_FS_BASE, t->fs_base_half[0], t->fs_base_half[1]);
	/* The resident set of an address space: CPUs whose user_root is its root (M8 shootdown). */
	c->user_root = t->page_root;
	write_cr3(t->page_root ? t->page_root : paging_kernel_root());
}

int arch_thread_fpu_alloc(struct thread *t)
{
	t->fpu = fpu_area_alloc();
	return t->fpu ? 0 : ERR_NOMEM;
}

void arch_thread_fpu_free(struct thread *t)
{
	void *area = t->fpu;

	/* Cleared first: a switch away before the free must not save into freed memory. */
	__atomic_store_n(&t->fpu, NULL, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	fpu_area_free(area);
}

void arch_thread_switch_fpu(struct thread *prev, struct thread *next)
{
	if (prev->fpu)
		fpu_save(prev->fpu);
	if (next->fpu)
		fpu_restore(next->fpu);
}
