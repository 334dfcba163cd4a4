// SPDX-License-Identifier: MIT
/*
 * Terminal stamps for make bench (serial_stamps.h): with serial_stamps=1
 * on the command line, each SerialPort.write is logged on COM2 with its
 * cycle count and that of the last Enter (CR or LF) received, and the
 * tail of what it wrote. shell_run_hello is the write of the prompt after
 * `run "hello"`, less that Enter (scripts/bench-user.sh). Off, it costs a
 * load and a branch per interrupt and per write.
 */
#include "arch/arch.h"
#include "lib/kprintf.h"
#include "obj/serial_stamps.h"

#define STAMP_TAIL 24u	/* bytes of the write shown: the prompt fits */

extern uint64_t boot_tsc;	/* boot.S: the TSC at the kernel's first instruction */

static bool stamping;
static uint64_t last_enter;	/* cycles since boot at the last CR or LF received */

void serial_stamps_on(void)
{
	stamping = true;
}

void serial_stamp_rx(const uint8_t *bytes, size_t n)
{
	if (!stamping)
		return;
	for (size_t i = 0; i < n; i++)
		if (bytes[i] == '\r' || bytes[i] == '\n')
			__atomic_store_n(&last_enter, arch_cycles() - boot_tsc, __ATOMIC_RELAXED);
}

void serial_stamp_write(const uint8_t *bytes, size_t n)
{
	char tail[STAMP_TAIL + 1];
	size_t from = n > STAMP_TAIL ? n - STAMP_TAIL : 0, k = 0;

	if (!stamping)
		return;
	for (size_t i = from; i < n; i++)	/* the log stays one printable line */
		tail[k++] = bytes[i] >= 0x20 && bytes[i] < 0x7f ? (char)bytes[i] : '.';
	tail[k] = '\0';
	klog("serial: wrote at %llu cycles, last Enter at %llu: %s\n",
	     (unsigned long long)(arch_cycles() - boot_tsc),
	     (unsigned long long)__atomic_load_n(&last_enter, __ATOMIC_RELAXED), tail);
}
