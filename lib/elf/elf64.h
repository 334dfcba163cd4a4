/* SPDX-License-Identifier: MIT */
/*
 * ELF64 validation for the program loader: turns an untrusted image (bytes
 * and a length, e.g. a binary from the boot package) into a load plan that
 * the kernel can map without further checks. Pure: no allocation, no
 * globals, no libc; the same file builds for the kernel, user space and
 * host tests.
 *
 * Accepted images are static x86_64 little-endian ET_EXEC files whose
 * PT_LOAD segments lie inside the caller's user range, are W^X, occupy
 * disjoint pages, keep vaddr and file offset congruent modulo the page size,
 * and contain the entry point in an executable segment. PT_LOAD segments with
 * memsz 0 are ignored; PT_INTERP or PT_DYNAMIC (dynamic linking) are refused;
 * other program headers (notes, GNU_STACK, ...) are ignored. ET_DYN (PIE) is
 * refused: the plan has no load bias and no relocations.
 *
 * The plan refers to the image by file offsets; the caller keeps the image
 * alive and unchanged while it loads it (copy it into kernel memory first if
 * user space can still write it).
 */
#ifndef CAPOS_LIB_ELF_ELF64_H
#define CAPOS_LIB_ELF_ELF64_H

#include <stddef.h>
#include <stdint.h>

#define ELF64_MAX_SEGMENTS	16	/* PT_LOAD segments in a plan */

#define ELF64_SEG_R		(1u << 0)
#define ELF64_SEG_W		(1u << 1)
#define ELF64_SEG_X		(1u << 2)

/* Every reason an image can be refused; each check has its own code. */
#define ELF64_ERRORS(X)                                                                     \
	X(TOO_SMALL, -1, "image is shorter than the ELF header")                            \
	X(MAGIC, -2, "not an ELF file (bad magic)")                                         \
	X(CLASS, -3, "not a 64-bit ELF file")                                               \
	X(DATA, -4, "not little-endian")                                                    \
	X(VERSION, -5, "unknown ELF version")                                               \
	X(MACHINE, -6, "not an x86_64 image")                                               \
	X(TYPE, -7, "not a static executable (ET_EXEC)")                                    \
	X(EHSIZE, -8, "ELF header size is wrong")                                           \
	X(PHENTSIZE, -9, "program header entry size is wrong")                              \
	X(PHNUM, -10, "no program headers, or an extended count")                           \
	X(PHDRS_BOUNDS, -11, "program header table lies outside the image")                 \
	X(TOO_MANY_SEGMENTS, -12, "more PT_LOAD segments than the plan holds")              \
	X(NO_SEGMENTS, -13, "no loadable segment")                                          \
	X(FILE_BOUNDS, -14, "segment file range lies outside the image")                    \
	X(FILESZ, -15, "segment file size exceeds its memory size")                         \
	X(ADDR_OVERFLOW, -16, "segment address range wraps around")                         \
	X(ADDR_RANGE, -17, "segment lies outside the user address range")                   \
	X(WX, -18, "segment is both writable and executable")                               \
	X(OVERLAP, -19, "two segments share a page")                                        \
	X(ALIGN, -20, "segment address and file offset differ modulo the page size")        \
	X(ENTRY, -21, "entry point is not in an executable segment")                        \
	X(TLS, -22, "bad or duplicate PT_TLS segment")                                      \
	X(DYNAMIC, -23, "image needs dynamic linking (PT_INTERP or PT_DYNAMIC)")            \
	X(LIMITS, -24, "caller's limits are invalid")

enum elf64_err {
	ELF64_OK = 0,
#define ELF64_ERR_ENUM_(name, value, msg) ELF64_ERR_##name = (value),
	ELF64_ERRORS(ELF64_ERR_ENUM_)
#undef ELF64_ERR_ENUM_
};

/* What the loader allows; addresses are [user_min, user_end). */
struct elf64_limits {
	uint64_t user_min;	/* lowest address a segment may touch (no null page) */
	uint64_t user_end;	/* exclusive upper bound, <= 0x0000800000000000 */
	uint64_t page_size;	/* power of two, >= 4096 */
	uint64_t tls_max;	/* largest PT_TLS memsz accepted */
};

struct elf64_segment {
	uint64_t vaddr;		/* first byte in memory (not page-rounded) */
	uint64_t memsz;		/* bytes in memory; filesz..memsz are zero-filled */
	uint64_t offset;	/* file offset of the first byte */
	uint64_t filesz;	/* bytes copied from the image */
	uint32_t flags;		/* ELF64_SEG_R/W/X */
	uint32_t _pad;
};

struct elf64_plan {
	uint64_t entry;		/* user entry point, inside an X segment */
	uint64_t lowest;	/* page-rounded lowest address of any segment */
	uint64_t highest;	/* page-rounded end (exclusive) of the highest segment */
	uint32_t nsegs;		/* valid entries in segs[], in program header order */
	uint32_t has_tls;	/* 1 if tls is filled */
	struct elf64_segment segs[ELF64_MAX_SEGMENTS];
	struct elf64_segment tls; /* TLS template: vaddr, sizes, file range */
	uint64_t tls_align;	/* PT_TLS alignment (1 if none given) */
};

/*
 * Validate image[0, len) against lim and fill *out. Returns 0, or a negative
 * ELF64_ERR_* naming the first check that failed (then *out is unspecified).
 * Reads only inside the image; never writes outside *out.
 */
int elf64_plan(const void *image, size_t len, const struct elf64_limits *lim,
	       struct elf64_plan *out) __attribute__((warn_unused_result));

/*
 * Produce one page of a planned segment's initial memory: dst (page_size
 * bytes) receives the image bytes that fall into the page at page_va and
 * zeros everywhere else (the part of the page before the segment, the bss
 * tail, the rest of the last page). page_va must be page-aligned and inside
 * the segment's page span. The kernel loads a segment by allocating a frame
 * for each page of the span, filling it with this, and mapping it with the
 * segment's flags. Returns 0, ELF64_ERR_ADDR_RANGE if page_va is not a page
 * of the segment, or ELF64_ERR_FILE_BOUNDS if seg does not fit image[0, len)
 * (a plan made from another image).
 */
int elf64_fill_page(const void *image, size_t len, const struct elf64_segment *seg,
		    uint64_t page_va, uint64_t page_size, void *dst)
	__attribute__((warn_unused_result));

/* One-line description of an ELF64_ERR_* value. */
const char *elf64_strerror(int err);

#endif /* CAPOS_LIB_ELF_ELF64_H */
