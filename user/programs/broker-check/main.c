// SPDX-License-Identifier: MIT
/*
 * broker-check's checks (check.h), in the order of a first boot. The
 * passwords all contain "hunter": the rig fails the run if an audit record
 * ever holds that word. Ends by exiting with a session open and a job
 * running: the broker must then end the session itself.
 */
#include "check.h"

capos_cap_t term, broker;
static struct bundle guest, op;

#define EXC_FAILED capos_CapException_Type_failed
#define EXC_INVALID capos_CapException_Type_invalidArgument
#define OP_PW "hunter2-op"

/* True if the space-separated list holds word. */
static bool list_has(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; *p;) {
		const char *end = p;

		while (*end && *end != ' ')
			end++;
		if ((size_t)(end - p) == n && memcmp(p, word, n) == 0)
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

static bool bundle_is(const struct bundle *b, const char *const *names, const uint64_t *ifaces,
		      uint32_t n)
{
	if (b->n != n)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(b->name[i], names[i]) != 0 || b->iface[i] != ifaces[i])
			return false;
	return true;
}

static void check_guest(void)
{
	static const char *const names[] = { "launcher", "timer" };
	static const uint64_t ifaces[] = { session_Launcher_TYPE_ID, CAPOS_IFACE_TIMER };
	char list[256];
	uint32_t job = 0;
	int64_t code = 0;
	int err = ab_enter(session_AuthorityBroker_login, "guest", "any hunter", &guest);

	verdict(err == 0 && guest.profile == session_Profile_guest,
		"guest_logs_in_whatever_the_password", err);
	verdict(bundle_is(&guest, names, ifaces, 2), "guest_bundle_launcher_and_timer", guest.n);
	err = launcher_list(bundle_cap(&guest, "launcher"), list, sizeof(list));
	verdict(err == 0 && strcmp(list, "hello") == 0, "guest_list_is_the_allow_list", err);
	err = launcher_spawn(bundle_cap(&guest, "launcher"), "spin", NULL, 0, &job);
	verdict(raised(err, EXC_FAILED, "not allowed in this session"),
		"guest_refused_outside_the_list", err);
	err = launcher_spawn(bundle_cap(&guest, "launcher"), "hello", NULL, 0, &job);
	if (!err)
		err = launcher_wait(bundle_cap(&guest, "launcher"), job, &code);
	verdict(err == 0 && code == 42 && job == 1, "guest_runs_hello_42", err ? err : code);
	err = ab_enter(session_AuthorityBroker_setup, "op", OP_PW, &op);
	verdict(raised(err, EXC_FAILED, "a session is open; logout first"),
		"setup_refused_while_a_session_is_open", err);
	verdict(ab_logout() == 0, "guest_logout", 0);
	err = launcher_list(bundle_cap(&guest, "launcher"), list, sizeof(list));
	verdict(err == CAPOS_ERR_DISCONNECTED, "guest_launcher_disconnected_after_logout", err);
	err = timer_now(bundle_cap(&guest, "timer"), &(uint64_t){ 0 });
	verdict(err == CAPOS_ERR_DISCONNECTED, "guest_timer_disconnected_after_logout", err);
	bundle_release(&guest);
}

static void check_setup(void)
{
	static const char *const names[] = { "launcher", "audit", "timer" };
	static const uint64_t ifaces[] = { session_Launcher_TYPE_ID, session_AuditReader_TYPE_ID,
					   CAPOS_IFACE_TIMER };
	bool present = true;
	int err = ab_has_operator(&present);

	verdict(err == 0 && !present, "no_operator_at_first", err);
	err = ab_enter(session_AuthorityBroker_setup, "guest", "hunter-g", &op);
	verdict(raised(err, EXC_INVALID, NULL), "setup_refuses_the_name_guest", err);
	err = ab_enter(session_AuthorityBroker_setup, "op", OP_PW, &op);
	verdict(err == 0 && op.profile == session_Profile_operator, "setup_logs_the_operator_in",
		err);
	verdict(bundle_is(&op, names, ifaces, 3), "operator_bundle_launcher_audit_timer", op.n);
	verdict(ab_has_operator(&present) == 0 && present, "operator_present_after_setup", 0);
	verdict(ab_logout() == 0, "operator_logout", 0);
	bundle_release(&op);
}

/* Spawns the Launcher refuses before doing anything, and the bound of 16 jobs. */
static void check_spawn_limits(capos_cap_t l)
{
	static const char *const two[] = { "a", "b" };
	const uint16_t idx_bad[2] = { 0, 2 }, idx_twice[2] = { 0, 0 };
	capos_cap_t t = bundle_cap(&op, "timer"), caps[2] = { t, t };
	uint32_t jobs[16], job = 0, n = 0;
	int64_t code = 0;
	int err;

	err = launcher_spawn_grants(l, "hello", two, idx_bad, 1, caps, 2, &job);
	verdict(raised(err, EXC_INVALID, "a descriptor sent that no grant uses"),
		"descriptor_sent_unused_refused", err);
	err = launcher_spawn_grants(l, "hello", two, idx_bad, 2, caps, 2, &job);
	verdict(raised(err, EXC_INVALID, "grant names a descriptor not sent"),
		"grant_of_a_missing_descriptor_refused", err);
	err = launcher_spawn_grants(l, "hello", two, idx_twice, 2, caps, 2, &job);
	verdict(raised(err, EXC_INVALID, "a descriptor used by two grants"),
		"descriptor_used_twice_refused", err);
	for (n = 0; n < 16; n++)
		if (launcher_spawn(l, "spin", NULL, 0, &jobs[n]) != 0)
			break;
	err = launcher_spawn(l, "spin", NULL, 0, &job);
	verdict(n == 16 && raised(err, capos_CapException_Type_overloaded, "16 jobs not yet waited for"),
		"seventeenth_unwaited_job_refused_overloaded", n);
	for (uint32_t i = 0; i < n; i++)
		if (launcher_kill(l, jobs[i]) || launcher_wait(l, jobs[i], &code) || code != -2)
			break;
	verdict(code == -2 && launcher_spawn(l, "hello", NULL, 0, &job) == 0 &&
			launcher_wait(l, job, &code) == 0 && code == 42,
		"jobs_waited_for_make_room", code);
}

static void check_logins(void)
{
	int err = ab_enter(session_AuthorityBroker_login, "op", "hunter-wrong", &op);

	verdict(raised(err, EXC_FAILED, "login failed"), "wrong_password_login_failed", err);
	err = ab_enter(session_AuthorityBroker_login, "nobody", "hunter-x", &op);
	verdict(raised(err, EXC_FAILED, "login failed"), "unknown_user_login_failed_alike", err);
	err = ab_enter(session_AuthorityBroker_login, "op", OP_PW, &op);
	verdict(err == 0 && op.profile == session_Profile_operator && op.n == 3,
		"operator_login_after_the_throttle", err);
}

static void check_jobs(capos_cap_t l)
{
	char list[512];
	uint32_t job = 0;
	int64_t code = 0;
	int err = launcher_list(l, list, sizeof(list));

	verdict(err == 0 && list_has(list, "spin") && list_has(list, "broker-child") &&
			list_has(list, "hello") && !list_has(list, "credstore") &&
			!list_has(list, "broker") && !list_has(list, "terminal") &&
			!list_has(list, "shell"),
		"operator_list_all_but_system_services", err);
	err = launcher_spawn(l, "broker-child", "clock", bundle_cap(&op, "timer"), &job);
	if (!err)
		err = launcher_wait(l, job, &code);	/* held: the child sleeps 50 ms */
	verdict(err == 0 && code == 0, "grant_arrives_under_its_name_only", err ? err : code);
	err = launcher_wait(l, job, &code);
	verdict(raised(err, EXC_INVALID, NULL), "a_waited_job_is_forgotten", err);
	err = launcher_spawn(l, "spin", NULL, 0, &job);
	verdict(err == 0 && launcher_kill(l, job) == 0, "spin_started_and_killed", err);
	err = launcher_wait(l, job, &code);
	verdict(err == 0 && code == -2, "killed_job_waits_exit_killed", err ? err : code);
	err = launcher_spawn(l, "hello", "vm", bundle_cap(&op, "timer"), &job);
	verdict(raised(err, EXC_INVALID, NULL), "grant_named_vm_refused", err);
	err = launcher_spawn(l, "nosuch", NULL, 0, &job);
	verdict(raised(err, EXC_INVALID, "unknown binary"), "unknown_binary_invalid", err);
	check_spawn_limits(l);
	err = audit_read(bundle_cap(&op, "audit"), &(uint32_t){ 0 });
	verdict(err == 0, "operator_audit_reader_answers", err);
}

/* Logout revokes every bundle copy, a copy wrapped again under our own Revoker too. */
static void check_revocation(void)
{
	capos_cap_t caps = rt_cap("caps", CAPOS_IFACE_CAPABILITY_MANAGER), rv, nested;
	uint64_t ns = 0;
	char list[64];
	int err = cap_new_revoker(caps, &rv);

	if (!err)
		err = revoker_wrap(rv, bundle_cap(&op, "timer"), CAPOS_XFER_COPY, false,
				   CAPOS_IFACE_TIMER, &nested);
	verdict(err == 0 && timer_now(nested, &ns) == 0, "bundle_timer_passed_on_works", err);
	verdict(ab_logout() == 0, "operator_logout_again", 0);
	verdict(launcher_list(bundle_cap(&op, "launcher"), list, sizeof(list)) ==
			CAPOS_ERR_DISCONNECTED, "launcher_disconnected_after_logout", 0);
	verdict(timer_now(bundle_cap(&op, "timer"), &ns) == CAPOS_ERR_DISCONNECTED,
		"timer_disconnected_after_logout", 0);
	verdict(timer_now(nested, &ns) == CAPOS_ERR_DISCONNECTED,
		"copy_passed_on_disconnected_after_logout", 0);
	(void)cap_release(nested);
	(void)cap_release(rv);
	bundle_release(&op);
}

int main(void)
{
	uint32_t job = 0;

	term = rt_cap("terminal", CAPOS_IFACE_TERMINAL_SESSION);
	broker = rt_cap("broker", session_AuthorityBroker_TYPE_ID);
	if (term == CAPOS_CAP_INVALID || broker == CAPOS_CAP_INVALID)
		return 2;
	check_setup();
	check_guest();
	check_logins();
	check_jobs(bundle_cap(&op, "launcher"));
	check_revocation();
	/* Leave with a session open and a job running: the broker ends both. */
	verdict(ab_enter(session_AuthorityBroker_login, "op", OP_PW, &op) == 0 &&
			launcher_spawn(bundle_cap(&op, "launcher"), "spin", NULL, 0, &job) == 0,
		"last_session_open_with_a_job", 0);
	(void)terminal_puts(term, "broker-check: leaving with the session open\n");
	return 0;
}
