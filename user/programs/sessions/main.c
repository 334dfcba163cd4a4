// SPDX-License-Identifier: MIT
/*
 * sessions: the SessionManager service (schema/session.capnp;
 * docs/session-manager.md). It serves the endpoint granted as "service" with the
 * runtime's server loop and keeps the open sessions in a table
 * (lib/sessions): each session's id is 128 bits from the EntropySource
 * granted as "entropy" and never leaves this process; callers get a handle
 * (to close it) and a tag (to name it), made from the id under a key drawn
 * at start. Every check comes before the first draw of entropy. It serves
 * until it is killed; exits 2 if a capability is missing or serving fails.
 */
#include "capos.capnp.h"
#include "creds/creds.h"
#include "crypto/chacha20.h"
#include "entropy.h"
#include "rt.h"
#include "server.h"
#include "session.capnp.h"
#include "sessions/session_table.h"

/* Draws of an id whose tag an open session has, before giving up (each is 2^-32 likely). */
#define TAG_TRIES 4

static struct server srv;
static struct session_table table;
static capos_cap_t entropy_cap;

/* Opens a session with a fresh id; SESSION_OK, SESSION_ERR_* or a CAPOS_ERR_*. */
/*
 * True if every param read so far decoded: a handler checks this after
 * reading its params and before acting (a pointer of the wrong kind reads
 * as empty and marks the message; the loop would raise only afterwards).
 */
static bool params_decoded(void *ctx)
{
	return !capnp_msg_error(&((struct server_call *)ctx)->params);
}

static int open_fresh(uint64_t *handle, char *tag)
{
	uint8_t id[SESSION_ID_BYTES];
	int err = SESSION_ERR_TAG_TAKEN;

	for (int i = 0; i < TAG_TRIES && err == SESSION_ERR_TAG_TAKEN; i++) {
		err = entropy_get(entropy_cap, id, sizeof(id));
		if (!err)
			err = session_table_open(&table, id, handle, tag);
	}
	crypto_wipe(id, sizeof(id));
	return err;
}

static int do_open(void *ctx, struct session_SessionManager_open_Params p,
		   struct session_SessionManager_open_Results_builder r)
{
	struct capnp_text user = session_SessionManager_open_Params_get_user(p);
	uint16_t profile = session_SessionManager_open_Params_get_profile(p);
	char tag[SESSION_TAG_LEN + 1];
	uint64_t handle = 0;

	if (!params_decoded(ctx))
		return server_raise(ctx, capos_CapException_Type_invalidArgument,
				    "malformed params");
	if (!creds_name_valid(user.str, user.len))
		return server_raise(ctx, capos_CapException_Type_invalidArgument,
				    "user name: 1..32 of a-z 0-9 _ -, starting with a letter");
	if (!session_profile_valid(profile))
		return server_raise(ctx, capos_CapException_Type_invalidArgument,
				    "profile: anonymous, operator or guest");
	if (session_table_full(&table))
		return server_raise(ctx, capos_CapException_Type_overloaded, "64 sessions open");
	if (open_fresh(&handle, tag) != SESSION_OK)
		return server_raise(ctx, capos_CapException_Type_failed,
				    "no fresh session id (entropy)");
	session_SessionManager_open_Results_set_handle(r, handle);
	(void)session_SessionManager_open_Results_set_tag(r, tag, SESSION_TAG_LEN);
	return 0;
}

static int do_close(void *ctx, struct session_SessionManager_close_Params p,
		    struct session_SessionManager_close_Results_builder r)
{
	(void)r;
	if (!params_decoded(ctx))
		return server_raise(ctx, capos_CapException_Type_invalidArgument,
				    "malformed params");
	if (session_table_close(&table, session_SessionManager_close_Params_get_handle(p)))
		return server_raise(ctx, capos_CapException_Type_invalidArgument,
				    "no such session");
	return 0;
}

static int do_count(void *ctx, struct session_SessionManager_count_Params p,
		    struct session_SessionManager_count_Results_builder r)
{
	(void)ctx;
	(void)p;
	session_SessionManager_count_Results_set_open(r, session_table_count(&table));
	return 0;
}

static const struct session_SessionManager_server impl = {
	.open = do_open,
	.close = do_close,
	.count = do_count,
};

int main(void)
{
	capos_cap_t ep = rt_cap("service", CAPOS_IFACE_ENDPOINT);
	uint8_t key[SESSION_KEY_BYTES];
	int err;

	entropy_cap = rt_cap("entropy", CAPOS_IFACE_ENTROPY_SOURCE);
	if (ep == CAPOS_CAP_INVALID || entropy_cap == CAPOS_CAP_INVALID) {
		printf("sessions: needs service and entropy\n");
		return 2;
	}
	err = entropy_get(entropy_cap, key, sizeof(key));
	if (err) {
		printf("sessions: no key: %s\n", capos_strerror(err));
		return 2;
	}
	session_table_init(&table, key);
	crypto_wipe(key, sizeof(key));
	err = server_init(&srv, &rt.ring, ep, session_SessionManager_TYPE_ID,
			  session_SessionManager_dispatch_any, &impl);
	if (!err)
		err = server_run(&srv);
	printf("sessions: serving failed: %s\n", capos_strerror(err));
	session_table_wipe(&table);
	return 2;
}
