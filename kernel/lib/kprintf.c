// SPDX-License-Identifier: MIT
/*
 * kprintf, klog and panic on top of the lib/fmt engine. Formatting happens into
 * a small stack buffer that is flushed to the port when full, so a line is
 * written with few lock round trips and no heap.
 */
#include "arch/arch.h"
#include "fmt/fmt.h"
#include "lib/kprintf.h"

struct kout {
	void (*write)(const char *s, size_t n);
	char buf[128];
	size_t len;
};

static void kout_flush(struct kout *o)
{
	if (o->len)
		o->write(o->buf, o->len);
	o->len = 0;
}

static void kout_sink(void *ctx, const char *s, size_t n)
{
	struct kout *o = ctx;

	for (size_t i = 0; i < n; i++) {
		if (o->len == sizeof(o->buf))
			kout_flush(o);
		o->buf[o->len++] = s[i];
	}
}

static int kvprintf_to(void (*write)(const char *, size_t), const char *fmt, va_list ap)
{
	struct kout o = { .write = write, .len = 0 };
	int n = fmt_vformat(kout_sink, &o, fmt, ap);

	kout_flush(&o);
	return n;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvprintf_to(arch_log_write, fmt, ap);
	va_end(ap);
	return n;
}

int klog(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvprintf_to(arch_log_write, fmt, ap);
	va_end(ap);
	return n;
}

int kprintf_emergency(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvprintf_to(arch_emergency_write, fmt, ap);
	va_end(ap);
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	arch_irq_save();
	kprintf_emergency("\nKERNEL PANIC: ");
	va_start(ap, fmt);
	kvprintf_to(arch_emergency_write, fmt, ap);
	va_end(ap);
	kprintf_emergency("\n");
	arch_exit_emulator(KEXIT_PANIC);
}
