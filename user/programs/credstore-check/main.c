// SPDX-License-Identifier: MIT
/*
 * credstore-check (tests/qemu/credstore): runs as init, spawns the
 * CredentialStore service (user/programs/credstore) with a 6,400-page
 * VirtualMemory, Timer, EntropySource and a new endpoint, and checks it
 * through a client facet: setup and its refusals, verify right, wrong and
 * unknown (one answer, about the same time), the throttle's growing delays
 * measured with Timer.now, a correct password accepted once its delay has
 * passed, other calls answered while a throttled one waits, and hostile
 * params. Then it kills the service (it serves until killed) and the
 * kernel's leak check follows init's exit.
 */
#include "capos.capnp.h"
#include "credentials.capnp.h"
#include "check.h"
#include "client.h"
#include "ipc_call.h"
#include "rt.h"
#include "timer.h"

#define SERVICE_PAGES 6400u
#define MS 1000000ull
#define SLACK_NS (800 * MS)	/* a verification and the calls around it */
#define EARLY_NS (5 * MS)	/* the answer's way back to the client */

static const char right_pw[] = "correct horse battery staple";
static capos_cap_t store, timer;
static struct ipc_call call, held;
/* One more than the service holds (CREDSTORE_PENDING_MAX 16). */
#define FLOOD 17u
static struct ipc_call flood[FLOOD];

static uint64_t now(void)
{
	uint64_t ns = 0;

	(void)timer_now(timer, &ns);
	return ns;
}

static int submit_verify(struct ipc_call *c, const char *user, uint32_t ulen, const void *pw,
			 uint32_t plen, uint32_t term)
{
	struct credentials_CredentialStore_verify_Params_builder p;

	ipc_call_begin(c);
	p = credentials_CredentialStore_verify_Params_init_root(&c->msg);
	credentials_CredentialStore_verify_Params_set_user(p, user, ulen);
	credentials_CredentialStore_verify_Params_set_password(p, pw, plen);
	credentials_CredentialStore_verify_Params_set_terminal(p, term);
	return ipc_call_submit(&rt.ring, c, store, credentials_CredentialStore_verify);
}

/* verify: 0 (ok, *profile set), or the error; *ns the time it took. */
static int verify(const char *user, uint32_t ulen, const void *pw, uint32_t plen, uint32_t term,
		  uint16_t *profile, uint64_t *ns)
{
	uint64_t t0 = now();
	int err = submit_verify(&call, user, ulen, pw, plen, term);

	if (!err)
		err = ipc_call_wait(&rt.ring, &call, CAPOS_TIMEOUT_INFINITE);
	if (ns)
		*ns = now() - t0;
	if (err < 0)
		return err;
	if (profile)
		*profile = credentials_CredentialStore_verify_Results_get_profile(
			credentials_CredentialStore_verify_Results_root(&call.msg));
	return 0;
}

static int setup(const char *user, uint32_t ulen, const void *pw, uint32_t plen)
{
	struct credentials_CredentialStore_setup_Params_builder p;
	int err;

	ipc_call_begin(&call);
	p = credentials_CredentialStore_setup_Params_init_root(&call.msg);
	credentials_CredentialStore_setup_Params_set_user(p, user, ulen);
	credentials_CredentialStore_setup_Params_set_password(p, pw, plen);
	err = ipc_call_run(&rt.ring, &call, store, credentials_CredentialStore_setup);
	return err < 0 ? err : 0;
}

static int has_operator(struct ipc_call *c, bool *present)
{
	int err;

	ipc_call_begin(c);
	(void)credentials_CredentialStore_hasOperator_Params_init_root(&c->msg);
	err = ipc_call_run(&rt.ring, c, store, credentials_CredentialStore_hasOperator);
	if (err < 0)
		return err;
	*present = credentials_CredentialStore_hasOperator_Results_get_present(
		credentials_CredentialStore_hasOperator_Results_root(&c->msg));
	return 0;
}

/* The call raised type with reason (exactly). */
static bool raised(const struct ipc_call *c, int err, uint16_t type, const char *reason)
{
	return err == CAPOS_ERR_APPLICATION_EXCEPTION && c->exc_type == type &&
	       (!reason || strcmp(c->exc_reason, reason) == 0);
}

static bool login_failed(int err)
{
	return raised(&call, err, capos_CapException_Type_failed, "login failed");
}

static void check_setup(void)
{
	static char long_name[40];
	static char long_pw[129];
	bool present = true;
	int err;

	check(has_operator(&call, &present) == 0 && !present, "no_operator_at_first", present);
	memset(long_name, 'a', sizeof(long_name));
	memset(long_pw, 'p', sizeof(long_pw));
	err = setup("", 0, "pw", 2);
	check(raised(&call, err, capos_CapException_Type_invalidArgument, NULL), "setup_empty_name_refused", err);
	err = setup(long_name, 33, "pw", 2);
	check(raised(&call, err, capos_CapException_Type_invalidArgument, NULL), "setup_long_name_refused", err);
	err = setup("r\xff\xfe", 3, "pw", 2);
	check(raised(&call, err, capos_CapException_Type_invalidArgument, NULL), "setup_binary_name_refused", err);
	err = setup("ro\0ot", 5, "pw", 2);
	check(raised(&call, err, capos_CapException_Type_invalidArgument, NULL), "setup_nul_in_name_refused", err);
	err = setup("root", 4, "", 0);
	check(raised(&call, err, capos_CapException_Type_invalidArgument, NULL), "setup_empty_password_refused", err);
	err = setup("root", 4, long_pw, 129);
	check(raised(&call, err, capos_CapException_Type_invalidArgument, NULL), "setup_long_password_refused", err);
	check(has_operator(&call, &present) == 0 && !present, "refusals_created_nothing", present);
	check_err(setup("root", 4, right_pw, sizeof(right_pw) - 1), 0, "setup_creates_the_operator");
	check(has_operator(&call, &present) == 0 && present, "operator_present_after_setup", present);
	err = setup("other", 5, "another", 7);
	check(raised(&call, err, capos_CapException_Type_failed, "an operator exists already"),
	      "second_setup_refused", err);
}

static void check_verify(void)
{
	uint16_t profile = 99;
	uint64_t t_right = 0, t_wrong = 0, t_unknown = 0, t_bad = 0;
	int err;

	err = verify("root", 4, right_pw, sizeof(right_pw) - 1, 0, &profile, &t_right);
	check(err == 0 && profile == credentials_CredentialStore_Profile_operator,
	      "right_password_accepted_as_operator", err ? err : profile);
	err = verify("nobody", 6, right_pw, sizeof(right_pw) - 1, 2, NULL, &t_unknown);
	check(login_failed(err), "unknown_user_login_failed", err);
	err = verify("\xff\xfe\x01", 3, "x", 1, 3, NULL, &t_bad);
	check(login_failed(err), "binary_name_login_failed_same_text", err);
	err = verify("root", 4, "wrong", 5, 1, NULL, &t_wrong);
	check(login_failed(err), "wrong_password_login_failed_same_text", err);
	check_note("verify right ns", (long long)t_right);
	check_note("verify wrong ns", (long long)t_wrong);
	check_note("verify unknown ns", (long long)t_unknown);
	check_note("verify bad-name ns", (long long)t_bad);
	/* The same Argon2id work: within 10 % of each other. */
	check(t_unknown * 10 > t_wrong * 9 && t_unknown * 10 < t_wrong * 11,
	      "unknown_user_takes_about_as_long_as_wrong_password",
	      (long long)t_unknown - (long long)t_wrong);
	check(t_right * 10 > t_wrong * 9 && t_right * 10 < t_wrong * 11,
	      "right_password_takes_about_as_long_as_wrong", (long long)t_right - (long long)t_wrong);
}

static bool delay_within(uint64_t got, uint64_t want_ms)
{
	/* The client starts timing a little after the server's previous answer. */
	return got + EARLY_NS >= want_ms * MS && got < want_ms * MS + SLACK_NS;
}

/*
 * root failed once (from terminal 1). Back-to-back wrong attempts now wait
 * 1 s, 2 s, 4 s; while the 2 s one waits, another call is answered; then
 * the right password from a fresh terminal waits out the account's 8 s and
 * is accepted, which clears the account. An unknown user counts on its
 * terminal, and the right password from that terminal waits its delay.
 */
static void check_throttle(void)
{
	uint64_t t, t0;
	uint16_t profile = 99;
	bool present = false;
	int err;

	err = verify("root", 4, "wrong1", 6, 1, NULL, &t);
	check(login_failed(err) && delay_within(t, 1000), "second_failure_answered_after_1s", (long long)t);
	check_note("throttled answer ns", (long long)t);
	t0 = now();
	err = submit_verify(&held, "root", 4, "wrong2", 6, 1);
	check_err(err, 0, "throttled_verify_submitted");
	err = has_operator(&call, &present);
	check(err == 0 && present, "other_calls_answered_while_one_waits", err);
	err = ipc_call_wait(&rt.ring, &held, 0);
	if (!check(err == CAPOS_ERR_TIMED_OUT, "throttled_call_still_pending", err))
		return;
	err = ipc_call_wait(&rt.ring, &held, CAPOS_TIMEOUT_INFINITE);
	t = now() - t0;
	check(raised(&held, err, capos_CapException_Type_failed, "login failed") &&
	      delay_within(t, 2000), "third_failure_answered_after_2s", (long long)t);
	check_note("throttled answer ns", (long long)t);
	err = verify("root", 4, "wrong3", 6, 1, NULL, &t);
	check(login_failed(err) && delay_within(t, 4000), "fourth_failure_answered_after_4s", (long long)t);
	check_note("throttled answer ns", (long long)t);
	/* Terminal 5 is fresh: only the account's 8 s applies, and the right password passes. */
	err = verify("root", 4, right_pw, sizeof(right_pw) - 1, 5, &profile, &t);
	check(err == 0 && profile == credentials_CredentialStore_Profile_operator && delay_within(t, 8000),
	      "right_password_accepted_after_its_8s_delay", err ? err : (long long)t);
	check_note("accepted after ns", (long long)t);
	/* The success cleared the account: the next right answer is at once. */
	err = verify("root", 4, right_pw, sizeof(right_pw) - 1, 6, &profile, &t);
	check(err == 0 && t < SLACK_NS, "success_clears_the_account_throttle", (long long)t);
	/* Terminal 7 fails twice with an unknown user: the second waits 1 s. */
	err = verify("nobody", 6, "x", 1, 7, NULL, &t);
	check(login_failed(err) && t < SLACK_NS, "unknown_user_first_failure_at_once", (long long)t);
	err = verify("nobody", 6, "x", 1, 7, NULL, &t);
	check(login_failed(err) && delay_within(t, 1000), "terminal_throttle_applies_to_unknown_users",
	      (long long)t);
	/* The right password from that terminal waits the terminal's 2 s, then passes. */
	err = verify("root", 4, right_pw, sizeof(right_pw) - 1, 7, &profile, &t);
	check(err == 0 && delay_within(t, 2000), "right_password_from_throttled_terminal_after_2s",
	      err ? err : (long long)t);
}

static void check_hostile(void)
{
	static char huge[4000];
	static char long_pw[129];
	int err;

	memset(huge, 'a', sizeof(huge));
	memset(long_pw, 'p', sizeof(long_pw));
	err = verify("root", 4, "", 0, 10, NULL, NULL);
	check(raised(&call, err, capos_CapException_Type_invalidArgument, NULL), "verify_empty_password_refused", err);
	err = verify("root", 4, long_pw, 129, 10, NULL, NULL);
	check(raised(&call, err, capos_CapException_Type_invalidArgument, NULL), "verify_long_password_refused", err);
	err = verify("root", 4, "x", 1, 64, NULL, NULL);
	check(raised(&call, err, capos_CapException_Type_invalidArgument, NULL), "verify_bad_terminal_refused", err);
	err = verify(huge, sizeof(huge), "x", 1, 11, NULL, NULL);
	check(login_failed(err), "verify_4000_byte_name_login_failed", err);
	err = verify("", 0, "x", 1, 12, NULL, NULL);
	check(login_failed(err), "verify_empty_name_login_failed", err);
	ipc_call_begin(&call);
	(void)credentials_CredentialStore_hasOperator_Params_init_root(&call.msg);
	err = ipc_call_run(&rt.ring, &call, store, 9);
	check(err == CAPOS_ERR_APPLICATION_EXCEPTION, "unknown_method_raises", err);
}

/*
 * Terminal 13 fails 6 times (the next delay is the 30 s cap); then 17
 * attempts at once: 16 are held (30 s and more apart) and the 17th is
 * refused overloaded before any work. Killing the service fails the held
 * calls (cancelled: taken, never answered).
 */
static void flood_start(void)
{
	uint32_t held_now = 0, submitted = 0;
	int err;

	for (uint32_t i = 0; i < 6; i++)
		(void)verify("nobody", 6, "x", 1, 13, NULL, NULL);
	for (uint32_t i = 0; i < FLOOD; i++)
		submitted += submit_verify(&flood[i], "nobody", 6, "x", 1, 13) == 0;
	check(submitted == FLOOD, "flood_submitted", submitted);
	err = ipc_call_wait(&rt.ring, &flood[FLOOD - 1], CAPOS_TIMEOUT_INFINITE);
	check(raised(&flood[FLOOD - 1], err, capos_CapException_Type_overloaded, NULL),
	      "seventeenth_waiting_answer_refused_overloaded", err);
	for (uint32_t i = 0; i + 1 < FLOOD; i++)
		held_now += ipc_call_wait(&rt.ring, &flood[i], 0) == CAPOS_ERR_TIMED_OUT;
	check(held_now == FLOOD - 1, "sixteen_answers_held", held_now);
}

/* After the kill: every held call failed, none answered. */
static void flood_end(void)
{
	uint32_t failed = 0;
	int err, first = 0;

	for (uint32_t i = 0; i + 1 < FLOOD; i++) {
		err = ipc_call_wait(&rt.ring, &flood[i], CAPOS_TIMEOUT_INFINITE);
		if (!first)
			first = err;
		/* A call the server took and never answered is cancelled. */
		failed += err == CAPOS_ERR_CANCELLED || err == CAPOS_ERR_DISCONNECTED;
	}
	check_note("held call ended with", first);
	check(failed == FLOOD - 1, "held_calls_fail_when_the_service_dies", failed);
}

int main(void)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	capos_cap_t entropy = rt_cap("entropy", CAPOS_IFACE_ENTROPY_SOURCE);
	capos_cap_t handle, facets[5];
	int64_t code = -1;

	check_init("credstore-check");
	timer = rt_cap("timer", CAPOS_IFACE_TIMER);
	struct spawn_grant g[] = {
		{ "service", credentials_CredentialStore_TYPE_ID, 0, SPAWN_NEW_ENDPOINT },
		{ "timer", CAPOS_IFACE_TIMER, timer, CAPOS_XFER_COPY },
		{ "entropy", CAPOS_IFACE_ENTROPY_SOURCE, entropy, CAPOS_XFER_COPY },
		{ "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
		{ "vm", CAPOS_IFACE_VIRTUAL_MEMORY, (capos_cap_t)SERVICE_PAGES, SPAWN_VIRTUAL_MEMORY },
	};
	if (!check_err(spawner_spawn_ep(sp, "credstore", "credstore", g, 5, &handle, facets), 0,
		       "service_spawned"))
		return check_done();
	store = facets[0];
	check_setup();
	check_verify();
	check_throttle();
	check_hostile();
	flood_start();
	(void)cap_release(store);
	check(process_kill(handle) == 0 && process_wait(handle, &code) == 0 &&
	      code == capos_ProcessHandle_exitKilled, "service_killed", code);
	flood_end();
	(void)cap_release(handle);
	return check_done();
}
