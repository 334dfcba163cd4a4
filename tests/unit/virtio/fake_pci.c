// SPDX-License-Identifier: MIT
/*
 * user/lib/pci.h for the host tests of vnet_open: configuration space from
 * a struct cfg_space, one BAR of plain memory (registers keep what is
 * written: the status sticks, a feature select changes nothing), DMA from
 * aligned_alloc with counts so a test sees every allocation freed, and
 * interrupt waits counted instead of sent.
 */
#include <stdlib.h>
#include <string.h>

#include <capos/errors.h>

#include "fake_pci.h"

struct fake_pci fake_pci;

int pci_config_read(capos_cap_t dev, uint16_t off, uint8_t width, uint32_t *val)
{
	(void)dev;
	return cfg_space_read(&fake_pci.cfg, off, width, val);
}

int pci_config_write(capos_cap_t dev, uint16_t off, uint8_t width, uint32_t val)
{
	(void)dev, (void)width;
	if (off == 4)
		fake_pci.command = (uint16_t)val;
	return 0;
}

int pci_map_bar(capos_cap_t dev, uint8_t bar, volatile void **addr, uint64_t *size)
{
	(void)dev;
	if (bar != FAKE_PCI_BAR)
		return CAPOS_ERR_APPLICATION_EXCEPTION;
	*addr = fake_pci.bar;
	*size = fake_pci.bar_size;
	return 0;
}

int pci_alloc_dma(capos_cap_t dev, uint32_t size, void **addr, uint64_t *dev_addr)
{
	(void)dev;
	if (fake_pci.dma_allocs == fake_pci.fail_dma_at)
		return CAPOS_ERR_APPLICATION_EXCEPTION;
	*addr = aligned_alloc(4096, size);
	memset(*addr, 0, size);
	*dev_addr = (uint64_t)(uintptr_t)*addr;
	fake_pci.dma_allocs++;
	return 0;
}

int pci_free_dma(capos_cap_t dev, void *addr)
{
	(void)dev;
	free(addr);
	fake_pci.dma_frees++;
	return 0;
}

int pci_enable_interrupts(capos_cap_t dev, uint16_t want, int *mode, uint16_t *got)
{
	(void)dev;
	*mode = fake_pci.irq_mode;
	*got = want;
	return 0;
}

int pci_wait_interrupt_submit(struct uring *r, capos_cap_t dev, uint16_t vector, uint64_t user_data)
{
	(void)r, (void)dev, (void)vector;
	fake_pci.waits++;
	fake_pci.wait_user_data = user_data;
	return 0;
}

int pci_wait_interrupt_result(const struct capos_cqe *cqe, uint32_t *count)
{
	*count = 1;
	return cqe->result < 0 ? cqe->result : 0;
}
