// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the ACPI walk (kernel/boot/acpi.c): the input is a
 * window of physical memory starting at FUZZ_ACPI_BASE with the RSDP at its
 * start; map() grants only ranges inside the window, so every table address
 * the input contains is tried against real bounds. All three searches run
 * on each input (the I/O APIC, the CPUs, the MCFG) and their results are
 * checked against what acpi.h promises.
 */
#include <stdint.h>
#include <stdlib.h>

#include "boot/acpi.h"

#define FUZZ_ACPI_BASE 0x1000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_acpi_window {
	const uint8_t *data;
	size_t size;
};

static const void *fuzz_acpi_map(uint64_t pa, uint32_t len, void *ctx)
{
	const struct fuzz_acpi_window *w = ctx;

	if (pa < FUZZ_ACPI_BASE || pa - FUZZ_ACPI_BASE > w->size ||
	    len > w->size - (pa - FUZZ_ACPI_BASE))
		return NULL;
	return w->data + (pa - FUZZ_ACPI_BASE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_acpi_window w = { data, size };
	struct acpi_irq_info irq;
	struct acpi_cpus cpus;
	struct acpi_mcfg mcfg;
	uint32_t rsdp_len = size < 36 ? (uint32_t)size : 36;

	(void)acpi_find_rsdp(data, size);
	if (acpi_find_irq_info(data, rsdp_len, fuzz_acpi_map, &w, &irq) != 0 && irq.ioapic_phys)
		abort();
	if (acpi_find_cpus(data, rsdp_len, fuzz_acpi_map, &w, &cpus) == 0 && cpus.count == 0)
		abort();
	if (cpus.count > ACPI_MAX_CPUS)
		abort();
	for (uint32_t i = 0; i < cpus.count; i++)
		for (uint32_t j = 0; j < i; j++)
			if (cpus.apic_id[i] == cpus.apic_id[j])
				abort();
	if (acpi_find_mcfg(data, rsdp_len, fuzz_acpi_map, &w, &mcfg) == 0 &&
	    (!mcfg.ecam_phys || (mcfg.ecam_phys & 0xfff) || mcfg.bus_start > mcfg.bus_end))
		abort();
	return 0;
}
