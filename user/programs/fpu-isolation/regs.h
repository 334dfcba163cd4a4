/* SPDX-License-Identifier: MIT */
/*
 * The FPU registers a test can see from user space: x87 (with MMX aliased on
 * it), SSE (MXCSR, xmm0..15) and, when the kernel enabled AVX, the upper
 * halves of ymm0..15. Loaded by real instructions (fninit, fldcw, movq to
 * mm0, fld, ldmxcsr, movdqu, vinsertf128) and read back with fxsave64 and
 * vextractf128. The runtime is built -mgeneral-regs-only, so nothing but
 * these helpers touches the registers between a load and a snapshot.
 */
#ifndef FPU_ISOLATION_REGS_H
#define FPU_ISOLATION_REGS_H

#include <stdbool.h>
#include <stdint.h>

#define FPU_FX_SIZE 512

struct fpu_image {
	uint8_t fx[FPU_FX_SIZE] __attribute__((aligned(64)));	/* fxsave64 image */
	uint8_t ymmh[16][16];					/* ymm upper halves */
};

struct fpu_pattern {
	uint16_t fcw;
	uint32_t mxcsr;
	uint64_t mm0;
	uint64_t st[2];		/* two doubles (bit patterns) pushed with fld */
	uint8_t xmm[16][16];
	uint8_t ymmh[16][16];
};

/* CPUID says AVX and the kernel enabled it (OSXSAVE and XCR0 ymm bits). */
bool fpu_has_avx(void);
/* Distinct, non-reset values derived from seed. */
void fpu_pattern_make(struct fpu_pattern *p, uint32_t seed);
void fpu_load(const struct fpu_pattern *p, bool avx);
/* The registers now; img's unwritten bytes are zero. */
void fpu_snapshot(struct fpu_image *img, bool avx);
/* -1 if img is the reset state (FCW 0x37F, MXCSR 0x1F80, all else zero), else the first
 * offset that differs. */
long fpu_reset_mismatch(const struct fpu_image *img, bool avx);
/* -1 if img holds what p loaded, else the first bad offset. */
long fpu_pattern_mismatch(const struct fpu_image *img, const struct fpu_pattern *p, bool avx);
/* -1 if a and b are the same, else the first differing offset. */
long fpu_image_diff(const struct fpu_image *a, const struct fpu_image *b, bool avx);

#endif
