// SPDX-License-Identifier: MIT
/*
 * serial-overflow (QEMU scenario serial-overflow): the kernel's 4,096-byte
 * receive buffer when nobody reads. The harness types 5,000 bytes (a
 * counting pattern) while this program only sleeps and watches status():
 * the buffer fills to 4,096 and input pauses (flow control: the UART and
 * QEMU hold the rest, the line waits); nothing is dropped. Reads then give
 * back all 5,000, whole and in order, and status shows nothing buffered
 * and nothing dropped.
 */
#include <capos/interfaces.h>

#include "check.h"
#include "rt.h"
#include "serial.h"
#include "timer.h"

#define TYPED 5000u
#define KEPT 4096u
#define WATCH_MS 20000u	/* the longest wait for the typing to end */

static uint8_t pattern_byte(uint32_t i)
{
	return (uint8_t)('a' + i % 26);
}

/* Sleeps until status shows the buffer full (or WATCH_MS passed). */
static void wait_for_the_typing(capos_cap_t port, capos_cap_t timer, uint64_t *dropped,
				uint32_t *buffered)
{
	for (uint32_t ms = 0; ms < WATCH_MS; ms += 10) {
		if (serial_status(port, dropped, buffered) == 0 && *dropped + *buffered >= KEPT)
			return;
		(void)timer_sleep(timer, 10000000ull);
	}
}

/* Reads TYPED bytes and checks they are the bytes typed, in order. */
static void read_back(capos_cap_t port)
{
	static uint8_t got[TYPED];
	uint32_t have = 0, n, bad = 0;

	while (have < TYPED) {
		uint32_t want = TYPED - have < SERIAL_READ_MAX ? TYPED - have : SERIAL_READ_MAX;

		if (!check_err(serial_read(port, got + have, want, &n), 0, "read_back"))
			return;
		have += n;
	}
	for (uint32_t i = 0; i < TYPED; i++)
		bad += got[i] != pattern_byte(i);
	check(bad == 0, "all_5000_kept_in_order", bad);
}

int main(void)
{
	capos_cap_t port, timer;
	uint64_t dropped = 0;
	uint32_t buffered = 0;

	check_init("serial-overflow");
	port = rt_cap("serial", CAPOS_IFACE_SERIAL_PORT);
	timer = rt_cap("timer", CAPOS_IFACE_TIMER);
	if (!check(port != CAPOS_CAP_INVALID && timer != CAPOS_CAP_INVALID, "caps", 0))
		return check_done();
	printf("serial-overflow: ready\n");
	wait_for_the_typing(port, timer, &dropped, &buffered);
	check(buffered == KEPT, "buffer_full", buffered);
	check(dropped == 0, "nothing_dropped_while_full", (long long)dropped);
	read_back(port);
	check_err(serial_status(port, &dropped, &buffered), 0, "status_after");
	check(buffered == 0 && dropped == 0, "drained_nothing_dropped", (long long)dropped);
	return check_done();
}
