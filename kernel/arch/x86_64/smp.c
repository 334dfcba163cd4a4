// SPDX-License-Identifier: MIT
/*
 * AP start-up (docs/smp.md). The boot CPU copies trampoline.S to four
 * pages of usable RAM below 1 MiB (the frame allocator never hands out
 * memory below 1 MiB, so nothing else takes them), builds the temporary page
 * tables there, and starts each AP the MADT lists in turn with the MP
 * specification's INIT-SIPI-SIPI sequence and delays (10 ms after INIT,
 * 200 us after each SIPI), timed by the calibrated TSC. Each AP gets a
 * kernel stack and three IST stacks from the kernel stack area; ap_main
 * sets it up exactly as arch_early_init and arch_start_timer set up the
 * boot CPU, then it idles with interrupts on. APs are started one at a time
 * because they share the trampoline's data.
 */
#include "arch/arch.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/platform.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/trampoline.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "boot/acpi.h"
#include "boot/bootinfo.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/kstack.h"
#include "sched/sched.h"

#define INIT_DELAY_NS	10000000ull	/* MP spec B.4: 10 ms after INIT */
#define SIPI_DELAY_NS	200000ull	/* 200 us after each STARTUP */
#define ANSWER_NS	100000000ull	/* an AP not up 100 ms after its SIPIs is skipped */
#define LOW_MEMORY_END	0x100000ull
#define LOW_MEMORY_MIN	0x1000ull	/* page 0 holds the real-mode IVT and BIOS data */
#define MSR_PAT		0x277
#define CR4_PAE		(1u << 5)
#define EFER_LME	(1u << 8)
#define TRAMP_BYTES	((uint64_t)TRAMP_PAGES * PAGE_SIZE)

extern const char ap_trampoline_long[];

static uint32_t online_count = 1;	/* the boot CPU; written by it only, at boot */
static uint64_t start_cycles;
static uint64_t boot_pat;		/* the boot CPU's PAT, copied to every AP */
static uint64_t ap_ist_tops[MAX_CPUS][GDT_IST_COUNT];

uint32_t smp_cpu_count(void)
{
	return __atomic_load_n(&online_count, __ATOMIC_ACQUIRE);
}

uint64_t smp_start_cycles(void)
{
	return start_cycles;
}

/* Waits ns of the monotonic clock (calibrated TSC): bounded by time, not by a count. */
static void delay_ns(uint64_t ns)
{
	uint64_t end = arch_now_ns() + ns;

	while (arch_now_ns() < end)
		pause();
}

static bool wait_online(const struct cpu *c, uint64_t ns)
{
	uint64_t end = arch_now_ns() + ns;

	do {
		if (__atomic_load_n(&c->online, __ATOMIC_ACQUIRE))
			return true;
		pause();
	} while (arch_now_ns() < end);
	return __atomic_load_n(&c->online, __ATOMIC_ACQUIRE);
}

/* Runs on each AP from the trampoline, on its own kernel stack and the temporary tables. */
_Noreturn void ap_main(uint32_t id);

_Noreturn void ap_main(uint32_t id)
{
	write_cr3(paging_kernel_root());
	percpu_init(id);
	idt_load();
	gdt_init_cpu(ap_ist_tops[id]);
	syscall_init();
	wrmsr(MSR_PAT, boot_pat);
	fpu_cpu_init();
	cpu_protect_this_cpu();
	lapic_enable_this_cpu();
	timer_start_ap();
	__atomic_store_n(&cpus[id].online, 1, __ATOMIC_RELEASE);
	sched_ap_start();
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static bool boot_data_overlaps(const struct boot_info *bi, uint64_t pa, uint64_t len)
{
	for (size_t i = 0; i < bi->reserved_count; i++)
		if (overlaps(pa, len, bi->reserved[i].base, bi->reserved[i].len))
			return true;
	for (size_t i = 0; i < bi->module_count; i++)
		if (overlaps(pa, len, bi->modules[i].start,
			     bi->modules[i].end - bi->modules[i].start))
			return true;
	return false;
}

/* The highest TRAMP_PAGES-page run of usable RAM below 1 MiB that holds no boot data; 0 if none. */
static uint64_t trampoline_place(const struct boot_info *bi)
{
	uint64_t best = 0;

	for (size_t i = 0; i < bi->mem_count; i++) {
		uint64_t lo = bi->mem[i].base, hi = bi->mem[i].base + bi->mem[i].len;

		if (bi->mem[i].type != BOOT_MEM_USABLE || hi < lo || lo >= LOW_MEMORY_END)
			continue;
		lo = lo < LOW_MEMORY_MIN ? LOW_MEMORY_MIN : (lo + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1ull);
		hi = (hi > LOW_MEMORY_END ? LOW_MEMORY_END : hi) & ~(PAGE_SIZE - 1ull);
		if (hi < lo + TRAMP_BYTES || boot_data_overlaps(bi, hi - TRAMP_BYTES, TRAMP_BYTES))
			continue;
		if (hi - TRAMP_BYTES > best)
			best = hi - TRAMP_BYTES;
	}
	return best;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* Copies the trampoline to pa and writes what every AP shares: tables, GDT, control registers. */
static void trampoline_build(uint64_t pa)
{
	uint8_t *page = arch_phys_to_virt(pa), *d = page + TRAMP_DATA;
	uint64_t *pml4 = (uint64_t *)(page + PAGE_SIZE), *pdpt = pml4 + 512, *pd = pdpt + 512;
	const uint64_t *kernel = paging_kernel_pml4();

	memset(page, 0, TRAMP_BYTES);
	memcpy(page, ap_trampoline_start, (size_t)(ap_trampoline_end - ap_trampoline_start));
	pml4[0] = (pa + 2 * PAGE_SIZE) | PTE_P | PTE_W;	/* the low 2 MiB, identity */
	pdpt[0] = (pa + 3 * PAGE_SIZE) | PTE_P | PTE_W;
	pd[0] = PTE_P | PTE_W | PTE_PS;
	for (unsigned i = 256; i < 512; i++)
		pml4[i] = kernel[i];	/* the kernel half: ap_main, its stack, the direct map */
	put32(d + TD_CR0, (uint32_t)read_cr0());
	put32(d + TD_CR3, (uint32_t)(pa + PAGE_SIZE));
	put32(d + TD_CR4, CR4_PAE | CR4_PGE);
	put32(d + TD_EFER, (uint32_t)(rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE)));
	put32(d + TD_FAR, (uint32_t)(pa + (uint64_t)(ap_trampoline_long - ap_trampoline_start)));
	put32(d + TD_FAR + 4, GDT_KERNEL_CS);
	d[TD_GDTR] = 3 * 8 - 1;
	put32(d + TD_GDTR + 2, (uint32_t)(pa + TRAMP_DATA + TD_GDT));
	put64(d + TD_GDT + 8, 0x00af9a000000ffffull);	/* 0x08: 64-bit code */
	put64(d + TD_GDT + 16, 0x00cf92000000ffffull);	/* 0x10: data */
	put64(d + TD_ENTRY, (uint64_t)ap_main);
}

/* A kernel stack and the IST stacks for cpus[id]; false (nothing kept) if memory ran out. */
static bool ap_stacks(uint32_t id, uint64_t *stack)
{
	vaddr_t tops[GDT_IST_COUNT + 1];

	for (unsigned i = 0; i <= GDT_IST_COUNT; i++) {
		tops[i] = kstack_alloc();
		if (!tops[i]) {
			while (i--)
				kstack_free(tops[i]);
			return false;
		}
	}
	*stack = tops[0];
	for (unsigned i = 0; i < GDT_IST_COUNT; i++)
		ap_ist_tops[id][i] = tops[i + 1];
	return true;
}

/*
 * INIT, 10 ms, STARTUP, 200 us, a second STARTUP if the AP is not up yet,
 * then at most ANSWER_NS for it to say it is online.
 */
static bool ap_wake(uint64_t tramp, struct cpu *c)
{
	uint32_t page = (uint32_t)(tramp >> 12);

	if (!lapic_send_init(c->apic_id))
		return false;
	delay_ns(INIT_DELAY_NS);
	if (!lapic_send_startup(c->apic_id, page))
		return false;
	delay_ns(SIPI_DELAY_NS);
	if (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) {
		if (!lapic_send_startup(c->apic_id, page))
			return false;
		delay_ns(SIPI_DELAY_NS);
	}
	return wait_online(c, ANSWER_NS);
}

/* Starts the AP with APIC id apic_id as cpus[id]. */
static bool ap_start(uint64_t tramp, uint32_t id, uint32_t apic_id)
{
	struct cpu *c = &cpus[id];
	uint64_t stack;

	if (apic_id > 0xfe) {
		klog("smp: CPU with APIC id %u needs x2APIC mode: skipped\n", apic_id);
		return false;
	}
	if (!ap_stacks(id, &stack)) {
		klog("smp: no memory for the stacks of APIC id %u: skipped\n", apic_id);
		return false;
	}
	c->apic_id = apic_id;
	put64((uint8_t *)arch_phys_to_virt(tramp) + TRAMP_DATA + TD_STACK, stack);
	put32((uint8_t *)arch_phys_to_virt(tramp) + TRAMP_DATA + TD_CPU, id);
	if (ap_wake(tramp, c))
		return true;
	/* Back to wait-for-SIPI, so it cannot wake later on a reused trampoline or stack. */
	(void)lapic_send_init(apic_id);
	klog("smp: CPU with APIC id %u did not answer within %llu ms: skipped\n", apic_id,
	     (unsigned long long)(ANSWER_NS / 1000000));
	return false;	/* its stacks are kept: it may have run on them before the INIT */
}

void smp_start(const struct boot_info *bi)
{
	const struct acpi_cpus *madt = acpi_platform_cpus();
	uint32_t self = this_cpu()->apic_id, next = 1;
	uint64_t t0 = arch_cycles(), tramp = 0;

	cpus[0].online = 1;
	boot_pat = rdmsr(MSR_PAT);
	if (madt->count > 1 && (size_t)(ap_trampoline_end - ap_trampoline_start) <= TRAMP_DATA)
		tramp = trampoline_place(bi);
	if (madt->count > 1 && !tramp)
		klog("smp: no free low memory for the AP trampoline: the boot CPU only\n");
	if (tramp)
		trampoline_build(tramp);
	for (uint32_t i = 0; tramp && i < madt->count && next < MAX_CPUS; i++) {
		if (madt->apic_id[i] == self)
			continue;
		if (ap_start(tramp, next, madt->apic_id[i])) {
			next++;
			__atomic_store_n(&online_count, next, __ATOMIC_RELEASE);
		}
	}
	start_cycles = arch_cycles() - t0;
	kprintf("smp: %u CPU%s online\n", next, next == 1 ? "" : "s");
	if (madt->hotplug || madt->dropped)
		klog("smp: %u hot-pluggable CPUs not started, %u beyond %u not kept\n",
		     madt->hotplug, madt->dropped, MAX_CPUS);
}
