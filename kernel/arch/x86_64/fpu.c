// SPDX-License-Identifier: MIT
/*
 * FPU save areas and the CPU set-up they need (see fpu.h).
 *
 * A save area is the 512-byte FXSAVE image, followed with XSAVE by the
 * 64-byte XSAVE header and the AVX component, at the offsets CPUID leaf 0xD
 * gives (standard format). Areas come from their own slab cache, 64-byte
 * aligned as XSAVE demands, sized once at boot for exactly the components
 * enabled in XCR0 (x87, SSE and AVX; nothing the kernel would have to
 * understand, such as AVX-512 or AMX, is enabled).
 *
 * The reset state is a zeroed area with FCW = 0x037F and MXCSR = 0x1F80 in
 * the legacy region. FXRSTOR loads it as it stands (all tags empty). With
 * XSAVE the header's XSTATE_BV is 0, so XRSTOR puts every component in its
 * init state (the same values), except MXCSR, which the standard form of
 * XRSTOR loads from the legacy region whenever RFBM has the SSE or AVX bit
 * (SDM vol. 1, 13.8.1): hence it is written there too.
 *
 * Globals are written by fpu_init before any thread exists, then only read.
 */
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/x86.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/slab.h"

#define XCR0_X87	(1ull << 0)
#define XCR0_SSE	(1ull << 1)
#define XCR0_AVX	(1ull << 2)
#define FPU_XCR0_WANTED	(XCR0_X87 | XCR0_SSE | XCR0_AVX)

#define CPUID1_ECX_XSAVE	26
#define FPU_LEGACY_SIZE		512	/* the FXSAVE image */
#define FPU_ALIGN		64	/* XSAVE's demand (FXSAVE needs 16) */
#define FPU_RESET_FCW		0x037f	/* every x87 exception masked, 64-bit, nearest */
#define FPU_RESET_MXCSR		0x1f80	/* every SIMD exception masked, nearest, no FTZ/DAZ */

/* The start of the legacy region (SDM vol. 1, table 10-2, 64-bit format). */
struct fpu_legacy {
	uint16_t fcw;		/*  0 */
	uint16_t fsw;		/*  2 */
	uint8_t ftw;		/*  4: abridged tags, 0 = all empty */
	uint8_t _r5;		/*  5 */
	uint16_t fop;		/*  6 */
	uint64_t fip;		/*  8 */
	uint64_t fdp;		/* 16 */
	uint32_t mxcsr;		/* 24 */
	uint32_t mxcsr_mask;	/* 28: written by the CPU, ignored on restore */
};
_Static_assert(__builtin_offsetof(struct fpu_legacy, mxcsr) == 24, "FXSAVE layout");

static bool fpu_xsave;		/* XSAVE/XRSTOR rather than FXSAVE/FXRSTOR */
static uint64_t fpu_xcr0;	/* the components enabled, saved and restored */
/* fpu_xcr0 split as XSAVE takes it: no shifting on every context switch. */
static uint32_t fpu_xcr0_lo, fpu_xcr0_hi;
static size_t fpu_size;		/* bytes of a save area */
static struct kmem_cache fpu_cache;

static uint64_t fpu_supported_xcr0(void)
{
	uint32_t r[4];

	cpuid(0xd, 0, r);
	return ((uint64_t)r[3] << 32 | r[0]) & FPU_XCR0_WANTED;
}

void fpu_init(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] >= 0xd) {
		cpuid(1, 0, r);
		fpu_xsave = (r[2] >> CPUID1_ECX_XSAVE) & 1;
	}
	if (fpu_xsave)
		fpu_xcr0 = fpu_supported_xcr0();
	fpu_xcr0_lo = (uint32_t)fpu_xcr0;
	fpu_xcr0_hi = (uint32_t)(fpu_xcr0 >> 32);
	fpu_cpu_init();
	fpu_size = FPU_LEGACY_SIZE;
	if (fpu_xsave) {
		cpuid(0xd, 0, r);	/* EBX: the area for what XCR0 enables now */
		fpu_size = r[1];
	}
	if (kmem_cache_init(&fpu_cache, "fpu-area", fpu_size, FPU_ALIGN) != 0)
		panic("fpu: no cache for %zu-byte save areas", fpu_size);
}

void fpu_cpu_init(void)
{
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();

	/* No emulation, no lazy switching (TS), x87 errors as #MF rather than IRQ 13. */
	cr0 &= ~(CR0_EM | CR0_TS);
	cr0 |= CR0_MP | CR0_NE;
	write_cr0(cr0);
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	if (fpu_xsave)
		cr4 |= CR4_OSXSAVE;
	write_cr4(cr4);
	if (fpu_xsave)
		xsetbv(0, fpu_xcr0);
}

void *fpu_area_alloc(void)
{
	struct fpu_legacy *a = kmem_cache_alloc(&fpu_cache);

	if (!a)
		return NULL;
	memset(a, 0, fpu_size);	/* with XSAVE: XSTATE_BV = XCOMP_BV = 0 */
	a->fcw = FPU_RESET_FCW;
	a->mxcsr = FPU_RESET_MXCSR;
	return a;
}

void fpu_area_free(void *area)
{
	if (area && kmem_cache_free(&fpu_cache, area) != 0)
		panic("fpu: freeing %p, which is no save area", area);
}

void fpu_save(void *area)
{
	if (fpu_xsave)
		xsave64(area, fpu_xcr0_lo, fpu_xcr0_hi);
	else
		fxsave64(area);
}

void fpu_restore(const void *area)
{
	if (fpu_xsave)
		xrstor64(area, fpu_xcr0_lo, fpu_xcr0_hi);
	else
		fxrstor64(area);
}

void fpu_print(void)
{
	kprintf("fpu: %s, x87 sse%s, %zu-byte save area per thread, switched eagerly\n",
		fpu_xsave ? "xsave" : "fxsave", fpu_xcr0 & XCR0_AVX ? " avx" : "", fpu_size);
}
