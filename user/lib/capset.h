/* SPDX-License-Identifier: MIT */
/*
 * The CapSet page (<capos/startup.h>): the read-only list of capabilities a
 * process was started with. Lookup is by grant name and interface id; a
 * capability is handed out only when its interface id matches the type asked
 * for, so a misnamed grant cannot be used as the wrong interface.
 */
#ifndef CAPOS_USER_CAPSET_H
#define CAPOS_USER_CAPSET_H

#include <capos/cap.h>
#include <capos/startup.h>

/* Checks magic, version, entry size and count. Returns 0 or CAPOS_ERR_INVALID_ARGUMENT. */
int capset_check(const struct capos_capset *cs);

/*
 * The program arguments on the page: points argv[i] at each one and returns
 * argc (0 if cs is NULL), or -1 unless argc and args_len describe exactly argc
 * NUL-terminated strings within args[] (so nothing past the page is read).
 * cs must have passed capset_check.
 */
int capset_args(const struct capos_capset *cs, const char *argv[CAPOS_ARGS_MAX]);

/* The entry named `name` (any interface), or NULL. cs may be NULL (no CapSet). */
const struct capos_capset_entry *capset_find(const struct capos_capset *cs, const char *name);

/*
 * The cap id granted as `name` if its interface id is `iface`; CAPOS_CAP_INVALID
 * if there is no such entry or it has another interface.
 */
capos_cap_t capset_get(const struct capos_capset *cs, const char *name, uint64_t iface);

/* The first entry with interface `iface`, whatever its name, or CAPOS_CAP_INVALID. */
capos_cap_t capset_get_any(const struct capos_capset *cs, uint64_t iface);

#endif
