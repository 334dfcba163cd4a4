// SPDX-License-Identifier: MIT
/*
 * AuthorityBroker client (broker_client.h). setup and login share one
 * results layout (user, profile, session, caps), so one reader serves both
 * through the generated login accessors; a static check below keeps the
 * two layouts equal.
 */
#include <capos/errors.h>

#include "client.h"
#include "broker_client.h"
#include "session.capnp.h"
#include "ustring.h"

_Static_assert(session_AuthorityBroker_setup_Results_DATA_WORDS ==
	       session_AuthorityBroker_login_Results_DATA_WORDS &&
	       session_AuthorityBroker_setup_Results_PTR_COUNT ==
	       session_AuthorityBroker_login_Results_PTR_COUNT,
	       "setup and login answer alike");
_Static_assert(session_AuthorityBroker_setup_Params_PTR_COUNT ==
	       session_AuthorityBroker_login_Params_PTR_COUNT,
	       "setup and login take the same params (user, password)");

/* The password lives in the params and their arena only until the call is answered. */
static void broker_wipe(struct ipc_call *c)
{
	memset(c->arena, 0, sizeof(c->arena));
	memset(c->params, 0, sizeof(c->params));
}

int broker_has_operator(struct ipc_call *c, capos_cap_t broker, bool *present)
{
	struct session_AuthorityBroker_hasOperator_Results res;
	int ret;

	ipc_call_begin(c);
	session_AuthorityBroker_hasOperator_Params_init_root(&c->msg);
	ret = ipc_call_run(client_ring, c, broker, session_AuthorityBroker_hasOperator);
	if (ret < 0)
		return ret;
	res = session_AuthorityBroker_hasOperator_Results_root(&c->msg);
	*present = session_AuthorityBroker_hasOperator_Results_get_present(res);
	return capnp_msg_error(&c->msg) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}

/* Every capability the answer carried, released (a refused answer). */
static void broker_release_records(const struct ipc_call *c)
{
	capos_cap_t cap;

	for (uint32_t i = 0; i < c->cqe.xfer_count && i < CAPOS_XFER_MAX; i++)
		if (ipc_call_record(c, i, 0, &cap) == 0)
			(void)cap_release(cap);
}

/* Copies text t (at most max bytes, no NUL inside) into out; false if it does not fit. */
static bool broker_text(struct capnp_text t, char *out, uint32_t max)
{
	if (t.len > max)
		return false;
	for (uint32_t i = 0; i < t.len; i++)
		if (t.str[i] == '\0')
			return false;
	memcpy(out, t.str, t.len);
	out[t.len] = '\0';
	return true;
}

static bool broker_profile(uint16_t p, enum shellfmt_profile *out)
{
	switch (p) {
	case session_Profile_operator: *out = SHELLFMT_PROFILE_OPERATOR; return true;
	case session_Profile_guest: *out = SHELLFMT_PROFILE_GUEST; return true;
	default: return false;	/* a session is never anonymous */
	}
}

/* One BundleCap into out->caps[i]; used[] marks records already named. */
static bool broker_bundle_cap(const struct ipc_call *c, struct session_BundleCap bc,
			      struct shell_bundle_cap *out, bool *used)
{
	struct capnp_text name = session_BundleCap_get_name(bc);
	uint16_t idx = session_BundleCap_get_capIndex(bc);
	uint64_t iface = session_BundleCap_get_interfaceId(bc);

	if (!shell_name_is_valid(name.str, name.len) || idx >= c->cqe.xfer_count ||
	    idx >= CAPOS_XFER_MAX || used[idx] || ipc_call_record(c, idx, iface, &out->cap))
		return false;
	used[idx] = true;
	memcpy(out->name, name.str, name.len);
	out->name[name.len] = '\0';
	out->iface = iface;
	return true;
}

static bool broker_read_session(struct ipc_call *c, struct shell_bundle *out)
{
	struct session_AuthorityBroker_login_Results res =
		session_AuthorityBroker_login_Results_root(&c->msg);
	struct session_BundleCap__list caps = session_AuthorityBroker_login_Results_get_caps(res);
	bool used[CAPOS_XFER_MAX] = { false };
	uint32_t n = session_BundleCap__list_len(caps);

	if (!broker_text(session_AuthorityBroker_login_Results_get_user(res), out->user,
			 SHELL_USER_MAX) || !out->user[0] ||
	    !broker_text(session_AuthorityBroker_login_Results_get_session(res), out->tag,
			 SHELL_TAG_MAX) ||
	    !broker_profile(session_AuthorityBroker_login_Results_get_profile(res), &out->profile) ||
	    n > SHELL_BUNDLE_MAX || n != c->cqe.xfer_count)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		if (!broker_bundle_cap(c, session_BundleCap__list_get(caps, i), &out->caps[i], used))
			return false;
		if (shell_bundle_find(out, out->caps[i].name))
			return false;	/* a name twice */
		out->ncaps = i + 1;
	}
	return !capnp_msg_error(&c->msg);
}

/* setup or login: the same params (user, password) and the same answer. */
static int broker_open(struct ipc_call *c, capos_cap_t broker, uint16_t method, const char *user,
		       const void *password, size_t password_len, struct shell_bundle *out)
{
	struct session_AuthorityBroker_login_Params_builder p;
	int ret;

	if (password_len > BROKER_PASSWORD_MAX)
		return CAPOS_ERR_INVALID_ARGUMENT;
	ipc_call_begin(c);
	p = session_AuthorityBroker_login_Params_init_root(&c->msg);
	if (session_AuthorityBroker_login_Params_set_user(p, user, (uint32_t)strlen(user)) ||
	    session_AuthorityBroker_login_Params_set_password(p, password, (uint32_t)password_len)) {
		broker_wipe(c);
		return CAPOS_ERR_TOO_LARGE;
	}
	ret = ipc_call_run(client_ring, c, broker, method);
	broker_wipe(c);
	if (ret < 0)
		return ret;
	memset(out, 0, sizeof(*out));
	if (!broker_read_session(c, out)) {
		broker_release_records(c);
		memset(out, 0, sizeof(*out));
		return CAPOS_ERR_MALFORMED_MESSAGE;
	}
	return 0;
}

int broker_setup(struct ipc_call *c, capos_cap_t broker, const char *user, const void *password,
		 size_t password_len, struct shell_bundle *out)
{
	return broker_open(c, broker, session_AuthorityBroker_setup, user, password, password_len,
			   out);
}

int broker_login(struct ipc_call *c, capos_cap_t broker, const char *user, const void *password,
		 size_t password_len, struct shell_bundle *out)
{
	return broker_open(c, broker, session_AuthorityBroker_login, user, password, password_len,
			   out);
}

int broker_logout(struct ipc_call *c, capos_cap_t broker)
{
	int ret;

	ipc_call_begin(c);
	session_AuthorityBroker_logout_Params_init_root(&c->msg);
	ret = ipc_call_run(client_ring, c, broker, session_AuthorityBroker_logout);
	return ret < 0 ? ret : 0;
}

void broker_bundle_release(struct shell_bundle *b)
{
	for (uint32_t i = 0; i < b->ncaps && i < SHELL_BUNDLE_MAX; i++)
		(void)cap_release(b->caps[i].cap);
	memset(b, 0, sizeof(*b));
	b->profile = SHELLFMT_PROFILE_ANONYMOUS;
}
