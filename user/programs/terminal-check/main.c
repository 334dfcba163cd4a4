// SPDX-License-Identifier: MIT
/*
 * terminal-check (QEMU scenario terminal-service): drives the terminal
 * service (user/programs/terminal) through TerminalSession, the way a
 * shell does, while the scenario types into COM1 (INPUT, INPUT_MORE). Each
 * phase first puts its calls in place, then writes a "phase" line through
 * the terminal itself: the terminal has served every earlier call of ours
 * by then (one endpoint, served in order), so what the scenario types on
 * seeing that line cannot race them.
 *
 *   history:   arrow keys recall earlier lines (CSI and SS3 forms), other
 *              escape sequences are ignored, a readLine without history
 *              neither browses nor joins it;
 *   held:      Ctrl-C typed while a readLine and a waitInterrupt are held
 *              answers both;
 *   idle:      Ctrl-C typed with only a waitInterrupt held answers it, takes
 *              the partial line with it, and the next line is kept;
 *   flood:     5,000 bytes typed ahead (over the terminal's 4,096) then
 *              Ctrl-C: the waiter still answers, the line after is kept;
 *   cancel:    cancelInterrupt answers every waiter false; a fifth waiter
 *              is refused (overloaded);
 *   password:  typed ahead while nobody reads, then read without echo: it
 *              never appears on COM1 (the scenario rejects it), nor in the
 *              history;
 *   close:     a second readLine while one is held is refused (failed);
 *              close answers the held readLine (end) and waitInterrupt
 *              (false); the service exits 0.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "check.h"
#include "client.h"
#include "ipc_call.h"
#include "rt.h"
#include "terminal.h"
#include "timer.h"
#include "ustring.h"

#define TYPED_AHEAD_WAIT_NS 2000000000ull	/* the password's bytes are in by then */

static capos_cap_t term;

/* A readLine submitted without waiting for it (like terminal_wait_interrupt_submit). */
struct read_call {
	uint64_t user_data;
	uint64_t params[4];
	uint64_t result[(TERMINAL_LINE_MAX + 512) / 8];
};

static int read_submit(struct read_call *rc, bool echo, bool history)
{
	uint64_t arena[4];
	struct capos_TerminalSession_readLine_Params_builder p;
	struct capnp_msg m;
	struct capos_sqe *sqe;
	size_t plen;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	p = capos_TerminalSession_readLine_Params_init_root(&m);
	capos_TerminalSession_readLine_Params_set_echo(p, echo);
	capos_TerminalSession_readLine_Params_set_history(p, history);
	if (capnp_msg_write(&m, rc->params, sizeof(rc->params), &plen) ||
	    !(sqe = uring_get_sqe(&rt.ring)))
		return CAPOS_ERR_INVALID_ARGUMENT;
	rc->user_data = uring_next_id(&rt.ring);
	*sqe = (struct capos_sqe){
		.opcode = CAPOS_OP_CALL,
		.cap_id = term,
		.user_data = rc->user_data,
		.params_addr = (uint64_t)(uintptr_t)rc->params,
		.params_len = (uint32_t)plen,
		.result_addr = (uint64_t)(uintptr_t)rc->result,
		.result_len = sizeof(rc->result),
		.method_id = capos_TerminalSession_readLine,
	};
	return 0;
}

/* Waits for rc's answer: 0 with its event (and the line in line[], NUL-ended) or an error. */
static int read_end(struct read_call *rc, enum terminal_event *ev, char *line)
{
	struct capos_TerminalSession_readLine_Results res;
	struct capos_cqe cqe;
	struct capnp_data d;
	struct capnp_msg m;
	int err = ipc_wait_id(&rt.ring, rc->user_data, CAPOS_TIMEOUT_INFINITE, &cqe);

	line[0] = '\0';
	if (err)
		return err;
	if (cqe.result < 0)
		return cqe.result;
	if (cqe.written > sizeof(rc->result) || capnp_msg_init_read(&m, rc->result, cqe.written))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	res = capos_TerminalSession_readLine_Results_root(&m);
	d = capos_TerminalSession_readLine_Results_get_line(res);
	*ev = (enum terminal_event)capos_TerminalSession_readLine_Results_get_event(res);
	if (capnp_msg_error(&m) || d.len > TERMINAL_LINE_MAX)
		return CAPOS_ERR_MALFORMED_MESSAGE;
	memcpy(line, d.ptr, d.len);
	line[d.len] = '\0';
	return 0;
}

/* Writes "terminal-check: phase NAME" through the terminal: every earlier call is in place. */
static void phase(const char *name)
{
	char text[64];

	snprintf(text, sizeof(text), "terminal-check: phase %s\n", name);
	check_err(terminal_puts(term, text), 0, "phase_line_written");
}

/* readLine(echo, history) gives a line equal to want. */
static void expect_line(bool echo, bool history, const char *want, const char *name)
{
	static char buf[TERMINAL_LINE_MAX + 1];
	enum terminal_event ev = TERMINAL_END;
	size_t len;
	int err = terminal_read_line(term, echo, history, buf, &len, &ev);

	if (!check(err == 0 && ev == TERMINAL_LINE && strcmp(buf, want) == 0, name,
		   err ? err : (long long)ev))
		printf("terminal-check: got \"%s\", wanted \"%s\"\n", buf, want);
}

static void check_history(void)
{
	/* INPUT: abc, def, up up; x, escapes, y; SS3 up up up down; secretish up; up. */
	expect_line(true, true, "abc", "first_line");
	expect_line(true, true, "def", "second_line");
	expect_line(true, true, "abc", "up_up_recalls_the_line_before_last");
	expect_line(true, true, "xy", "other_escape_sequences_ignored");
	expect_line(true, true, "abc", "ss3_arrows_browse_both_ways");
	expect_line(true, false, "secretish", "no_history_no_browsing");
	expect_line(true, true, "abc", "a_line_read_without_history_stays_out");
}

/* Ctrl-C with a readLine held: both it and a waitInterrupt answer. */
static void check_interrupt_held(void)
{
	static struct terminal_interrupt_wait w;
	static struct read_call rc;
	static char line[TERMINAL_LINE_MAX + 1];
	enum terminal_event ev = TERMINAL_LINE;
	bool interrupted = false;
	int err;

	check_err(terminal_wait_interrupt_submit(&rt.ring, term, &w), 0, "held_wait_submitted");
	check_err(read_submit(&rc, true, true), 0, "held_read_submitted");
	phase("interrupt-held");	/* INPUT_MORE: "typing" then Ctrl-C */
	err = read_end(&rc, &ev, line);
	check(err == 0 && ev == TERMINAL_INTERRUPT, "ctrl_c_answers_the_held_read_line",
	      err ? err : (long long)ev);
	err = terminal_wait_interrupt_end(&rt.ring, &w, CAPOS_TIMEOUT_INFINITE, &interrupted);
	check(err == 0 && interrupted, "ctrl_c_answers_wait_interrupt_with_a_read_held",
	      err ? err : interrupted);
}

/* Ctrl-C with no readLine: the waiter answers, the partial line goes, the next line stays. */
static void check_interrupt_idle(void)
{
	static struct terminal_interrupt_wait w;
	bool interrupted = false;
	int err;

	check_err(terminal_wait_interrupt_submit(&rt.ring, term, &w), 0, "idle_wait_submitted");
	phase("interrupt-idle");	/* INPUT_MORE: "partial", Ctrl-C, "next" */
	err = terminal_wait_interrupt_end(&rt.ring, &w, CAPOS_TIMEOUT_INFINITE, &interrupted);
	check(err == 0 && interrupted, "ctrl_c_answers_wait_interrupt_with_no_read",
	      err ? err : interrupted);
	expect_line(true, true, "next", "the_line_after_ctrl_c_is_kept");
}

/* Type-ahead past its bound: a Ctrl-C still reaches the waiter. */
static void check_flood(void)
{
	static struct terminal_interrupt_wait w;
	bool interrupted = false;
	int err;

	check_err(terminal_wait_interrupt_submit(&rt.ring, term, &w), 0, "flood_wait_submitted");
	phase("flood");	/* INPUT_MORE: 5,000 "z", Ctrl-C, "after flood" */
	err = terminal_wait_interrupt_end(&rt.ring, &w, CAPOS_TIMEOUT_INFINITE, &interrupted);
	check(err == 0 && interrupted, "ctrl_c_after_a_flood_answers_wait_interrupt",
	      err ? err : interrupted);
	expect_line(true, false, "after flood", "the_line_after_the_flood_is_kept");
}

static void check_cancel_and_overload(void)
{
	static struct terminal_interrupt_wait w[5];
	bool interrupted = true;
	int err, fifth, cancelled = 0;

	for (int i = 0; i < 5; i++)
		check_err(terminal_wait_interrupt_submit(&rt.ring, term, &w[i]), 0,
			  "wait_submitted");
	fifth = terminal_wait_interrupt_end(&rt.ring, &w[4], CAPOS_TIMEOUT_INFINITE, &interrupted);
	check(fifth == CAPOS_ERR_APPLICATION_EXCEPTION &&
	      client_exception()->type == capos_CapException_Type_overloaded,
	      "fifth_wait_interrupt_overloaded", fifth);
	check_err(terminal_cancel_interrupt(term), 0, "cancel_interrupt_answered");
	for (int i = 0; i < 4; i++) {
		interrupted = true;
		err = terminal_wait_interrupt_end(&rt.ring, &w[i], CAPOS_TIMEOUT_INFINITE,
						  &interrupted);
		cancelled += err == 0 && !interrupted;
	}
	check(cancelled == 4, "cancel_answers_every_waiter_false", cancelled);
	check_err(terminal_cancel_interrupt(term), 0, "cancel_with_no_waiter");
}

static void check_password_typed_ahead(void)
{
	capos_cap_t timer = rt_cap("timer", CAPOS_IFACE_TIMER);

	phase("password");	/* INPUT_MORE: the password, then an up arrow */
	/* Nobody reads meanwhile: the bytes wait in the terminal, not echoed. */
	check_err(timer_sleep(timer, TYPED_AHEAD_WAIT_NS), 0, "slept_while_typed_ahead");
	expect_line(false, false, "hunter2-typed-ahead", "password_typed_ahead_read");
	expect_line(true, true, "next", "password_not_in_history");	/* the newest before it */
}

static void check_close_with_calls_held(capos_cap_t handle)
{
	static struct terminal_interrupt_wait w;
	static struct read_call rc;
	static char line[TERMINAL_LINE_MAX + 1];
	enum terminal_event ev = TERMINAL_LINE;
	bool interrupted = true;
	int64_t code = -1;
	size_t len;
	int err;

	check_err(read_submit(&rc, true, true), 0, "close_read_submitted");
	check_err(terminal_wait_interrupt_submit(&rt.ring, term, &w), 0, "close_wait_submitted");
	err = terminal_read_line(term, true, true, line, &len, &ev);
	check(err == CAPOS_ERR_APPLICATION_EXCEPTION &&
	      client_exception()->type == capos_CapException_Type_failed,
	      "second_read_line_while_one_is_held_failed", err);
	phase("close");
	check_err(terminal_close(term), 0, "close_answered");
	err = read_end(&rc, &ev, line);
	check(err == 0 && ev == TERMINAL_END, "close_answers_the_held_read_line_end",
	      err ? err : (long long)ev);
	err = terminal_wait_interrupt_end(&rt.ring, &w, CAPOS_TIMEOUT_INFINITE, &interrupted);
	check(err == 0 && !interrupted, "close_answers_wait_interrupt_false",
	      err ? err : interrupted);
	check(process_wait(handle, &code) == 0 && code == 0, "terminal_exited_0", code);
}

int main(void)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	capos_cap_t serial = rt_cap("serial", CAPOS_IFACE_SERIAL_PORT);
	capos_cap_t handle, facets[3];

	check_init("terminal-check");
	struct spawn_grant g[] = {
		{ "session", CAPOS_IFACE_TERMINAL_SESSION, 0, SPAWN_NEW_ENDPOINT },
		{ "serial", CAPOS_IFACE_SERIAL_PORT, serial, CAPOS_XFER_COPY },
		{ "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
	};
	if (!check_err(spawner_spawn_ep(sp, "terminal", "terminal", g, 3, &handle, facets), 0,
		       "terminal_spawned"))
		return check_done();
	term = facets[0];
	check_err(terminal_puts(term, "terminal-check: ready\n"), 0, "ready_written");
	check_history();
	check_interrupt_held();
	check_interrupt_idle();
	check_flood();
	check_cancel_and_overload();
	check_password_typed_ahead();
	check_close_with_calls_held(handle);
	(void)cap_release(term);
	(void)cap_release(handle);
	(void)cap_release(serial);
	return check_done();
}
