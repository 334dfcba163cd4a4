// SPDX-License-Identifier: MIT
/*
 * 16550 UART driver for the console (COM1) and the kernel log (COM2).
 *
 * COM2 is used only when it answers the scratch-register probe; otherwise the
 * log shares COM1, as contracts.md allows until M6. Output is polled: the
 * kernel writes few bytes and must print from fault handlers, where waiting on
 * an interrupt is not possible. A spinlock keeps lines from interleaving once
 * several CPUs print (M8); fault paths use serial_write_unlocked.
 */
#include "arch/x86_64/serial.h"
#include "arch/x86_64/x86.h"
#include "lib/spinlock.h"

#define COM1 0x3f8
#define COM2 0x2f8

#define UART_DATA	0
#define UART_IER	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_SCRATCH	7
#define LSR_THR_EMPTY	0x20
#define LCR_DLAB	0x80

static bool com2_present;
static struct spinlock serial_lock = SPINLOCK_INIT;

static bool uart_probe(uint16_t port)
{
	outb(port + UART_SCRATCH, 0x5a);
	if (inb(port + UART_SCRATCH) != 0x5a)
		return false;
	outb(port + UART_SCRATCH, 0xa5);
	return inb(port + UART_SCRATCH) == 0xa5;
}

static void uart_init(uint16_t port)
{
	outb(port + UART_IER, 0);		/* polled: no UART interrupts */
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DATA, 1);		/* divisor 1: 115200 baud */
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, 0x03);		/* 8N1 */
	outb(port + UART_FCR, 0xc7);		/* FIFOs on, cleared */
	outb(port + UART_MCR, 0x03);		/* DTR, RTS */
}

static void uart_putc(uint16_t port, char c)
{
	/* Bounded wait: a dead UART must not hang a fault handler forever. */
	for (int i = 0; i < 100000 && !(inb(port + UART_LSR) & LSR_THR_EMPTY); i++)
		pause();
	outb(port + UART_DATA, (uint8_t)c);
}

static void uart_write(uint16_t port, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc(port, '\r');
		uart_putc(port, s[i]);
	}
}

void serial_init(void)
{
	uart_init(COM1);
	com2_present = uart_probe(COM2);
	if (com2_present)
		uart_init(COM2);
}

bool serial_has_log_port(void)
{
	return com2_present;
}

void serial_console_write(const char *s, size_t n)
{
	spin_lock(&serial_lock);
	uart_write(COM1, s, n);
	spin_unlock(&serial_lock);
}

void serial_log_write(const char *s, size_t n)
{
	spin_lock(&serial_lock);
	uart_write(com2_present ? COM2 : COM1, s, n);
	spin_unlock(&serial_lock);
}

void serial_write_unlocked(const char *s, size_t n)
{
	uart_write(COM1, s, n);
	if (com2_present)
		uart_write(COM2, s, n);
}
