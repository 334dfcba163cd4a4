// SPDX-License-Identifier: MIT
/*
 * x86_64 bring-up, in the order the hardware demands: serial first (so every
 * later failure can be reported), per-CPU GS, GDT/TSS and IDT (so faults are
 * diagnosed), CPU features, the boot information (read through boot.S's
 * early 4 GiB direct map, before those tables go away), the final page tables,
 * then SMEP/SMAP. Interrupt controllers and the timer come later, once the
 * heap exists (arch_start_timer).
 */
#include "arch/arch.h"
#include "arch/arch_init.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/platform.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/ipi.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/syscall.h"
#include "boot/multiboot.h"
#include "lib/kprintf.h"
#include "mm/frame.h"

#define EARLY_MAP_END (4ull << 30)	/* boot.S maps the first 4 GiB */

static const void *early_map(paddr_t pa, size_t len, void *ctx)
{
	(void)ctx;
	if (pa >= EARLY_MAP_END || len > EARLY_MAP_END - pa)
		return NULL;
	return (const void *)(DIRECT_MAP_BASE + pa);
}

static void parse_boot_info(uint32_t magic, paddr_t info_pa, struct boot_info *bi)
{
	int err;

	if (magic == MB2_BOOT_MAGIC)
		err = mb2_parse(early_map(info_pa, 8, NULL), EARLY_MAP_END - info_pa, info_pa, bi);
	else if (magic == MB1_BOOT_MAGIC)
		err = mb1_parse(info_pa, early_map, NULL, bi);
	else
		panic("boot: unknown boot loader magic 0x%x", magic);
	if (err)
		panic("boot: malformed boot information (error %d)", err);
}

static void map_all_memory(const struct boot_info *bi)
{
	struct phys_span spans[BOOT_MAX_MEM_REGIONS];

	for (size_t i = 0; i < bi->mem_count; i++)
		spans[i] = (struct phys_span){ bi->mem[i].base, bi->mem[i].len };
	paging_init(spans, bi->mem_count, cpu_features.nx, cpu_features.pages_1g);
}

void arch_early_init(uint32_t magic, paddr_t info_pa, struct boot_info *bi)
{
	serial_init();
	percpu_init(0);
	idt_init();
	gdt_init();
	syscall_init();
	cpu_detect();
	fpu_init();
	parse_boot_info(magic, info_pa, bi);
	map_all_memory(bi);
	ioapic_discover(bi);
	cpu_enable_protections();
}

static paddr_t page_table_frame(void)
{
	paddr_t pa;

	if (frame_alloc(0, FRAME_OWNER_PAGETABLE, &pa) != 0)
		return 0;	/* the mapping fails; callers report it */
	return pa;
}

void arch_memory_ready(void)
{
	paging_use_frame_allocator(page_table_frame);
}

void arch_print_cpu(void)
{
	cpu_print_features();
	fpu_print();
}

uint32_t arch_start_timer(void)
{
	pic_disable();
	lapic_init();
	this_cpu()->apic_id = lapic_id();
	uint32_t per_ms = timer_init();
	arch_irq_enable();
	return per_ms;
}

void arch_start_cpus(const struct boot_info *bi)
{
	ipi_init();
	smp_start(bi);
}
