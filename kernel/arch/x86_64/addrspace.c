// SPDX-License-Identifier: MIT
/*
 * User address spaces: creation, mapping, teardown and copies. See
 * addrspace.h for the model. Page-table walks are iterative with a fixed depth
 * of four, and every loop is bounded by the page count of the request.
 */
#include <capos/errors.h>
#include <capos/layout.h>

#include "arch/x86_64/addrspace_impl.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/uaccess.h"
#include "arch/x86_64/x86.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "ring/seam.h"

void as_lock(struct addrspace *as)
{
	spin_lock(&as->lock);
	this_cpu()->as_locks++;
}

void as_unlock(struct addrspace *as)
{
	this_cpu()->as_locks--;
	spin_unlock(&as->lock);
}

uint32_t as_locks_held(void)
{
	return this_cpu()->as_locks;
}

int as_alloc_zeroed(struct addrspace *as, paddr_t *out)
{
	if (frame_alloc(0, as->owner, out) != 0)
		return CAPOS_ERR_NO_MEMORY;
	memset(arch_phys_to_virt(*out), 0, PAGE_SIZE);
	as->frames++;
	return 0;
}

int as_create(struct addrspace *as, uint32_t owner)
{
	const uint64_t *kernel = paging_kernel_pml4();

	spin_init_class(&as->lock, LOCK_RANK_ADDRSPACE);
	as->owner = owner;
	as->frames = 0;
	as->hint_page = 0;	/* page 0 is never user memory: no hint */
	as->hint_kva = NULL;
	as->unmap_epoch = 0;
	vm_map_init(&as->vm);
	as->account = NULL;
	as->table_pages = 0;
	int err = as_alloc_zeroed(as, &as->root);
	if (err)
		return err;
	memcpy(table_at(as->root) + USER_PML4_ENTRIES, kernel + USER_PML4_ENTRIES,
	       USER_PML4_ENTRIES * sizeof(uint64_t));
	return 0;
}

uint64_t *as_walk_locked(struct addrspace *as, vaddr_t va, bool create)
{
	uint64_t *table = table_at(as->root);

	assert_held(&as->lock);
	for (unsigned level = 3; level > 0; level--) {
		uint64_t *e = &table[va_index(va, level)];

		if (!(*e & PTE_P)) {
			paddr_t pa;

			if (!create || as_alloc_zeroed(as, &pa) != 0)
				return NULL;
			*e = pa | PTE_P | PTE_W | PTE_U;
		}
		table = table_at(*e);
	}
	return &table[va_index(va, 0)];
}

uint64_t as_prot_to_pte(uint32_t prot)
{
	uint64_t pte = PTE_P | PTE_U;

	if (prot & AS_PROT_WRITE)
		pte |= PTE_W;
	if (!(prot & AS_PROT_EXEC))
		pte |= paging_nx_bit();
	return pte;
}

static int check_map_args(vaddr_t va, uint64_t npages, uint32_t prot)
{
	if ((va & (PAGE_SIZE - 1)) || npages > CAPOS_USER_END / PAGE_SIZE ||
	    !is_user_range(va, npages * PAGE_SIZE))
		return CAPOS_ERR_BAD_ADDRESS;
	if ((prot & AS_PROT_WRITE) && (prot & AS_PROT_EXEC))
		return CAPOS_ERR_INVALID_ARGUMENT;	/* W^X */
	return 0;
}

/* Maps pages at va: fresh zeroed frames when `borrowed` is 0, else borrowed + i pages. */
static int map_pages(struct addrspace *as, vaddr_t va, uint64_t npages, uint32_t prot,
		     paddr_t borrowed)
{
	int err = check_map_args(va, npages, prot);

	as_lock(as);
	for (uint64_t i = 0; i < npages && !err; i++) {
		uint64_t *pte = as_walk_locked(as, va + i * PAGE_SIZE, true);
		paddr_t pa = borrowed + i * PAGE_SIZE;

		if (!pte)
			err = CAPOS_ERR_NO_MEMORY;
		else if (*pte & PTE_P)
			err = CAPOS_ERR_INVALID_ARGUMENT;
		else if (borrowed)
			*pte = pa | as_prot_to_pte(prot) | PTE_BORROWED;
		else if ((err = as_alloc_zeroed(as, &pa)) == 0)
			*pte = pa | as_prot_to_pte(prot);
	}
	as_unlock(as);
	return err;
}

int as_map_zeroed(struct addrspace *as, vaddr_t va, uint64_t npages, uint32_t prot)
{
	return map_pages(as, va, npages, prot, 0);
}

int as_map_borrowed(struct addrspace *as, vaddr_t va, paddr_t pa, uint64_t npages, uint32_t prot)
{
	if (pa == 0 || (pa & (PAGE_SIZE - 1)))
		return CAPOS_ERR_INVALID_ARGUMENT;
	return map_pages(as, va, npages, prot, pa);
}

void *as_page_kva(struct addrspace *as, vaddr_t va)
{
	void *kva = NULL;

	if (!is_user_range(va, 1))
		return NULL;
	as_lock(as);
	uint64_t *pte = lookup_locked(as, va);
	if (pte && (*pte & PTE_P) && !(*pte & PTE_DEVICE))
		kva = (char *)table_at(*pte) + (va & (PAGE_SIZE - 1));
	as_unlock(as);
	return kva;
}

/* True if the CPU is in `as`, so its user memory can be reached directly (uaccess.h). */
static inline bool as_is_current(const struct addrspace *as)
{
	return read_cr3() == as->root;
}

/*
 * The kernel address of va in `as` if its page is mapped with `need`, else
 * NULL; a VirtualMemory page not touched yet that allows the access gets its
 * zeroed frame here. Caller holds as->lock.
 */
static inline char *page_kva_locked(struct addrspace *as, uint64_t va, uint64_t need)
{
	uint64_t *pte;

	assert_held(&as->lock);
	pte = lookup_locked(as, va);
	if (!pte || !(*pte & PTE_P))
		pte = as_demand_fill_locked(as, va, need);
	if (!pte || (*pte & (need | PTE_DEVICE)) != need)
		return NULL;	/* device memory is not in the direct map */
	return (char *)table_at(*pte) + (va & (PAGE_SIZE - 1));
}

/* as_window's page walk, when the hint is another page. Caller holds as->lock. */
static __attribute__((noinline)) char *window_walk_locked(struct addrspace *as, uint64_t page)
{
	char *kva;

	assert_held(&as->lock);
	kva = page_kva_locked(as, page, PTE_P | PTE_U | PTE_W);
	if (kva) {
		as->hint_page = page;
		as->hint_kva = kva;
	}
	return kva;
}

void *as_window(struct addrspace *as, uint64_t uaddr, size_t n)
{
	uint64_t off = uaddr & (PAGE_SIZE - 1), page = uaddr - off;
	char *kva;

	/* 1 to PAGE_SIZE - off bytes, so the page is the range's only one. */
	if (n - 1 >= PAGE_SIZE - off || page < CAPOS_USER_MIN || page >= CAPOS_USER_END)
		return NULL;
	as_lock(as);
	kva = as->hint_page == page ? as->hint_kva : window_walk_locked(as, page);
	as_unlock(as);
	return kva ? kva + off : NULL;
}

/* Page-walking copy for an address space the CPU is not in; `to_user` needs writable pages. */
static int copy_walk(struct addrspace *as, uint64_t uaddr, void *kbuf, size_t n, bool to_user)
{
	uint64_t need = PTE_P | PTE_U | (to_user ? PTE_W : 0);
	int err = 0;

	as_lock(as);
	for (size_t done = 0; done < n;) {
		uint64_t va = uaddr + done;
		size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		char *page = page_kva_locked(as, va, need);

		if (!page) {
			err = CAPOS_ERR_BAD_ADDRESS;
			break;
		}
		chunk = chunk < n - done ? chunk : n - done;
		if (to_user)
			memcpy(page, (char *)kbuf + done, chunk);
		else
			memcpy((char *)kbuf + done, page, chunk);
		done += chunk;
	}
	as_unlock(as);
	return err;
}

/* as_check_access for an address space the CPU is not in (or a read): a page walk. */
static __attribute__((noinline)) int check_walk(struct addrspace *as, uint64_t uaddr, size_t n,
						uint64_t need)
{
	int err = 0;

	as_lock(as);
	for (uint64_t va = uaddr & ~(PAGE_SIZE - 1); va < uaddr + n && !err; va += PAGE_SIZE) {
		if (!page_kva_locked(as, va, need))
			err = CAPOS_ERR_BAD_ADDRESS;
	}
	as_unlock(as);
	return err;
}

int as_check_access(struct addrspace *as, uint64_t uaddr, size_t n, uint32_t prot)
{
	if (n == 0)
		return 0;
	if (!is_user_range(uaddr, n))
		return CAPOS_ERR_BAD_ADDRESS;
	if ((prot & AS_PROT_WRITE) && as_is_current(as))
		return uaccess_probe_write(uaddr, uaddr + n);
	return check_walk(as, uaddr, n, PTE_P | PTE_U | (prot & AS_PROT_WRITE ? PTE_W : 0));
}

/* A copy between kernel memory and user memory of `as`; `to_user` needs writable pages. */
static int copy_user(struct addrspace *as, uint64_t uaddr, void *kbuf, size_t n, bool to_user)
{
	if (n == 0)
		return 0;
	if (!is_user_range(uaddr, n))
		return CAPOS_ERR_BAD_ADDRESS;
	if (!as_is_current(as))
		return copy_walk(as, uaddr, kbuf, n, to_user);
	if (to_user)
		return uaccess_copy((void *)uaddr, kbuf, n);
	return uaccess_copy(kbuf, (const void *)uaddr, n);
}

int as_copy_in(struct addrspace *as, void *dst, uint64_t uaddr, size_t n)
{
	return copy_user(as, uaddr, dst, n, false);
}

int as_copy_out(struct addrspace *as, uint64_t uaddr, const void *src, size_t n)
{
	return copy_user(as, uaddr, (void *)src, n, true);
}

/* The pieces' total length, or UINT64_MAX if a user piece is outside the user half. */
static uint64_t pieces_len(const struct as_piece *p, unsigned n)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < n; i++) {
		if (!p[i].kptr && p[i].len && !is_user_range(p[i].uaddr, p[i].len))
			return UINT64_MAX;
		total += p[i].len;
	}
	return total;
}

static inline const void *piece_src(const struct as_piece *p, size_t off)
{
	return p->kptr ? (const char *)p->kptr + off : (const void *)(p->uaddr + off);
}

/* Reads one byte of each page of the user pieces (of the current address space). */
static int prefault_sources(const struct as_piece *p, unsigned n)
{
	uint8_t byte;

	for (unsigned i = 0; i < n; i++) {
		if (p[i].kptr || !p[i].len)
			continue;
		uint64_t end = p[i].uaddr + p[i].len;

		for (uint64_t va = p[i].uaddr; va < end; va = (va | (PAGE_SIZE - 1)) + 1)
			if (uaccess_copy(&byte, (const void *)va, 1))
				return AS_BAD_SRC;
	}
	return 0;
}

/* Copies the pieces to consecutive kernel addresses from kva, `len` bytes from piece *i at *off. */
static int gather_chunk(char *kva, size_t len, const struct as_piece *p, unsigned n, unsigned *i,
			size_t *off)
{
	while (len && *i < n) {
		size_t take = p[*i].len - *off < len ? p[*i].len - *off : len;

		if (take && uaccess_copy(kva, piece_src(&p[*i], *off), take))
			return AS_BAD_SRC;
		kva += take;
		len -= take;
		*off += take;
		if (*off == p[*i].len) {
			++*i;
			*off = 0;
		}
	}
	return 0;
}

int as_copy_gather(struct addrspace *as, uint64_t uaddr, const struct as_piece *p, unsigned n)
{
	uint64_t total = pieces_len(p, n);
	size_t off = 0, done = 0;
	unsigned i = 0;
	int err = 0;

	if (total == UINT64_MAX)
		return AS_BAD_SRC;
	if (total == 0)
		return 0;
	if (!is_user_range(uaddr, total))
		return AS_BAD_DST;
	if (as_is_current(as)) {
		/* Probed first, so a fault while copying can only be the source's. */
		if (uaccess_probe_write(uaddr, uaddr + total))
			return AS_BAD_DST;
		return gather_chunk((char *)uaddr, total, p, n, &i, &off);
	}
	/* The sources' demand-zero pages are filled in now: not under as->lock. */
	if (prefault_sources(p, n))
		return AS_BAD_SRC;
	as_lock(as);
	while (done < total && !err) {
		uint64_t va = uaddr + done;
		size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		char *page = page_kva_locked(as, va, PTE_P | PTE_U | PTE_W);

		chunk = chunk < total - done ? chunk : total - done;
		err = page ? gather_chunk(page, chunk, p, n, &i, &off) : AS_BAD_DST;
		done += chunk;
	}
	as_unlock(as);
	return err;
}

/* Frees a table and everything below it; level 0 tables hold user pages. */
static void free_subtree(paddr_t table_pa, unsigned level)
{
	uint64_t *table = table_at(table_pa);

	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		if (!(table[i] & PTE_P))
			continue;
		if (level > 0)
			free_subtree(table[i] & PTE_ADDR_MASK, level - 1);	/* depth <= 3 */
		else if (!(table[i] & PTE_BORROWED))
			frame_release(table[i] & PTE_ADDR_MASK, 0);
	}
	frame_release(table_pa & PTE_ADDR_MASK, 0);
}

void as_destroy(struct addrspace *as)
{
	uint64_t *pml4 = table_at(as->root);

	/* No CPU may keep entries (or cached tables) of what is freed below. */
	if (this_cpu()->user_root == as->root && read_cr3() != as->root)
		this_cpu()->user_root = 0;	/* left already (proc_exit): not resident here */
	(void)tlb_shootdown(as->root, 0, TLB_FLUSH_ALL_PAGES + 1);
	for (unsigned i = 0; i < USER_PML4_ENTRIES; i++)
		if (pml4[i] & PTE_P)
			free_subtree(pml4[i] & PTE_ADDR_MASK, 2);
	frame_release(as->root, 0);
	/* After the tables: a MemoryObject's last reference may go, and its frames with it. */
	as_vm_destroy(as);
	as->root = 0;
	as->frames = 0;
	as->hint_page = 0;
	as->hint_kva = NULL;
}

void as_activate(const struct addrspace *as)
{
	write_cr3(as->root);
}
