// SPDX-License-Identifier: MIT
/*
 * capnpc-c: the C code generator, a plugin of the official compiler.
 *
 *	capnp compile -o build/host/capnpc-c:OUTDIR [-I DIR]... file.capnp...
 *
 * The compiler writes a CodeGeneratorRequest to our stdin; we load it into
 * the sm_* model (tools/capnp-print/schema.h) with the capOS runtime, through
 * raw accessors in stage 0 (capnpc-c0) or through the schema.capnp.h that
 * stage 0 generated in stage 1 (capnpc-c; see rules.mk), and write OUTDIR/<base>.h for
 * each requested file, where <base> is the file name without directories
 * (file.capnp -> file.capnp.h). The compiler runs the plugin with OUTDIR as
 * its working directory, so headers go to the current directory.
 */
#include "slurp.h"
#include "gen.h"

#include <stdlib.h>
#include <string.h>

static int main_write(const struct names *n, const struct sm_file *file)
{
	const char *dir = ".";
	const char *base = strrchr(file->filename, '/') ? strrchr(file->filename, '/') + 1
						       : file->filename;
	size_t len = strlen(dir) + strlen(base) + 4;
	char *path = malloc(len);
	FILE *out;
	int rc;

	if (!path)
		abort();
	snprintf(path, len, "%s/%s.h", dir, base);
	out = fopen(path, "w");
	if (!out) {
		perror(path);
		free(path);
		return -1;
	}
	rc = gen_file(out, n, file);
	if (fclose(out) != 0)
		rc = -1;
	if (rc != 0)
		remove(path);
	free(path);
	return rc;
}

int main(void)
{
	struct sm_schema s;
	struct names n;
	const char *why;
	size_t len;
	void *buf = slurp(stdin, &len, "capnpc-c");
	int rc = 0;

	if (sm_load(&s, buf, len, &why) != 0) {
		fprintf(stderr, "capnpc-c: bad CodeGeneratorRequest: %s\n", why);
		return 1;
	}
	names_build(&n, &s);
	for (uint32_t i = 0; i < s.nfiles; i++)
		if (main_write(&n, &s.files[i]) != 0)
			rc = 1;
	names_free(&n);
	sm_free(&s);
	return rc;
}
