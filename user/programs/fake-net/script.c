// SPDX-License-Identifier: MIT
/*
 * The scripted clients (fakenet.h), in phases, each starting once the
 * last one's connections are closed by the gateway:
 *  1. "full": telnet negotiation noise (DO ECHO, DO SGA, WILL NAWS, a NAWS
 *     subnegotiation, DO TTYPE twice, WILL LINEMODE, IAC NOP inside a
 *     word), setup of the operator (CR NUL line ends, password never
 *     echoed), caps, run "hello" (exit code 42), logout, exit: the broker
 *     ends and the gateway closes the socket. The gateway's offers come
 *     first, and each option asked for is refused once.
 *  2. "drop-login" hangs up at the username prompt; "drop-run" logs in
 *     and hangs up while run holds "spin": each shell and broker must end
 *     and the gateway close the socket.
 *  3. sixteen "idle" clients wait at the prompt; a seventeenth is told the
 *     gateway is full and closed; then the sixteen hang up.
 *  4. the listener ends; the gateway exits once its connections are gone.
 * A connection passes when its script ran to its end before the close.
 */
#include "fakenet.h"
#include "rt.h"
#include "ustring.h"

#define IAC 255
#define STEP_SEND(exp, str) { exp, FN_SEND, (const uint8_t *)(str), sizeof(str) - 1 }
#define IDLE_CONNS 16u

static const struct fn_step full[] = {
	STEP_SEND("anonymous@capos> ",
		  "\xff\xfd\x01\xff\xfd\x03\xff\xfb\x1f\xff\xfa\x1f\x00\x84\x00\x2a\xff\xf0"
		  "\xff\xfd\x18\xff\xfd\x18\xff\xfb\x22se\xff\xf1tup\r\0"),
	STEP_SEND("username> ", "op\r\n"),
	STEP_SEND("password> ", "s3cret-pw\r\0"),
	STEP_SEND("repeat> ", "s3cret-pw\n"),
	STEP_SEND("op@capos> ", "caps\r\n"),
	STEP_SEND("op@capos> ", "run \"hello\"\r\n"),
	STEP_SEND("exit code 42", ""),
	STEP_SEND("op@capos> ", "logout\r\0"),
	STEP_SEND("anonymous@capos> ", "exit\r\n"),
	{ "", FN_WAIT_CLOSE, NULL, 0 },
};

static const struct fn_step drop_login[] = {
	STEP_SEND("anonymous@capos> ", "login\r\n"),
	{ "username> ", FN_HANGUP, NULL, 0 },
	{ "", FN_WAIT_CLOSE, NULL, 0 },
};

static const struct fn_step drop_run[] = {
	STEP_SEND("anonymous@capos> ", "login\r\n"),
	STEP_SEND("username> ", "op\r\n"),
	STEP_SEND("password> ", "s3cret-pw\r\n"),
	STEP_SEND("op@capos> ", "run \"spin\"\r\n"),
	{ "run \"spin\"\r\n", FN_HANGUP, NULL, 0 },
	{ "", FN_WAIT_CLOSE, NULL, 0 },
};

static const struct fn_step idle[] = {
	{ "anonymous@capos> ", FN_HOLD, NULL, 0 },
	{ "", FN_WAIT_CLOSE, NULL, 0 },
};

static const struct fn_step refused[] = {
	{ "capOS: too many connections; try again later\r\n", FN_WAIT_CLOSE, NULL, 0 },
};

static uint32_t nconns, phase_first, phase, failures;
static bool busy;

static void add(const char *name, const struct fn_step *steps, uint32_t n)
{
	struct fn_conn *c = &fconns[nconns++];

	*c = (struct fn_conn){ .used = true, .name = name, .steps = steps, .nsteps = n };
}

static uint32_t count(const char *log, uint32_t len, const char *pat, uint32_t plen)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i + plen <= len; i++)
		k += !memcmp(log + i, pat, plen);
	return k;
}

/* What only the full session shows: the offers first, one refusal per option asked. */
static bool full_extra_ok(const struct fn_conn *c)
{
	static const char offers[] = "\xff\xfb\x01\xff\xfb\x03\xff\xfd\x1f";

	return c->log_len >= 9 && !memcmp(c->log, offers, 9) &&
	       count(c->log, c->log_len, "\xff\xfc\x18", 3) == 1 &&
	       count(c->log, c->log_len, "\xff\xfe\x22", 3) == 1 &&
	       count(c->log, c->log_len, "\xff\xfb\x01", 3) == 1 &&
	       count(c->log, c->log_len, "hello from pid", 14) == 1 &&
	       count(c->log, c->log_len, "launcher", 8) >= 1;
}

static void judge(struct fn_conn *c)
{
	bool ok = c->step == c->nsteps && !count(c->log, c->log_len, "s3cret", 6);

	if (ok && c->steps == full)
		ok = full_extra_ok(c);
	c->judged = true;
	if (ok) {
		printf("fake-net: PASS %s\n", c->name);
		return;
	}
	failures++;
	printf("fake-net: FAIL %s at step %u of %u (%u bytes written)\n", c->name, c->step,
	       c->nsteps, c->log_len);
}

/* Judges closed connections; true if every one of the phase is closed. */
static bool phase_closed(void)
{
	bool all = true;

	for (uint32_t i = phase_first; i < nconns; i++) {
		if (fconns[i].closed && !fconns[i].judged)
			judge(&fconns[i]);
		all = all && fconns[i].closed;
	}
	return all;
}

static void connect_next(void)
{
	for (uint32_t i = phase_first; i < nconns; i++)
		if (!fconns[i].accepted) {
			(void)sock_connect(&fconns[i]);
			return;
		}
}

static bool idle_all_waiting(void)
{
	for (uint32_t i = phase_first; i < phase_first + IDLE_CONNS; i++)
		if (fconns[i].step < 1)
			return false;
	return true;
}

static void next_phase(void)
{
	phase++;
	phase_first = nconns;
	switch (phase) {
	case 1:
		add("drop-login", drop_login, 3);
		add("drop-run", drop_run, 6);
		break;
	case 2:
		for (uint32_t i = 0; i < IDLE_CONNS; i++)
			add("idle", idle, 2);
		break;
	default:
		fn_end_listener();
		if (failures)
			printf("fake-net: FAIL %u connections\n", failures);
		else
			printf("fake-net: PASS all %u connections\n", nconns);
	}
}

/* Phase 2's turns: the seventeenth once the sixteen wait, then the sixteen hang up. */
static void idle_phase(void)
{
	uint32_t refused_at = phase_first + IDLE_CONNS;

	if (nconns == refused_at && idle_all_waiting())
		add("refused", refused, 1);
	if (nconns > refused_at && fconns[refused_at].closed && !fconns[phase_first].hung_up) {
		for (uint32_t i = phase_first; i < refused_at; i++)
			if (!fconns[i].hung_up)
				sock_hangup(&fconns[i]);
	}
}

void script_progress(void)
{
	if (busy || phase > 2)
		return;
	busy = true;
	if (phase == 2)
		idle_phase();
	if (phase_closed() && (phase != 2 || nconns > phase_first + IDLE_CONNS))
		next_phase();
	if (phase <= 2 && fn_accept_held())
		connect_next();
	busy = false;
}

void script_start(void)
{
	add("full", full, sizeof(full) / sizeof(full[0]));
}
