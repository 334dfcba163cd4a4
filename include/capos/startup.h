/* SPDX-License-Identifier: MIT */
/*
 * capOS process start-up contract: the state a new process finds at its ELF
 * entry point, and the read-only CapSet page that lists its initial grants.
 *
 * At entry (ring 3, first thread):
 *   rdi  user address of the thread's ring (CAPOS_RING_VADDR)
 *   rsi  process id (informational: it conveys no authority)
 *   rdx  user address of the CapSet page (CAPOS_CAPSET_VADDR), or 0 if the
 *        process was given no capabilities
 *   rsp  CAPOS_USER_STACK_TOP, 16-byte aligned (as SysV expects at _start)
 *   fs   base = CAPOS_USER_TP (the x86-64 thread pointer)
 *   all other general registers are zero, rflags = 0x202 (IF set).
 * FPU state (the thread's own: the kernel saves and restores it at every
 * switch, so no other process sees or changes it) is the reset state:
 *   FCW 0x037F (x87 exceptions masked, 64-bit precision, round to nearest),
 *   FSW 0, every x87 register empty and zero (so MM0..MM7 are zero), FOP, FIP
 *   and FDP zero; MXCSR 0x1F80 (SIMD exceptions masked, round to nearest, no
 *   flush-to-zero or denormals-are-zero); XMM0..XMM15 zero; and where the
 *   kernel enabled AVX (CPUID.1:ECX.OSXSAVE set and XCR0 bits 1-2 set, read
 *   with xgetbv) the upper halves of YMM0..YMM15 zero. SSE is always usable;
 *   AVX only where XCR0 says so. No other XSAVE component is enabled.
 * Thread-local storage follows the x86-64 ELF TLS ABI (variant II): the
 * PT_TLS template (filesz bytes, then zeros up to memsz) is placed at
 * [TP - round_up(memsz, align), TP), and [TP, TP + 4096) is a zeroed
 * read-write TCB page whose first word holds TP itself (%fs:0 is the
 * self-pointer; %fs:0x28 is where -fstack-protector keeps its canary). The
 * TCB page exists even without PT_TLS. PT_TLS memsz is at most
 * CAPOS_USER_TLS_MAX and its alignment at most a page.
 * So `void _start(uint64_t ring, uint64_t pid, uint64_t capset)` receives them
 * as arguments.
 *
 * The CapSet lists grants in the order the spawner (or the boot manifest)
 * gave them. A name is NUL-padded and at most CAPOS_CAPSET_NAME_LEN - 1 bytes,
 * so it is always NUL-terminated. The runtime hands out a typed capability
 * only when interface_id matches the type asked for.
 *
 * Program arguments (M7) live on the same page: argc arguments, each a
 * NUL-terminated string of any bytes but NUL, one after another in
 * args[0..args_len). At most CAPOS_ARGS_MAX (16) arguments and
 * CAPOS_ARGS_BYTES (896) bytes with their NULs; an empty argument is just its
 * NUL. The bytes after args_len, and the last 64 bytes of the page, are zero.
 * argc and args_len took two of the header's reserved (zero) words, so a
 * process spawned without arguments, and a runtime older than them, sees
 * argc 0: the version stays 1. The runtime checks them against the page's
 * bounds before it reads one (user/lib/capset.c).
 */
#ifndef CAPOS_STARTUP_H
#define CAPOS_STARTUP_H

#include <capos/types.h>

#define CAPOS_CAPSET_MAGIC	0x54455343u	/* "CSET" little-endian */
#define CAPOS_CAPSET_VERSION	1u
#define CAPOS_CAPSET_NAME_LEN	32u
#define CAPOS_CAPSET_MAX	64u		/* entries; header + 64 * 48 <= one page */
#define CAPOS_ARGS_MAX		16u		/* program arguments */
#define CAPOS_ARGS_BYTES	896u		/* their bytes with one NUL each */
#define CAPOS_ARGS_OFFSET	3136u		/* args[] on the page: after the entries */
#define CAPOS_ARGS_TAIL		64u		/* zero bytes after args[]: reserved */

#ifndef __ASSEMBLY__
struct capos_capset_entry {
	uint8_t name[CAPOS_CAPSET_NAME_LEN];	/*  0: NUL-padded grant name */
	uint64_t interface_id;			/* 32: schema interface id */
	uint32_t cap_id;			/* 40: capos_cap_t in this process */
	uint32_t reserved;			/* 44: zero */
};
CAPOS_ABI_SIZE(struct capos_capset_entry, 48);
CAPOS_ABI_OFFSET(struct capos_capset_entry, name, 0);
CAPOS_ABI_OFFSET(struct capos_capset_entry, interface_id, 32);
CAPOS_ABI_OFFSET(struct capos_capset_entry, cap_id, 40);
CAPOS_ABI_OFFSET(struct capos_capset_entry, reserved, 44);

struct capos_capset {
	uint32_t magic;		/*  0: CAPOS_CAPSET_MAGIC */
	uint32_t version;	/*  4: CAPOS_CAPSET_VERSION */
	uint32_t count;		/*  8: valid entries, <= CAPOS_CAPSET_MAX */
	uint32_t entry_size;	/* 12: sizeof(struct capos_capset_entry) */
	uint64_t heap_base;	/* 16: where the heap starts (grows through VirtualMemory) */
	uint64_t heap_size;	/* 24: bytes mapped there at spawn: 0 since M5 */
	uint32_t argc;		/* 32: program arguments, <= CAPOS_ARGS_MAX */
	uint32_t args_len;	/* 36: bytes of args[] used, NULs included */
	uint64_t reserved[3];	/* 40: zero */
	struct capos_capset_entry entries[CAPOS_CAPSET_MAX]; /* 64 */
	uint8_t args[CAPOS_ARGS_BYTES];			/* 3136: the arguments */
	uint8_t reserved_tail[CAPOS_ARGS_TAIL];		/* 4032: zero */
};
CAPOS_ABI_SIZE(struct capos_capset, CAPOS_PAGE_SIZE);
CAPOS_ABI_OFFSET(struct capos_capset, magic, 0);
CAPOS_ABI_OFFSET(struct capos_capset, version, 4);
CAPOS_ABI_OFFSET(struct capos_capset, count, 8);
CAPOS_ABI_OFFSET(struct capos_capset, entry_size, 12);
CAPOS_ABI_OFFSET(struct capos_capset, heap_base, 16);
CAPOS_ABI_OFFSET(struct capos_capset, heap_size, 24);
CAPOS_ABI_OFFSET(struct capos_capset, argc, 32);
CAPOS_ABI_OFFSET(struct capos_capset, args_len, 36);
CAPOS_ABI_OFFSET(struct capos_capset, reserved, 40);
CAPOS_ABI_OFFSET(struct capos_capset, entries, 64);
CAPOS_ABI_OFFSET(struct capos_capset, args, CAPOS_ARGS_OFFSET);
CAPOS_ABI_OFFSET(struct capos_capset, reserved_tail, CAPOS_ARGS_OFFSET + CAPOS_ARGS_BYTES);
CAPOS_STATIC_ASSERT(CAPOS_ARGS_OFFSET == 64 + 48 * CAPOS_CAPSET_MAX,
		    "the arguments follow the last CapSet entry");
CAPOS_STATIC_ASSERT(sizeof(struct capos_capset) <= CAPOS_PAGE_SIZE,
		    "the CapSet fits in one page");
#endif /* !__ASSEMBLY__ */

#endif /* CAPOS_STARTUP_H */
