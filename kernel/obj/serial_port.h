/* SPDX-License-Identifier: MIT */
/*
 * SerialPort: the terminal's line (COM1) as a capability (schema/capos.capnp,
 * docs/terminal.md).
 *
 * Input arrives by interrupt: the handler (arch, interrupt context) hands
 * each burst to serial_port_rx(), which only puts the bytes in a bounded
 * buffer (4,096 bytes; when full the receive interrupt pauses until a read
 * makes room, so the line waits and nothing is dropped)
 * and wakes the port's kernel thread. Nothing is posted to a ring in
 * interrupt context. read(max) answers at once when bytes are buffered and
 * no earlier read waits; otherwise the CALL becomes a kernel-object call
 * (ipc/kcall.h) on a FIFO queue, which the thread answers, oldest first,
 * as bytes come.
 *
 * Locking: serial_port_lock (the kcall queue's lock) is an object lock of
 * level 1 in docs/locking.md: a reader's peer lock nests inside it. Under
 * it, with interrupts off, serial_rx_lock (the buffer) may be taken: a
 * leaf, also taken by the interrupt handler, so always with interrupts
 * off. The handler wakes the thread after dropping it.
 */
#ifndef CAPOS_KERNEL_OBJ_SERIAL_PORT_H
#define CAPOS_KERNEL_OBJ_SERIAL_PORT_H

#include "cap/object.h"

#define SERIAL_PORT_BUFFER	4096u	/* bytes buffered in the kernel (a power of two) */
#define SERIAL_PORT_READ_MAX	256u	/* read's limit (schema) */

/* Starts the port's thread and COM1's receive interrupt. Boot, before the first process. */
void serial_port_init(void);

/* The one SerialPort object; the caller borrows it (take a reference to keep it). */
struct kobj *serial_port_object(void);

#endif
