// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for lib/elf/elf64.c. Besides "no crash, no out-of-bounds
 * read" (ASan/UBSan), every accepted image must yield a plan that keeps the
 * validator's promises: segments inside the user range and inside the file,
 * filesz <= memsz, W^X, disjoint pages, vaddr/offset congruent, the entry in
 * an executable segment, a TLS template inside the file; and
 * elf64_fill_page() agrees with a byte-by-byte reference on each segment's
 * first and last page and the page where its file bytes end. A broken promise
 * aborts, so the fuzzer reports it as a crash.
 *
 * The same file is linked with tests/unit/elf/fuzz_replay.c into a host test
 * that replays the committed corpus and past crashes under gcc's sanitizers.
 */
#include <stdint.h>
#include <stdlib.h>

#include <capos/layout.h>

#include "elf/elf64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct elf64_limits fuzz_elf_limits = {
	.user_min = CAPOS_USER_IMAGE_MIN,
	.user_end = CAPOS_USER_IMAGE_END,
	.page_size = CAPOS_PAGE_SIZE,
	.tls_max = CAPOS_USER_TLS_MAX,
};

static void fuzz_elf_require(int cond)
{
	if (!cond)
		abort();
}

static void fuzz_elf_check_seg(const struct elf64_segment *s, size_t size)
{
	const struct elf64_limits *lim = &fuzz_elf_limits;

	fuzz_elf_require(s->filesz <= s->memsz && s->memsz > 0);
	fuzz_elf_require(s->offset <= size && s->filesz <= size - s->offset);
	fuzz_elf_require(s->vaddr >= lim->user_min && s->vaddr < lim->user_end);
	fuzz_elf_require(s->memsz <= lim->user_end - s->vaddr);
	fuzz_elf_require(!((s->flags & ELF64_SEG_W) && (s->flags & ELF64_SEG_X)));
	fuzz_elf_require(((s->vaddr - s->offset) & (lim->page_size - 1)) == 0);
}

static int fuzz_elf_pages_meet(const struct elf64_segment *a, const struct elf64_segment *b)
{
	uint64_t pg = fuzz_elf_limits.page_size;
	uint64_t a_lo = a->vaddr / pg, a_hi = (a->vaddr + a->memsz - 1) / pg;
	uint64_t b_lo = b->vaddr / pg, b_hi = (b->vaddr + b->memsz - 1) / pg;

	return a_lo <= b_hi && b_lo <= a_hi;
}

static void fuzz_elf_check_page(const uint8_t *img, size_t size,
				const struct elf64_segment *s, uint64_t va)
{
	static uint8_t page[CAPOS_PAGE_SIZE];
	uint64_t pv = va & ~(uint64_t)(CAPOS_PAGE_SIZE - 1);

	fuzz_elf_require(elf64_fill_page(img, size, s, pv, CAPOS_PAGE_SIZE, page) == ELF64_OK);
	for (uint64_t k = 0; k < CAPOS_PAGE_SIZE; k++) {
		uint64_t a = pv + k;
		uint8_t want = 0;

		if (a >= s->vaddr && a < s->vaddr + s->filesz)
			want = img[s->offset + (a - s->vaddr)];
		fuzz_elf_require(page[k] == want);
	}
}

static void fuzz_elf_check_plan(const uint8_t *data, const struct elf64_plan *p, size_t size)
{
	int entry_ok = 0;

	fuzz_elf_require(p->nsegs >= 1 && p->nsegs <= ELF64_MAX_SEGMENTS);
	for (uint32_t i = 0; i < p->nsegs; i++) {
		const struct elf64_segment *s = &p->segs[i];

		fuzz_elf_check_seg(s, size);
		fuzz_elf_check_page(data, size, s, s->vaddr);
		fuzz_elf_check_page(data, size, s, s->vaddr + s->memsz - 1);
		if (s->filesz)
			fuzz_elf_check_page(data, size, s, s->vaddr + s->filesz - 1);
		for (uint32_t j = i + 1; j < p->nsegs; j++)
			fuzz_elf_require(!fuzz_elf_pages_meet(s, &p->segs[j]));
		if ((s->flags & ELF64_SEG_X) && p->entry >= s->vaddr &&
		    p->entry < s->vaddr + s->memsz)
			entry_ok = 1;
		fuzz_elf_require(p->lowest <= s->vaddr && s->vaddr + s->memsz <= p->highest);
	}
	fuzz_elf_require(entry_ok);
	if (p->has_tls) {
		fuzz_elf_require(p->tls.filesz <= p->tls.memsz);
		fuzz_elf_require(p->tls.memsz <= fuzz_elf_limits.tls_max);
		fuzz_elf_require(p->tls.offset <= size && p->tls.filesz <= size - p->tls.offset);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf64_plan plan;
	int err = elf64_plan(data, size, &fuzz_elf_limits, &plan);

	fuzz_elf_require(err <= 0 && err >= ELF64_ERR_LIMITS && err != ELF64_ERR_LIMITS);
	if (err == ELF64_OK)
		fuzz_elf_check_plan(data, &plan, size);
	return 0;
}
