/* SPDX-License-Identifier: MIT */
/*
 * Everything generic kernel code may ask of the CPU and platform. Each
 * architecture implements these in kernel/arch/<arch>/; nothing outside that
 * folder includes an architecture header directly.
 */
#ifndef CAPOS_ARCH_ARCH_H
#define CAPOS_ARCH_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/types.h"

/*
 * The kernel log, where the kernel's lines and every Console write go: COM2,
 * or COM1 when there is no COM2 (docs/terminal.md, "COM1 and COM2").
 */
void arch_log_write(const char *s, size_t n);
/* True when the log has a port of its own (COM2); false when it shares COM1. */
bool arch_log_apart(void);
/*
 * The terminal (COM1): output as it is, without newline translation, and
 * input by interrupt, each byte given to `sink` in interrupt context
 * (obj/serial_port.c). The start returns 0 or CAPOS_ERR_NOT_SUPPORTED (no
 * way to route the interrupt: input stays off). Boot, once.
 */
void arch_terminal_write(const char *s, size_t n);
/*
 * Flow control: before it takes bytes from the device the interrupt asks
 * `room` how many the sink can keep, and takes no more, so no byte is ever
 * dropped; the sink pauses input (arch_terminal_input_pause) when it is
 * full and resumes it once a reader made room. While paused the device
 * holds what arrives, and the line stops sending (QEMU's chardev waits).
 */
int arch_terminal_input_start(void (*sink)(const uint8_t *bytes, size_t n),
			      uint32_t (*room)(void));
void arch_terminal_input_pause(void);
void arch_terminal_input_resume(void);
/* For fault and panic paths: both ports, no locks. */
void arch_emergency_write(const char *s, size_t n);

/* Cycle counter; under QEMU -icount shift=0 it counts guest instructions. */
uint64_t arch_cycles(void);

/* Interrupt state of the current CPU. */
uint64_t arch_irq_save(void);
void arch_irq_restore(uint64_t flags);
void arch_irq_enable(void);
/* Waits for the next interrupt with interrupts enabled (hlt). */
void arch_idle(void);
/*
 * Prints each CPU's longest interrupts-off windows (debug builds measure
 * them, docs/preemption.md; release builds print nothing). False if one was
 * longer than `limit` cycles (0: no limit).
 */
bool arch_irqoff_report(uint64_t limit);
/*
 * The test=smp self-test (every CPU online and ticking, IPI round trips,
 * TLB shootdowns reaching each CPU); prints per-CPU counters, true if all passed.
 */
bool arch_smp_selftest(void);

/* Status codes for arch_exit_emulator; QEMU exits with (code << 1) | 1. */
enum {
	KEXIT_PASS = 0,
	KEXIT_FAIL = 1,
	KEXIT_PANIC = 2,
	KEXIT_FAULT = 3,
};
/* Ends the run under QEMU's isa-debug-exit device; halts when the device is absent. */
_Noreturn void arch_exit_emulator(int code);
_Noreturn void arch_halt(void);

/* Physical memory through the direct map (inline: it is on every page walk). */
#include "arch/x86_64/direct_map.h"

/* Timer ticks since boot and the tick rate. */
uint64_t arch_ticks(void);
unsigned arch_tick_hz(void);

/*
 * The monotonic clock: nanoseconds since the kernel's first instruction
 * (0 until the timer is calibrated), and the rate it is read from. Any
 * context, any CPU; never goes backwards on one CPU.
 */
uint64_t arch_now_ns(void);
uint64_t arch_tsc_hz(void);

/*
 * One 64-bit value from the CPU's random number hardware, when it has it:
 * RDSEED (its conditioned entropy source) or RDRAND (its generator), with
 * bounded retries. False if the CPU lacks the instruction or it kept
 * failing; the caller judges the values (kernel/lib/rng.c). Any context.
 */
bool arch_rdseed64(uint64_t *v);
bool arch_rdrand64(uint64_t *v);

#endif
