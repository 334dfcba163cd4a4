// SPDX-License-Identifier: MIT
/*
 * A tiny static capOS-shaped program (no libc) that the ELF tests compile
 * with the host toolchain at test time. It has code, read-only data,
 * initialised and zero-filled data and a thread-local variable, so the
 * linker emits text, rodata, data/bss and PT_TLS segments.
 */
static const char tiny_msg[] = "hello from a tiny image";
int tiny_counter = 3;
int tiny_zeroes[4096];
__thread int tiny_tls = 7;

void _start(void)
{
	tiny_counter += tiny_msg[0] + tiny_zeroes[tiny_counter] + tiny_tls;
	for (;;)
		__asm__ __volatile__("hlt");
}
