/* SPDX-License-Identifier: MIT */
/*
 * One-instruction wrappers for x86_64 privileged instructions. Only code under
 * kernel/arch/x86_64/ includes this; generic code goes through arch/arch.h.
 */
#ifndef CAPOS_ARCH_X86_64_X86_H
#define CAPOS_ARCH_X86_64_X86_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_SFMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_APIC_BASE		0x1b

#define CR0_MP			(1ull << 1)
#define CR0_EM			(1ull << 2)
#define CR0_TS			(1ull << 3)
#define CR0_NE			(1ull << 5)
#define CR0_WP			(1ull << 16)
#define CR4_PGE			(1ull << 7)
#define CR4_OSFXSR		(1ull << 9)
#define CR4_OSXMMEXCPT		(1ull << 10)
#define CR4_UMIP		(1ull << 11)
#define CR4_FSGSBASE		(1ull << 16)
#define CR4_PCIDE		(1ull << 17)
#define CR4_OSXSAVE		(1ull << 18)
#define CR4_SMEP		(1ull << 20)
#define CR4_SMAP		(1ull << 21)
#define EFER_SCE		(1ull << 0)
#define EFER_NXE		(1ull << 11)
#define RFLAGS_IF		(1ull << 9)
#define RFLAGS_AC		(1ull << 18)

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

/* wrmsr of a value kept in its two halves: no shift where it is hot (the switch). */
static inline void wrmsr_halves(uint32_t msr, uint32_t lo, uint32_t hi)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"(lo), "d"(hi));
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* One hardware random value; false when the instruction says it had none (CF clear). */
static inline bool rdrand64(uint64_t *v)
{
	bool ok;
	__asm__ volatile("rdrand %0" : "=r"(*v), "=@ccc"(ok));
	return ok;
}

static inline bool rdseed64(uint64_t *v)
{
	bool ok;
	__asm__ volatile("rdseed %0" : "=r"(*v), "=@ccc"(ok));
	return ok;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

#define DEFINE_CR_ACCESS(n)                                                                \
	static inline uint64_t read_cr##n(void)                                            \
	{                                                                                  \
		uint64_t v;                                                                \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                           \
		return v;                                                                  \
	}                                                                                  \
	static inline void write_cr##n(uint64_t v)                                         \
	{                                                                                  \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");                  \
	}
DEFINE_CR_ACCESS(0)
DEFINE_CR_ACCESS(2)
DEFINE_CR_ACCESS(3)
DEFINE_CR_ACCESS(4)
#undef DEFINE_CR_ACCESS

static inline uint64_t read_rflags(void)
{
	uint64_t v;
	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

/* FPU state: the 64-bit forms, so FIP/FDP are saved and restored whole. */
static inline void xsetbv(uint32_t reg, uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* The component mask in its EDX:EAX halves, as the instructions take it. */
static inline void xsave64(void *area, uint32_t mask_lo, uint32_t mask_hi)
{
	__asm__ volatile("xsave64 (%0)" : : "r"(area), "a"(mask_lo), "d"(mask_hi) : "memory");
}

static inline void xrstor64(const void *area, uint32_t mask_lo, uint32_t mask_hi)
{
	__asm__ volatile("xrstor64 (%0)" : : "r"(area), "a"(mask_lo), "d"(mask_hi) : "memory");
}

static inline void fxsave64(void *area)
{
	__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

static inline void fxrstor64(const void *area)
{
	__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

static inline void invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline void pause(void) { __asm__ volatile("pause"); }
static inline void stac(void) { __asm__ volatile("stac" ::: "memory", "cc"); }
static inline void clac(void) { __asm__ volatile("clac" ::: "memory", "cc"); }

static inline void lidt(const void *ptr) { __asm__ volatile("lidt (%0)" : : "r"(ptr) : "memory"); }
static inline void lgdt(const void *ptr) { __asm__ volatile("lgdt (%0)" : : "r"(ptr) : "memory"); }
static inline void ltr(uint16_t sel) { __asm__ volatile("ltr %0" : : "r"(sel)); }

#endif
