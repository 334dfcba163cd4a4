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
 * the direct map. User pages are never unmapped while their process lives,
 * so a translation stays good while the caller keeps the process alive.
 *
 * Locking: `lock` guards the tables. Leaf lock (only the frame lock nests in it).
 */
#ifndef CAPOS_KERNEL_MM_ADDRSPACE_H
#define CAPOS_KERNEL_MM_ADDRSPACE_H

#include "lib/spinlock.h"
#include "lib/types.h"

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
	uint32_t unmap_epoch;	/* see as_unmap_epoch() */
};

/*
 * Counts the changes that take a user page away or make it read-only.
 * Nothing does either yet (pages stay until the process ends), so it stays
 * 0; whatever starts to (M5 paging) must bump it, and forget hint_page,
 * because windows and IPC buffer claims (ipc/claim.h) are kept across it.
 */
static inline uint32_t as_unmap_epoch(const struct addrspace *as)
{
	return __atomic_load_n(&as->unmap_epoch, __ATOMIC_ACQUIRE);
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

#endif
