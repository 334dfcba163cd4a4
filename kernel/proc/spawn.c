// SPDX-License-Identifier: MIT
/*
 * Building a new process: its address space from a validated ELF plan, the
 * stack, heap, TLS block and thread-control page, the ring, the read-only
 * CapSet page listing its grants, its capability table, and the thread that
 * enters user mode at the ELF entry with the start-up registers of
 * include/capos/startup.h. The CapSet page also carries the arguments.
 *
 * Every step can fail; spawn_abort undoes whatever was built, so a failed
 * spawn leaves no frame, slot or object behind.
 */
#include <capos/errors.h>
#include <capos/layout.h>
#include <capos/ring.h>
#include <capos/startup.h>

#include "arch/arch.h"
#include "arch/x86_64/thread_arch.h"
#include "elf/elf64.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/kmalloc.h"
#include "mm/account.h"
#include "mm/kstack.h"
#include "obj/process_handle.h"
#include "obj/virtual_memory.h"
#include "proc/proc.h"
#include "proc/proc_internal.h"
#include "sched/sched.h"

#define RING_ORDER 2	/* CAPOS_RING_SIZE = 16 KiB = 4 frames */
_Static_assert(CAPOS_RING_SIZE == (PAGE_SIZE << RING_ORDER), "ring is one order-2 block");

static const struct elf64_limits user_limits = {
	.user_min = CAPOS_USER_IMAGE_MIN,
	.user_end = CAPOS_USER_IMAGE_END,
	.page_size = PAGE_SIZE,
	.tls_max = CAPOS_USER_TLS_MAX,
};

static uint32_t seg_prot(uint32_t flags)
{
	return (flags & ELF64_SEG_W ? AS_PROT_WRITE : 0) | (flags & ELF64_SEG_X ? AS_PROT_EXEC : 0) |
	       AS_PROT_READ;
}

static int load_segment(struct addrspace *as, const void *elf, size_t len,
			const struct elf64_segment *seg)
{
	uint64_t first = seg->vaddr & ~(PAGE_SIZE - 1);
	uint64_t end = (seg->vaddr + seg->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	uint64_t file_end = seg->vaddr + seg->filesz;	/* < 2^48: checked by elf64_plan */
	int err = as_map_zeroed(as, first, (end - first) / PAGE_SIZE, seg_prot(seg->flags));

	/*
	 * The pages come zeroed: only those holding file bytes are filled. A
	 * page wholly past them (.bss) would only be zeroed a second time,
	 * which was most of the spawn of a program with a large .bss.
	 */
	for (uint64_t va = first; !err && va < end && va < file_end; va += PAGE_SIZE)
		if (elf64_fill_page(elf, len, seg, va, PAGE_SIZE, as_page_kva(as, va)) != 0)
			err = CAPOS_ERR_INVALID_ARGUMENT;
	return err;
}

/* The TLS block ends at USER_TP (variant II); the zeroed TCB page at USER_TP points to itself. */
static int load_tls(struct addrspace *as, const void *elf, const struct elf64_plan *plan)
{
	int err = as_map_zeroed(as, CAPOS_USER_TP, 1, AS_PROT_READ | AS_PROT_WRITE);
	uint64_t tp = CAPOS_USER_TP;

	if (!err)
		err = as_copy_out(as, tp, &tp, sizeof(tp));
	if (err || !plan->has_tls)
		return err;
	uint64_t size = (plan->tls.memsz + plan->tls_align - 1) & ~(plan->tls_align - 1);
	uint64_t base = (tp - size) & ~(PAGE_SIZE - 1);
	err = as_map_zeroed(as, base, (tp - base) / PAGE_SIZE, AS_PROT_READ | AS_PROT_WRITE);
	if (!err && plan->tls.filesz)
		err = as_copy_out(as, tp - size, (const char *)elf + plan->tls.offset,
				  plan->tls.filesz);
	return err;
}

int proc_image_check(const void *elf, size_t len)
{
	struct elf64_plan plan;

	return elf64_plan(elf, len, &user_limits, &plan);
}

static int load_image(struct proc *p, const void *elf, size_t len, uint64_t *entry)
{
	struct elf64_plan plan;
	int err = elf64_plan(elf, len, &user_limits, &plan);

	if (err) {
		klog("spawn: %s: bad ELF image: %s\n", p->name, elf64_strerror(err));
		return CAPOS_ERR_INVALID_ARGUMENT;
	}
	for (uint32_t i = 0; i < plan.nsegs && !err; i++)
		err = load_segment(&p->as, elf, len, &plan.segs[i]);
	if (!err)
		err = load_tls(&p->as, elf, &plan);
	*entry = plan.entry;
	return err;
}

static int map_ring(struct proc *p)
{
	int err = frame_alloc(RING_ORDER, FRAME_OWNER_PROC_BASE + p->pid, &p->ring_pa[0]);

	if (err)
		return CAPOS_ERR_NO_MEMORY;
	ring_init(&p->thread->ring, arch_phys_to_virt(p->ring_pa[0]), 0, 0);
	return as_map_borrowed(&p->as, CAPOS_RING_VADDR, p->ring_pa[0], 1u << RING_ORDER,
			       AS_PROT_READ | AS_PROT_WRITE);
}

static void copy_name(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	memset(dst + n, 0, size - n);
}

/* Inserts the grants into the table and lists them on the (read-only) CapSet page. */
static int fill_capset(struct proc *p, const struct proc_grant *grants, size_t n)
{
	int err = as_map_zeroed(&p->as, CAPOS_CAPSET_VADDR, 1, AS_PROT_READ);
	struct capos_capset *set = as_page_kva(&p->as, CAPOS_CAPSET_VADDR);

	if (err)
		return err;
	set->magic = CAPOS_CAPSET_MAGIC;
	set->version = CAPOS_CAPSET_VERSION;
	set->entry_size = sizeof(set->entries[0]);
	/* No heap is mapped for it: the runtime grows one through its VirtualMemory. */
	set->heap_base = CAPOS_USER_HEAP_BASE;
	set->heap_size = 0;
	for (size_t i = 0; i < n && !err; i++) {
		struct capos_capset_entry *e = &set->entries[i];
		struct kobj *obj = grants[i].obj ? grants[i].obj : &p->vm->obj;
		capos_cap_t id;

		kobj_get(obj);
		err = cap_table_insert(&p->caps, obj, grants[i].rights, &id);
		if (err) {
			kobj_put(obj);
			break;
		}
		copy_name((char *)e->name, grants[i].name, sizeof(e->name));
		e->interface_id = obj->iface_id;
		e->cap_id = id;
		set->count++;
	}
	return err;
}

int proc_args_check(const struct proc_args *args)
{
	uint32_t bytes = 0;

	if (args->argc > CAPOS_ARGS_MAX)
		return CAPOS_ERR_INVALID_ARGUMENT;
	for (uint32_t i = 0; i < args->argc; i++) {
		const struct proc_arg *a = &args->arg[i];

		if (a->len >= CAPOS_ARGS_BYTES || bytes + a->len + 1 > CAPOS_ARGS_BYTES ||
		    strnlen(a->str, a->len) != a->len)	/* a NUL inside */
			return CAPOS_ERR_INVALID_ARGUMENT;
		bytes += a->len + 1;
	}
	return 0;
}

/* Writes the (checked) arguments after the CapSet entries, each with its NUL. */
static void fill_args(struct proc *p, const struct proc_args *args)
{
	struct capos_capset *set = as_page_kva(&p->as, CAPOS_CAPSET_VADDR);
	uint32_t at = 0;

	for (uint32_t i = 0; args && i < args->argc; i++) {
		memcpy(&set->args[at], args->arg[i].str, args->arg[i].len);
		at += args->arg[i].len;
		set->args[at++] = 0;
	}
	set->argc = args ? args->argc : 0;
	set->args_len = at;
}

static int build_process(struct proc *p, const void *elf, size_t len,
			 const struct proc_grant *grants, size_t n, const struct proc_args *args,
			 uint64_t *entry)
{
	int err = load_image(p, elf, len, entry);

	if (!err)
		err = as_map_zeroed(&p->as, CAPOS_USER_STACK_TOP - CAPOS_USER_STACK_INIT,
				    CAPOS_USER_STACK_INIT / PAGE_SIZE, AS_PROT_READ | AS_PROT_WRITE);
	if (!err)
		err = map_ring(p);
	if (!err)
		err = fill_capset(p, grants, n);
	if (!err)
		fill_args(p, args);
	return err;
}

/*
 * The child's own VirtualMemory, when a grant asks for it: an account whose
 * quota the parent's pays for, and the object. Undone by proc_free.
 */
static int give_memory(struct proc *p, const struct proc_grant *grants, size_t n,
		       struct mem_account *parent)
{
	for (size_t i = 0; i < n; i++) {
		if (grants[i].obj)
			continue;
		if (p->vm || !parent)
			return CAPOS_ERR_INVALID_ARGUMENT;	/* one per spawn; a parent to pay */
		int err = mem_account_child(parent, grants[i].vm_quota, &p->as.account);

		if (err)
			return err;
		p->vm = vm_object_create(p);
		if (!p->vm)
			return CAPOS_ERR_NO_MEMORY;
	}
	return 0;
}

/*
 * What a process costs the kernel once built: the frames of its address
 * space (image, stack, CapSet page, page tables, root), its ring, its kernel
 * stack, and its kernel structures (the small ones estimated generously).
 */
#define PROC_SMALL_OBJECTS_BYTES 4096	/* FPU area, handle, peer, VirtualMemory, account */

static uint64_t proc_kernel_bytes(const struct proc *p)
{
	return (p->as.frames + 1 + (1u << RING_ORDER)) * PAGE_SIZE + KSTACK_SIZE +
	       kmalloc_footprint(sizeof(*p)) + kmalloc_footprint(sizeof(*p->thread)) +
	       kmalloc_footprint(p->caps.quota * sizeof(struct cap_slot)) + PROC_SMALL_OBJECTS_BYTES;
}

/* Charges the built process to its payers (proc.h); undone by proc_release. */
static int charge_process(struct proc *p, struct mem_account *payer)
{
	struct mem_account *own = p->as.account;
	struct mem_account *spawn_payer = payer ? payer : own;
	uint64_t bytes = proc_kernel_bytes(p);

	if (!spawn_payer)
		return CAPOS_ERR_INVALID_ARGUMENT;	/* someone must pay */
	int err = mem_account_charge_kmem(spawn_payer, bytes);
	if (err)
		return err;
	mem_account_get(spawn_payer);
	p->spawn_payer = spawn_payer;
	p->spawn_bytes = bytes;
	p->kmem = own ? own : payer;
	mem_account_get(p->kmem);
	p->thread->caller.kmem = p->kmem;
	return 0;
}

int proc_spawn(const char *name, const void *elf, size_t elf_len, const struct proc_grant *grants,
	       size_t ngrants, const struct proc_args *args, struct mem_account *parent,
	       struct mem_account *payer, struct proc_handle **handle)
{
	uint64_t entry = 0;
	int err;

	if (ngrants > CAPOS_CAPSET_MAX || (args && proc_args_check(args)))
		return CAPOS_ERR_INVALID_ARGUMENT;
	struct proc *p = proc_alloc(name);
	if (!p)
		return CAPOS_ERR_NO_MEMORY;
	err = give_memory(p, grants, ngrants, parent);
	if (!err)
		err = build_process(p, elf, elf_len, grants, ngrants, args, &entry);
	if (!err)
		err = charge_process(p, payer);
	if (err) {
		proc_free(p);
		return err;
	}
	arch_thread_init_user(p->thread, entry, CAPOS_USER_STACK_TOP, CAPOS_RING_VADDR, p->pid,
			      CAPOS_CAPSET_VADDR);
	p->thread->fs_base = CAPOS_USER_TP;
	p->thread->page_root = p->as.root;
	if (handle) {
		kobj_get(&p->handle->obj);
		*handle = p->handle;
	}
	proc_started(p);
	sched_add(p->thread);
	return 0;
}
