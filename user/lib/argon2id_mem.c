// SPDX-License-Identifier: MIT
/*
 * Argon2id's blocks in capOS: m KiB mapped as fresh demand-zero pages
 * through the process's own VirtualMemory (rt.vm) and unmapped when the
 * hash is done, so the quota a verification takes is given back at once
 * and the heap never grows by 19 MiB it would keep. Over quota the map is
 * refused (`overloaded`), nothing is charged, and Argon2id returns
 * ARGON2ID_ERR_MEMORY: a clean error, never a fault.
 */
#include "argon2id.h"
#include "rt.h"

static uint64_t pages_of(size_t bytes)
{
	return ((uint64_t)bytes + VM_PAGE - 1) / VM_PAGE * VM_PAGE;
}

int argon2id_mem_alloc(uint8_t **mem, size_t bytes)
{
	uint64_t addr = 0;

	*mem = NULL;
	if (rt.vm == CAPOS_CAP_INVALID || bytes == 0 || bytes > SIZE_MAX - VM_PAGE)
		return ARGON2ID_ERR_MEMORY;
	int err = vm_map(rt.vm, 0, pages_of(bytes), VM_PROT_READ | VM_PROT_WRITE, &addr);
	if (err)
		return ARGON2ID_ERR_MEMORY;
	*mem = (uint8_t *)(uintptr_t)addr;
	return ARGON2ID_OK;
}

void argon2id_mem_free(uint8_t *mem, size_t bytes)
{
	if (mem)
		(void)vm_unmap(rt.vm, (uint64_t)(uintptr_t)mem, pages_of(bytes));
}
