// SPDX-License-Identifier: MIT
/*
 * sessions-check (tests/qemu/sessions): runs as init, spawns the
 * SessionManager service (user/programs/sessions) with EntropySource and a
 * new endpoint, and checks it through the client library (user/lib/
 * sessions.h): tags of the right form and distinct, close and count, stale
 * handles (closed, of a reused slot, forged) refused, bad names and
 * profiles refused, 64 sessions then overloaded, count back to 0. Then it
 * kills the service (it serves until killed) and the kernel's leak check
 * follows init's exit.
 */
#include "capos.capnp.h"
#include "check.h"
#include "client.h"
#include "rt.h"
#include "session.capnp.h"
#include "sessions.h"

#define MAX_SESSIONS 64u

static capos_cap_t mgr;
static uint64_t handles[MAX_SESSIONS];
static char tags[MAX_SESSIONS][SESSIONS_TAG_SIZE];

static bool raised(int err, uint16_t type)
{
	return err == CAPOS_ERR_APPLICATION_EXCEPTION && client_exception()->type == type;
}

static uint32_t count(void)
{
	uint32_t n = 0xffffffffu;

	(void)sessions_count(mgr, &n);
	return n;
}

static bool tag_form(const char *t)
{
	if (strlen(t) != 10 || t[0] != 's' || t[1] != '-')
		return false;
	for (int i = 2; i < 10; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
			return false;
	return true;
}

static void check_open_close(void)
{
	uint64_t a = 0, b = 0, c = 0;
	char ta[SESSIONS_TAG_SIZE], tb[SESSIONS_TAG_SIZE], tc[SESSIONS_TAG_SIZE];
	int err;

	check(count() == 0, "none_open_at_start", count());
	err = sessions_open(mgr, "root", session_Profile_operator, &a, ta);
	check(err == 0 && tag_form(ta), "open_gives_an_s_tag", err);
	check_note(ta, (long long)a);
	err = sessions_open(mgr, "root", session_Profile_operator, &b, tb);
	check(err == 0 && a != b && strcmp(ta, tb) != 0, "same_user_twice_distinct_tags_and_handles",
	      err);
	check(count() == 2, "count_two", count());
	check_err(sessions_close(mgr, a), 0, "close_ends_a_session");
	check(count() == 1, "count_one_after_close", count());
	err = sessions_close(mgr, a);
	check(raised(err, capos_CapException_Type_invalidArgument), "closed_handle_refused", err);
	/* The freed slot is taken again: a's handle must not end the new session. */
	err = sessions_open(mgr, "guest1", session_Profile_guest, &c, tc);
	check(err == 0 && c != a && (c & 0xffffffffu) == (a & 0xffffffffu),
	      "reused_slot_gets_a_new_handle", err);
	err = sessions_close(mgr, a);
	check(raised(err, capos_CapException_Type_invalidArgument) && count() == 2,
	      "stale_handle_of_a_reused_slot_refused", err);
	err = sessions_close(mgr, 0);
	check(raised(err, capos_CapException_Type_invalidArgument), "handle_zero_refused", err);
	err = sessions_close(mgr, UINT64_MAX);
	check(raised(err, capos_CapException_Type_invalidArgument), "handle_all_ones_refused", err);
	err = sessions_close(mgr, c + ((uint64_t)1 << 32));
	check(raised(err, capos_CapException_Type_invalidArgument), "forged_generation_refused", err);
	check(count() == 2, "refusals_closed_nothing", count());
	check(sessions_close(mgr, b) == 0 && sessions_close(mgr, c) == 0 && count() == 0,
	      "count_back_to_zero", count());
}

static void check_hostile(void)
{
	uint64_t h = 0;
	char t[SESSIONS_TAG_SIZE];
	int err;

	err = sessions_open(mgr, "", session_Profile_operator, &h, t);
	check(raised(err, capos_CapException_Type_invalidArgument), "empty_user_refused", err);
	err = sessions_open(mgr, "abcdefghijabcdefghijabcdefghijabc", session_Profile_operator,
			    &h, t);
	check(raised(err, capos_CapException_Type_invalidArgument), "user_of_33_refused", err);
	err = sessions_open(mgr, "ro\x1b[2Jot", session_Profile_operator, &h, t);
	check(raised(err, capos_CapException_Type_invalidArgument), "control_bytes_in_user_refused",
	      err);
	err = sessions_open(mgr, "Root", session_Profile_operator, &h, t);
	check(raised(err, capos_CapException_Type_invalidArgument), "upper_case_user_refused", err);
	err = sessions_open(mgr, "root", 3, &h, t);
	check(raised(err, capos_CapException_Type_invalidArgument), "unknown_profile_refused", err);
	err = sessions_open(mgr, "root", 0xffff, &h, t);
	check(raised(err, capos_CapException_Type_invalidArgument), "profile_ffff_refused", err);
	check(count() == 0, "hostile_opens_opened_nothing", count());
}

static bool all_tags_distinct(uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = i + 1; j < n; j++)
			if (strcmp(tags[i], tags[j]) == 0)
				return false;
	return true;
}

static void check_bound(void)
{
	uint32_t opened = 0, closed = 0;
	uint64_t h = 0;
	char t[SESSIONS_TAG_SIZE];
	int err;

	for (uint32_t i = 0; i < MAX_SESSIONS; i++)
		opened += sessions_open(mgr, "op", session_Profile_operator, &handles[i],
					tags[i]) == 0;
	check(opened == MAX_SESSIONS && count() == MAX_SESSIONS, "sixty_four_open", opened);
	check(all_tags_distinct(MAX_SESSIONS), "sixty_four_distinct_tags", 0);
	err = sessions_open(mgr, "op", session_Profile_operator, &h, t);
	check(raised(err, capos_CapException_Type_overloaded), "sixty_fifth_overloaded", err);
	check(count() == MAX_SESSIONS, "still_sixty_four", count());
	check_err(sessions_close(mgr, handles[10]), 0, "close_one_of_sixty_four");
	check_err(sessions_open(mgr, "op", session_Profile_operator, &handles[10], tags[10]), 0,
		  "one_more_fits_after_a_close");
	for (uint32_t i = 0; i < MAX_SESSIONS; i++)
		closed += sessions_close(mgr, handles[i]) == 0;
	check(closed == MAX_SESSIONS && count() == 0, "all_closed_count_zero", closed);
}

int main(void)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	capos_cap_t entropy = rt_cap("entropy", CAPOS_IFACE_ENTROPY_SOURCE);
	capos_cap_t handle, facets[3];
	int64_t code = -1;

	check_init("sessions-check");
	struct spawn_grant g[] = {
		{ "service", session_SessionManager_TYPE_ID, 0, SPAWN_NEW_ENDPOINT },
		{ "entropy", CAPOS_IFACE_ENTROPY_SOURCE, entropy, CAPOS_XFER_COPY },
		{ "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
	};
	if (!check_err(spawner_spawn_ep(sp, "sessions", "sessions", g, 3, &handle, facets), 0,
		       "service_spawned"))
		return check_done();
	mgr = facets[0];
	check_open_close();
	check_hostile();
	check_bound();
	(void)cap_release(mgr);
	check(process_kill(handle) == 0 && process_wait(handle, &code) == 0 &&
	      code == capos_ProcessHandle_exitKilled, "service_killed", code);
	(void)cap_release(handle);
	return check_done();
}
