/* SPDX-License-Identifier: MIT */
/*
 * capOS capability ids. A process names a capability by a 32-bit id that is
 * local to its own capability table: the low 16 bits are the slot index and
 * the high 16 bits the slot's generation. The kernel bumps a slot's
 * generation every time the slot is freed, so an id kept after RELEASE (or
 * after a move, or revocation) no longer matches and fails with
 * CAPOS_ERR_STALE_CAP instead of silently naming whatever reuses the slot.
 *
 * Generation 0 is never issued, so the all-zero id is CAPOS_CAP_INVALID and
 * zero-filled memory never names a capability. When a slot's generation
 * would wrap past 0xffff the kernel retires the slot for the life of the
 * table rather than reuse an old id. Tables hold at most CAPOS_CAP_SLOTS_MAX
 * slots; the per-process quota is usually far lower.
 */
#ifndef CAPOS_CAP_H
#define CAPOS_CAP_H

#include <capos/types.h>

#define CAPOS_CAP_INDEX_BITS	16
#define CAPOS_CAP_INDEX_MASK	0xffffu
#define CAPOS_CAP_GEN_SHIFT	16
#define CAPOS_CAP_GEN_MAX	0xffffu		/* a slot at this generation retires */
#define CAPOS_CAP_SLOTS_MAX	65536u
#define CAPOS_CAP_INVALID	0u		/* never a valid id (generation 0) */

#ifndef __ASSEMBLY__
typedef uint32_t capos_cap_t;

static inline capos_cap_t capos_cap_make(uint32_t index, uint32_t gen)
{
	return (capos_cap_t)(((gen & 0xffffu) << CAPOS_CAP_GEN_SHIFT) |
			     (index & CAPOS_CAP_INDEX_MASK));
}

static inline uint32_t capos_cap_index(capos_cap_t id)
{
	return id & CAPOS_CAP_INDEX_MASK;
}

static inline uint32_t capos_cap_gen(capos_cap_t id)
{
	return id >> CAPOS_CAP_GEN_SHIFT;
}

/* True if the id is well formed (non-zero generation); says nothing of liveness. */
static inline bool capos_cap_is_wellformed(capos_cap_t id)
{
	return capos_cap_gen(id) != 0;
}
#endif /* !__ASSEMBLY__ */

#endif /* CAPOS_CAP_H */
