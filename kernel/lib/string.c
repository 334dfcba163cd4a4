// SPDX-License-Identifier: MIT
/*
 * Kernel memcpy, memmove, memset, memcmp, strlen, strnlen and strncmp.
 *
 * The copy and fill functions use `rep movs` / `rep stos`: one instruction,
 * fast on every CPU with enhanced rep-string microcode, and, unlike a C loop, it
 * cannot be "optimised" by the compiler back into a call to memcpy itself
 * (-ftree-loop-distribute-patterns does that to naive loops). The kernel runs
 * with the direction flag clear (the SysV ABI demands it at every call), which
 * the forward copies rely on; the backward copy sets it and clears it again.
 *
 * The host unit test builds this file with the names remapped (-Dmemcpy=...)
 * so it can check them against libc without clashing with it.
 */
#include <stdint.h>

#include "lib/string.h"

/*
 * Copies from the first byte up; also right for overlaps where dst is below
 * src. Whole 8-byte words go first (an emulator counts every iteration of a
 * rep instruction, so words cost an eighth of bytes), then the tail.
 */
static void string_copy_forward(void *dst, const void *src, size_t n)
{
	size_t words = n / 8, tail = n % 8;

	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(tail) : : "memory");
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	string_copy_forward(dst, src, n);
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	size_t words = n / 8, tail = n % 8;
	uint64_t pattern = (uint8_t)c * 0x0101010101010101ull;

	__asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(pattern) : "memory");
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(tail) : "a"(pattern) : "memory");
	return dst;
}

/* Copies from the last byte down; needed when dst overlaps the tail of src. */
static void string_copy_backward(unsigned char *dst, const unsigned char *src, size_t n)
{
	unsigned char *d = dst + n - 1;
	const unsigned char *s = src + n - 1;

	__asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (n == 0 || d == s)
		return dst;
	/* Forward byte order is safe whenever dst starts below src. */
	if (d < s || d >= s + n)
		string_copy_forward(d, s, n);
	else
		string_copy_backward(d, s, n);
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x != y)
			return x < y ? -1 : 1;
		if (x == 0)
			return 0;
	}
	return 0;
}

/* GCC turns strncmp against a short literal into strcmp (across files with LTO). */
int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, SIZE_MAX);
}
