// SPDX-License-Identifier: MIT
/* Patterns and register images (regs.h); none of this holds values in the registers. */
#include "regs.h"
#include "ustring.h"

#define FCW_RC_SHIFT	10
#define MXCSR_RC_SHIFT	13
#define MXCSR_FTZ	(1u << 15)

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

bool fpu_has_avx(void)
{
	uint32_t r[4], lo, hi;

	cpuid(1, r);
	if (!((r[2] >> 27) & 1) || !((r[2] >> 28) & 1))	/* OSXSAVE, AVX */
		return false;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (lo & 6) == 6;
}

/*
 * Rounding modes other than nearest (so nothing equals the reset state),
 * different for SSE and x87 (so a swap shows), and flush-to-zero in half of
 * the processes.
 */
void fpu_pattern_make(struct fpu_pattern *p, uint32_t seed)
{
	uint32_t sse_rc = 1 + seed % 3, x87_rc = 1 + (seed + 1) % 3;

	p->fcw = (uint16_t)(0x037f | x87_rc << FCW_RC_SHIFT);
	p->mxcsr = 0x1f80 | sse_rc << MXCSR_RC_SHIFT | (seed & 1 ? MXCSR_FTZ : 0);
	p->mm0 = 0x0123456789abcdefull ^ ((uint64_t)seed << 32 | seed);
	p->st[0] = 0x3ff8000000000000ull | (uint64_t)seed << 20;	/* 1.5-ish */
	p->st[1] = 0xc059000000000000ull | (uint64_t)seed << 12;	/* -100-ish */
	for (unsigned i = 0; i < 16; i++) {
		for (unsigned j = 0; j < 16; j++) {
			p->xmm[i][j] = (uint8_t)(seed * 37 + i * 16 + j * 7 + 1);
			p->ymmh[i][j] = (uint8_t)(seed * 53 + i * 16 + j * 11 + 3);
		}
	}
}

unsigned fpu_pattern_sse_rounding(const struct fpu_pattern *p)
{
	return (p->mxcsr >> MXCSR_RC_SHIFT) & 3;
}

unsigned fpu_pattern_x87_rounding(const struct fpu_pattern *p)
{
	return (p->fcw >> FCW_RC_SHIFT) & 3;
}

static long diff_at(const uint8_t *a, const uint8_t *b, long from, long to)
{
	for (long i = from; i < to; i++)
		if (a[i] != b[i])
			return i;
	return -1;
}

/* Compares everything fxsave64 writes except MXCSR_MASK, then the ymm halves (at 512+). */
static long image_cmp(const struct fpu_image *img, const struct fpu_image *want, bool avx)
{
	long at = diff_at(img->fx, want->fx, 0, FX_MXCSR_MASK);

	if (at < 0)
		at = diff_at(img->fx, want->fx, FX_MXCSR_MASK + 4, FX_END);
	if (at < 0 && avx)
		at = diff_at(&img->ymmh[0][0], &want->ymmh[0][0], 0, sizeof(img->ymmh));
	if (at >= 0 && at < FPU_FX_SIZE)
		return at;
	return at < 0 ? -1 : FPU_FX_SIZE + at;
}

long fpu_reset_mismatch(const struct fpu_image *img, bool avx)
{
	static struct fpu_image want;
	uint16_t fcw = 0x037f;
	uint32_t mxcsr = 0x1f80;

	memset(&want, 0, sizeof(want));
	memcpy(&want.fx[FX_FCW], &fcw, sizeof(fcw));
	memcpy(&want.fx[FX_MXCSR], &mxcsr, sizeof(mxcsr));
	return image_cmp(img, &want, avx);
}

long fpu_pattern_mismatch(const struct fpu_image *img, const struct fpu_pattern *p, bool avx)
{
	uint16_t fcw;
	uint32_t mxcsr;
	uint64_t mm0;

	memcpy(&fcw, &img->fx[FX_FCW], sizeof(fcw));
	memcpy(&mxcsr, &img->fx[FX_MXCSR], sizeof(mxcsr));
	memcpy(&mm0, &img->fx[FX_ST + 2 * 16], sizeof(mm0));	/* R0 is st(2) after two pushes */
	if (fcw != p->fcw)
		return FX_FCW;
	if (mxcsr != p->mxcsr)
		return FX_MXCSR;
	if (mm0 != p->mm0)
		return FX_ST + 2 * 16;
	if (memcmp(&img->fx[FX_XMM], p->xmm, sizeof(p->xmm)) != 0)
		return FX_XMM;
	if (avx && memcmp(img->ymmh, p->ymmh, sizeof(p->ymmh)) != 0)
		return FPU_FX_SIZE;
	return -1;
}

long fpu_image_diff(const struct fpu_image *a, const struct fpu_image *b, bool avx)
{
	return image_cmp(a, b, avx);
}
