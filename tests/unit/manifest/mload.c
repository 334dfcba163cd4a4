// SPDX-License-Identifier: MIT
/* The manifest tests' shared state and calls (mload.h). */
#include <stdio.h>
#include <string.h>

#include "mload.h"

struct mb_manifest d;
struct manifest plan;
struct manifest_error err;
uint8_t buf[MANIFEST_BYTES_MAX * 2];
char line[MANIFEST_PATH_MAX + MANIFEST_REASON_MAX + 2];

int load_env(const struct manifest_env *env)
{
	size_t len = mb_build(&d, buf, sizeof(buf));
	int rc;

	if (len == 0)
		return -1000;
	rc = manifest_load(&plan, buf, len, env, &err);
	snprintf(line, sizeof(line), "%s: %s", err.path, err.reason);
	return rc;
}

int load(void)
{
	return load_env(mb_default_env());
}

const char *verdict(void)
{
	return load() ? line : "ok";
}

void name_of_len(size_t n, char *out)
{
	memset(out, 'a', n);
	out[n] = '\0';
}
