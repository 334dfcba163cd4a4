/* SPDX-License-Identifier: MIT */
/*
 * What the manifest validator's host tests share: the manifest under test
 * (d, built by mbuild.h), its plan and error, and the calls that build and
 * validate it.
 */
#ifndef CAPOS_TESTS_MANIFEST_MLOAD_H
#define CAPOS_TESTS_MANIFEST_MLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "manifest/manifest.h"
#include "mbuild.h"

#define MODE(x) manifest_SystemManifest_RestartPolicy_Mode_##x

extern struct mb_manifest d;
extern struct manifest plan;
extern struct manifest_error err;
extern uint8_t buf[MANIFEST_BYTES_MAX * 2];
extern char line[MANIFEST_PATH_MAX + MANIFEST_REASON_MAX + 2];

/* Builds d and validates it: 0 or the error, whose "PATH: REASON" is in line. */
int load_env(const struct manifest_env *env);
/* load_env in mbuild's default environment. */
int load(void);
/* The refusal line for d, or "ok". */
const char *verdict(void);
/* out = n letters 'a', then a NUL. */
void name_of_len(size_t n, char *out);

#endif
