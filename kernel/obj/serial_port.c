// SPDX-License-Identifier: MIT
/*
 * SerialPort (serial_port.h, docs/terminal.md): read(max), write(data),
 * status(). Decode, then invoke: read checks max and the room for its
 * answer before it takes a byte or queues anything, and a read that
 * cannot be queued (the caller's 64 kernel-object calls, or no memory)
 * takes no byte.
 *
 * Lock order: serial_port_lock, then serial_rx_lock (interrupts off), or
 * serial_port_lock, then a reader's ipc_peer lock (kcall_enqueue_locked).
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "arch/arch.h"
#include "capos.capnp.h"
#include "ipc/kcall.h"
#include "lib/byte_ring.h"
#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "lib/spinlock.h"
#include "obj/serial_port.h"
#include "obj/serial_stamps.h"
#include "ring/call.h"
#include "sched/sched.h"

/* Segment table, root pointer, the Results struct's one pointer, then the data in words. */
#define SERIAL_ANSWER_LEN(n)	(24u + (((n) + 7u) & ~7u))
#define SERIAL_DELIVER_BATCH	64	/* reads the thread answers before it yields */

extern uint64_t boot_tsc;	/* boot.S: the TSC at the kernel's first instruction */

static uint8_t rx_store[SERIAL_PORT_BUFFER];
static struct byte_ring rx = { .buf = rx_store, .size = SERIAL_PORT_BUFFER };
static struct spinlock serial_rx_lock = SPINLOCK_INIT_RANK(LOCK_RANK_IRQ_LEAF);	/* guards rx, rx_paused; interrupts off */
static bool rx_paused;	/* the receive interrupt is off: rx was full */

static struct spinlock serial_port_lock = SPINLOCK_INIT_RANK(LOCK_RANK_KCALL_OBJ);	/* guards sp_readers */
static struct kcall_queue sp_readers;	/* pending reads, FIFO; kcall.arg is max */
static struct thread *sp_thread;

/*
 * Interrupt context (the arch's COM1 handler), before it reads the device:
 * how many bytes rx can keep. None: input pauses, under the lock, so a
 * reader's resume cannot come between the decision and the pause.
 */
static uint32_t serial_port_room(void)
{
	uint32_t room;

	spin_lock(&serial_rx_lock);
	room = rx.size - byte_ring_len(&rx);
	if (!room && !rx_paused) {
		rx_paused = true;
		arch_terminal_input_pause();
	}
	spin_unlock(&serial_rx_lock);
	return room;
}

/* Interrupt context (the arch's COM1 handler): buffer the bytes, wake the thread. */
static void serial_port_rx(const uint8_t *bytes, size_t n)
{
	serial_stamp_rx(bytes, n);
	spin_lock(&serial_rx_lock);
	(void)byte_ring_put(&rx, bytes, n);
	spin_unlock(&serial_rx_lock);
	sched_wake(sp_thread);
}

/* Up to max buffered bytes into out; how many. Thread context, any lock above rx's. */
static uint32_t serial_rx_take(uint8_t *out, uint32_t max)
{
	uint64_t flags = arch_irq_save();
	uint32_t n;

	spin_lock(&serial_rx_lock);
	n = byte_ring_take(&rx, out, max);
	if (n && rx_paused) {
		rx_paused = false;
		arch_terminal_input_resume();
	}
	spin_unlock(&serial_rx_lock);
	arch_irq_restore(flags);
	return n;
}

/* The answer to a read that got bytes[0..n), framed into ctx's result buffer. */
static int serial_answer(struct call_ctx *ctx, const uint8_t *bytes, uint32_t n)
{
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	(void)capos_SerialPort_read_Results_set_data(capos_SerialPort_read_Results_init_root(&out),
						     bytes, n);
	return call_result_end(ctx, &out);
}

/*
 * Answers the oldest pending read if a byte is there. True if it did.
 * The port's thread, no lock held.
 */
static bool serial_deliver_one(void)
{
	uint64_t answer[SERIAL_ANSWER_LEN(SERIAL_PORT_READ_MAX) / 8];
	struct call_ctx c = { .result = (uint8_t *)answer, .result_cap = sizeof(answer) };
	uint8_t bytes[SERIAL_PORT_READ_MAX];
	struct kcall *k;
	uint32_t n = 0;

	spin_lock(&serial_port_lock);
	k = kcall_queue_first_locked(&sp_readers);
	if (k)
		n = serial_rx_take(bytes, k->arg);
	if (n)
		kcall_take_locked(k);
	spin_unlock(&serial_port_lock);
	if (!n)
		return false;
	if (serial_answer(&c, bytes, n))
		panic("serial: a read's answer does not fit its own buffer");
	kcall_answer(k, answer, c.result_written);
	return true;
}

/* The port's kernel thread: answers reads as bytes come; the interrupt wakes it. */
static void serial_thread_main(void)
{
	for (;;) {
		int answered = 0;

		while (answered < SERIAL_DELIVER_BATCH && serial_deliver_one())
			answered++;
		if (answered == SERIAL_DELIVER_BATCH)
			sched_yield();
		else
			(void)sched_block(0);
	}
}

/* read's decode: max, then the result room. 0 and *max, or the error to return. */
static int serial_read_decode(struct call_ctx *ctx, uint32_t *max)
{
	struct capnp_msg in;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	*max = capos_SerialPort_read_Params_get_max(capos_SerialPort_read_Params_root(&in));
	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	if (*max == 0 || *max > SERIAL_PORT_READ_MAX)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "read takes 1 to 256 bytes");
	if (ctx->result_cap < SERIAL_ANSWER_LEN(*max))
		return CAPOS_ERR_RESULT_TOO_SMALL;
	return 0;
}

/*
 * read(max): bytes now if some are buffered and no read is older, else
 * pending on the queue. The record is prepared (the result buffer
 * claimed) before the lock, and discarded if the bytes were there.
 */
/*
 * boot_to_login (make bench): the first read that has to wait is the
 * terminal waiting for the first keystroke, just after the shell's first
 * prompt was written; the kernel log says when, in cycles since the
 * kernel's first instruction (guest instructions under -icount).
 */
static void serial_note_first_wait(void)
{
	static bool noted;

	if (__atomic_exchange_n(&noted, true, __ATOMIC_RELAXED))
		return;
	klog("boot: first wait for terminal input %llu cycles after the kernel's first "
	     "instruction\n", (unsigned long long)(arch_cycles() - boot_tsc));
}

static int serial_read(struct kobj *obj, struct call_ctx *ctx)
{
	uint8_t bytes[SERIAL_PORT_READ_MAX];
	struct kcall *k;
	uint32_t max, n = 0;
	int err = serial_read_decode(ctx, &max);

	if (err)
		return err;
	err = kcall_prepare(ctx, obj, &sp_readers, SERIAL_ANSWER_LEN(max), &k);
	if (err)
		return err;
	k->arg = max;
	spin_lock(&serial_port_lock);
	if (kcall_queue_is_empty(&sp_readers))
		n = serial_rx_take(bytes, max);
	if (!n)
		err = kcall_enqueue_locked(k);
	spin_unlock(&serial_port_lock);
	if (n) {
		kcall_discard(k);
		return serial_answer(ctx, bytes, n);
	}
	if (err == KOBJ_CALL_PENDING) {
		serial_note_first_wait();
		return err;
	}
	kcall_discard(k);
	if (err == CAPOS_ERR_QUOTA_EXCEEDED)
		return call_raise(ctx, capos_CapException_Type_overloaded,
				  "too many calls pending on kernel objects");
	return err;
}

static int serial_write(struct call_ctx *ctx)
{
	struct capnp_msg in, out;
	struct capnp_data d;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	d = capos_SerialPort_write_Params_get_data(capos_SerialPort_write_Params_root(&in));
	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	err = call_result_begin(ctx, &out);
	if (err)
		return err;
	(void)capos_SerialPort_write_Results_init_root(&out);
	err = call_result_end(ctx, &out);
	if (err)
		return err;	/* decode, then invoke: no room for the answer, nothing written */
	arch_terminal_write((const char *)d.ptr, d.len);
	serial_stamp_write(d.ptr, d.len);
	return 0;
}

static int serial_status(struct call_ctx *ctx)
{
	uint64_t flags, dropped;
	uint32_t buffered;
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	flags = arch_irq_save();
	spin_lock(&serial_rx_lock);
	dropped = rx.dropped;
	buffered = byte_ring_len(&rx);
	spin_unlock(&serial_rx_lock);
	arch_irq_restore(flags);
	struct capos_SerialPort_status_Results_builder r =
		capos_SerialPort_status_Results_init_root(&out);

	capos_SerialPort_status_Results_set_dropped(r, dropped);
	capos_SerialPort_status_Results_set_buffered(r, buffered);
	return call_result_end(ctx, &out);
}

static int serial_port_call(struct kobj *obj, struct call_ctx *ctx)
{
	switch (ctx->method_id) {
	case 0:
		return serial_read(obj, ctx);
	case 1:
		return serial_write(ctx);
	case 2:
		return serial_status(ctx);
	default:
		return CAPOS_ERR_UNKNOWN_METHOD;
	}
}

static const struct kobj_ops serial_port_ops = {
	.iface_id = CAPOS_IFACE_SERIAL_PORT,
	.name = "SerialPort",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = KOBJ_F_TRANSFERABLE,
	.call = serial_port_call,
	.destroy = kobj_destroy_static,
};

static struct kobj serial_port_obj;

struct kobj *serial_port_object(void)
{
	return kobj_singleton(&serial_port_obj, &serial_port_ops);
}

void serial_port_init(void)
{
	kcall_queue_init(&sp_readers, &serial_port_lock);
	sp_thread = sched_kthread_create(serial_thread_main);
	if (!sp_thread)
		panic("serial: no memory for the port's thread");
	if (arch_terminal_input_start(serial_port_rx, serial_port_room))
		kprintf("serial: no way to route COM1's interrupt: terminal input is off\n");
}
