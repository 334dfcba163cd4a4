// SPDX-License-Identifier: MIT
/*
 * Kernel page tables.
 *
 * The final tables replace boot.S's throw-away identity map. The kernel half
 * (PML4 entries 256..511) is built once here and later shared by every
 * process's address space (M3): the direct map of physical memory, the kernel
 * image and the MMIO window. Mappings are global (CR4.PGE) so they survive CR3
 * switches.
 *
 * W^X: text is read-execute, rodata read-only, data and bss read-write and
 * never executable; the direct map and MMIO are never executable either. The
 * guard page below each stack in .bss.stacks stays unmapped, so an overflow
 * faults (and becomes a double fault on the IST stack) instead of corrupting.
 *
 * Boot time only, one CPU: no locking. MMIO mappings made after boot take
 * mmio_lock.
 */
#include "arch/arch.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/x86.h"
#include "lib/kprintf.h"
#include "lib/spinlock.h"
#include "lib/string.h"

#define PT_ENTRIES		512
#define PT_POOL_PAGES		96
#define SIZE_2M			(2ull << 20)
#define SIZE_1G			(1ull << 30)

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];
extern char boot_stack_guard[];
extern struct { char guard[4096]; char stack[IST_STACK_SIZE]; } boot_ist_stacks[3];

static uint64_t pt_pool[PT_POOL_PAGES][PT_ENTRIES] __attribute__((aligned(4096)));
static unsigned pt_pool_used;
static uint64_t *kernel_pml4;
static uint64_t pte_nx;
static uint64_t mmio_next = MMIO_WINDOW_BASE;
static struct spinlock mmio_lock = SPINLOCK_INIT_RANK(LOCK_RANK_MMIO);

static paddr_t image_virt_to_phys(const void *p)
{
	return (uint64_t)p - KERNEL_VMA;
}

static paddr_t (*table_frame_alloc)(void);

/*
 * Page tables come from a pool inside the image until the frame allocator
 * exists (paging_use_frame_allocator), then from it. Kernel tables are never
 * freed: the kernel half only grows.
 */
static paddr_t pt_alloc(void)
{
	if (table_frame_alloc) {
		paddr_t pa = table_frame_alloc();

		if (pa)
			memset((void *)(DIRECT_MAP_BASE + pa), 0, PAGE_SIZE);
		return pa;	/* 0: out of memory, the caller fails */
	}
	if (pt_pool_used == PT_POOL_PAGES)
		panic("paging: page-table pool exhausted (physical memory map too large)");
	return image_virt_to_phys(pt_pool[pt_pool_used++]);
}

void paging_use_frame_allocator(paddr_t (*alloc)(void))
{
	table_frame_alloc = alloc;
}

static unsigned va_index(vaddr_t va, unsigned level)
{
	return (va >> (12 + 9 * level)) & 0x1ff;
}

/* Every table is reached through the direct map (the early map covers the image too). */
static uint64_t *table_virt(uint64_t entry)
{
	return (uint64_t *)((entry & PTE_ADDR_MASK) + DIRECT_MAP_BASE);
}

/* Returns the table one level below `table[index]`, creating it when absent. */
static uint64_t *next_table(uint64_t *table, unsigned index)
{
	if (!(table[index] & PTE_P)) {
		paddr_t pa = pt_alloc();

		if (!pa)
			return NULL;
		table[index] = pa | PTE_P | PTE_W;
	}
	return table_virt(table[index]);
}

/*
 * Every top-level slot of the kernel half that will ever hold kernel mappings
 * gets its table now, so address spaces that copy the kernel half at creation
 * (mm/addrspace.c) see later kernel mappings (stacks, MMIO) without updates.
 */
static void precreate_kernel_slots(void)
{
	next_table(kernel_pml4, va_index(DIRECT_MAP_BASE, 3));
	next_table(kernel_pml4, va_index(KSTACK_AREA_BASE, 3));
	next_table(kernel_pml4, va_index(KERNEL_VMA, 3));
	next_table(kernel_pml4, va_index(MMIO_WINDOW_BASE, 3));
}

/* Finds the PTE for va in the kernel tables, creating tables; NULL when out of memory. */
static uint64_t *kernel_pte(vaddr_t va)
{
	uint64_t *pdpt = next_table(kernel_pml4, va_index(va, 3));
	uint64_t *pd = pdpt ? next_table(pdpt, va_index(va, 2)) : NULL;
	uint64_t *pt = pd ? next_table(pd, va_index(va, 1)) : NULL;

	return pt ? &pt[va_index(va, 0)] : NULL;
}

static bool map_4k(vaddr_t va, paddr_t pa, uint64_t flags)
{
	uint64_t *pte = kernel_pte(va);

	if (pte)
		*pte = pa | flags | PTE_P;
	return pte != NULL;
}

static void map_direct_span(paddr_t base, paddr_t end, bool has_1g_pages)
{
	const uint64_t flags = PTE_P | PTE_W | PTE_G | PTE_PS | pte_nx;

	for (paddr_t pa = base; pa < end;) {
		vaddr_t va = DIRECT_MAP_BASE + pa;
		uint64_t *pdpt = next_table(kernel_pml4, va_index(va, 3));

		if (pdpt[va_index(va, 2)] & PTE_PS) {	/* an earlier span mapped this GiB */
			pa = (pa & ~(SIZE_1G - 1)) + SIZE_1G;
			continue;
		}
		if (has_1g_pages && (pa & (SIZE_1G - 1)) == 0 && end - pa >= SIZE_1G) {
			pdpt[va_index(va, 2)] = pa | flags;
			pa += SIZE_1G;
			continue;
		}
		uint64_t *pd = next_table(pdpt, va_index(va, 2));
		pd[va_index(va, 1)] = pa | flags;
		pa += SIZE_2M;
	}
}

static void map_image_range(const char *start, const char *end, uint64_t flags)
{
	for (const char *p = start; p < end; p += PAGE_SIZE)
		(void)!map_4k((vaddr_t)p, image_virt_to_phys(p), flags | PTE_G);	/* pool: panics */
}

static bool is_guard_page(const char *p)
{
	if (p == boot_stack_guard)
		return true;
	for (int i = 0; i < 3; i++)
		if (p == boot_ist_stacks[i].guard)
			return true;
	return false;
}

static void map_kernel_image(void)
{
	map_image_range(__text_start, __text_end, 0);			/* RX */
	map_image_range(__rodata_start, __rodata_end, pte_nx);		/* R */
	for (const char *p = __data_start; p < __data_end; p += PAGE_SIZE)
		if (!is_guard_page(p))
			(void)!map_4k((vaddr_t)p, image_virt_to_phys(p), PTE_W | PTE_G | pte_nx);
}

paddr_t paging_init(const struct phys_span *ram, size_t n, bool has_nx, bool has_1g_pages)
{
	paddr_t top = 0;

	pte_nx = has_nx ? PTE_NX : 0;
	kernel_pml4 = table_virt(pt_alloc());
	precreate_kernel_slots();
	for (size_t i = 0; i < n; i++) {
		paddr_t base = ram[i].base & ~(SIZE_2M - 1);
		paddr_t end = ram[i].base + ram[i].len;

		if (ram[i].len == 0 || end < ram[i].base || base >= DIRECT_MAP_MAX)
			continue;
		end = end > DIRECT_MAP_MAX ? DIRECT_MAP_MAX : (end + SIZE_2M - 1) & ~(SIZE_2M - 1);
		map_direct_span(base, end, has_1g_pages);
		if (end > top)
			top = end;
	}
	map_kernel_image();
	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(paging_kernel_root());
	return top;
}

paddr_t paging_kernel_root(void)
{
	return (uint64_t)kernel_pml4 - DIRECT_MAP_BASE;
}

const uint64_t *paging_kernel_pml4(void)
{
	return kernel_pml4;
}

bool paging_map_kernel_page(vaddr_t va, paddr_t pa)
{
	spin_lock(&mmio_lock);
	bool ok = map_4k(va, pa, PTE_W | PTE_G | pte_nx);
	spin_unlock(&mmio_lock);
	return ok;
}

void paging_unmap_kernel_page(vaddr_t va)
{
	spin_lock(&mmio_lock);
	uint64_t *pte = kernel_pte(va);
	if (pte)
		*pte = 0;
	spin_unlock(&mmio_lock);
	invlpg(va);	/* this CPU only: the caller shoots down the others (tlb.h) */
}

paddr_t paging_kernel_page_phys(vaddr_t va)
{
	spin_lock(&mmio_lock);
	uint64_t *pte = kernel_pte(va);
	uint64_t e = pte ? *pte : 0;
	spin_unlock(&mmio_lock);
	return (e & PTE_P) ? (e & PTE_ADDR_MASK) : 0;
}

uint64_t paging_nx_bit(void)
{
	return pte_nx;
}

void *paging_map_mmio(paddr_t pa)
{
	spin_lock(&mmio_lock);
	vaddr_t va = mmio_next;
	if (va - MMIO_WINDOW_BASE >= MMIO_WINDOW_SIZE)
		panic("paging: MMIO window full");
	mmio_next += PAGE_SIZE;
	if (!map_4k(va, pa & PTE_ADDR_MASK, PTE_W | PTE_PCD | PTE_PWT | PTE_G | pte_nx))
		panic("paging: out of memory for an MMIO mapping");
	spin_unlock(&mmio_lock);
	invlpg(va);
	return (void *)(va + (pa & (PAGE_SIZE - 1)));
}
