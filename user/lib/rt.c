// SPDX-License-Identifier: MIT
/*
 * Runtime start-up and the process-wide pieces of libc: exit, abort, assert
 * and the malloc family on the runtime's heap. rt_start runs with nothing set
 * up but the stack, so it checks what it was given before anything can fail
 * softly: a bad ring or CapSet ends the process with RT_EXIT_BAD_START (there
 * is no console to say why, or none can be trusted yet).
 */
#include <capos/layout.h>
#include <capos/syscall.h>

#include "rt.h"

struct rt rt;

static const char *rt_args[CAPOS_ARGS_MAX];
static int rt_nargs;

static void rt_heap_corrupt(const char *why)
{
	printf("heap: %s\n", why);
	abort();
}

void rt_start(uint64_t ring, uint64_t pid, uint64_t capset)
{
	const struct capos_capset *cs = (const struct capos_capset *)(uintptr_t)capset;
	uint64_t heap_base = CAPOS_USER_HEAP_BASE, heap_size = CAPOS_USER_HEAP_INIT;

	rt.pid = pid;
	if (uring_init(&rt.ring, ring))
		exit(RT_EXIT_BAD_START);
	client_ring = &rt.ring;
	if (cs) {
		if (capset_check(cs))
			exit(RT_EXIT_BAD_START);
		rt.capset = cs;
		rt_nargs = capset_args(cs, rt_args);
		if (rt_nargs < 0)
			exit(RT_EXIT_BAD_START);
		heap_base = cs->heap_base;
		heap_size = cs->heap_size;
	}
	if (heap_size && heap_init(&rt.heap, (void *)(uintptr_t)heap_base, heap_size,
				   rt_heap_corrupt))
		exit(RT_EXIT_BAD_START);
	rt.heap_next = heap_base + heap_size;
	rt.vm = capset_get(cs, "vm", CAPOS_IFACE_VIRTUAL_MEMORY);
	client_vm = rt.vm;
	rt.console = capset_get(cs, "console", CAPOS_IFACE_CONSOLE);
	if (rt.console == CAPOS_CAP_INVALID)
		rt.console = capset_get_any(cs, CAPOS_IFACE_CONSOLE);
	print_set_console(rt.console);
	/* No Console (a program the shell runs): printf shows on the user's terminal. */
	if (rt.console == CAPOS_CAP_INVALID)
		print_set_terminal(capset_get(cs, "terminal", CAPOS_IFACE_TERMINAL_SESSION));
	exit(main());
}

int rt_argc(void)
{
	return rt_nargs;
}

const char *rt_argv(int i)
{
	return i >= 0 && i < rt_nargs ? rt_args[i] : NULL;
}

uint64_t rt_argv_u64(int i, uint64_t fallback)
{
	const char *a = rt_argv(i);
	uint64_t v = 0;

	if (!a || !*a)
		return fallback;
	for (int d = 0; a[d]; d++) {
		if (a[d] < '0' || a[d] > '9' || d >= 18)
			return fallback;
		v = v * 10 + (uint64_t)(a[d] - '0');
	}
	return v;
}

capos_cap_t rt_cap(const char *name, uint64_t iface)
{
	return capset_get(rt.capset, name, iface);
}

void exit(int status)
{
	print_flush();
	capos_exit(status);
	__builtin_unreachable();	/* capos_exit is not declared noreturn */
}

void abort(void)
{
	printf("abort (pid %llu)\n", (unsigned long long)rt.pid);
	exit(RT_EXIT_ABORT);
}

void rt_assert_fail(const char *expr, const char *file, int line)
{
	printf("assertion failed: %s (%s:%d)\n", expr, file, line);
	abort();
}

/*
 * Grows the heap by at least `need` bytes through the process's own
 * VirtualMemory: the next pages right after it, so the heap stays one
 * region. False without a VirtualMemory, over quota, or if the pages after
 * the heap are taken (VirtualMemory placed them elsewhere: given back).
 */
static bool rt_heap_grow(size_t need)
{
	static bool growing;	/* a call below that allocates must not grow again */
	uint64_t want = need + RT_HEAP_SLACK, addr;

	if (rt.vm == CAPOS_CAP_INVALID || growing || need > CAPOS_USER_HEAP_MAX)
		return false;
	want = (want + RT_HEAP_CHUNK - 1) & ~(uint64_t)(RT_HEAP_CHUNK - 1);
	growing = true;
	int err = vm_map(rt.vm, rt.heap_next, want, VM_PROT_READ | VM_PROT_WRITE, &addr);
	if (!err && addr != rt.heap_next) {
		(void)vm_unmap(rt.vm, addr, want);
		err = CAPOS_ERR_QUOTA_EXCEEDED;
	}
	growing = false;
	if (err)
		return false;
	rt.heap_next += want;
	if (rt.heap.base)
		return heap_extend(&rt.heap, want) == 0;
	return heap_init(&rt.heap, (void *)(uintptr_t)addr, want, rt_heap_corrupt) == 0;
}

/*
 * The heap is shared by every thread: one lock around it, recursive since
 * growing it makes a call whose wait may stash a completion on the heap.
 * It spins (a holder is preempted at most for a time slice): the calls it
 * covers are short and never wait on another thread.
 */
static struct thread *heap_owner;
static uint32_t heap_depth;

static void heap_lock(void)
{
	struct thread *self = thread_self();

	if (__atomic_load_n(&heap_owner, __ATOMIC_RELAXED) == self) {
		heap_depth++;
		return;
	}
	struct thread *none = NULL;
	while (!__atomic_compare_exchange_n(&heap_owner, &none, self, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		none = NULL;
		__builtin_ia32_pause();
	}
	heap_depth = 1;
}

static void heap_unlock(void)
{
	if (--heap_depth == 0)
		__atomic_store_n(&heap_owner, NULL, __ATOMIC_RELEASE);
}

static void *malloc_unlocked(size_t n)
{
	void *p = rt.heap.base ? heap_alloc(&rt.heap, n) : NULL;

	if (!p && rt_heap_grow(n))
		p = heap_alloc(&rt.heap, n);
	return p;
}

static void free_unlocked(void *p)
{
	if (p)
		heap_free(&rt.heap, p);
}

static void *calloc_unlocked(size_t count, size_t n)
{
	void *p = rt.heap.base ? heap_calloc(&rt.heap, count, n) : NULL;

	if (!p && n && count <= SIZE_MAX / n && rt_heap_grow(count * n))
		p = heap_calloc(&rt.heap, count, n);
	return p;
}

static void *realloc_unlocked(void *p, size_t n)
{
	void *q = rt.heap.base ? heap_realloc(&rt.heap, p, n) : NULL;

	if (!q && n && rt_heap_grow(n))
		q = heap_realloc(&rt.heap, p, n);
	return q;
}

void *malloc(size_t n)
{
	heap_lock();
	void *q = malloc_unlocked(n);
	heap_unlock();
	return q;
}

void free(void *p)
{
	heap_lock();
	free_unlocked(p);
	heap_unlock();
}

void *calloc(size_t count, size_t n)
{
	heap_lock();
	void *q = calloc_unlocked(count, n);
	heap_unlock();
	return q;
}

void *realloc(void *p, size_t n)
{
	heap_lock();
	void *q = realloc_unlocked(p, n);
	heap_unlock();
	return q;
}
