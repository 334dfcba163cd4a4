// SPDX-License-Identifier: MIT
/*
 * audit-check (tests/qemu/audit): runs as init, spawns the audit service
 * (user/programs/audit) with a Timer and two new endpoints, "log" serving
 * AuditLog and "reader" serving AuditReader, and checks it through the
 * client library (user/lib/audit.h) and raw calls: append and read with
 * seq and Timer.now stamps, the 256-record bound (300 appends: 44 dropped
 * and counted, a read from 1 starts at 45), hostile params (over-long
 * fields cut, max 0 and 65, an unknown event, control bytes stored
 * escaped, a text pointer of the wrong kind), each facet only its own
 * interface, and a second instance with its endpoints made for the wrong
 * interfaces refusing every call. Then the services are killed and the
 * kernel's leak check follows init's exit.
 */
#include "audit.h"
#include "capos.capnp.h"
#include "check.h"
#include "client.h"
#include "ipc_call.h"
#include "rt.h"
#include "session.capnp.h"
#include "timer.h"

static capos_cap_t log_cap, reader_cap, timer;
static struct audit_record recs[AUDIT_READ_MAX];
static struct ipc_call call;

static uint64_t now(void)
{
	uint64_t ns = 0;

	(void)timer_now(timer, &ns);
	return ns;
}

static bool raised(int err, uint16_t type)
{
	return err == CAPOS_ERR_APPLICATION_EXCEPTION && client_exception()->type == type;
}

/* read(from, max) into recs: the count, or a negative error. */
static int read_at(uint64_t from, uint32_t max, uint64_t *dropped, uint64_t *next)
{
	uint32_t n = 0;
	int err = audit_read(reader_cap, from, max, recs, &n, dropped, next);

	return err < 0 ? err : (int)n;
}

/* True if s holds only printable ASCII. */
static bool printable(const char *s)
{
	for (; *s; s++)
		if ((uint8_t)*s < 0x20 || (uint8_t)*s > 0x7e)
			return false;
	return true;
}

static void check_round_trip(void)
{
	uint64_t t0 = now(), t1, dropped = 9, next = 0;
	int n;

	check_err(audit_append(log_cap, session_AuditEvent_loginOk, "root", "s-0000abcd",
			       "terminal 0"), 0, "append_login_ok");
	check_err(audit_append(log_cap, session_AuditEvent_logout, "root", "s-0000abcd", NULL), 0,
		  "append_logout");
	t1 = now();
	n = read_at(1, AUDIT_READ_MAX, &dropped, &next);
	check(n == 2 && dropped == 0 && next == 3, "read_gives_both_records", n);
	if (n != 2)
		return;
	check(recs[0].seq == 1 && recs[1].seq == 2, "seq_one_then_two", (long long)recs[1].seq);
	check(recs[0].time_ns >= t0 && recs[0].time_ns <= recs[1].time_ns && recs[1].time_ns <= t1,
	      "stamped_with_timer_now", (long long)(recs[0].time_ns - t0));
	check(recs[0].event == session_AuditEvent_loginOk && strcmp(recs[0].user, "root") == 0 &&
	      strcmp(recs[0].session, "s-0000abcd") == 0 &&
	      strcmp(recs[0].detail, "terminal 0") == 0, "fields_as_appended", recs[0].event);
	check(recs[1].event == session_AuditEvent_logout && recs[1].detail[0] == '\0',
	      "second_record_as_appended", recs[1].event);
	n = read_at(2, AUDIT_READ_MAX, &dropped, &next);
	check(n == 1 && recs[0].seq == 2 && next == 3, "read_from_two", n);
	n = read_at(3, AUDIT_READ_MAX, &dropped, &next);
	check(n == 0 && next == 3, "read_past_the_end_empty_next_three", n);
	n = read_at(UINT64_MAX, 1, &dropped, &next);
	check(n == 0 && next == 3, "read_from_max_u64_empty", n);
}

/* append with raw lengths (the client cuts at the bounds; a hostile writer does not). */
static int append_raw(uint16_t event, const char *u, uint32_t ul, const char *s, uint32_t sl,
		      const char *d, uint32_t dl)
{
	struct session_AuditLog_append_Params_builder p;
	int err;

	ipc_call_begin(&call);
	p = session_AuditLog_append_Params_init_root(&call.msg);
	session_AuditLog_append_Params_set_event(p, event);
	session_AuditLog_append_Params_set_user(p, u, ul);
	session_AuditLog_append_Params_set_session(p, s, sl);
	session_AuditLog_append_Params_set_detail(p, d, dl);
	err = ipc_call_run(&rt.ring, &call, log_cap, session_AuditLog_append);
	return err < 0 ? err : 0;
}

/* The newest record, read on from seq 1 to the end, into recs[0]; its seq (0: none). */
static uint64_t last_record(void)
{
	struct audit_record last = { 0 };
	uint64_t dropped, next = 1;
	int n;

	do {
		n = read_at(next, AUDIT_READ_MAX, &dropped, &next);
		if (n > 0)
			last = recs[n - 1];
	} while (n > 0);
	recs[0] = last;
	return last.seq;
}

static void check_hostile_fields(void)
{
	static char huge[4000];
	static const char evil[] = "\x1b[2J\r\nfake: loginOk root\x07\x9b\xc2\x9b";
	uint64_t before;
	int err;

	memset(huge, 'u', sizeof(huge));
	err = append_raw(session_AuditEvent_run, huge, sizeof(huge), huge, 100, huge, 1000);
	check(err == 0 && last_record() == 3 && strlen(recs[0].user) == AUDIT_USER_MAX &&
	      strlen(recs[0].session) == AUDIT_SESSION_MAX &&
	      strlen(recs[0].detail) == AUDIT_DETAIL_MAX, "over_long_fields_cut_to_32_16_200", err);
	err = append_raw(session_AuditEvent_loginFailed, "ro\x1b" "ot", 5, "s-\0x", 4, evil,
			 sizeof(evil) - 1);
	check(err == 0 && last_record() == 4, "control_bytes_accepted", err);
	check(strcmp(recs[0].user, "ro\\x1bot") == 0 && strcmp(recs[0].session, "s-\\x00x") == 0,
	      "control_bytes_in_user_and_session_escaped", 0);
	check(strcmp(recs[0].detail,
		     "\\x1b[2J\\x0d\\x0afake: loginOk root\\x07\\x9b\\xc2\\x9b") == 0 &&
	      printable(recs[0].detail), "control_bytes_in_detail_escaped", 0);
	before = last_record();
	err = append_raw(6, "root", 4, "", 0, "", 0);
	check(err == CAPOS_ERR_APPLICATION_EXCEPTION &&
	      call.exc_type == capos_CapException_Type_invalidArgument, "unknown_event_refused", err);
	err = append_raw(0xffff, "root", 4, "", 0, "", 0);
	check(err == CAPOS_ERR_APPLICATION_EXCEPTION &&
	      call.exc_type == capos_CapException_Type_invalidArgument, "event_ffff_refused", err);
	check(last_record() == before, "refused_appends_added_nothing", (long long)last_record());
}

/*
 * An append whose user pointer is a struct, not a text: the params do not
 * decode, and the call is refused before anything is stored.
 */
static void check_malformed_append(void)
{
	/* Segment table (1 segment of 6 words), root struct (1 data, 3 ptrs), user -> struct. */
	static const uint64_t msg[] = {
		0x0000000600000000ull, 0x0003000100000000ull, 1,
		0x0000000100000008ull, 0, 0, 0x4242424242424242ull,
	};
	uint64_t result[64];
	uint64_t before = last_record();
	struct capos_cqe cqe;
	int err;

	err = uring_call(&rt.ring, log_cap, session_AuditLog_append, msg, sizeof(msg), result,
			 sizeof(result), NULL, 0, &cqe);
	if (err == CAPOS_ERR_APPLICATION_EXCEPTION)
		client_keep_exception(result, cqe.written > sizeof(result) ? 0 : cqe.written);
	check(raised(err, capos_CapException_Type_invalidArgument), "malformed_append_refused",
	      err);
	check(last_record() == before, "malformed_append_added_nothing", (long long)last_record());
}

static void check_max(void)
{
	uint64_t dropped, next;
	int n;

	n = read_at(1, 0, &dropped, &next);
	check(raised(n, capos_CapException_Type_invalidArgument), "max_zero_refused", n);
	n = read_at(1, 65, &dropped, &next);
	check(raised(n, capos_CapException_Type_invalidArgument), "max_65_refused", n);
	n = read_at(1, 1, &dropped, &next);
	check(n == 1 && recs[0].seq == 1 && next == 2, "max_one_gives_one", n);
}

/* 300 records in all: 44 dropped and counted; reading from 1 starts at 45. */
static void check_bound(void)
{
	uint64_t have = last_record(), dropped = 0, next = 0, seq, expect;
	uint32_t appended = 0, total = 0;
	bool ordered = true;
	int n;

	for (uint64_t i = have; i < 300; i++)
		appended += audit_append(log_cap, session_AuditEvent_run, "op", "s-00000001",
					 "hello --flag") == 0;
	check(have + appended == 300, "three_hundred_appended", (long long)(have + appended));
	n = read_at(1, AUDIT_READ_MAX, &dropped, &next);
	check(n == AUDIT_READ_MAX && recs[0].seq == 45 && dropped == 44,
	      "read_from_1_starts_at_45_with_44_dropped", n > 0 ? (long long)recs[0].seq : n);
	/* Reading on through nextSeq gives 45..300, in order, without gaps. */
	expect = 45;
	seq = 1;
	do {
		n = read_at(seq, AUDIT_READ_MAX, &dropped, &next);
		for (int i = 0; i < n; i++)
			ordered = ordered && recs[i].seq == expect++;
		total += n > 0 ? (uint32_t)n : 0;
		seq = next;
	} while (n > 0);
	check(ordered && total == AUDIT_LOG_RECORDS && next == 301, "reading_on_gives_45_to_300",
	      total);
}

/* The largest records: a read answers fewer than max, and nextSeq goes on from there. */
static void check_large_records(void)
{
	static char big[AUDIT_DETAIL_MAX];
	uint64_t dropped, next, first;
	int n;

	memset(big, '\x1b', sizeof(big));	/* escaped, each fills its bound */
	for (uint32_t i = 0; i < AUDIT_READ_MAX; i++)
		(void)append_raw(session_AuditEvent_run, big, sizeof(big), big, sizeof(big), big,
				 sizeof(big));
	first = last_record() - AUDIT_READ_MAX + 1;
	n = read_at(first, AUDIT_READ_MAX, &dropped, &next);
	/* 48 bytes of answer and 25 records of 320 bytes fit 8 KiB; a 26th would not. */
	check(n == 25 && recs[0].seq == first && next == first + 25,
	      "large_records_fewer_per_read", n);
	check_note("largest records per read", n);
}

/* A reader facet's calls are reads; a log facet's are appends. */
static void check_facets(void)
{
	uint64_t before = last_record(), dropped, next;
	struct session_AuditReader_read_Params_builder p;
	int err;

	/* append's params on the reader facet: a read with max 0, refused. */
	err = audit_append(reader_cap, session_AuditEvent_loginOk, "mallory", "s-1", "x");
	check(raised(err, capos_CapException_Type_invalidArgument) && last_record() == before,
	      "reader_facet_cannot_append", err);
	/* read's params on the log facet: an append (of nothing); no record comes back. */
	ipc_call_begin(&call);
	p = session_AuditReader_read_Params_init_root(&call.msg);
	session_AuditReader_read_Params_set_fromSeq(p, 1);
	session_AuditReader_read_Params_set_max(p, AUDIT_READ_MAX);
	err = ipc_call_run(&rt.ring, &call, log_cap, session_AuditReader_read);
	check(err >= 0 && !session_AuditReader_read_Results_has_records(
				  session_AuditReader_read_Results_root(&call.msg)),
	      "log_facet_cannot_read", err);
	(void)read_at(1, 1, &dropped, &next);
	check_note("records after a read sent to the log facet", (long long)(last_record() - before));
}

static int spawn_audit(uint64_t log_iface, uint64_t reader_iface, capos_cap_t *handle,
		       capos_cap_t facets[4])
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	struct spawn_grant g[] = {
		{ "log", log_iface, 0, SPAWN_NEW_ENDPOINT },
		{ "reader", reader_iface, 0, SPAWN_NEW_ENDPOINT },
		{ "timer", CAPOS_IFACE_TIMER, timer, CAPOS_XFER_COPY },
		{ "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
	};

	return spawner_spawn_ep(sp, "audit", "audit", g, 4, handle, facets);
}

static void kill_service(capos_cap_t handle, const char *name)
{
	int64_t code = -1;

	check(process_kill(handle) == 0 && process_wait(handle, &code) == 0 &&
	      code == capos_ProcessHandle_exitKilled, name, code);
	(void)cap_release(handle);
}

/* Endpoints made for the other interface: each port refuses every call (unimplemented). */
static void check_swapped_wiring(void)
{
	capos_cap_t handle, facets[4];
	uint64_t dropped, next;
	uint32_t n;
	int err;

	if (!check_err(spawn_audit(session_AuditReader_TYPE_ID, session_AuditLog_TYPE_ID, &handle,
				   facets), 0, "swapped_service_spawned"))
		return;
	err = audit_append(facets[0], session_AuditEvent_loginOk, "root", "", "");
	check(raised(err, capos_CapException_Type_unimplemented), "append_on_reader_endpoint_refused",
	      err);
	err = audit_read(facets[1], 1, 1, recs, &n, &dropped, &next);
	check(raised(err, capos_CapException_Type_unimplemented), "read_on_log_endpoint_refused",
	      err);
	(void)cap_release(facets[0]);
	(void)cap_release(facets[1]);
	kill_service(handle, "swapped_service_killed");
}

int main(void)
{
	capos_cap_t handle, facets[4];

	check_init("audit-check");
	timer = rt_cap("timer", CAPOS_IFACE_TIMER);
	if (!check_err(spawn_audit(session_AuditLog_TYPE_ID, session_AuditReader_TYPE_ID, &handle,
				   facets), 0, "service_spawned"))
		return check_done();
	log_cap = facets[0];
	reader_cap = facets[1];
	check_round_trip();
	check_hostile_fields();
	check_malformed_append();
	check_max();
	check_facets();
	check_bound();
	check_large_records();
	(void)cap_release(log_cap);
	(void)cap_release(reader_cap);
	kill_service(handle, "service_killed");
	check_swapped_wiring();
	return check_done();
}
