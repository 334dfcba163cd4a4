// SPDX-License-Identifier: MIT
/*
 * 16550 UART driver for the terminal (COM1) and the kernel log (COM2).
 *
 * COM1 belongs to the terminal (contracts.md, "Terminal"): it carries only
 * the SerialPort's bytes and the emergency path of a panic or fault. The log
 * (the kernel's lines and every Console write) goes to COM2 when it answers
 * the scratch-register probe; a machine without COM2 gets the log on COM1,
 * sharing it with the terminal, because a log nobody can read is worse than
 * a prompt that log lines may follow (docs/terminal.md). Output is polled: the
 * kernel writes few bytes and must print from fault handlers, where waiting on
 * an interrupt is not possible. A spinlock keeps lines from interleaving once
 * several CPUs print (M8); fault paths use serial_write_unlocked.
 *
 * Input (COM1 only, M6) is by interrupt: serial_rx_start() routes IRQ4
 * through the I/O APIC and enables the receive-data interrupt; the
 * handler drains the receive FIFO and hands the bytes to the sink the
 * generic kernel gave (obj/serial_port.c), in interrupt context
 * (docs/terminal.md).
 */
#include <capos/errors.h>

#include "arch/arch.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "lib/kprintf.h"
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
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20
#define LCR_DLAB	0x80
#define IER_RX_DATA	0x01
#define FCR_RX_TRIGGER_8 0x87	/* FIFOs on, receive interrupt at 8 bytes (or a 4-character pause) */
#define COM1_IRQ	4
/*
 * Bytes one interrupt takes at most: the 16-byte FIFO and more, yet
 * bounded, so a dead UART (a floating bus reads LSR 0xff) cannot hold the
 * CPU in the handler.
 */
#define RX_DRAIN_MAX	64

static bool com2_present;
static struct spinlock serial_lock = SPINLOCK_INIT_RANK(LOCK_RANK_CONSOLE);

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

/*
 * serial_lock is the innermost lock (docs/locking.md) and is taken with
 * interrupts off: the tick takes the scheduler's lock, which may be held by
 * another CPU that prints, so a tick under serial_lock could deadlock.
 */
void serial_log_write(const char *s, size_t n)
{
	uint64_t flags = arch_irq_save();

	spin_lock(&serial_lock);
	uart_write(com2_present ? COM2 : COM1, s, n);
	spin_unlock(&serial_lock);
	arch_irq_restore(flags);
}

void serial_write_unlocked(const char *s, size_t n)
{
	uart_write(COM1, s, n);
	if (com2_present)
		uart_write(COM2, s, n);
}

static void (*rx_sink)(const uint8_t *bytes, size_t n);
static uint32_t (*rx_room)(void);

/*
 * IRQ4, interrupt context: drain the receive FIFO into the sink, no more
 * than it has room for. With no room the sink has paused the interrupt, and
 * the bytes wait in the FIFO.
 */
static void com1_interrupt(struct trap_frame *tf)
{
	uint8_t bytes[RX_DRAIN_MAX];
	uint32_t max = rx_room();
	size_t n = 0;

	(void)tf;
	if (max > sizeof(bytes))
		max = sizeof(bytes);
	while (n < max && (inb(COM1 + UART_LSR) & LSR_DATA_READY))
		bytes[n++] = inb(COM1 + UART_DATA);
	lapic_eoi();
	if (n)
		rx_sink(bytes, n);
}

void serial_rx_pause(void)
{
	outb(COM1 + UART_IER, 0);
}

/* Bytes already in the FIFO raise the interrupt again at once. */
void serial_rx_resume(void)
{
	outb(COM1 + UART_IER, IER_RX_DATA);
}

int serial_rx_start(void (*sink)(const uint8_t *bytes, size_t n), uint32_t (*room)(void))
{
	int err;

	rx_sink = sink;
	rx_room = room;
	trap_set_handler(VEC_COM1, com1_interrupt);
	err = ioapic_route_isa(COM1_IRQ, VEC_COM1, lapic_id());
	if (err) {
		klog("serial: no I/O APIC: COM1 input is off\n");
		return err;
	}
	outb(COM1 + UART_FCR, FCR_RX_TRIGGER_8);
	/* Bytes already waiting raise the interrupt as soon as it is enabled. */
	outb(COM1 + UART_IER, IER_RX_DATA);
	klog("serial: COM1 input by interrupt (IRQ%u, vector %u)\n", COM1_IRQ, VEC_COM1);
	return 0;
}

void serial_console_write_raw(const char *s, size_t n)
{
	uint64_t flags = arch_irq_save();	/* see serial_log_write */

	spin_lock(&serial_lock);
	for (size_t i = 0; i < n; i++)
		uart_putc(COM1, s[i]);
	spin_unlock(&serial_lock);
	arch_irq_restore(flags);
}
