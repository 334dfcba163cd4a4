// SPDX-License-Identifier: MIT
/*
 * The manifest validator's entry and its top-level fields: framing and
 * limits, the binaries, the message of the day; services.c and order.c do
 * the service graph. Errors name the field where they were found; a
 * malformed pointer is blamed on the field read through it, because every
 * read is followed by mf_check before the value is used.
 */
#include <stdarg.h>

#include <capos/errors.h>

#include "fmt/fmt.h"
#include "manifest/internal.h"

int mf_fail(struct mf *c, const char *base, const char *field, const char *fmt, ...)
{
	va_list ap;

	fmt_snprintf(c->err->path, sizeof(c->err->path), "%s%s%s", base,
		     *base && *field ? "." : "", field);
	va_start(ap, fmt);
	fmt_vsnprintf(c->err->reason, sizeof(c->err->reason), fmt, ap);
	va_end(ap);
	return CAPOS_ERR_INVALID_ARGUMENT;
}

int mf_check(struct mf *c, const char *base, const char *field)
{
	int e = capnp_msg_error(&c->msg);

	return e ? mf_fail(c, base, field, "unreadable: %s", capnp_strerror(e)) : 0;
}

void mf_path(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(buf, MANIFEST_PATH_MAX, fmt, ap);
	va_end(ap);
}

bool mf_streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

size_t mf_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static bool mf_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '.' || ch == '-';
}

int mf_name(struct mf *c, const char *base, const char *field, struct capnp_text t,
	    char out[MANIFEST_NAME_MAX + 1])
{
	int err = mf_check(c, base, field);

	if (err)
		return err;
	if (t.len == 0)
		return mf_fail(c, base, field, "missing");
	if (t.len > MANIFEST_NAME_MAX)
		return mf_fail(c, base, field, "%u bytes long, at most %u", t.len,
			       MANIFEST_NAME_MAX);
	for (uint32_t i = 0; i < t.len; i++) {
		if (!mf_name_char(t.str[i]))
			return mf_fail(c, base, field,
				       "byte 0x%02x at offset %u is not one of [A-Za-z0-9_.-]",
				       (unsigned char)t.str[i], i);
		out[i] = t.str[i];
	}
	out[t.len] = '\0';
	return 0;
}

/* Framing, size and the root: the message is one SystemManifest, nothing after it. */
static int mf_open(struct mf *c, const void *bytes, size_t len)
{
	struct capnp_ptr root;
	int e;

	if (len == 0)
		return mf_fail(c, "$", "", "the boot package holds no manifest");
	if (len > MANIFEST_BYTES_MAX)
		return mf_fail(c, "$", "", "%zu bytes, at most %u", len, MANIFEST_BYTES_MAX);
	e = capnp_msg_init_read(&c->msg, bytes, len);
	if (e)
		return mf_fail(c, "$", "", "not a Cap'n Proto message: %s", capnp_strerror(e));
	if (c->msg.frame_bytes != len)
		return mf_fail(c, "$", "", "%zu bytes follow the message",
			       len - (size_t)c->msg.frame_bytes);
	capnp_msg_set_limits(&c->msg, (len / 8) * MANIFEST_TRAVERSAL_FACTOR, MANIFEST_NESTING);
	root = capnp_msg_root(&c->msg);
	if (capnp_ptr_kind(root) != CAPNP_KIND_STRUCT)
		return mf_check(c, "$", "") ?: mf_fail(c, "$", "", "the root is not a struct");
	c->root = manifest_SystemManifest_read(root);
	return mf_check(c, "$", "");
}

static bool mf_in_package(const struct manifest_env *env, const char *name)
{
	for (uint32_t i = 0; i < env->npackage; i++)
		if (mf_streq(env->package[i], name))
			return true;
	return false;
}

static int mf_read_binaries(struct mf *c)
{
	struct manifest_SystemManifest_Binary__list l =
		manifest_SystemManifest_get_binaries(c->root);
	uint32_t n = manifest_SystemManifest_Binary__list_len(l);
	char path[MANIFEST_PATH_MAX];
	int err = mf_check(c, "binaries", "");

	if (err)
		return err;
	if (n > MANIFEST_BINARIES_MAX)
		return mf_fail(c, "binaries", "", "%u entries, at most %u", n,
			       MANIFEST_BINARIES_MAX);
	for (uint32_t i = 0; i < n; i++) {
		char *name = c->m->binaries[i];
		struct manifest_SystemManifest_Binary b =
			manifest_SystemManifest_Binary__list_get(l, i);

		mf_path(path, "binaries[%u]", i);
		err = mf_name(c, path, "name", manifest_SystemManifest_Binary_get_name(b), name);
		if (err)
			return err;
		for (uint32_t k = 0; k < i; k++)
			if (mf_streq(c->m->binaries[k], name))
				return mf_fail(c, path, "name",
					       "\"%s\" is listed twice (binaries[%u])", name, k);
		if (!mf_in_package(c->env, name))
			return mf_fail(c, path, "name", "no binary \"%s\" in the boot package",
				       name);
	}
	c->m->nbinaries = n;
	return 0;
}

/* Printable text, newlines and tabs; no other control byte (no terminal escapes). */
static bool mf_motd_byte_ok(unsigned char ch)
{
	return ch == '\n' || ch == '\t' || (ch >= 0x20 && ch != 0x7f);
}

static int mf_read_motd(struct mf *c)
{
	struct manifest_SystemManifest_KernelParams kp =
		manifest_SystemManifest_get_kernelParams(c->root);
	int err = mf_check(c, "kernelParams", "");
	struct capnp_text t;

	if (err)
		return err;
	t = manifest_SystemManifest_KernelParams_get_motd(kp);
	err = mf_check(c, "kernelParams", "motd");
	if (err)
		return err;
	if (t.len > MANIFEST_MOTD_MAX)
		return mf_fail(c, "kernelParams", "motd", "%u bytes long, at most %u", t.len,
			       MANIFEST_MOTD_MAX);
	for (uint32_t i = 0; i < t.len; i++) {
		if (!mf_motd_byte_ok((unsigned char)t.str[i]))
			return mf_fail(c, "kernelParams", "motd",
				       "control byte 0x%02x at offset %u",
				       (unsigned char)t.str[i], i);
		c->m->motd[i] = t.str[i];
	}
	c->m->motd[t.len] = '\0';
	c->m->motd_len = t.len;
	return 0;
}

int manifest_load(struct manifest *m, const void *bytes, size_t len,
		  const struct manifest_env *env, struct manifest_error *err)
{
	struct mf c = { .m = m, .env = env, .err = err };
	int e;

	err->path[0] = '\0';
	err->reason[0] = '\0';
	m->nbinaries = m->nservices = m->motd_len = 0;
	e = mf_open(&c, bytes, len);
	if (!e)
		e = mf_read_binaries(&c);
	if (!e)
		e = mf_read_motd(&c);
	if (!e)
		e = mf_read_services(&c);
	if (!e)
		e = mf_read_grants(&c);
	if (!e)
		e = mf_order(&c);
	return e;
}

int manifest_find_service(const struct manifest *m, const char *name, size_t len)
{
	for (uint32_t i = 0; i < m->nservices; i++) {
		const char *s = m->services[i].name;
		size_t k = 0;

		while (k < len && s[k] == name[k])
			k++;
		if (k == len && s[k] == '\0')
			return (int)i;
	}
	return -1;
}
