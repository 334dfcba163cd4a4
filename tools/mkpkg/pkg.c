// SPDX-License-Identifier: MIT
/*
 * Boot package packing and reading (mkpkg.h). Packing sizes one arena for
 * the whole message up front (every binary and name rounded to words, plus
 * the list and root), so the message is a single segment and the kernel's
 * reader never follows a far pointer into a second one. Reading applies the
 * rules of boot.capnp the kernel applies, so a package that --list accepts is
 * one the kernel accepts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot.capnp.h"
#include "mkpkg.h"

int mkpkg_name_ok(const char *name)
{
	size_t i, len = strlen(name);

	if (len == 0 || len > MKPKG_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

/* Names valid and unique, count in range, init among them. */
static int mkpkg_check(const struct mkpkg_binary *bins, size_t n, const char *init, char *err,
		       size_t errlen)
{
	size_t i, j;
	int found = 0;

	if (n == 0 || n > MKPKG_MAX_BINARIES) {
		snprintf(err, errlen, "%zu binaries (1..%d allowed)", n, MKPKG_MAX_BINARIES);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!mkpkg_name_ok(bins[i].name)) {
			snprintf(err, errlen, "bad binary name \"%s\"", bins[i].name);
			return -1;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(bins[i].name, bins[j].name) == 0) {
				snprintf(err, errlen, "duplicate binary name \"%s\"", bins[i].name);
				return -1;
			}
		}
		found |= strcmp(bins[i].name, init) == 0;
	}
	if (!found) {
		snprintf(err, errlen, "init \"%s\" is not one of the binaries", init);
		return -1;
	}
	return 0;
}

static size_t mkpkg_words(size_t bytes)
{
	return (bytes + 7) / 8;
}

int mkpkg_pack(const struct mkpkg_binary *bins, size_t n, const struct mkpkg_meta *meta,
	       uint8_t **out, size_t *out_len, char *err, size_t errlen)
{
	struct boot_BootPackage_Binary__list_builder l;
	struct boot_BootPackage_Binary_builder b;
	struct boot_BootPackage_builder root;
	struct capnp_msg msg;
	const char *init = meta->init;
	size_t i, frame, words;
	uint8_t *arena;
	int rc = -1;

	if (mkpkg_check(bins, n, init, err, errlen))
		return -1;
	words = 16 + mkpkg_words(strlen(init) + 1) + mkpkg_words(meta->manifest_len);
	if (meta->manifest_len > MKPKG_MANIFEST_MAX) {
		snprintf(err, errlen, "manifest of %zu bytes, at most %d", meta->manifest_len,
			 MKPKG_MANIFEST_MAX);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (bins[i].len > CAPNP_MAX_LIST_LEN) {
			snprintf(err, errlen, "%s: too large for a Data field", bins[i].name);
			return -1;
		}
		words += 3 + mkpkg_words(bins[i].len) + mkpkg_words(strlen(bins[i].name) + 1);
	}
	arena = calloc(words, 8);
	if (!arena || capnp_msg_init_build(&msg, arena, words * 8)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	root = boot_BootPackage_init_root(&msg);
	boot_BootPackage_set_init(root, init, (uint32_t)strlen(init));
	if (meta->manifest_len)
		boot_BootPackage_set_manifest(root, meta->manifest, (uint32_t)meta->manifest_len);
	l = boot_BootPackage_init_binaries(root, (uint32_t)n);
	for (i = 0; i < n; i++) {
		b = boot_BootPackage_Binary__list_build(l, (uint32_t)i);
		boot_BootPackage_Binary_set_name(b, bins[i].name, (uint32_t)strlen(bins[i].name));
		boot_BootPackage_Binary_set_data(b, bins[i].data, (uint32_t)bins[i].len);
	}
	frame = capnp_msg_framed_size(&msg);
	*out = malloc(frame);
	if (capnp_msg_error(&msg) || !*out || capnp_msg_write(&msg, *out, frame, out_len)) {
		snprintf(err, errlen, "building the message failed: %s",
			 capnp_strerror(capnp_msg_error(&msg)));
		free(*out);
		*out = NULL;
		goto out;
	}
	rc = 0;
out:
	free(arena);
	return rc;
}

int mkpkg_read(const uint8_t *pkg, size_t len, struct mkpkg_binary *bins, size_t max,
	       size_t *n, struct mkpkg_meta *meta, char *err, size_t errlen)
{
	struct boot_BootPackage_Binary__list l;
	struct boot_BootPackage_Binary b;
	struct boot_BootPackage root;
	struct capnp_msg msg;
	struct capnp_data d;
	size_t i, count;

	if (capnp_msg_init_read(&msg, pkg, len)) {
		snprintf(err, errlen, "not a framed Cap'n Proto message");
		return -1;
	}
	root = boot_BootPackage_root(&msg);
	l = boot_BootPackage_get_binaries(root);
	count = boot_BootPackage_Binary__list_len(l);
	meta->init = boot_BootPackage_get_init(root).str;
	d = boot_BootPackage_get_manifest(root);
	meta->manifest = d.ptr;
	meta->manifest_len = d.len;
	for (i = 0; i < count && i < max; i++) {
		b = boot_BootPackage_Binary__list_get(l, (uint32_t)i);
		d = boot_BootPackage_Binary_get_data(b);
		bins[i].name = boot_BootPackage_Binary_get_name(b).str;
		bins[i].data = d.ptr;
		bins[i].len = d.len;
	}
	if (capnp_msg_error(&msg)) {
		snprintf(err, errlen, "malformed package: %s",
			 capnp_strerror(capnp_msg_error(&msg)));
		return -1;
	}
	if (count > max) {
		snprintf(err, errlen, "%zu binaries, more than %zu", count, max);
		return -1;
	}
	*n = count;
	return mkpkg_check(bins, count, meta->init, err, errlen);
}
