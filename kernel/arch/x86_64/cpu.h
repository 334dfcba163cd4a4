/* SPDX-License-Identifier: MIT */
#ifndef CAPOS_ARCH_X86_64_CPU_H
#define CAPOS_ARCH_X86_64_CPU_H

#include <stdbool.h>

/* Optional CPU features the kernel uses when present (filled by cpu_detect). */
struct cpu_features {
	bool nx;
	bool smep;
	bool smap;
	bool umip;
	bool pcid;
	bool invpcid;
	bool x2apic;
	bool invariant_tsc;
	bool tsc_deadline;
	bool pages_1g;
	bool fsgsbase;
	bool rdtscp;
	bool rdrand;
	bool rdseed;
	char vendor[13];
};

extern struct cpu_features cpu_features;

void cpu_detect(void);
/* Turns on SMEP, SMAP and UMIP where the CPU has them; EFER.NXE is set by boot.S. */
void cpu_enable_protections(void);
/* The same CR4 bits on the calling CPU only (an AP: the boot CPU decided the rest). */
void cpu_protect_this_cpu(void);
void cpu_print_features(void);

#endif
