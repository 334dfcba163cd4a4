/* SPDX-License-Identifier: MIT */
/*
 * The FPU registers a test can see from user space: x87 (with MMX aliased on
 * it), SSE (MXCSR, xmm0..15) and, when the kernel enabled AVX, the upper
 * halves of ymm0..15, as one image: the fxsave64 area, then the ymm upper
 * halves stored with vextractf128.
 *
 * Compiled code uses xmm registers freely (the runtime is built with SSE), so
 * values can be held in the registers only where no compiled code runs:
 * hold.S loads a pattern and checks it over and over in assembly that
 * touches nothing but general registers, and _start (hold.S) takes the image
 * the kernel starts the process with before any compiled code runs.
 * The offsets below are shared with hold.S.
 */
#ifndef FPU_ISOLATION_REGS_H
#define FPU_ISOLATION_REGS_H

#define FPU_FX_SIZE	512
#define FPU_IMAGE_YMMH	512	/* struct fpu_image.ymmh */
#define FPU_IMAGE_SIZE	768

#define FX_FCW		0
#define FX_MXCSR	24
#define FX_MXCSR_MASK	28	/* the CPU's, not the program's: never compared */
#define FX_ST		32	/* 8 x 16 bytes, st(0)..st(7) */
#define FX_XMM		160	/* 16 x 16 bytes */
#define FX_END		416	/* fxsave64 writes nothing compared beyond */

#define PAT_FCW		0
#define PAT_MXCSR	4
#define PAT_MM0		8
#define PAT_ST0		16
#define PAT_ST1		24	/* pushed first */
#define PAT_XMM		32
#define PAT_YMMH	288

#define HOLD_AVX	0
#define HOLD_PAUSE_CYCLES 8
#define HOLD_PAUSES_WANTED 16
#define HOLD_MAX_ITERS	24
#define HOLD_PAUSES	32
#define HOLD_ITERS	40
#define HOLD_BAD	48
#define HOLD_FIRST_BAD	56

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fpu_image {
	uint8_t fx[FPU_FX_SIZE] __attribute__((aligned(64)));	/* fxsave64 image */
	uint8_t ymmh[16][16];					/* ymm upper halves */
};
_Static_assert(offsetof(struct fpu_image, ymmh) == FPU_IMAGE_YMMH, "hold.S");
_Static_assert(sizeof(struct fpu_image) == FPU_IMAGE_SIZE, "hold.S");

struct fpu_pattern {
	uint16_t fcw;
	uint32_t mxcsr;
	uint64_t mm0;
	uint64_t st[2];		/* two doubles (bit patterns) pushed with fld: st[1] first */
	uint8_t xmm[16][16];
	uint8_t ymmh[16][16];
};
_Static_assert(offsetof(struct fpu_pattern, fcw) == PAT_FCW, "hold.S");
_Static_assert(offsetof(struct fpu_pattern, mxcsr) == PAT_MXCSR, "hold.S");
_Static_assert(offsetof(struct fpu_pattern, mm0) == PAT_MM0, "hold.S");
_Static_assert(offsetof(struct fpu_pattern, st[1]) == PAT_ST1, "hold.S");
_Static_assert(offsetof(struct fpu_pattern, st[0]) == PAT_ST0, "hold.S");
_Static_assert(offsetof(struct fpu_pattern, xmm) == PAT_XMM, "hold.S");
_Static_assert(offsetof(struct fpu_pattern, ymmh) == PAT_YMMH, "hold.S");

/* What fpu_hold is asked to do and what it saw. */
struct fpu_hold {
	uint64_t avx;		/* in: nonzero to load and check the ymm upper halves too */
	uint64_t pause_cycles;	/* in: an rdtsc gap longer than this: another thread ran */
	uint64_t pauses_wanted;	/* in: stop after this many pauses... */
	uint64_t max_iters;	/* in: ...or this many checks */
	uint64_t pauses;	/* out */
	uint64_t iters;		/* out: checks made */
	uint64_t bad;		/* out: checks that found the registers changed */
	int64_t first_bad;	/* out: image offset of the first change, -1 if none */
};
_Static_assert(offsetof(struct fpu_hold, pause_cycles) == HOLD_PAUSE_CYCLES, "hold.S");
_Static_assert(offsetof(struct fpu_hold, pauses_wanted) == HOLD_PAUSES_WANTED, "hold.S");
_Static_assert(offsetof(struct fpu_hold, max_iters) == HOLD_MAX_ITERS, "hold.S");
_Static_assert(offsetof(struct fpu_hold, pauses) == HOLD_PAUSES, "hold.S");
_Static_assert(offsetof(struct fpu_hold, iters) == HOLD_ITERS, "hold.S");
_Static_assert(offsetof(struct fpu_hold, bad) == HOLD_BAD, "hold.S");
_Static_assert(offsetof(struct fpu_hold, first_bad) == HOLD_FIRST_BAD, "hold.S");

/* The registers at the first instruction, before any compiled code (hold.S, _start). */
extern struct fpu_image fpu_entry_image;

/*
 * Loads p into the registers, stores them into *want, then checks them
 * against *want (through *scratch) until h->pauses_wanted pauses or
 * h->max_iters checks (hold.S). Only general registers change meanwhile.
 */
void fpu_hold(const struct fpu_pattern *p, struct fpu_image *want, struct fpu_image *scratch,
	      struct fpu_hold *h);

/* CPUID says AVX and the kernel enabled it (OSXSAVE and XCR0 ymm bits). */
bool fpu_has_avx(void);
/* Distinct, non-reset values derived from seed. */
void fpu_pattern_make(struct fpu_pattern *p, uint32_t seed);
/* The rounding modes (0 nearest, 1 down, 2 up, 3 toward zero) p sets for SSE and x87. */
unsigned fpu_pattern_sse_rounding(const struct fpu_pattern *p);
unsigned fpu_pattern_x87_rounding(const struct fpu_pattern *p);
/* -1 if img is the reset state (FCW 0x37F, MXCSR 0x1F80, all else zero), else the first
 * offset that differs. */
long fpu_reset_mismatch(const struct fpu_image *img, bool avx);
/* -1 if img holds what p loaded, else the first bad offset. */
long fpu_pattern_mismatch(const struct fpu_image *img, const struct fpu_pattern *p, bool avx);
/* -1 if a and b are the same, else the first differing offset. */
long fpu_image_diff(const struct fpu_image *a, const struct fpu_image *b, bool avx);

#endif /* !__ASSEMBLY__ */
#endif
