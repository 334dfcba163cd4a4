// SPDX-License-Identifier: MIT
/*
 * SessionManager client (sessions.h). Params are framed with the generated
 * builders; answers are read with the bounds-checked reader, and a tag is
 * taken only in its exact form ("s-" and 8 lower-case hex digits).
 */
#include <capos/errors.h>

#include "client.h"
#include "session.capnp.h"
#include "sessions.h"
#include "ustring.h"

#define SESSIONS_NAME_MAX 64u	/* bytes of a user name sent (the service refuses past 32) */
#define SESSIONS_WORDS 48	/* params with a name; an answer, or any CapException */

static uint64_t sess_arena[SESSIONS_WORDS], sess_params[SESSIONS_WORDS];
static uint64_t sess_result[SESSIONS_WORDS];

/* Frames m and calls method of mgr; the answer is open in *m. 0 or the error. */
static int sessions_call(capos_cap_t mgr, uint16_t method, struct capnp_msg *m)
{
	return client_call_framed(mgr, method, m, sess_params, sizeof(sess_params), sess_result,
				  sizeof(sess_result));
}

static bool tag_well_formed(struct capnp_text t)
{
	if (t.len != SESSIONS_TAG_SIZE - 1 || t.str[0] != 's' || t.str[1] != '-')
		return false;
	for (uint32_t i = 2; i < t.len; i++)
		if (!((t.str[i] >= '0' && t.str[i] <= '9') || (t.str[i] >= 'a' && t.str[i] <= 'f')))
			return false;
	return true;
}

int sessions_open(capos_cap_t mgr, const char *user, uint16_t profile, uint64_t *handle,
		  char *tag)
{
	struct session_SessionManager_open_Params_builder p;
	struct session_SessionManager_open_Results res;
	struct capnp_text t;
	struct capnp_msg m;
	uint32_t len = 0;
	int ret;

	while (user && len < SESSIONS_NAME_MAX && user[len])
		len++;
	capnp_msg_init_build(&m, sess_arena, sizeof(sess_arena));
	p = session_SessionManager_open_Params_init_root(&m);
	session_SessionManager_open_Params_set_user(p, user ? user : "", len);
	session_SessionManager_open_Params_set_profile(p, profile);
	ret = sessions_call(mgr, session_SessionManager_open, &m);
	if (ret < 0)
		return ret;
	res = session_SessionManager_open_Results_root(&m);
	t = session_SessionManager_open_Results_get_tag(res);
	*handle = session_SessionManager_open_Results_get_handle(res);
	if (capnp_msg_error(&m) || !tag_well_formed(t))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	memcpy(tag, t.str, t.len);
	tag[t.len] = '\0';
	return 0;
}

int sessions_close(capos_cap_t mgr, uint64_t handle)
{
	struct capnp_msg m;

	capnp_msg_init_build(&m, sess_arena, sizeof(sess_arena));
	session_SessionManager_close_Params_set_handle(
		session_SessionManager_close_Params_init_root(&m), handle);
	return sessions_call(mgr, session_SessionManager_close, &m);
}

int sessions_count(capos_cap_t mgr, uint32_t *open)
{
	struct capnp_msg m;
	int ret;

	capnp_msg_init_build(&m, sess_arena, sizeof(sess_arena));
	session_SessionManager_count_Params_init_root(&m);
	ret = sessions_call(mgr, session_SessionManager_count, &m);
	if (ret < 0)
		return ret;
	*open = session_SessionManager_count_Results_get_open(
		session_SessionManager_count_Results_root(&m));
	return capnp_msg_error(&m) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}
