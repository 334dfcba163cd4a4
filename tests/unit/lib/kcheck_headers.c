// SPDX-License-Identifier: MIT
/*
 * Kernel-flags compile check for the header-only parts of kernel/lib/ (types,
 * errors, spinlock): built with KERNEL_CFLAGS into build/kernel-check/ so a
 * header that stops being freestanding breaks `make all`. Not linked anywhere.
 */
#include "lib/errno.h"
#include "lib/spinlock.h"
#include "lib/string.h"
#include "lib/types.h"

_Static_assert(sizeof(paddr_t) == 8, "paddr_t is 64-bit");
_Static_assert(ERR_NOMEM < 0, "kernel errors are negative");

int kcheck_headers_use(struct spinlock *l);

int kcheck_headers_use(struct spinlock *l)
{
	if (!spin_trylock(l))
		spin_lock(l);
	spin_unlock(l);
	return spin_is_held(l) ? ERR_INVAL : 0;
}
