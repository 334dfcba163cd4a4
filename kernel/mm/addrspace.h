/* SPDX-License-Identifier: MIT */
/*
 * User address spaces. Each process owns one: a PML4 whose user half
 * (entries 0..255) holds only that process's mappings and whose kernel half
 * is copied from the kernel's tables at creation (the kernel-half tables are
 * shared, and never change at the top level: see paging.c).
 *
 * All user pages and user page tables are frames owned by the address space
 * (tagged with its owner for accounting); as_destroy frees every one of them.
 * The kernel reads and writes user memory only through the functions below.
 * They work for any address space (a completion for a sleeping process) and
 * fail cleanly on unmapped, read-only, kernel, non-canonical or overflowing
 * ranges. For the address space the CPU is in they access user memory
 * directly (arch uaccess: a fault on a bad page is turned into an error by
 * the exception table); for any other they walk its tables and go through
 * the direct map.
 *
 * Memory a process maps through VirtualMemory (obj/virtual_memory.c,
 * addrspace_vm.c) is demand-zero: map records a region and charges the
 * account, and each page gets its zeroed frame at its first touch, from the
 * page-fault handler (as_vm_fault) or from the kernel's own page walks here,
 * which fill such a page in when they meet it. Faults are resolved only
 * where this CPU holds no address-space lock; code that copies from user
 * memory while it holds one (as_copy_gather into another process) touches
 * the source first. Unmap and protect bump the unmap epoch and forget the
 * window hint: the kernel's windows into user pages (IPC buffer claims)
 * check the epoch before each write, and unmapped frames are freed only
 * after the process's IPC peer lock, which such writes hold, has been taken
 * once (virtual_memory.c).
 *
 * Locking: `lock` guards the tables, the regions and the hint. Leaf lock
 * (only the frame lock and the heap nest in it).
 */
#ifndef CAPOS_KERNEL_MM_ADDRSPACE_H
#define CAPOS_KERNEL_MM_ADDRSPACE_H

#include "lib/spinlock.h"
#include "lib/types.h"
#include "mm/vm_map.h"

struct mem_account;
struct shared_pages;

#define AS_PROT_READ	(1u << 0)
#define AS_PROT_WRITE	(1u << 1)
#define AS_PROT_EXEC	(1u << 2)

struct addrspace {
	struct spinlock lock;
	paddr_t root;		/* PML4; set at creation */
	uint32_t owner;		/* frame owner tag; set at creation */
	uint64_t frames;	/* user pages + user page tables held (under lock) */
	uint64_t hint_page;	/* as_window's last writable page (0: none), under lock */
	char *hint_kva;		/* its kernel address */
	uint64_t unmap_epoch;	/* see as_unmap_epoch() */
	struct vm_map vm;	/* VirtualMemory regions, under lock */
	struct mem_account *account;	/* charged for vm; one reference, or NULL (quota 0) */
	uint64_t table_pages;	/* page tables charged to account (addrspace_tables.c) */
};

/*
 * Counts the changes that take a user page away or make it read-only
 * (VirtualMemory unmap and protect). Windows and IPC buffer claims
 * (ipc/claim.h) are kept across system calls and check it before use.
 * 64 bits: it never wraps.
 */
static inline uint64_t as_unmap_epoch(const struct addrspace *as)
{
	/*
	 * Relaxed: a stale value only sends a claim or a write the slow way,
	 * and a write that must see the new one holds the peer lock that
	 * VirtualMemory takes after bumping it (obj/virtual_memory.c).
	 */
	return __atomic_load_n(&as->unmap_epoch, __ATOMIC_RELAXED);
}

__must_check int as_create(struct addrspace *as, uint32_t owner);
/* Frees every user page and table, then the PML4. The space must not be active on any CPU. */
void as_destroy(struct addrspace *as);
void as_activate(const struct addrspace *as);

/*
 * Maps `npages` fresh zeroed pages at `va` with `prot` (never write and execute
 * together). Fails without side effects visible to the process if any page is
 * already mapped or memory runs out (pages mapped so far stay owned and are
 * freed by as_destroy).
 */
__must_check int as_map_zeroed(struct addrspace *as, vaddr_t va, uint64_t npages, uint32_t prot);

/*
 * Maps `npages` existing frames from `pa` at `va`. The frames stay owned by the
 * caller: as_destroy unmaps them but does not free them (the ring).
 */
__must_check int as_map_borrowed(struct addrspace *as, vaddr_t va, paddr_t pa, uint64_t npages,
				 uint32_t prot);

/* Kernel pointer (through the direct map) to the page mapped at `va`, or NULL. */
void *as_page_kva(struct addrspace *as, vaddr_t va);

/* Copy between kernel memory and user memory of `as`; 0 or CAPOS_ERR_BAD_ADDRESS-style error. */
__must_check int as_copy_in(struct addrspace *as, void *dst, uint64_t uaddr, size_t n);
__must_check int as_copy_out(struct addrspace *as, uint64_t uaddr, const void *src, size_t n);

/*
 * Checks, without copying, that [uaddr, uaddr + n) is mapped user memory of
 * `as` with every access in prot (AS_PROT_READ and/or AS_PROT_WRITE).
 * Returns 0 or non-zero, same rules and context as as_copy_in. Dispatch uses
 * it to refuse a CALL whose result buffer is not writable before the object
 * acts (decode, then invoke); the final as_copy_out still checks again, since
 * another thread may unmap the buffer in between.
 */
__must_check int as_check_access(struct addrspace *as, uint64_t uaddr, size_t n, uint32_t prot);

/*
 * The kernel address (direct map) of [uaddr, uaddr + n) of `as` if the range
 * lies in one page mapped writable for user code, else NULL (n == 0, a page
 * boundary inside, not mapped, read-only). The kernel may write the buffer
 * through it as long as the process is kept alive (user pages are never
 * unmapped before). The last page found is remembered, so a buffer used for
 * every message costs no page walk: unmapping, when it comes, must forget it.
 */
void *as_window(struct addrspace *as, uint64_t uaddr, size_t n);

/*
 * One piece of a gathered copy: kernel memory at kptr, or (kptr NULL) user
 * memory of the current address space at uaddr.
 */
struct as_piece {
	const void *kptr;
	uint64_t uaddr;
	size_t len;
};

#define AS_BAD_SRC 1	/* a user piece is not readable: nothing useful was written */
#define AS_BAD_DST 2	/* the destination is not writable user memory of `as` */

/*
 * Writes the pieces one after the other into `as` at uaddr: how IPC delivers
 * a message from the sender's memory straight into the receiver's, with no
 * staging copy. Returns 0, AS_BAD_DST or AS_BAD_SRC (the destination may be
 * partly written then). Context: process context; may hold spinlocks.
 */
__must_check int as_copy_gather(struct addrspace *as, uint64_t uaddr, const struct as_piece *p,
				unsigned n);

/* ---- VirtualMemory (arch/x86_64/addrspace_vm.c) ---- */

/*
 * What an unmap took out, freed later by as_vm_release: frames, linked
 * through their first word, and the region records that left the map
 * (those showing a MemoryObject hold a reference to its pages).
 */
struct as_freed {
	paddr_t head;
	uint64_t count;
	struct vm_region *regions;
};

/*
 * Maps `bytes` (a page multiple) of demand-zero memory with prot
 * (AS_PROT_READ required; never write and execute together) at hint when
 * that range is free and inside the heap or mapping area, else at the
 * lowest free range of the mapping area; charges the account. Returns 0
 * and *va, or INVALID_ARGUMENT, QUOTA_EXCEEDED (the account, the region
 * limit or the area is exhausted) or NO_MEMORY; nothing changed on failure.
 */
__must_check int as_vm_map(struct addrspace *as, uint64_t hint, uint64_t bytes, uint32_t prot,
			   uint64_t *va);

/*
 * Unmaps [va, va + bytes), which must be wholly mapped by as_vm_map, and
 * gives its pages back to the account. The frames go to *freed; the caller
 * frees them with as_vm_release once no kernel window into them can be in
 * use (virtual_memory.c). INVALID_ARGUMENT (not page aligned, not wholly
 * mapped), QUOTA_EXCEEDED (a region would split beyond the limit),
 * NO_MEMORY; errors change nothing.
 */
__must_check int as_vm_unmap(struct addrspace *as, uint64_t va, uint64_t bytes,
			     struct as_freed *freed);
void as_vm_release(struct as_freed *freed);

/*
 * Maps all of a MemoryObject's pages (mm/shared_pages.h) with prot, which
 * must lie within max_prot (execute never: shared pages are W^X across
 * processes), at hint (page aligned; 0 for none) when that range is free,
 * else as as_vm_map places it. The region holds a reference to sp; nothing
 * is charged to as's account (the creator paid). Pages are shown at their
 * first touch (as_demand_fill_locked), never freed by this space. Returns 0
 * and *va, INVALID_ARGUMENT (prot, a misaligned hint), QUOTA_EXCEEDED (the
 * region limit or the area) or NO_MEMORY; nothing changed on failure.
 */
__must_check int as_vm_map_shared(struct addrspace *as, uint64_t hint, struct shared_pages *sp,
				  uint32_t prot, uint32_t max_prot, uint64_t *va);

/* True if one region starting at va shows all of sp (a PciDevice's DMA memory or BAR). */
bool as_vm_shows(struct addrspace *as, uint64_t va, const struct shared_pages *sp);

/*
 * Gives [va, va + bytes), wholly mapped, protection prot. Errors as
 * as_vm_unmap; INVALID_ARGUMENT also for a prot beyond what a MemoryObject
 * mapping allows (a read-only facet's, execute).
 */
__must_check int as_vm_protect(struct addrspace *as, uint64_t va, uint64_t bytes, uint32_t prot);

/*
 * Resolves a not-present fault at va of `as`, the current address space: a
 * page of a VirtualMemory region that allows the access and has no frame
 * yet gets a zeroed one. False if the fault is not one of those (then it
 * is an error).
 * Never while this CPU holds an address-space lock (as_locks_held).
 */
bool as_vm_fault(struct addrspace *as, uint64_t va, bool write, bool exec);

/* Address-space locks this CPU holds: a fault then is not resolved. */
uint32_t as_locks_held(void);

#endif
