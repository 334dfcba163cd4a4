// SPDX-License-Identifier: MIT
/*
 * Starting the first process. The kernel opens the boot package (the boot
 * loader's first module) and spawns the binary it names as init with exactly
 * eleven capabilities: Console, BootPackage, ProcessSpawner, EndpointFactory,
 * CapabilityManager, MemoryObjectFactory, its own VirtualMemory, whose quota
 * is all the memory user code may have (every other quota is handed down
 * from it), Timer, EntropySource, the terminal's SerialPort and the
 * DeviceManager (docs/devices.md).
 * Everything else is started by init.
 */
#include "arch/arch.h"
#include "ipc/fastpath.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "obj/boot_package.h"
#include "obj/capability_manager.h"
#include "obj/console.h"
#include "obj/endpoint_factory.h"
#include "obj/entropy_source.h"
#include "obj/thread_spawner.h"
#include "obj/memory_object.h"
#include "obj/pci_device.h"
#include "obj/process_spawner.h"
#include "obj/serial_port.h"
#include "obj/serial_stamps.h"
#include "obj/timer.h"
#include "proc/bootpkg.h"
#include "proc/init.h"
#include "sched/sched.h"
#include "proc/proc.h"
#include "cap/table.h"
#include "lib/cmdline.h"
#include "mm/account.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/kstack.h"

/*
 * With test=init on the command line the run is a scenario: when init exits,
 * the kernel checks that every frame and heap object of the whole process
 * tree came back, reports, and ends QEMU with pass only if init exited 0 and
 * nothing leaked. A process still alive then is a leak too, unless the
 * command line declares how many stay (procs_left=N, e.g. a process that
 * spins forever on purpose); their frames and heap objects are not judged.
 */
static bool init_is_test;
static uint64_t procs_declared;
/*
 * irqoff_report=1: report each CPU's longest interrupts-off windows at the
 * end; irqoff_limit=N: that too, and the run fails if a CPU kept them off
 * longer than N cycles (docs/preemption.md). Asked for, not always printed:
 * the report names kernel functions, which other scenarios' REJECT
 * patterns may match.
 */
static bool irqoff_report;
static uint64_t irqoff_limit;
static uint64_t frames_before, objects_before;

static void snapshot_resources(void)
{
	vaddr_t warm = kstack_alloc();	/* builds the stack area's page tables once */

	if (warm)
		kstack_free(warm);
	heap_trim();
	frames_before = frame_free_count();
	objects_before = heap_live_objects();
}

static uint32_t caps_at_start, caps_at_exit;

void init_caps_at(bool start, uint32_t used)
{
	*(start ? &caps_at_start : &caps_at_exit) = used;
}

static bool init_gone;
static int64_t init_code;
static uint32_t threads_leaving;	/* atomic: left proc_thread_leave's start, not yet freed */

void init_thread_leaving(void)
{
	__atomic_fetch_add(&threads_leaving, 1, __ATOMIC_RELAXED);
}

void init_exiting(int64_t code)
{
	klog("init: exited with code %lld\n", (long long)code);
	/* Outside a test the log says why nothing more happens (a bad manifest, say). */
	if (!init_is_test)
		kprintf("capOS: init exited with code %lld; nothing more will start\n",
			(long long)code);
	init_code = code;
	__atomic_store_n(&init_gone, true, __ATOMIC_RELEASE);
}

/* Processes alive at init's exit: exactly as many as declared (procs_left=N). */
static bool procs_left_as_declared(uint32_t alive)
{
	if (alive == procs_declared) {
		if (alive)
			kprintf("init: %u processes left, as declared (procs_left=%u); "
				"frames and heap not judged\n", alive, alive);
		return true;
	}
	kprintf("init: FAIL %u processes left, %llu declared (procs_left=N on the command line)\n",
		alive, (unsigned long long)procs_declared);
	return false;
}

/*
 * The verdict of a test=init run, taken by the thread that reaped the last
 * thread on its way out once init is gone (on several CPUs, a sibling or
 * another process's thread may still be leaving, or its stack not yet
 * freed, after init's own thread was). Frames and heap objects are judged
 * only when no process is left: the ones still alive hold theirs.
 */
void init_check_reaped(void)
{
	if (__atomic_sub_fetch(&threads_leaving, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (!init_is_test || !__atomic_exchange_n(&init_gone, false, __ATOMIC_ACQ_REL))
		return;
	heap_trim();
	uint64_t frames = frame_free_count(), objects = heap_live_objects();
	uint32_t alive = proc_count();

	uint64_t fast_taken, fast_offered;
	ipc_fastpath_stats(&fast_taken, &fast_offered);
	kprintf("ipc: the fast path took %llu of the %llu IPC batches it was offered "
		"(exited threads)\n",
		(unsigned long long)fast_taken, (unsigned long long)fast_offered);
	sched_print_cpus();
	/* Cap slots are reported, not judged: a program may leave its caps to exit. */
	kprintf("init exited with code %lld; %u processes left; frames free before %llu after %llu; "
		"heap objects before %llu after %llu; cap slots at start %u at exit %u; "
		"processes created %u\n",
		(long long)init_code, alive, (unsigned long long)frames_before,
		(unsigned long long)frames, (unsigned long long)objects_before,
		(unsigned long long)objects, caps_at_start, caps_at_exit, proc_created_count());
	bool no_leak = procs_left_as_declared(alive) &&
		       (alive > 0 || (frames == frames_before && objects == objects_before));
	bool irqs_prompt = !irqoff_report || arch_irqoff_report(irqoff_limit);

	arch_exit_emulator(init_code == 0 && no_leak && irqs_prompt ? KEXIT_PASS : KEXIT_FAIL);
}

/*
 * All the memory user code may map (VirtualMemory quotas start here): what
 * is free at boot, less an eighth kept for the kernel's own use (tables,
 * stacks, heap, rings). Static: it outlives every process.
 */
static struct mem_account user_memory;

static uint64_t user_memory_pages(void)
{
	uint64_t free = frame_free_count();

	return free - free / 8;
}

/*
 * init_arg=A,B,... on the command line: arguments for the first process
 * (make stress's round counts, spin-load's work), split at commas in place;
 * those beyond CAPOS_ARGS_MAX are dropped. buf is at most 64 bytes.
 */
static void split_init_args(char *buf, struct proc_args *args)
{
	char *start = buf;

	args->argc = 0;
	for (char *c = buf;; c++) {
		if (*c != ',' && *c != '\0')
			continue;
		if (args->argc < CAPOS_ARGS_MAX)
			args->arg[args->argc++] = (struct proc_arg){ .str = start,
								     .len = (uint32_t)(c - start) };
		if (*c == '\0')
			break;
		*c = '\0';
		start = c + 1;
	}
}

void init_start(const struct boot_info *bi)
{
	struct bootpkg_binary init;
	char override[PROC_NAME_MAX];
	char mode[16];
	char arg[64];
	struct proc_args args = { .argc = 0 };

	if (bi->module_count == 0)
		panic("init: no boot package (the boot loader passed no module)");
	const struct boot_module *m = &bi->modules[0];
	if (bootpkg_open(arch_phys_to_virt(m->start), m->end - m->start) != 0)
		panic("init: the boot package is not a valid BootPackage message");
	const char *name = bootpkg_init_name();
	if (cmdline_get(bi->cmdline, "init", override, sizeof(override)))
		name = override;	/* scenarios run their own first process */
	if (cmdline_get(bi->cmdline, "init_arg", arg, sizeof(arg)))
		split_init_args(arg, &args);
	init_is_test = cmdline_get(bi->cmdline, "test", mode, sizeof(mode)) &&
		       strncmp(mode, "init", sizeof(mode)) == 0;
	procs_declared = cmdline_get_u64(bi->cmdline, "procs_left", 0);
	irqoff_limit = cmdline_get_u64(bi->cmdline, "irqoff_limit", 0);
	irqoff_report = irqoff_limit || cmdline_get_u64(bi->cmdline, "irqoff_report", 0);
	if (cmdline_get_u64(bi->cmdline, "init_stamps", 0))
		console_stamp_init_lines();	/* boot_to_services (scripts/bench-user.sh) */
	if (cmdline_get_u64(bi->cmdline, "serial_stamps", 0))
		serial_stamps_on();		/* shell_run_hello (scripts/bench-user.sh) */
	snapshot_resources();
	if (!bootpkg_find(name, strlen(name), &init))
		panic("init: the boot package has no binary named '%s'", name);

	uint64_t user_pages = user_memory_pages();
	const struct proc_grant grants[] = {
		{ "console", console_object(), CAP_RIGHTS_ALL, 0 },
		{ "boot", boot_package_object(), CAP_RIGHTS_ALL, 0 },
		{ "spawner", process_spawner_object(), CAP_RIGHTS_ALL, 0 },
		{ "endpoints", endpoint_factory_object(), CAP_RIGHTS_ALL, 0 },
		{ "caps", capability_manager_object(), CAP_RIGHTS_ALL, 0 },
		{ "memory", memory_object_factory(), CAP_RIGHTS_ALL, 0 },
		{ "vm", NULL, CAP_RIGHTS_ALL, user_pages },	/* its own VirtualMemory */
		{ "timer", timer_object(), CAP_RIGHTS_ALL, 0 },
		{ "entropy", entropy_source_object(), CAP_RIGHTS_ALL, 0 },
		{ "serial", serial_port_object(), CAP_RIGHTS_ALL, 0 },
		{ "devices", device_manager_object(), CAP_RIGHTS_ALL, 0 },
		{ "threads", thread_spawner_object(), CAP_RIGHTS_ALL, 0 },
	};
	mem_account_init_root(&user_memory, user_pages);
	int err = proc_spawn(name, init.data, init.size, grants,
			     sizeof(grants) / sizeof(grants[0]), args.argc ? &args : NULL,
			     &user_memory, NULL, NULL);
	if (err)
		panic("init: cannot start '%s' (error %d)", name, err);
	klog("init: started '%s' (%u binaries in the boot package)\n", name, bootpkg_count());
}
