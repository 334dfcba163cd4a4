// SPDX-License-Identifier: MIT
/*
 * The PciDevice client (user/lib/pci.c) against the simulated kernel,
 * whose CALL hook plays a PciDevice: configRead's params and answer;
 * waitInterrupt without blocking, several in flight, each answer read
 * from its own buffers whatever order they complete in; at most 16 in
 * flight, a duplicate or zero user_data refused, a slot free again once
 * its result is read; a CapException reaches client_exception().
 */
#include <capos/errors.h>

#include "../test.h"
#include "capos.capnp.h"
#include "client.h"
#include "device.capnp.h"
#include "fake_kernel.h"
#include "pci.h"

#define TP_DEV 0x10009u

static struct {
	unsigned calls;
	uint16_t method, off;
	uint8_t width;
	int raise;
} tp;

static struct capnp_msg tp_in, tp_out;
static uint64_t tp_arena[256];

static void tp_answer(const struct capos_sqe *s)
{
	if (tp.raise) {
		struct capos_CapException_builder e = capos_CapException_init_root(&tp_out);

		capos_CapException_set_type(e, capos_CapException_Type_invalidArgument);
		capos_CapException_set_reason(e, "no", 2);
	} else if (s->method_id == device_PciDevice_configRead) {
		struct device_PciDevice_configRead_Params p =
			device_PciDevice_configRead_Params_root(&tp_in);

		tp.off = device_PciDevice_configRead_Params_get_offset(p);
		tp.width = device_PciDevice_configRead_Params_get_width(p);
		device_PciDevice_configRead_Results_set_value(
			device_PciDevice_configRead_Results_init_root(&tp_out), 0x10411af4);
	} else if (s->method_id == device_PciDevice_waitInterrupt) {
		uint16_t v = device_PciDevice_waitInterrupt_Params_get_vector(
			device_PciDevice_waitInterrupt_Params_root(&tp_in));

		device_PciDevice_waitInterrupt_Results_set_count(
			device_PciDevice_waitInterrupt_Results_init_root(&tp_out), 100u + v);
	}
}

static void tp_call(const struct capos_sqe *s, struct capos_cqe *c)
{
	size_t n = 0;

	tp.calls++;
	tp.method = s->method_id;
	capnp_msg_init_read(&tp_in, (void *)(uintptr_t)s->params_addr, s->params_len);
	capnp_msg_init_build(&tp_out, tp_arena, sizeof(tp_arena));
	tp_answer(s);
	if (capnp_msg_write(&tp_out, (void *)(uintptr_t)s->result_addr, s->result_len, &n)) {
		c->result = CAPOS_ERR_RESULT_TOO_SMALL;
		return;
	}
	c->written = (uint32_t)n;
	c->result = tp.raise ? CAPOS_ERR_APPLICATION_EXCEPTION : (int32_t)n;
}

static struct uring tp_ring;

static void tp_setup(void)
{
	memset(&tp, 0, sizeof(tp));
	fk_reset(0);
	fk.call = tp_call;
	uring_stash_free(&tp_ring);
	if (uring_init(&tp_ring, fk_ring_addr()))
		abort();
	client_ring = &tp_ring;
}

TEST(config_read_sends_offset_and_width)
{
	uint32_t v = 0;

	tp_setup();
	CHECK_EQ(pci_config_read(TP_DEV, 0x40, 2, &v), 0);
	CHECK_EQ(tp.method, device_PciDevice_configRead);
	CHECK_EQ(tp.off, 0x40);
	CHECK_EQ(tp.width, 2);
	CHECK_EQ(v, 0x10411af4);
	CHECK_EQ(fk.last.cap_id, TP_DEV);
}

TEST(waits_in_flight_are_matched_by_user_data)
{
	struct capos_cqe cqe;
	uint32_t count = 0, seen = 0;

	tp_setup();
	fk.reverse = 1;	/* answered last first */
	for (uint16_t v = 0; v < 3; v++)
		CHECK_EQ(pci_wait_interrupt_submit(&tp_ring, TP_DEV, v, 11 + v), 0);
	CHECK_EQ(tp.calls, 0);	/* queued, not sent */
	(void)uring_enter(&tp_ring, 0, 0);
	CHECK_EQ(tp.calls, 3);
	while (uring_reap(&tp_ring, &cqe)) {
		CHECK_EQ(pci_wait_interrupt_result(&cqe, &count), 0);
		CHECK_EQ(count, 100u + (uint32_t)(cqe.user_data - 11));
		seen++;
	}
	CHECK_EQ(seen, 3);
	CHECK_EQ(pci_wait_interrupt_result(&cqe, &count), CAPOS_ERR_INVALID_ARGUMENT);
}

TEST(at_most_16_waits_and_user_data_must_be_new)
{
	struct capos_cqe cqe;
	uint32_t count;

	tp_setup();
	for (uint32_t i = 0; i < PCI_WAITS_MAX; i++)
		CHECK_EQ(pci_wait_interrupt_submit(&tp_ring, TP_DEV, 0, 100 + i), 0);
	CHECK_EQ(pci_wait_interrupt_submit(&tp_ring, TP_DEV, 0, 999), CAPOS_ERR_QUOTA_EXCEEDED);
	(void)uring_enter(&tp_ring, 0, 0);
	CHECK(uring_reap(&tp_ring, &cqe));
	CHECK_EQ(pci_wait_interrupt_submit(&tp_ring, TP_DEV, 0, cqe.user_data),
		 CAPOS_ERR_INVALID_ARGUMENT);	/* still in flight until read */
	CHECK_EQ(pci_wait_interrupt_result(&cqe, &count), 0);
	CHECK_EQ(pci_wait_interrupt_submit(&tp_ring, TP_DEV, 0, 999), 0);	/* its slot */
	CHECK_EQ(pci_wait_interrupt_submit(&tp_ring, TP_DEV, 0, 0), CAPOS_ERR_INVALID_ARGUMENT);
	(void)uring_enter(&tp_ring, 0, 0);
	while (uring_reap(&tp_ring, &cqe))
		CHECK_EQ(pci_wait_interrupt_result(&cqe, &count), 0);
}

TEST(a_refused_wait_reaches_client_exception)
{
	struct capos_cqe cqe;
	uint32_t count = 7;

	tp_setup();
	tp.raise = 1;
	CHECK_EQ(pci_wait_interrupt_submit(&tp_ring, TP_DEV, 9, 5), 0);
	(void)uring_enter(&tp_ring, 0, 0);
	CHECK(uring_reap(&tp_ring, &cqe));
	CHECK_EQ(pci_wait_interrupt_result(&cqe, &count), CAPOS_ERR_APPLICATION_EXCEPTION);
	CHECK_EQ(client_exception()->type, capos_CapException_Type_invalidArgument);
	CHECK_EQ(count, 7);
	CHECK_EQ(pci_config_read(TP_DEV, 0, 4, &count), CAPOS_ERR_APPLICATION_EXCEPTION);
}

int main(void)
{
	RUN(config_read_sends_offset_and_width);
	RUN(waits_in_flight_are_matched_by_user_data);
	RUN(at_most_16_waits_and_user_data_must_be_new);
	RUN(a_refused_wait_reaches_client_exception);
	return test_failures ? 1 : 0;
}
