// SPDX-License-Identifier: MIT
/*
 * credstore: the CredentialStore service (schema/credentials.capnp;
 * docs/credentials.md). It serves the endpoint granted as "service" with
 * the runtime's server loop and keeps its accounts in memory (lib/creds):
 * Argon2id verifiers at the shipped parameters, never a password. Needs
 * "timer", "entropy" and a VirtualMemory of at least 6,144 pages (the
 * 19 MiB of Argon2id blocks). Verification is done when a call arrives;
 * its answer is held until the throttle allows it (pending.c), and the
 * loop keeps serving others meanwhile. It serves until it is killed;
 * exits 2 if a capability is missing or serving fails.
 */
#include "credstore.h"

#include "argon2id.h"
#include "entropy.h"
#include "timer.h"

static struct server srv;
static struct creds_store store;
static capos_cap_t timer_cap, entropy_cap;
/* The verifier an unknown user is checked against, so both cost the same work. */
static char dummy_verifier[ARGON2ID_ENCODED_MAX];

static uint64_t now_ns(void)
{
	uint64_t ns = 0;

	(void)timer_now(timer_cap, &ns);
	return ns;
}

/* A PHC verifier of pw with a fresh salt; 0 or a CAPOS_ERR_*. */
static int make_verifier(const void *pw, uint32_t len, char *out)
{
	struct argon2id_params p = argon2id_shipped();
	uint8_t salt[ARGON2ID_SALT_LEN];
	int err = entropy_get(entropy_cap, salt, sizeof(salt));

	if (err)
		return err;
	err = argon2id_phc_make(pw, len, salt, sizeof(salt), &p, ARGON2ID_HASH_LEN, out,
				ARGON2ID_ENCODED_MAX);
	return err == ARGON2ID_OK ? 0 : CAPOS_ERR_NO_MEMORY;
}

static int do_has_operator(void *ctx, struct credentials_CredentialStore_hasOperator_Params p,
			   struct credentials_CredentialStore_hasOperator_Results_builder r)
{
	(void)ctx;
	(void)p;
	credentials_CredentialStore_hasOperator_Results_set_present(r, creds_has_operator(&store));
	return 0;
}

static int do_setup(void *ctx, struct credentials_CredentialStore_setup_Params p,
		    struct credentials_CredentialStore_setup_Results_builder r)
{
	struct capnp_text user = credentials_CredentialStore_setup_Params_get_user(p);
	struct capnp_data pw = credentials_CredentialStore_setup_Params_get_password(p);
	char verifier[ARGON2ID_ENCODED_MAX];
	int err;

	(void)r;
	if (creds_has_operator(&store))
		return server_raise(ctx, capos_CapException_Type_failed,
				    "an operator exists already");
	if (!creds_name_valid(user.str, user.len))
		return server_raise(ctx, capos_CapException_Type_invalidArgument,
				    "user name: 1..32 of a-z 0-9 _ -, starting with a letter");
	if (!creds_password_len_valid(pw.len))
		return server_raise(ctx, capos_CapException_Type_invalidArgument,
				    "password: 1..128 bytes");
	err = make_verifier(pw.ptr, pw.len, verifier);
	if (err)
		return server_raise(ctx, capos_CapException_Type_overloaded,
				    "no memory or entropy for the verifier");
	err = creds_add(&store, user.str, user.len, CREDS_OPERATOR, verifier);
	memset(verifier, 0, sizeof(verifier));
	if (err)
		return server_raise(ctx, capos_CapException_Type_overloaded, "store full");
	return 0;
}

/* True if pw is account acct's password; an unknown user (-1) costs the same work. */
static bool password_matches(int acct, const void *pw, uint32_t len)
{
	const char *verifier = acct >= 0 ? store.accounts[acct].verifier : dummy_verifier;
	int err = argon2id_phc_verify(pw, len, verifier);

	return acct >= 0 && err == ARGON2ID_OK;
}

static int do_verify(void *ctx, struct credentials_CredentialStore_verify_Params p,
		     struct credentials_CredentialStore_verify_Results_builder r)
{
	struct server_call *c = ctx;
	struct capnp_text user = credentials_CredentialStore_verify_Params_get_user(p);
	struct capnp_data pw = credentials_CredentialStore_verify_Params_get_password(p);
	uint32_t term = credentials_CredentialStore_verify_Params_get_terminal(p);
	struct pending_answer a = { .call_id = c->call_id };
	uint64_t now;
	int acct;

	if (!creds_password_len_valid(pw.len))
		return server_raise(c, capos_CapException_Type_invalidArgument,
				    "password: 1..128 bytes");
	if (term >= CREDS_TERMINALS_MAX)
		return server_raise(c, capos_CapException_Type_invalidArgument,
				    "terminal: 0..63");
	if (pending_full())
		return server_raise(c, capos_CapException_Type_overloaded,
				    "too many logins waiting");
	acct = creds_find(&store, user.str, user.len);	/* -1 for any bad name too */
	a.ok = password_matches(acct, pw.ptr, pw.len);
	a.profile = a.ok ? store.accounts[acct].profile : CREDS_GUEST;
	now = now_ns();
	a.answer_at = creds_answer_at(&store, acct, term, now);
	creds_note(&store, acct, term, a.ok, a.answer_at);
	if (a.answer_at > now) {
		pending_add(&a);
		return SERVER_HELD;
	}
	if (!a.ok)
		return server_raise(c, capos_CapException_Type_failed, CREDSTORE_LOGIN_FAILED);
	credentials_CredentialStore_verify_Results_set_profile(r, (uint16_t)a.profile);
	return 0;
}

static const struct credentials_CredentialStore_server impl = {
	.hasOperator = do_has_operator,
	.setup = do_setup,
	.verify = do_verify,
};

/*
 * The dummy verifier: a random salt and a random tag at the shipped
 * parameters, a verifier no password matches. Made without hashing (a hash
 * at start would put an Argon2id run, about 245 million instructions,
 * before the first prompt); checking a password against it is the same
 * work as against an account's.
 */
static int make_dummy(void)
{
	struct argon2id_params p = argon2id_shipped();
	uint8_t rnd[ARGON2ID_SALT_LEN + ARGON2ID_HASH_LEN];
	int err = entropy_get(entropy_cap, rnd, sizeof(rnd));

	if (!err && argon2id_phc_encode(rnd, ARGON2ID_SALT_LEN, rnd + ARGON2ID_SALT_LEN,
					ARGON2ID_HASH_LEN, &p, dummy_verifier,
					sizeof(dummy_verifier)) != ARGON2ID_OK)
		err = CAPOS_ERR_NO_MEMORY;
	memset(rnd, 0, sizeof(rnd));
	return err;
}

/* Serves until killed; returns only if receiving fails. */
static int serve(void)
{
	for (;;) {
		uint64_t now = now_ns();
		int err = server_serve_one(&srv, pending_timeout(now));

		pending_answer_due(&srv, now_ns());
		if (err == CAPOS_ERR_TIMED_OUT || err == 0 || err == SERVER_HELD)
			continue;
		printf("credstore: serving failed: %s\n", capos_strerror(err));
		return 2;
	}
}

int main(void)
{
	capos_cap_t ep = rt_cap("service", CAPOS_IFACE_ENDPOINT);
	int err;

	timer_cap = rt_cap("timer", CAPOS_IFACE_TIMER);
	entropy_cap = rt_cap("entropy", CAPOS_IFACE_ENTROPY_SOURCE);
	if (ep == CAPOS_CAP_INVALID || timer_cap == CAPOS_CAP_INVALID ||
	    entropy_cap == CAPOS_CAP_INVALID) {
		printf("credstore: needs service, timer and entropy\n");
		return 2;
	}
	creds_store_init(&store);
	err = make_dummy();
	if (err) {
		printf("credstore: no dummy verifier: %s\n", capos_strerror(err));
		return 2;
	}
	err = server_init(&srv, &rt.ring, ep, credentials_CredentialStore_TYPE_ID,
			  credentials_CredentialStore_dispatch_any, &impl);
	if (err)
		return 2;
	return serve();
}
