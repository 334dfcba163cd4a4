// SPDX-License-Identifier: MIT
/*
 * Stand-ins for the sessions and audit services (branch m6-audit builds
 * the real ones): SessionManager mints handles 1, 2, ... and tags
 * "s-0000000N" and counts the open sessions; AuditLog prints each record
 * on the console (the scenario reads them) and notes what the checks
 * need; AuditReader answers an empty log.
 */
#include "rig.h"

#include "broker/broker.h"

struct rig_stats rig;
static uint64_t next_handle = 1;
static uint64_t open_mask;	/* bit h: handle h open (h < 64) */

static int do_open(void *ctx, struct session_SessionManager_open_Params p,
		   struct session_SessionManager_open_Results_builder r)
{
	char tag[16];
	uint64_t h = next_handle;

	(void)p;
	if (h >= 64)
		return server_raise(ctx, capos_CapException_Type_overloaded, "stub: 63 sessions");
	next_handle++;
	open_mask |= 1ull << h;
	rig.open_sessions++;
	snprintf(tag, sizeof(tag), "s-%08llx", (unsigned long long)h);
	session_SessionManager_open_Results_set_handle(r, h);
	session_SessionManager_open_Results_set_tag(r, tag, (uint32_t)strlen(tag));
	return 0;
}

static int do_close(void *ctx, struct session_SessionManager_close_Params p,
		    struct session_SessionManager_close_Results_builder r)
{
	uint64_t h = session_SessionManager_close_Params_get_handle(p);

	(void)r;
	if (h >= 64 || !(open_mask & (1ull << h)))
		return server_raise(ctx, capos_CapException_Type_invalidArgument, "not open");
	open_mask &= ~(1ull << h);
	rig.open_sessions--;
	return 0;
}

static int do_count(void *ctx, struct session_SessionManager_count_Params p,
		    struct session_SessionManager_count_Results_builder r)
{
	(void)ctx;
	(void)p;
	session_SessionManager_count_Results_set_open(r, rig.open_sessions);
	return 0;
}

static const struct session_SessionManager_server sessions_impl = {
	.open = do_open, .close = do_close, .count = do_count,
};

static const char *const event_names[] = {
	"setup", "loginOk", "loginFailed", "logout", "run", "refused",
};

static bool contains(struct capnp_text t, const char *needle)
{
	uint32_t n = (uint32_t)strlen(needle);

	for (uint32_t i = 0; i + n <= t.len; i++)
		if (memcmp(t.str + i, needle, n) == 0)
			return true;
	return false;
}

static void note(uint16_t ev, struct capnp_text user, struct capnp_text detail)
{
	uint64_t now = 0;

	/* The check's passwords all hold this word. */
	rig.password_seen |= contains(user, "hunter") || contains(detail, "hunter");
	if (ev == session_AuditEvent_logout && contains(detail, "shell"))
		rig.shell_end_logged = true;
	if (ev != session_AuditEvent_loginFailed)
		return;
	(void)timer_now(rig_timer, &now);
	if (++rig.login_failed == 1)
		rig.first_failed_ns = now;
	else if (rig.login_failed == 2)
		rig.second_failed_ns = now;
}

static int do_append(void *ctx, struct session_AuditLog_append_Params p,
		     struct session_AuditLog_append_Results_builder r)
{
	uint16_t ev = session_AuditLog_append_Params_get_event(p);
	struct capnp_text user = session_AuditLog_append_Params_get_user(p);
	struct capnp_text tag = session_AuditLog_append_Params_get_session(p);
	struct capnp_text detail = session_AuditLog_append_Params_get_detail(p);
	char shown[BROKER_DETAIL_MAX + 1];

	(void)ctx;
	(void)r;
	rig.records++;
	note(ev, user, detail);
	broker_audit_user(detail.str, detail.len, shown, sizeof(shown));
	printf("broker-rig: audit %s user=%.*s session=%.*s detail=%s\n",
	       ev < 6 ? event_names[ev] : "?", (int)user.len, user.str, (int)tag.len, tag.str,
	       shown);
	return 0;
}

static const struct session_AuditLog_server log_impl = { .append = do_append };

static int do_read(void *ctx, struct session_AuditReader_read_Params p,
		   struct session_AuditReader_read_Results_builder r)
{
	(void)ctx;
	(void)p;
	session_AuditReader_read_Results_init_records(r, 0);
	session_AuditReader_read_Results_set_nextSeq(r, rig.records + 1);
	return 0;
}

static const struct session_AuditReader_server reader_impl = { .read = do_read };

int stubs_init(struct server *s, capos_cap_t sessions_ep, capos_cap_t log_ep,
	       capos_cap_t reader_ep)
{
	int err = server_init(s, &rt.ring, sessions_ep, session_SessionManager_TYPE_ID,
			      session_SessionManager_dispatch_any, &sessions_impl);

	if (err)
		return err;
	err = server_add_port(s, log_ep, session_AuditLog_TYPE_ID, session_AuditLog_dispatch_any,
			      &log_impl, NULL);
	if (err < 0)
		return err;
	err = server_add_port(s, reader_ep, session_AuditReader_TYPE_ID,
			      session_AuditReader_dispatch_any, &reader_impl, NULL);
	return err < 0 ? err : 0;
}
