// SPDX-License-Identifier: MIT
/*
 * CapSet lookup. The kernel writes the page and maps it read-only, so it is
 * trusted to be well formed; the checks here only catch a runtime started
 * with the wrong address (capset_check) and bound every walk by
 * CAPOS_CAPSET_MAX whatever `count` says, and every read of the arguments by
 * CAPOS_ARGS_BYTES whatever args_len says. Names are compared over the whole
 * NUL-padded field, so "con" does not match "console".
 */
#include <capos/errors.h>

#include "capset.h"

int capset_check(const struct capos_capset *cs)
{
	if (!cs || cs->magic != CAPOS_CAPSET_MAGIC || cs->version != CAPOS_CAPSET_VERSION ||
	    cs->entry_size != sizeof(struct capos_capset_entry) || cs->count > CAPOS_CAPSET_MAX)
		return CAPOS_ERR_INVALID_ARGUMENT;
	return 0;
}

int capset_args(const struct capos_capset *cs, const char *argv[CAPOS_ARGS_MAX])
{
	uint32_t n = 0, start = 0;

	if (!cs)
		return 0;
	if (cs->argc > CAPOS_ARGS_MAX || cs->args_len > CAPOS_ARGS_BYTES)
		return -1;
	for (uint32_t i = 0; i < cs->args_len; i++) {
		if (cs->args[i] != 0)
			continue;
		if (n == cs->argc)
			return -1;	/* more strings than argc says */
		argv[n++] = (const char *)&cs->args[start];
		start = i + 1;
	}
	if (start != cs->args_len || n != cs->argc)
		return -1;	/* an unterminated last string, or fewer than argc */
	return (int)n;
}

/* True if the NUL-padded field holds exactly `name`. */
static bool capset_name_is(const uint8_t *field, const char *name)
{
	uint32_t i;

	for (i = 0; i < CAPOS_CAPSET_NAME_LEN; i++) {
		if (field[i] != (uint8_t)name[i])
			return false;
		if (name[i] == '\0')
			return true;
	}
	return false;	/* name is longer than any field can hold */
}

static uint32_t capset_count(const struct capos_capset *cs)
{
	if (capset_check(cs))
		return 0;
	return cs->count;
}

const struct capos_capset_entry *capset_find(const struct capos_capset *cs, const char *name)
{
	uint32_t i, n = capset_count(cs);

	for (i = 0; i < n; i++) {
		if (capset_name_is(cs->entries[i].name, name))
			return &cs->entries[i];
	}
	return NULL;
}

capos_cap_t capset_get(const struct capos_capset *cs, const char *name, uint64_t iface)
{
	const struct capos_capset_entry *e = capset_find(cs, name);

	if (!e || e->interface_id != iface)
		return CAPOS_CAP_INVALID;
	return e->cap_id;
}

capos_cap_t capset_get_any(const struct capos_capset *cs, uint64_t iface)
{
	uint32_t i, n = capset_count(cs);

	for (i = 0; i < n; i++) {
		if (cs->entries[i].interface_id == iface)
			return cs->entries[i].cap_id;
	}
	return CAPOS_CAP_INVALID;
}
