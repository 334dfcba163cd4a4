// SPDX-License-Identifier: MIT
/*
 * ELF64 image validation and load planning (see elf64.h for the contract).
 *
 * The image is untrusted. Every field is read byte by byte as little-endian
 * (no alignment assumptions, no casts of the image to structs), every range
 * is checked before the arithmetic that uses it can overflow, and every loop
 * is bounded by e_phnum (at most 65534) and ELF64_MAX_SEGMENTS. Checks run
 * in a fixed order so each image gets one deterministic error: the ELF
 * header, then each program header in table order, then the cross-segment
 * checks (overlap, entry point).
 */
#include "elf/elf64.h"

#define EH_SIZE		64	/* sizeof(Elf64_Ehdr) */
#define PH_SIZE		56	/* sizeof(Elf64_Phdr) */
#define EM_X86_64	62
#define ET_EXEC		2
#define PN_XNUM		0xffff
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_TLS		7
#define PF_X		1u
#define PF_W		2u
#define PF_R		4u
#define USER_HALF_END	0x0000800000000000ull

/* A program header decoded from the image. */
struct elf64_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

static uint64_t elf64_rd(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = (v << 8) | p[bytes];
	return v;
}

static int elf64_check_limits(const struct elf64_limits *lim)
{
	uint64_t pg = lim->page_size;

	if (pg < 4096 || (pg & (pg - 1)) != 0)
		return ELF64_ERR_LIMITS;
	if (lim->user_min == 0 || lim->user_min % pg || lim->user_end % pg)
		return ELF64_ERR_LIMITS;
	if (lim->user_min >= lim->user_end || lim->user_end > USER_HALF_END)
		return ELF64_ERR_LIMITS;
	return ELF64_OK;
}

static int elf64_check_ident(const uint8_t *img, size_t len)
{
	if (len < EH_SIZE)
		return ELF64_ERR_TOO_SMALL;
	if (img[0] != 0x7f || img[1] != 'E' || img[2] != 'L' || img[3] != 'F')
		return ELF64_ERR_MAGIC;
	if (img[4] != 2)
		return ELF64_ERR_CLASS;
	if (img[5] != 1)
		return ELF64_ERR_DATA;
	if (img[6] != 1 || elf64_rd(img + 20, 4) != 1)
		return ELF64_ERR_VERSION;
	if (elf64_rd(img + 18, 2) != EM_X86_64)
		return ELF64_ERR_MACHINE;
	if (elf64_rd(img + 16, 2) != ET_EXEC)
		return ELF64_ERR_TYPE;
	return ELF64_OK;
}

/* Checks the program header table's geometry; *phoff and *phnum locate it. */
static int elf64_check_phdrs(const uint8_t *img, size_t len, uint64_t *phoff, uint32_t *phnum)
{
	if (elf64_rd(img + 52, 2) != EH_SIZE)
		return ELF64_ERR_EHSIZE;
	if (elf64_rd(img + 54, 2) != PH_SIZE)
		return ELF64_ERR_PHENTSIZE;
	*phnum = (uint32_t)elf64_rd(img + 56, 2);
	if (*phnum == 0 || *phnum == PN_XNUM)
		return ELF64_ERR_PHNUM;
	*phoff = elf64_rd(img + 32, 8);
	/* phnum * PH_SIZE < 2^22, so only phoff itself can overflow the sum. */
	if (*phoff > len || (uint64_t)*phnum * PH_SIZE > len - *phoff)
		return ELF64_ERR_PHDRS_BOUNDS;
	return ELF64_OK;
}

static void elf64_read_phdr(const uint8_t *p, struct elf64_phdr *ph)
{
	ph->type = (uint32_t)elf64_rd(p + 0, 4);
	ph->flags = (uint32_t)elf64_rd(p + 4, 4);
	ph->offset = elf64_rd(p + 8, 8);
	ph->vaddr = elf64_rd(p + 16, 8);
	ph->filesz = elf64_rd(p + 32, 8);
	ph->memsz = elf64_rd(p + 40, 8);
	ph->align = elf64_rd(p + 48, 8);
}

static int elf64_in_file(uint64_t offset, uint64_t size, size_t len)
{
	return offset <= len && size <= len - offset;
}

static int elf64_check_load(const struct elf64_phdr *ph, size_t len,
			    const struct elf64_limits *lim)
{
	if (!elf64_in_file(ph->offset, ph->filesz, len))
		return ELF64_ERR_FILE_BOUNDS;
	if (ph->filesz > ph->memsz)
		return ELF64_ERR_FILESZ;
	if (ph->memsz > UINT64_MAX - ph->vaddr)
		return ELF64_ERR_ADDR_OVERFLOW;
	if (ph->vaddr < lim->user_min || ph->vaddr + ph->memsz > lim->user_end)
		return ELF64_ERR_ADDR_RANGE;
	if ((ph->flags & PF_W) && (ph->flags & PF_X))
		return ELF64_ERR_WX;
	if ((ph->vaddr - ph->offset) & (lim->page_size - 1))
		return ELF64_ERR_ALIGN;
	return ELF64_OK;
}

static uint32_t elf64_seg_flags(uint32_t pf)
{
	return ((pf & PF_R) ? ELF64_SEG_R : 0) | ((pf & PF_W) ? ELF64_SEG_W : 0) |
	       ((pf & PF_X) ? ELF64_SEG_X : 0);
}

static void elf64_fill_seg(struct elf64_segment *s, const struct elf64_phdr *ph)
{
	s->vaddr = ph->vaddr;
	s->memsz = ph->memsz;
	s->offset = ph->offset;
	s->filesz = ph->filesz;
	s->flags = elf64_seg_flags(ph->flags);
	s->_pad = 0;
}

static int elf64_add_load(struct elf64_plan *out, const struct elf64_phdr *ph, size_t len,
			  const struct elf64_limits *lim)
{
	int err;

	if (ph->memsz == 0 && ph->filesz == 0)
		return ELF64_OK;
	err = elf64_check_load(ph, len, lim);
	if (err)
		return err;
	if (out->nsegs == ELF64_MAX_SEGMENTS)
		return ELF64_ERR_TOO_MANY_SEGMENTS;
	elf64_fill_seg(&out->segs[out->nsegs++], ph);
	return ELF64_OK;
}

static int elf64_set_tls(struct elf64_plan *out, const struct elf64_phdr *ph, size_t len,
			 const struct elf64_limits *lim)
{
	uint64_t align = ph->align ? ph->align : 1;

	if (out->has_tls || ph->filesz > ph->memsz || ph->memsz > lim->tls_max)
		return ELF64_ERR_TLS;
	if (!elf64_in_file(ph->offset, ph->filesz, len))
		return ELF64_ERR_TLS;
	if ((align & (align - 1)) != 0 || align > lim->page_size)
		return ELF64_ERR_TLS;
	elf64_fill_seg(&out->tls, ph);
	out->tls_align = align;
	out->has_tls = 1;
	return ELF64_OK;
}

static int elf64_take_phdr(struct elf64_plan *out, const struct elf64_phdr *ph, size_t len,
			   const struct elf64_limits *lim)
{
	switch (ph->type) {
	case PT_LOAD:
		return elf64_add_load(out, ph, len, lim);
	case PT_TLS:
		return elf64_set_tls(out, ph, len, lim);
	case PT_INTERP:
	case PT_DYNAMIC:
		return ELF64_ERR_DYNAMIC;
	default:
		return ELF64_OK;
	}
}

/* Page spans are safe to round: every segment ends at or below user_end < 2^47. */
static int elf64_check_overlap(struct elf64_plan *out, uint64_t pg)
{
	out->lowest = UINT64_MAX;
	out->highest = 0;
	for (uint32_t i = 0; i < out->nsegs; i++) {
		const struct elf64_segment *a = &out->segs[i];
		uint64_t a_lo = a->vaddr & ~(pg - 1);
		uint64_t a_hi = (a->vaddr + a->memsz + pg - 1) & ~(pg - 1);

		for (uint32_t j = i + 1; j < out->nsegs; j++) {
			const struct elf64_segment *b = &out->segs[j];
			uint64_t b_lo = b->vaddr & ~(pg - 1);
			uint64_t b_hi = (b->vaddr + b->memsz + pg - 1) & ~(pg - 1);

			if (a_lo < b_hi && b_lo < a_hi)
				return ELF64_ERR_OVERLAP;
		}
		out->lowest = a_lo < out->lowest ? a_lo : out->lowest;
		out->highest = a_hi > out->highest ? a_hi : out->highest;
	}
	return ELF64_OK;
}

static int elf64_check_entry(const struct elf64_plan *out)
{
	for (uint32_t i = 0; i < out->nsegs; i++) {
		const struct elf64_segment *s = &out->segs[i];

		if ((s->flags & ELF64_SEG_X) && out->entry >= s->vaddr &&
		    out->entry - s->vaddr < s->memsz)
			return ELF64_OK;
	}
	return ELF64_ERR_ENTRY;
}

int elf64_plan(const void *image, size_t len, const struct elf64_limits *lim,
	       struct elf64_plan *out)
{
	const uint8_t *img = image;
	struct elf64_phdr ph;
	uint64_t phoff;
	uint32_t phnum;
	int err;

	err = elf64_check_limits(lim);
	if (!err)
		err = elf64_check_ident(img, len);
	if (!err)
		err = elf64_check_phdrs(img, len, &phoff, &phnum);
	if (err)
		return err;
	out->nsegs = 0;
	out->has_tls = 0;
	out->entry = elf64_rd(img + 24, 8);
	for (uint32_t i = 0; i < phnum; i++) {
		elf64_read_phdr(img + phoff + (uint64_t)i * PH_SIZE, &ph);
		err = elf64_take_phdr(out, &ph, len, lim);
		if (err)
			return err;
	}
	if (out->nsegs == 0)
		return ELF64_ERR_NO_SEGMENTS;
	err = elf64_check_overlap(out, lim->page_size);
	return err ? err : elf64_check_entry(out);
}

/* Whether page_va is a page of seg's span; false for anything a plan cannot hold. */
static int elf64_is_seg_page(const struct elf64_segment *seg, uint64_t page_va, uint64_t pg)
{
	if (seg->memsz == 0 || seg->memsz > USER_HALF_END || seg->vaddr >= USER_HALF_END)
		return 0;
	return (page_va & (pg - 1)) == 0 && page_va >= (seg->vaddr & ~(pg - 1)) &&
	       page_va < seg->vaddr + seg->memsz;
}

int elf64_fill_page(const void *image, size_t len, const struct elf64_segment *seg,
		    uint64_t page_va, uint64_t page_size, void *dst)
{
	const uint8_t *src = image;
	uint8_t *out = dst;
	uint64_t lo, hi, file_end;

	if (page_size == 0 || (page_size & (page_size - 1)) != 0)
		return ELF64_ERR_LIMITS;
	if (!elf64_is_seg_page(seg, page_va, page_size))
		return ELF64_ERR_ADDR_RANGE;
	if (!elf64_in_file(seg->offset, seg->filesz, len) || seg->filesz > seg->memsz)
		return ELF64_ERR_FILE_BOUNDS;
	/* Everything below is < 2^48: no sum can wrap. */
	file_end = seg->vaddr + seg->filesz;
	lo = page_va > seg->vaddr ? page_va : seg->vaddr;
	hi = page_va + page_size < file_end ? page_va + page_size : file_end;
	/*
	 * Whole-buffer copies, not byte loops: a spawn fills every page of its
	 * image through here (a byte loop was a sixth of spawn_exit).
	 */
	if (lo >= hi) {
		__builtin_memset(out, 0, page_size);
		return ELF64_OK;
	}
	__builtin_memset(out, 0, lo - page_va);
	__builtin_memcpy(out + (lo - page_va), src + seg->offset + (lo - seg->vaddr), hi - lo);
	__builtin_memset(out + (hi - page_va), 0, page_va + page_size - hi);
	return ELF64_OK;
}

const char *elf64_strerror(int err)
{
	switch (err) {
	case ELF64_OK:
		return "valid image";
#define ELF64_ERR_MSG_(name, value, msg) \
	case (value):                    \
		return msg;
		ELF64_ERRORS(ELF64_ERR_MSG_)
#undef ELF64_ERR_MSG_
	default:
		return "unknown ELF error";
	}
}
