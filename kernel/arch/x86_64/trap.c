// SPDX-License-Identifier: MIT
/*
 * Trap dispatch and fault diagnosis.
 *
 * Interrupts (vector >= 32) go to the handler installed for them. A CPU
 * exception in the kernel is a kernel bug: we print what happened (vector,
 * decoded error code, CR2 for page faults, registers, a frame-pointer
 * backtrace), then stop the machine with KEXIT_FAULT. User-mode exceptions
 * arrive with M3 and will kill only the faulting process.
 */
#include "arch/arch.h"
#include "arch/x86_64/irqoff.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/uaccess.h"
#include "arch/x86_64/x86.h"
#include "lib/kprintf.h"
#include "lib/ksym.h"
#include "mm/kstack.h"
#include "fmt/fmt.h"
#include "proc/proc.h"
#include "sched/sched.h"

#define BACKTRACE_MAX_DEPTH 16

static irq_handler_fn irq_handlers[256];

static const char *const exception_names[32] = {
	[0] = "#DE divide error",		[1] = "#DB debug",
	[2] = "NMI",				[3] = "#BP breakpoint",
	[4] = "#OF overflow",			[5] = "#BR bound range",
	[6] = "#UD invalid opcode",		[7] = "#NM device not available",
	[8] = "#DF double fault",		[9] = "coprocessor segment overrun",
	[10] = "#TS invalid TSS",		[11] = "#NP segment not present",
	[12] = "#SS stack fault",		[13] = "#GP general protection",
	[14] = "#PF page fault",		[16] = "#MF x87 error",
	[17] = "#AC alignment check",		[18] = "#MC machine check",
	[19] = "#XM SIMD error",		[20] = "#VE virtualization",
	[21] = "#CP control protection",
};

void trap_set_handler(unsigned vector, irq_handler_fn fn)
{
	irq_handlers[vector] = fn;
}

/* Page-fault error code bits (Intel SDM vol. 3, 4.7). */
#define PF_ERR_PRESENT (1u << 0)
#define PF_ERR_WRITE (1u << 1)
#define PF_ERR_RESERVED (1u << 3)
#define PF_ERR_FETCH (1u << 4)

static void print_page_fault_error(uint64_t err)
{
	kprintf_emergency("  error 0x%llx: %s %s %s%s%s%s\n", (unsigned long long)err,
			  err & 1 ? "protection-violation" : "not-present",
			  err & 2 ? "write" : (err & 16 ? "instruction-fetch" : "read"),
			  err & 4 ? "user-mode" : "kernel-mode",
			  err & 8 ? " reserved-bit" : "", err & 32 ? " protection-key" : "",
			  err & (1 << 15) ? " sgx" : "");
	kprintf_emergency("  cr2 0x%016llx (faulting address)\n", (unsigned long long)read_cr2());
}

static void print_selector_error(uint64_t err)
{
	static const char *const tables[4] = { "GDT", "IDT", "LDT", "IDT" };

	if (err == 0) {
		kprintf_emergency("  error 0\n");
		return;
	}
	kprintf_emergency("  error 0x%llx: %s selector index %llu%s\n", (unsigned long long)err,
			  tables[(err >> 1) & 3], (unsigned long long)(err >> 3),
			  err & 1 ? " (external event)" : "");
}

static void print_registers(const struct trap_frame *tf)
{
	kprintf_emergency("  rip 0x%016llx cs 0x%llx rflags 0x%llx\n", (unsigned long long)tf->rip,
			  (unsigned long long)tf->cs, (unsigned long long)tf->rflags);
	kprintf_emergency("  rsp 0x%016llx ss 0x%llx cr3 0x%llx\n", (unsigned long long)tf->rsp,
			  (unsigned long long)tf->ss, (unsigned long long)read_cr3());
	kprintf_emergency("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
			  (unsigned long long)tf->rax, (unsigned long long)tf->rbx,
			  (unsigned long long)tf->rcx, (unsigned long long)tf->rdx);
	kprintf_emergency("  rsi %016llx rdi %016llx rbp %016llx r8  %016llx\n",
			  (unsigned long long)tf->rsi, (unsigned long long)tf->rdi,
			  (unsigned long long)tf->rbp, (unsigned long long)tf->r8);
	kprintf_emergency("  r9  %016llx r10 %016llx r11 %016llx r12 %016llx\n",
			  (unsigned long long)tf->r9, (unsigned long long)tf->r10,
			  (unsigned long long)tf->r11, (unsigned long long)tf->r12);
	kprintf_emergency("  r13 %016llx r14 %016llx r15 %016llx\n", (unsigned long long)tf->r13,
			  (unsigned long long)tf->r14, (unsigned long long)tf->r15);
}

static void print_code_address(int depth, uint64_t addr)
{
	const char *name;
	uint64_t off;

	if (ksym_lookup(addr, &name, &off))
		kprintf_emergency("    #%d 0x%016llx %s+0x%llx\n", depth, (unsigned long long)addr,
				  name, (unsigned long long)off);
	else
		kprintf_emergency("    #%d 0x%016llx\n", depth, (unsigned long long)addr);
}

/*
 * Frame pointers are trusted only while they stay inside a kernel stack: the
 * boot and IST stacks (.bss of the image) or the thread stack the fault
 * happened on, so a corrupt chain ends the walk instead of faulting again.
 */
static bool is_stack_frame(uint64_t fp, uint64_t rsp)
{
	extern char __data_start[], __data_end[];
	vaddr_t lo, hi;

	if (fp & 7)
		return false;
	if (fp >= (uint64_t)__data_start && fp + 16 <= (uint64_t)__data_end)
		return true;
	return kstack_bounds(rsp, &lo, &hi) && fp >= lo && fp + 16 <= hi;
}

static void print_backtrace(const struct trap_frame *tf)
{
	uint64_t fp = tf->rbp, last = tf->rip;
	unsigned repeats = 0;

	kprintf_emergency("  backtrace:\n");
	print_code_address(0, tf->rip);
	for (int depth = 1; depth < BACKTRACE_MAX_DEPTH && is_stack_frame(fp, tf->rsp); depth++) {
		const uint64_t *frame = (const uint64_t *)fp;

		if (frame[1] == 0)
			break;
		if (frame[1] == last) {		/* deep recursion: one line, then a count */
			repeats++;
			depth--;
		} else {
			print_code_address(depth, frame[1]);
		}
		last = frame[1];
		if (frame[0] <= fp)	/* stacks grow down: callers are above */
			break;
		fp = frame[0];
		if (repeats > 4096)
			break;
	}
	if (repeats)
		kprintf_emergency("    (last frame repeated %u more times)\n", repeats);
}

static _Noreturn void kernel_fault(struct trap_frame *tf)
{
	struct cpu *c = this_cpu();
	const char *name = tf->vector < 32 ? exception_names[tf->vector] : NULL;

	cli();	/* a user copy's fault may have turned them on (exception_irqs_on) */
	if (c->in_fault++) {
		kprintf_emergency("\nnested fault (vector %llu) while reporting a fault\n",
				  (unsigned long long)tf->vector);
		arch_exit_emulator(KEXIT_FAULT);
	}
	kprintf_emergency("\nKERNEL FAULT: %s (vector %llu) on CPU %u\n", name ? name : "reserved",
			  (unsigned long long)tf->vector, c->id);
	if (tf->vector == VEC_PAGE_FAULT)
		print_page_fault_error(tf->error);
	else if (tf->vector == 10 || tf->vector == 11 || tf->vector == 12 || tf->vector == 13)
		print_selector_error(tf->error);
	else if (tf->vector == 8)
		kprintf_emergency("  (kernel stack overflow is the usual cause: see rsp)\n");
	print_registers(tf);
	print_backtrace(tf);
	arch_exit_emulator(KEXIT_FAULT);
}

/*
 * The longer work of an exception runs with interrupts on again when the
 * code it interrupted had them on, as a system call's does: it is on the
 * thread's own kernel stack (only NMI, #DF and #MC have IST stacks, idt.c),
 * and the kernel is not preempted, so the thread stays where it is. Ending
 * a process that faulted tears its whole address space down, and a first
 * touch may spin for the address-space lock that another CPU holds across
 * a long unmap: neither may hold the timer off (docs/preemption.md). The
 * caller has read CR2 already.
 */
static void exception_irqs_on(const struct trap_frame *tf)
{
	if (tf->rflags & RFLAGS_IF)
		arch_irq_enable();
}

static _Noreturn void user_fault(struct trap_frame *tf, uint64_t cr2)
{
	char why[96];
	const char *name = tf->vector < 32 ? exception_names[tf->vector] : NULL;

	exception_irqs_on(tf);
	fmt_snprintf(why, sizeof(why), "%s at rip 0x%llx (error 0x%llx, cr2 0x%llx)",
		     name ? name : "exception", (unsigned long long)tf->rip,
		     (unsigned long long)tf->error,
		     (unsigned long long)(tf->vector == VEC_PAGE_FAULT ? cr2 : 0));
	proc_kill_current(why);
}

/*
 * A page fault that gives a VirtualMemory page of the current process its
 * frame (mm/addrspace.h): from user code, or from a kernel user copy (an
 * exception-table address), never from other kernel code, and not while
 * this CPU holds an address-space lock (as_vm_fault checks).
 */
static bool demand_page(const struct trap_frame *tf, uint64_t cr2)
{
	struct proc *p = proc_current();
	bool user = tf->cs & 3;

	if (!p || (tf->error & (PF_ERR_PRESENT | PF_ERR_RESERVED)))
		return false;	/* a protection fault is never a first touch */
	if (!user && !uaccess_is_user_access(tf->rip))
		return false;
	exception_irqs_on(tf);
	return as_vm_fault(&p->as, cr2, tf->error & PF_ERR_WRITE, tf->error & PF_ERR_FETCH);
}

static void return_to_user(void);

static void trap_handle(struct trap_frame *tf)
{
	if (tf->vector >= 32) {
		irq_handler_fn fn = irq_handlers[tf->vector];

		if (fn)
			fn(tf);
		else
			klog("trap: unexpected interrupt vector %llu\n",
			     (unsigned long long)tf->vector);
		if (tf->cs & 3)
			return_to_user();
		return;
	}
	if (tf->vector == 2 && (tf->cs & 3)) {
		klog("trap: NMI while in user mode, ignored\n");	/* not the process's doing */
		return;
	}
	uint64_t cr2 = tf->vector == VEC_PAGE_FAULT ? read_cr2() : 0;

	if (tf->vector == VEC_PAGE_FAULT && demand_page(tf, cr2))
		return;			/* a VirtualMemory page's first touch: retry */
	if (tf->cs & 3)
		user_fault(tf, cr2);	/* kills only the faulting process */
	if (tf->vector == VEC_PAGE_FAULT && uaccess_fixup(tf, cr2))
		return;			/* a bad user buffer: the copy fails with BAD_ADDRESS */
	kernel_fault(tf);
}

extern char trap_exit[];

/* Where the interrupts-off window of an entry began: the handler, or the exception. */
static uint64_t trap_site(const struct trap_frame *tf)
{
	if (tf->vector < 32)
		return IRQOFF_SITE_EXCEPTION(tf->vector);
	irq_handler_fn fn = irq_handlers[tf->vector];

	return fn ? (uint64_t)fn : (uint64_t)trap_exit;
}

/*
 * The entry turned interrupts off if the code it interrupted had them on.
 * NMI, double fault and machine check are left out: they may arrive in the
 * middle of the instrument's own bookkeeping (irqoff.h).
 */
static bool trap_turned_irqs_off(const struct trap_frame *tf)
{
	return (tf->rflags & RFLAGS_IF) && tf->vector != 2 && tf->vector != 8 &&
	       tf->vector != 18;
}

void trap_dispatch(struct trap_frame *tf)
{
	bool measured = trap_turned_irqs_off(tf);

	if (measured)
		irqoff_opened(trap_site(tf));
	trap_handle(tf);
	if (measured)
		irqoff_closed((uint64_t)trap_exit);	/* the iretq there turns them on */
}

/* Called on every return to user mode from an interrupt: the tick may have asked to yield. */
static void return_to_user(void)
{
	if (sched_should_yield())
		sched_yield();
}
