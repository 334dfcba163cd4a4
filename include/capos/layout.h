/* SPDX-License-Identifier: MIT */
/*
 * capOS canonical user address layout. Every user address space uses the
 * lower canonical half only (below 0x0000_8000_0000_0000); the kernel owns
 * the upper half. Regions, low to high:
 *
 *   [0, USER_MIN)                    never mapped: catches null dereferences
 *   [IMAGE_MIN, IMAGE_END)           ELF PT_LOAD segments (linker base 0x400000)
 *   [HEAP_BASE, +HEAP_MAX)           runtime heap, grown through VirtualMemory (M5)
 *   [MAP_BASE, MAP_END)              VirtualMemory / MemoryObject mappings (M5)
 *   [STACK_TOP - STACK_MAX, STACK_TOP)  first thread's stack (grows down),
 *                                    STACK_INIT bytes mapped at spawn; thread
 *                                    stacks (M8) go below it, above MAP_END
 *   [SYS_BASE, SYS_END)              kernel-placed objects: the CapSet page,
 *                                    the first thread's TLS block (below
 *                                    USER_TP) and TCB page (at USER_TP), and the rings
 *                                    (ring n at RING_VADDR + n * RING_STRIDE)
 *   [USER_END, 0x0000_8000_0000_0000) the last page: never mapped, so a syscall
 *                                    instruction can never return (sysret) to a
 *                                    non-canonical RIP
 *
 * Fixed addresses keep the start-up contract (capos/startup.h) simple and
 * make a stray pointer easy to classify in a fault dump. Address-space
 * layout randomisation, if ever wanted, moves these behind the CapSet page.
 */
#ifndef CAPOS_LAYOUT_H
#define CAPOS_LAYOUT_H

#include <capos/types.h>

#define CAPOS_USER_MIN		0x0000000000010000ull	/* lowest mappable address */
#define CAPOS_USER_END		0x00007ffffffff000ull	/* exclusive; last page unmapped */
#define CAPOS_USER_HALF_END	0x0000800000000000ull	/* first non-canonical address */

#define CAPOS_USER_IMAGE_MIN	CAPOS_USER_MIN
#define CAPOS_USER_IMAGE_END	0x0000000100000000ull	/* images live below 4 GiB */

#define CAPOS_USER_HEAP_BASE	0x0000100000000000ull
#define CAPOS_USER_HEAP_MAX	0x0000010000000000ull	/* 1 TiB of address space */
#define CAPOS_USER_HEAP_INIT	0x0000000000100000ull	/* M3's heap; none is mapped since M5 */

#define CAPOS_USER_MAP_BASE	0x0000200000000000ull
#define CAPOS_USER_MAP_END	0x0000700000000000ull

#define CAPOS_USER_STACK_TOP	0x00007ffe00000000ull	/* first thread, 16-byte aligned */
#define CAPOS_USER_STACK_MAX	0x0000000000800000ull	/* 8 MiB reserved */
#define CAPOS_USER_STACK_INIT	0x0000000000010000ull	/* 64 KiB mapped at spawn */

#define CAPOS_USER_SYS_BASE	0x00007fff00000000ull
#define CAPOS_CAPSET_VADDR	0x00007fff00000000ull	/* one read-only page */
#define CAPOS_USER_TLS_VADDR	0x00007fff00010000ull	/* first thread's TLS region (64 KiB) */
#define CAPOS_USER_TLS_MAX	0x000000000000f000ull	/* PT_TLS memsz limit, 60 KiB */
#define CAPOS_USER_TP		(CAPOS_USER_TLS_VADDR + CAPOS_USER_TLS_MAX) /* FS base; TCB page */
#define CAPOS_RING_VADDR	0x00007fff00100000ull	/* ring 0 (first thread) */
#define CAPOS_RING_STRIDE	0x0000000000010000ull	/* 16 KiB ring + unmapped gap */
#define CAPOS_RING_MAX		256u			/* rings per process (M8) */
#define CAPOS_USER_SYS_END	(CAPOS_RING_VADDR + CAPOS_RING_MAX * CAPOS_RING_STRIDE)

#ifndef __ASSEMBLY__
CAPOS_STATIC_ASSERT(CAPOS_USER_MIN < CAPOS_USER_IMAGE_END &&
			    CAPOS_USER_IMAGE_END <= CAPOS_USER_HEAP_BASE &&
			    CAPOS_USER_HEAP_BASE + CAPOS_USER_HEAP_MAX <= CAPOS_USER_MAP_BASE &&
			    CAPOS_USER_MAP_BASE < CAPOS_USER_MAP_END &&
			    CAPOS_USER_MAP_END <= CAPOS_USER_STACK_TOP - CAPOS_USER_STACK_MAX &&
			    CAPOS_USER_STACK_TOP < CAPOS_USER_SYS_BASE &&
			    CAPOS_USER_SYS_END <= CAPOS_USER_END &&
			    CAPOS_USER_END < CAPOS_USER_HALF_END,
		    "user regions are ordered and disjoint");
CAPOS_STATIC_ASSERT(CAPOS_CAPSET_VADDR + CAPOS_PAGE_SIZE <= CAPOS_USER_TLS_VADDR &&
			    CAPOS_USER_TP + CAPOS_PAGE_SIZE <= CAPOS_RING_VADDR &&
			    CAPOS_USER_TP % CAPOS_PAGE_SIZE == 0,
		    "system window objects do not overlap");
CAPOS_STATIC_ASSERT(CAPOS_USER_STACK_TOP % 16 == 0, "the stack top is 16-byte aligned");
CAPOS_STATIC_ASSERT(CAPOS_RING_VADDR % CAPOS_PAGE_SIZE == 0 &&
			    CAPOS_RING_STRIDE % CAPOS_PAGE_SIZE == 0,
		    "rings are page aligned");
#endif /* !__ASSEMBLY__ */

#endif /* CAPOS_LAYOUT_H */
