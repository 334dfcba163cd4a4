// SPDX-License-Identifier: MIT
/*
 * PciDevice.enableInterrupts and waitInterrupt (pci_device_impl.h).
 *
 * MSI-X: each enabled table entry gets an interrupt slot (a vector,
 * dev/pci_arch.h) and a message the kernel writes itself, to the boot
 * CPU's local APIC. The interrupt handler takes no lock: it adds one to
 * its slot's atomic count and wakes the device thread. The thread, and a
 * waitInterrupt that finds its count non-zero, take the count and answer
 * the wait (never from interrupt context: nothing is posted to a ring
 * there). A function without MSI-X gets its INTx line instead
 * (pci_device_intx.c): the same waits and thread, its own slots.
 *
 * Races: a wait checks the count and joins its queue under d->lock; the
 * thread takes d->lock before it looks at a queue, and the handler counts
 * before it wakes the thread, so an interrupt that comes between a wait's
 * check and its enqueue is answered by the thread's next pass.
 */
#include <capos/errors.h>

#include "capos.capnp.h"
#include "dev/pci_arch.h"
#include "lib/kprintf.h"
#include "lib/lockdep.h"
#include "obj/pci_device_impl.h"
#include "ring/call.h"
#include "sched/sched.h"

#define MSIX_CTRL_ENABLE	(1u << 15)
#define MSIX_CTRL_MASK_ALL	(1u << 14)
#define MSIX_ENTRY_WORDS	4u	/* address low, high, data, vector control */
#define MSIX_VECTOR_MASKED	1u
#define WAIT_ANSWER_LEN		24u	/* segment table, root pointer, one data word */
#define WAIT_TAKEN		2	/* not an error code: a wait on the vector is pending */

struct spinlock pci_irq_lock = SPINLOCK_INIT_RANK(LOCK_RANK_PCI_IRQ);	/* slot_owner, INTx lines; see pci_device.h */
static struct pci_device *slot_owner[PCI_MSIX_SLOTS];	/* pci_irq_lock */
static uint32_t slot_fired[PCI_MSIX_SLOTS];	/* atomic: interrupts not yet answered */
static struct thread *irq_thread;

void pci_device_irq_wake(void)
{
	sched_wake(irq_thread);
}

/* Interrupt context. */
static void device_irq(unsigned slot)
{
	if (slot >= PCI_IRQ_SLOTS)
		return;
	if (slot >= PCI_MSIX_SLOTS) {
		pci_device_intx_irq(slot - PCI_MSIX_SLOTS);
		return;
	}
	__atomic_add_fetch(&slot_fired[slot], 1, __ATOMIC_RELEASE);
	sched_wake(irq_thread);
}

/* What fired on d's vector v since the last answer, taken. Under d->lock. */
static uint32_t fired_take_locked(struct pci_device *d, uint32_t v)
{
	assert_held(&d->lock);
	if (d->irq_mode == device_InterruptMode_intx)
		return pci_device_intx_take_locked(d);
	return __atomic_exchange_n(&slot_fired[d->slot[v]], 0, __ATOMIC_ACQUIRE);
}

static int wait_answer_build(uint64_t *buf, uint32_t count, uint32_t *len)
{
	struct call_ctx c = { .result = (uint8_t *)buf, .result_cap = WAIT_ANSWER_LEN };
	struct capnp_msg out;
	int err = call_result_begin(&c, &out);

	if (err)
		return err;
	device_PciDevice_waitInterrupt_Results_set_count(
		device_PciDevice_waitInterrupt_Results_init_root(&out), count);
	err = call_result_end(&c, &out);
	*len = c.result_written;
	return err;
}

static void wait_answer(struct kcall *k, uint32_t count)
{
	uint64_t buf[WAIT_ANSWER_LEN / 8];
	uint32_t len;

	if (wait_answer_build(buf, count, &len))
		panic("pci: a waitInterrupt answer does not fit its own buffer");
	kcall_answer(k, buf, len);
}

void pci_device_due_collect_locked(struct pci_device *d, struct pci_due_wait *due, uint32_t *n)
{
	assert_held(&pci_irq_lock);
	assert_held(&d->lock);
	for (uint32_t v = 0; v < d->nvec && *n < PCI_DUE_MAX; v++) {
		struct kcall *k = kcall_queue_first_locked(&d->waits[v]);
		uint32_t count;

		if (!k)
			continue;
		count = fired_take_locked(d, v);
		if (!count)
			continue;
		kcall_take_locked(k);
		due[(*n)++] = (struct pci_due_wait){ k, count };
	}
}

/* The device thread: answers the waits whose interrupts came; the handler wakes it. */
static void irq_thread_main(void)
{
	for (;;) {
		struct pci_due_wait due[PCI_DUE_MAX];	/* full: the rest on the next pass */
		uint32_t n = 0;

		spin_lock(&pci_irq_lock);
		for (uint32_t s = 0; s < PCI_MSIX_SLOTS; s++) {
			struct pci_device *d = slot_owner[s];

			/* A device owns its slots in a row from its first: visit it once. */
			if (!d || d->slot[0] != s)
				continue;
			spin_lock(&d->lock);
			pci_device_due_collect_locked(d, due, &n);
			spin_unlock(&d->lock);
		}
		pci_device_intx_collect_locked(due, &n);
		spin_unlock(&pci_irq_lock);
		for (uint32_t i = 0; i < n; i++)
			wait_answer(due[i].k, due[i].count);
		if (!n)
			(void)sched_block(0);
	}
}

void pci_device_init(void)
{
	irq_thread = sched_kthread_create(irq_thread_main);
	if (!irq_thread)
		panic("pci: no memory for the device interrupt thread");
	pci_arch_irq_init(device_irq);
}

/* n free slots in a row for d, into d->slot; false if there are none. Under pci_irq_lock. */
static bool slots_alloc_locked(struct pci_device *d, uint32_t n)
{
	assert_held(&pci_irq_lock);
	for (uint32_t first = 0; first + n <= PCI_MSIX_SLOTS; first++) {
		uint32_t i = 0;

		while (i < n && !slot_owner[first + i])
			i++;
		if (i < n)
			continue;
		for (i = 0; i < n; i++) {
			slot_owner[first + i] = d;
			__atomic_store_n(&slot_fired[first + i], 0, __ATOMIC_RELAXED);
			d->slot[i] = (uint8_t)(first + i);
		}
		return true;
	}
	return false;
}

static void msix_ctrl_set(const struct pci_func *f, uint16_t set, uint16_t clear)
{
	uint16_t ctrl = (uint16_t)pci_cfg_read(f, f->caps.msix + 2, 2);

	pci_cfg_write(f, f->caps.msix + 2, 2, (uint16_t)((ctrl | set) & ~clear));
}

/* Programs entries 0..nvec-1 for d's slots and turns MSI-X on (function mask while at it). */
static void msix_program(struct pci_device *d, volatile uint32_t *table)
{
	const struct pci_func *f = d->func;
	uint16_t cmd = (uint16_t)pci_cfg_read(f, PCI_COMMAND, 2);

	/* The table is in a BAR; the INTx line is not this function's way any more. */
	pci_cfg_write(f, PCI_COMMAND, 2, cmd | PCI_CMD_MEMORY | PCI_CMD_INTX_DISABLE);
	msix_ctrl_set(f, MSIX_CTRL_ENABLE | MSIX_CTRL_MASK_ALL, 0);
	for (uint32_t i = 0; i < d->nvec; i++) {
		volatile uint32_t *e = table + i * MSIX_ENTRY_WORDS;
		uint64_t addr;
		uint32_t data;

		pci_arch_msi_message(d->slot[i], &addr, &data);
		e[0] = (uint32_t)addr;
		e[1] = (uint32_t)(addr >> 32);
		e[2] = data;
		e[3] = 0;	/* unmasked */
	}
	msix_ctrl_set(f, 0, MSIX_CTRL_MASK_ALL);
}

int pci_device_enable_result(struct call_ctx *ctx, uint16_t mode, uint16_t nvec)
{
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	struct device_PciDevice_enableInterrupts_Results_builder r =
		device_PciDevice_enableInterrupts_Results_init_root(&out);

	device_PciDevice_enableInterrupts_Results_set_mode(r, mode);
	device_PciDevice_enableInterrupts_Results_set_vectors(r, nvec);
	return call_result_end(ctx, &out);
}

static int failed(struct call_ctx *ctx, const char *why)
{
	return call_raise(ctx, capos_CapException_Type_failed, why);
}

int pci_device_enable_interrupts(struct pci_device *d, struct call_ctx *ctx)
{
	struct capnp_msg in;
	volatile uint32_t *table;
	bool got;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	uint16_t want = device_PciDevice_enableInterrupts_Params_get_vectors(
		device_PciDevice_enableInterrupts_Params_root(&in));

	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	if (want == 0)
		return failed(ctx, "enableInterrupts: at least one vector");
	if (!d->func->msix_size)
		return pci_device_intx_enable(d, ctx);
	uint16_t n = want < d->func->msix_size ? want : d->func->msix_size;

	if (n > PCI_MSIX_MAX)
		n = PCI_MSIX_MAX;
	err = pci_device_enable_result(ctx, device_InterruptMode_msix, n);	/* room checked */
	if (err)
		return err;
	table = pci_msix_table(d->func);
	if (!table)
		return failed(ctx, "enableInterrupts: the MSI-X table's BAR is absent");
	spin_lock(&pci_irq_lock);
	spin_lock(&d->lock);
	got = d->irq_mode != device_InterruptMode_none;
	if (!got && slots_alloc_locked(d, n)) {
		d->nvec = n;
		d->irq_mode = device_InterruptMode_msix;
		msix_program(d, table);
		got = true;
	}
	n = d->nvec;
	spin_unlock(&d->lock);
	spin_unlock(&pci_irq_lock);
	if (!got)
		return call_raise(ctx, capos_CapException_Type_overloaded,
				  "enableInterrupts: every device vector is taken");
	return pci_device_enable_result(ctx, device_InterruptMode_msix, n);
}

/* waitInterrupt's decode: the vector. 0, or what the handler returns. */
static int wait_decode(struct pci_device *d, struct call_ctx *ctx, uint16_t *vector)
{
	struct capnp_msg in;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	*vector = device_PciDevice_waitInterrupt_Params_get_vector(
		device_PciDevice_waitInterrupt_Params_root(&in));
	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	spin_lock(&d->lock);
	err = *vector >= d->nvec;
	spin_unlock(&d->lock);
	if (err)
		return call_raise(ctx, capos_CapException_Type_invalidArgument,
				  "waitInterrupt: vector not enabled");
	return ctx->result_cap < WAIT_ANSWER_LEN ? CAPOS_ERR_RESULT_TOO_SMALL : 0;
}

int pci_device_wait_interrupt(struct pci_device *d, struct call_ctx *ctx)
{
	struct kcall *k;
	uint32_t count = 0;
	uint16_t v;
	int err = wait_decode(d, ctx, &v);

	if (err)
		return err;
	err = kcall_prepare(ctx, &d->obj, &d->waits[v], WAIT_ANSWER_LEN, &k);
	if (err)
		return err;
	spin_lock(&d->lock);
	if (!kcall_queue_is_empty(&d->waits[v])) {
		err = WAIT_TAKEN;
	} else {
		count = fired_take_locked(d, v);
		if (!count)
			err = kcall_enqueue_locked(k);
	}
	spin_unlock(&d->lock);
	if ((count || err == KOBJ_CALL_PENDING) && d->irq_mode == device_InterruptMode_intx)
		pci_device_intx_rearm(d);	/* taken: the driver has acknowledged (schema) */
	if (err == KOBJ_CALL_PENDING)
		return err;
	kcall_discard(k);
	if (count) {
		struct capnp_msg out;

		err = call_result_begin(ctx, &out);
		if (err)
			return err;
		device_PciDevice_waitInterrupt_Results_set_count(
			device_PciDevice_waitInterrupt_Results_init_root(&out), count);
		return call_result_end(ctx, &out);
	}
	if (err == WAIT_TAKEN)
		return failed(ctx, "waitInterrupt: a wait on this vector is pending already");
	if (err == CAPOS_ERR_QUOTA_EXCEEDED)
		return call_raise(ctx, capos_CapException_Type_overloaded,
				  "too many calls pending on kernel objects");
	return err;
}

void pci_device_irq_release(struct pci_device *d)
{
	volatile uint32_t *table = d->func->msix_table;

	if (d->irq_mode == device_InterruptMode_intx)
		pci_device_intx_release(d);
	if (d->irq_mode != device_InterruptMode_msix)
		return;
	msix_ctrl_set(d->func, MSIX_CTRL_MASK_ALL, 0);
	for (uint32_t i = 0; i < d->nvec && table; i++)
		table[i * MSIX_ENTRY_WORDS + 3] = MSIX_VECTOR_MASKED;
	msix_ctrl_set(d->func, 0, MSIX_CTRL_ENABLE | MSIX_CTRL_MASK_ALL);
	spin_lock(&pci_irq_lock);
	for (uint32_t i = 0; i < d->nvec; i++)
		slot_owner[d->slot[i]] = NULL;
	spin_unlock(&pci_irq_lock);
	d->nvec = 0;
	d->irq_mode = device_InterruptMode_none;
}
