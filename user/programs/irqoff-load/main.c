// SPDX-License-Identifier: MIT
/*
 * irqoff-load: the fixed load of the irq_off_max benchmark and of the
 * irqoff scenario (docs/preemption.md): the long kernel operations a
 * program can ask for, each once, so the kernel's interrupts-off report at
 * init's exit covers them.
 *   1. spawn `net`, the largest binary of the boot package (ELF load of
 *      about 1.2 MiB), then kill it and wait for it;
 *   2. map LOAD_PAGES pages of VirtualMemory, write each (a first-touch
 *      fault per page), unmap them all in one call;
 *   3. spawn itself as a child that maps and writes LOAD_PAGES pages and
 *      exits with them mapped (the teardown of a big address space), and
 *      once more as a child that does the same and then faults: the kernel
 *      ends it from the page-fault handler;
 *   4. a Console write of CONSOLE_WRITE_MAX bytes (the most one call takes).
 * Prints how long the spawn and the unmap took (cycles of the calls as the
 * program sees them: kernel work that runs with interrupts on but is not
 * preempted), then "irqoff-load: PASS" and exits 0, or a FAIL line and
 * exits 1.
 */
#include "capos.capnp.h"
#include "rt.h"

#define LOAD_PAGES 1024u	/* 4 MiB */
#define CHILD_ARG "child"		/* map, touch and exit */
#define FAULT_ARG "fault"		/* map, touch and write to address 0 */

static int fail(const char *what, int err)
{
	printf("irqoff-load: FAIL %s: %s\n", what, capos_strerror(err));
	return 1;
}

/* Maps and writes LOAD_PAGES pages; their address in *addr. */
static int map_and_touch(uint64_t *addr)
{
	int err = vm_map(rt.vm, 0, (uint64_t)LOAD_PAGES * VM_PAGE, VM_PROT_READ | VM_PROT_WRITE,
			 addr);

	if (err)
		return err;
	for (uint32_t i = 0; i < LOAD_PAGES; i++)
		((volatile uint8_t *)(uintptr_t)*addr)[(uint64_t)i * VM_PAGE] = (uint8_t)i;
	return 0;
}

/* Ends the child: kill it now, or wait for its exit `code`. */
static int spawn_and_end(capos_cap_t sp, const char *name, const char *binary,
			 const struct spawn_args *args, bool kill, int64_t want)
{
	const struct spawn_grant vm = { "vm", 0, LOAD_PAGES + 64, SPAWN_VIRTUAL_MEMORY };
	capos_cap_t h;
	int64_t code;
	uint64_t t0 = rt_rdtsc();
	int err = spawner_spawn_args(sp, name, binary, args, &vm, 1, &h, NULL);

	if (err)
		return fail("spawn", err);
	printf("irqoff-load: spawn of %s took %llu cycles\n", binary,
	       (unsigned long long)(rt_rdtsc() - t0));
	if (kill && (err = process_kill(h)))
		return fail("kill", err);
	if ((err = process_wait(h, &code)))
		return fail("wait", err);
	if (!kill && code != want)
		return fail("child exit code", CAPOS_ERR_INVALID_ARGUMENT);
	return cap_release(h) ? fail("release", CAPOS_ERR_INVALID_CAP) : 0;
}

static int big_write(void)
{
	static char text[CONSOLE_WRITE_MAX];

	memset(text, '.', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\n';
	int err = console_write(rt.console, text, sizeof(text));

	return err ? fail("console write", err) : 0;
}

/* The children's part: map and touch, then exit or fault with the pages mapped. */
static int child(const char *how)
{
	uint64_t addr;

	if (map_and_touch(&addr))
		return 1;
	if (strcmp(how, FAULT_ARG) == 0)
		*(volatile uint8_t *)(uintptr_t)0 = 1;	/* the kernel ends us here */
	return 0;
}

static bool is_child(void)
{
	return rt_argc() == 1 && (strcmp(rt_argv(0), CHILD_ARG) == 0 ||
				  strcmp(rt_argv(0), FAULT_ARG) == 0);
}

int main(void)
{
	static const char *const exit_argv[] = { CHILD_ARG }, *const fault_argv[] = { FAULT_ARG };
	const struct spawn_args exits = { exit_argv, 1 }, faults = { fault_argv, 1 };
	capos_cap_t sp = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	uint64_t addr;
	int err;

	if (is_child())
		return child(rt_argv(0));
	if (sp == CAPOS_CAP_INVALID || rt.vm == CAPOS_CAP_INVALID)
		return fail("no ProcessSpawner or VirtualMemory", CAPOS_ERR_INVALID_CAP);
	if (spawn_and_end(sp, "net", "net", NULL, true, 0))
		return 1;
	if ((err = map_and_touch(&addr)))
		return fail("map, touch", err);
	uint64_t t0 = rt_rdtsc();

	if ((err = vm_unmap(rt.vm, addr, (uint64_t)LOAD_PAGES * VM_PAGE)))
		return fail("unmap", err);
	printf("irqoff-load: unmap of %u pages took %llu cycles\n", LOAD_PAGES,
	       (unsigned long long)(rt_rdtsc() - t0));
	if (spawn_and_end(sp, "irqoff-child", "irqoff-load", &exits, false, 0) ||
	    spawn_and_end(sp, "irqoff-fault", "irqoff-load", &faults, false,
			  capos_ProcessHandle_exitFault) ||
	    big_write())
		return 1;
	printf("irqoff-load: PASS\n");
	return 0;
}
