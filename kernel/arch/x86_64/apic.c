// SPDX-License-Identifier: MIT
/*
 * Legacy PIC, local APIC, its timer and inter-processor interrupts.
 *
 * The 8259 PICs are remapped to vectors 32..47 and fully masked: with them at
 * their reset vectors a spurious IRQ7 would look like a #DF. All timer
 * interrupts come from the local APIC, whose frequency is unknown until we
 * measure it against the PIT (1.193182 MHz, fixed). Measurement uses channel 2,
 * whose output bit can be polled at port 0x61 with no interrupt at all.
 *
 * Each measuring window is kept short (250 us) because under -icount it costs
 * one instruction per nanosecond spent polling, and boot time is measured.
 * The time-stamp counter is measured over the same windows (tsc.c turns it
 * into the monotonic clock).
 */
#include "arch/arch.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/tsc.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "lib/kprintf.h"

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1

#define LAPIC_ID	0x020
#define LAPIC_TPR	0x080
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_ICR_LO	0x300
#define LAPIC_ICR_HI	0x310
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR	0x390
#define LAPIC_TIMER_DIV	0x3e0
#define SVR_ENABLE	(1u << 8)
#define LVT_MASKED	(1u << 16)
#define LVT_PERIODIC	(1u << 17)
#define TIMER_DIV_16	0x3
#define ICR_FIXED	(0u << 8)
#define ICR_INIT	(5u << 8)
#define ICR_STARTUP	(6u << 8)
#define ICR_PENDING	(1u << 12)	/* delivery status: not yet accepted */
#define ICR_ASSERT	(1u << 14)
#define ICR_ALL_BUT_SELF (3u << 18)
#define ICR_SPINS	1000000u	/* a bound on the wait for the previous IPI */

#define PIT_HZ		1193182u
#define PIT_CH2_DATA	0x42
#define PIT_CMD		0x43
#define PIT_GATE_PORT	0x61
#define CALIBRATE_US	250	/* one window; ~15,600 LAPIC counts at 62.5 MHz */

static volatile uint32_t *lapic;

static uint32_t lapic_read(unsigned reg)
{
	return lapic[reg / 4];
}

static void lapic_write(unsigned reg, uint32_t v)
{
	lapic[reg / 4] = v;
	(void)lapic[LAPIC_ID / 4];	/* read back: the write has reached the APIC */
}

void pic_disable(void)
{
	outb(PIC1_CMD, 0x11);	/* ICW1: init, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, VEC_IRQ_BASE);
	outb(PIC2_DATA, VEC_IRQ_BASE + 8);
	outb(PIC1_DATA, 4);	/* slave on IRQ2 */
	outb(PIC2_DATA, 2);
	outb(PIC1_DATA, 1);	/* 8086 mode */
	outb(PIC2_DATA, 1);
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}

static void spurious_handler(struct trap_frame *tf)
{
	(void)tf;	/* no EOI for spurious interrupts, by definition */
}

void lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	/* Every CPU sees its own LAPIC at the same address: one mapping serves all. */
	lapic = paging_map_mmio(base & ~0xfffull);
	trap_set_handler(VEC_SPURIOUS, spurious_handler);
	/* A masked 8259 can still raise IRQ7/IRQ15 as spurious; ignore them. */
	trap_set_handler(VEC_IRQ_BASE + 7, spurious_handler);
	trap_set_handler(VEC_IRQ_BASE + 15, spurious_handler);
	lapic_enable_this_cpu();
}

void lapic_enable_this_cpu(void)
{
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1u << 11));	/* global enable */
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
}

/* Waits, bounded, until the LAPIC has sent the previous IPI. False if it never did. */
static bool icr_idle(void)
{
	for (uint32_t i = 0; i < ICR_SPINS; i++) {
		if (!(lapic_read(LAPIC_ICR_LO) & ICR_PENDING))
			return true;
		pause();
	}
	return false;
}

/* Sends one interrupt command, with interrupts off: a handler's IPI must not split the pair. */
static bool icr_send(uint32_t apic_id, uint32_t low)
{
	uint64_t flags = arch_irq_save();
	bool ok = icr_idle();

	if (ok) {
		lapic_write(LAPIC_ICR_HI, apic_id << 24);
		lapic_write(LAPIC_ICR_LO, low);
		ok = icr_idle();
	}
	arch_irq_restore(flags);
	return ok;
}

bool lapic_send_init(uint32_t apic_id)
{
	return icr_send(apic_id, ICR_INIT | ICR_ASSERT);
}

bool lapic_send_startup(uint32_t apic_id, uint32_t page)
{
	return icr_send(apic_id, ICR_STARTUP | ICR_ASSERT | (page & 0xff));
}

bool lapic_send_ipi(uint32_t apic_id, unsigned vector)
{
	return icr_send(apic_id, ICR_FIXED | ICR_ASSERT | (vector & 0xff));
}

bool lapic_send_ipi_others(unsigned vector)
{
	return icr_send(0, ICR_FIXED | ICR_ASSERT | ICR_ALL_BUT_SELF | (vector & 0xff));
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/* One measuring window: LAPIC timer counts per ms and TSC counts per second. */
struct calibration {
	uint32_t lapic_per_ms;
	uint64_t tsc_hz;
};

/* Both rates over CALIBRATE_US of PIT channel 2; zero if the PIT never fires. */
static struct calibration calibrate_once(void)
{
	const uint32_t pit_count = PIT_HZ / 1000 * CALIBRATE_US / 1000;
	struct calibration c = { 0, 0 };
	uint8_t gate = inb(PIT_GATE_PORT);
	uint64_t tsc0, tsc1;
	uint32_t elapsed;

	outb(PIT_GATE_PORT, (gate & ~0x02) & ~0x01);	/* speaker off, gate low */
	outb(PIT_CMD, 0xb0);				/* ch2, lo/hi byte, mode 0 */
	outb(PIT_CH2_DATA, pit_count & 0xff);
	outb(PIT_CH2_DATA, pit_count >> 8);

	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	outb(PIT_GATE_PORT, (gate & ~0x02) | 0x01);	/* gate high: count starts */
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	tsc0 = rdtsc();
	for (uint32_t spins = 0; !(inb(PIT_GATE_PORT) & 0x20); spins++)
		if (spins > 50000000)
			return c;
	tsc1 = rdtsc();
	elapsed = 0xffffffff - lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	outb(PIT_GATE_PORT, gate & ~0x03);
	/* The PIT count was rounded down: scale by what it really measured. */
	c.lapic_per_ms = (uint32_t)((uint64_t)elapsed * PIT_HZ / ((uint64_t)pit_count * 1000));
	c.tsc_hz = (tsc1 - tsc0) * PIT_HZ / pit_count;
	return c;
}

static uint64_t median3(uint64_t a, uint64_t b, uint64_t c)
{
	if ((a <= b && b <= c) || (c <= b && b <= a))
		return b;
	if ((b <= a && a <= c) || (c <= a && a <= b))
		return a;
	return c;
}

/*
 * The median of three measurements, each rate on its own: a single one can
 * be thrown far off when the emulator's thread is descheduled between the
 * PIT and LAPIC reads.
 */
static struct calibration calibrate(void)
{
	struct calibration a = calibrate_once(), b = calibrate_once(), c = calibrate_once();

	return (struct calibration){
		.lapic_per_ms = (uint32_t)median3(a.lapic_per_ms, b.lapic_per_ms, c.lapic_per_ms),
		.tsc_hz = median3(a.tsc_hz, b.tsc_hz, c.tsc_hz),
	};
}

uint32_t lapic_timer_start(unsigned hz)
{
	struct calibration cal = calibrate();

	tsc_calibrated(cal.tsc_hz);
	lapic_timer_run(cal.lapic_per_ms, hz);
	return cal.lapic_per_ms;
}

void lapic_timer_run(uint32_t per_ms, unsigned hz)
{
	uint32_t per_tick = (per_ms ? per_ms : 1000000000u / 16 / 1000) * 1000 / hz;

	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, per_tick);
}
