/* SPDX-License-Identifier: MIT */
/*
 * Shared by the manifest validator's files (not part of its interface):
 * the validation context, the error helpers, and the steps manifest.c
 * runs in order (services.c reads the services; order.c sorts them).
 */
#ifndef CAPOS_LIB_MANIFEST_INTERNAL_H
#define CAPOS_LIB_MANIFEST_INTERNAL_H

#include <stdbool.h>

#include "capnp/capnp.h"
#include "manifest.capnp.h"
#include "manifest/manifest.h"

/* One validation: the message being read, the plan being filled, the error. */
struct mf {
	struct capnp_msg msg;
	struct manifest *m;
	const struct manifest_env *env;
	struct manifest_error *err;
	struct manifest_SystemManifest root;
};

/*
 * Records the error "base.field: reason" (base or field may be "") and
 * returns CAPOS_ERR_INVALID_ARGUMENT, so callers write `return mf_fail(...)`.
 */
int mf_fail(struct mf *c, const char *base, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* 0, or mf_fail naming base.field if the last read left an error in the message. */
int mf_check(struct mf *c, const char *base, const char *field);

/* Checks a name read from base.field (1..31 bytes of [A-Za-z0-9_.-]) and copies it to out. */
int mf_name(struct mf *c, const char *base, const char *field, struct capnp_text t,
	    char out[MANIFEST_NAME_MAX + 1]);

/* Formats "services[i]" (and the like) into buf[MANIFEST_PATH_MAX]. */
void mf_path(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

bool mf_streq(const char *a, const char *b);
size_t mf_strlen(const char *s);

/* services.c: names, binaries, exports and restart policies, then grants. */
int mf_read_services(struct mf *c);
int mf_read_grants(struct mf *c);

/* order.c: the start order (exporters first), or the cycle that prevents one. */
int mf_order(struct mf *c);

#endif
