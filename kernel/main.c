// SPDX-License-Identifier: MIT
/*
 * kmain: the generic half of boot. The architecture brings up the CPU, the
 * boot information and paging; here we build the frame allocator and heap,
 * report what we found, start the tick, run the boot-time test the command
 * line may ask for (test=..., used by the QEMU scenarios), start init, and
 * become this CPU's idle thread.
 */
#include "arch/arch.h"
#include "arch/arch_init.h"
#include "boot/bootinfo.h"
#include "dev/pci.h"
#include "lib/kprintf.h"
#include "lib/rng.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "obj/pci_device.h"
#include "obj/serial_port.h"
#include "obj/timer.h"
#include "proc/park.h"
#include "proc/init.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "test/ktest.h"

#define HEARTBEAT_SECONDS 10

extern char __kernel_phys_start[], __kernel_phys_end[];

static struct boot_info boot_info;

static void print_memory(const struct boot_info *bi)
{
	uint64_t usable = 0;

	for (size_t i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == BOOT_MEM_USABLE)
			usable += bi->mem[i].len;
	kprintf("memory: %zu map entries, %llu MiB usable, %llu of %llu frames free\n",
		bi->mem_count, (unsigned long long)(usable >> 20),
		(unsigned long long)frame_free_count(), (unsigned long long)frame_total_count());
}

static void print_boot_package(const struct boot_info *bi)
{
	if (bi->module_count == 0) {
		kprintf("boot package: none (no boot module)\n");
		return;
	}
	kprintf("boot package: '%s' at 0x%llx, %llu bytes\n", bi->modules[0].cmdline,
		(unsigned long long)bi->modules[0].start,
		(unsigned long long)(bi->modules[0].end - bi->modules[0].start));
}

/*
 * The banner: in the log, and on the terminal (COM1), because contracts.md
 * promises the person at `make run` a line with capOS and its version. It
 * is the kernel's only line there (panics aside), written before init
 * starts: from then on COM1 belongs to the terminal service.
 */
static void print_banner(void)
{
	static const char banner[] = "capOS " CAPOS_VERSION " (x86_64)";

	kprintf("%s\n", banner);
	if (!arch_log_apart())
		return;		/* the log is on COM1 already */
	arch_terminal_write(banner, sizeof(banner) - 1);
	arch_terminal_write("\r\n", 2);
}

/* Runs in the idle thread after every wake-up. */
static void heartbeat(void)
{
	static uint64_t next;

	if (next == 0)
		next = arch_tick_hz() * HEARTBEAT_SECONDS;
	if (arch_ticks() >= next) {
		klog("heartbeat: uptime %llu s, %u processes, %llu frames free\n",
		     (unsigned long long)(arch_ticks() / arch_tick_hz()), proc_count(),
		     (unsigned long long)frame_free_count());
		next += arch_tick_hz() * HEARTBEAT_SECONDS;
	}
}

void kmain(uint32_t magic, uint32_t info_pa, uint64_t first_tsc)
{
	arch_early_init(magic, info_pa, &boot_info);
	frame_init(&boot_info, (paddr_t)__kernel_phys_start, (paddr_t)__kernel_phys_end);
	arch_memory_ready();
	heap_init();
	sched_init();

	uint64_t banner_tsc = arch_cycles();
	print_banner();
	arch_print_cpu();
	print_memory(&boot_info);
	print_boot_package(&boot_info);
	uint32_t per_ms = arch_start_timer();
	kprintf("timer: %u Hz tick, local APIC %u counts/ms, TSC %llu kHz\n", arch_tick_hz(), per_ms,
		(unsigned long long)(arch_tsc_hz() / 1000));
	/*
	 * Before the other CPUs start: sizing the BARs turns each device's
	 * decoding off and on, which changes the guest's memory map, and QEMU
	 * 7.2's multi-threaded TCG crashes when that happens while another vCPU
	 * reaches device memory (docs/smp.md "Multi-threaded TCG").
	 */
	pci_init();
	arch_start_cpus(&boot_info);

	ktest_run(&boot_info, banner_tsc - first_tsc);
	rng_init();
	timer_object_init();
	park_timer_start();
	serial_port_init();
	pci_device_init();
	init_start(&boot_info);
	sched_idle_loop(heartbeat);
}
