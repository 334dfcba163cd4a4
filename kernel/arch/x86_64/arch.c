// SPDX-License-Identifier: MIT
/*
 * The x86_64 implementation of kernel/arch/arch.h that is too small for a
 * file of its own: log and terminal ports, cycle counter, interrupt state,
 * the QEMU exit device and the direct map.
 */
#include "arch/arch.h"
#include "arch/x86_64/irqoff.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/x86.h"

#define ISA_DEBUG_EXIT_PORT 0xf4

void arch_log_write(const char *s, size_t n)
{
	serial_log_write(s, n);
}

bool arch_log_apart(void)
{
	return serial_has_log_port();
}

void arch_terminal_write(const char *s, size_t n)
{
	serial_console_write_raw(s, n);
}

int arch_terminal_input_start(void (*sink)(const uint8_t *bytes, size_t n),
			      uint32_t (*room)(void))
{
	return serial_rx_start(sink, room);
}

void arch_terminal_input_pause(void)
{
	serial_rx_pause();
}

void arch_terminal_input_resume(void)
{
	serial_rx_resume();
}

void arch_emergency_write(const char *s, size_t n)
{
	serial_write_unlocked(s, n);
}

uint64_t arch_cycles(void)
{
	return rdtsc();
}

IRQOFF_HOOKED uint64_t arch_irq_save(void)
{
	uint64_t flags = read_rflags();

	cli();
	if (flags & RFLAGS_IF)
		irqoff_opened((uint64_t)__builtin_return_address(0));
	return flags;
}

IRQOFF_HOOKED void arch_irq_restore(uint64_t flags)
{
	if (flags & RFLAGS_IF) {
		irqoff_closed((uint64_t)__builtin_return_address(0));
		sti();
	}
}

IRQOFF_HOOKED void arch_irq_enable(void)
{
	irqoff_closed((uint64_t)__builtin_return_address(0));
	sti();
}

IRQOFF_HOOKED void arch_idle(void)
{
	irqoff_closed((uint64_t)__builtin_return_address(0));
	/* sti takes effect after the next instruction, so no wake-up is lost in between. */
	__asm__ volatile("sti; hlt" ::: "memory");
}

void arch_halt(void)
{
	for (;;) {
		cli();
		hlt();
	}
}

void arch_exit_emulator(int code)
{
	outl(ISA_DEBUG_EXIT_PORT, (uint32_t)code);
	arch_halt();
}
