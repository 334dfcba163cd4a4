// SPDX-License-Identifier: MIT
/*
 * mkpkg: packs named ELF files and the boot manifest into the capOS boot
 * package, and reads one back.
 *
 *   mkpkg -o OUT [--init NAME] [--manifest FILE] [--no-elf-check] NAME=PATH...
 *   mkpkg --list PKG             "init NAME", "manifest BYTES" if there is
 *                                one, then "binary NAME SIZE" per binary
 *   mkpkg --extract NAME PKG     the binary's bytes on stdout
 *   mkpkg --extract-manifest PKG the manifest's bytes on stdout
 *   mkpkg --manifest-binaries MANIFEST.bin, mkpkg --check-manifest PKG: manifest.c
 *
 * --manifest packs FILE's bytes as they are (a compiled SystemManifest, or
 * for tests any bytes at all): init checks them, not mkpkg.
 *
 * Every binary must pass elf64_plan() with the user limits of
 * <capos/layout.h> (the check the kernel's loader makes) unless
 * --no-elf-check; a bad image fails the build here instead of at boot.
 * Exit status: 0 success, 1 bad input or package, 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capos/layout.h>

#include "elf/elf64.h"
#include "mkpkg.h"

static int mkpkg_usage(void)
{
	fprintf(stderr, "usage: mkpkg -o OUT [--init NAME] [--manifest FILE] [--no-elf-check] "
			"NAME=PATH...\n"
			"       mkpkg --list PKG\n"
			"       mkpkg --extract NAME PKG\n"
			"       mkpkg --extract-manifest PKG\n"
			"       mkpkg --manifest-binaries MANIFEST.bin\n"
			"       mkpkg --check-manifest PKG\n");
	return 2;
}

/* Reads a whole file into a malloc'd buffer; NULL (and a message) on failure. */
static uint8_t *mkpkg_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long size;

	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		goto fail;
	buf = malloc(size ? (size_t)size : 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size)
		goto fail;
	fclose(f);
	*len = (size_t)size;
	return buf;
fail:
	fprintf(stderr, "mkpkg: cannot read %s\n", path);
	free(buf);
	if (f)
		fclose(f);
	return NULL;
}

static int mkpkg_elf_ok(const struct mkpkg_binary *b)
{
	static const struct elf64_limits lim = {
		.user_min = CAPOS_USER_IMAGE_MIN,
		.user_end = CAPOS_USER_IMAGE_END,
		.page_size = CAPOS_PAGE_SIZE,
		.tls_max = CAPOS_USER_TLS_MAX,
	};
	struct elf64_plan plan;
	int err = elf64_plan(b->data, b->len, &lim, &plan);

	if (err)
		fprintf(stderr, "mkpkg: %s: not a capOS executable: %s\n", b->name,
			elf64_strerror(err));
	return err == 0;
}

static int mkpkg_write_file(const char *path, const uint8_t *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "mkpkg: cannot write %s\n", path);
		return 1;
	}
	return 0;
}

static int mkpkg_cmd_pack(int argc, char **argv)
{
	struct mkpkg_binary bins[MKPKG_MAX_BINARIES + 1];
	struct mkpkg_meta meta = { .init = "init" };
	const char *out = NULL;
	int i, n = 0, check = 1, rc = 1;
	uint8_t *pkg = NULL, *manifest = NULL;
	size_t pkg_len;
	char err[256];

	for (i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "--init") && i + 1 < argc) {
			meta.init = argv[++i];
		} else if (!strcmp(argv[i], "--manifest") && i + 1 < argc && !manifest) {
			manifest = mkpkg_slurp(argv[++i], &meta.manifest_len);
			if (!manifest)
				goto out;
			meta.manifest = manifest;
		} else if (!strcmp(argv[i], "--no-elf-check")) {
			check = 0;
		} else if (eq && eq != argv[i] && n <= MKPKG_MAX_BINARIES) {
			*eq = '\0';
			bins[n].name = argv[i];
			bins[n].data = mkpkg_slurp(eq + 1, &bins[n].len);
			if (!bins[n].data)
				goto out;
			n++;
			if (check && !mkpkg_elf_ok(&bins[n - 1]))
				goto out;
		} else {
			rc = mkpkg_usage();
			goto out;
		}
	}
	if (!out) {
		rc = mkpkg_usage();
		goto out;
	}
	if (mkpkg_pack(bins, (size_t)n, &meta, &pkg, &pkg_len, err, sizeof(err))) {
		fprintf(stderr, "mkpkg: %s\n", err);
		goto out;
	}
	rc = mkpkg_write_file(out, pkg, pkg_len);
out:
	while (n--)
		free((void *)bins[n].data);
	free(pkg);
	free(manifest);
	return rc;
}

static int mkpkg_list(const struct mkpkg_binary *bins, size_t n, const struct mkpkg_meta *meta)
{
	printf("init %s\n", meta->init);
	if (meta->manifest_len)
		printf("manifest %zu\n", meta->manifest_len);
	for (size_t i = 0; i < n; i++)
		printf("binary %s %zu\n", bins[i].name, bins[i].len);
	return 0;
}

static int mkpkg_extract(const struct mkpkg_binary *bins, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(bins[i].name, name))
			return fwrite(bins[i].data, 1, bins[i].len, stdout) != bins[i].len;
	fprintf(stderr, "mkpkg: no binary named %s\n", name);
	return 1;
}

/* The commands that read a package: read and check it, then act. */
static int mkpkg_cmd_read(const char *cmd, const char *path, const char *name)
{
	static struct mkpkg_binary bins[MKPKG_MAX_BINARIES];
	struct mkpkg_meta meta;
	size_t n, len;
	uint8_t *pkg = mkpkg_slurp(path, &len);
	char err[256];
	int rc = 1;

	if (!pkg)
		return 1;
	if (mkpkg_read(pkg, len, bins, MKPKG_MAX_BINARIES, &n, &meta, err, sizeof(err)))
		fprintf(stderr, "mkpkg: %s: %s\n", path, err);
	else if (!strcmp(cmd, "--list"))
		rc = mkpkg_list(bins, n, &meta);
	else if (!strcmp(cmd, "--extract"))
		rc = mkpkg_extract(bins, n, name);
	else if (!strcmp(cmd, "--extract-manifest"))
		rc = fwrite(meta.manifest, 1, meta.manifest_len, stdout) != meta.manifest_len;
	else
		rc = mkpkg_check_manifest(bins, n, &meta);
	free(pkg);
	return rc;
}

static int mkpkg_cmd_manifest_binaries(const char *path)
{
	size_t len;
	uint8_t *bytes = mkpkg_slurp(path, &len);
	int rc;

	if (!bytes)
		return 1;
	rc = mkpkg_manifest_binaries(bytes, len);
	free(bytes);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 3 && (!strcmp(argv[1], "--list") || !strcmp(argv[1], "--extract-manifest") ||
			  !strcmp(argv[1], "--check-manifest")))
		return mkpkg_cmd_read(argv[1], argv[2], NULL);
	if (argc == 4 && !strcmp(argv[1], "--extract"))
		return mkpkg_cmd_read(argv[1], argv[3], argv[2]);
	if (argc == 3 && !strcmp(argv[1], "--manifest-binaries"))
		return mkpkg_cmd_manifest_binaries(argv[2]);
	return mkpkg_cmd_pack(argc, argv);
}
