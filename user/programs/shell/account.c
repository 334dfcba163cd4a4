// SPDX-License-Identifier: MIT
/*
 * setup, login and logout (docs/shell.md). The name is read with echo, the
 * password without, and neither with history, so a password never enters
 * the terminal's history; the password buffers are wiped as soon as the
 * broker has answered. The broker decides everything (throttling, the
 * same `login failed` for an unknown user and a wrong password); the shell
 * only keeps the session it answers with: the user, the profile, the audit
 * tag and the bundle's capabilities by name.
 */
#include "broker_client.h"
#include "rt.h"
#include "shell.h"
#include "terminal_fg.h"

static char user_buf[TERMINAL_LINE_MAX + 1];
static char pass_buf[TERMINAL_LINE_MAX + 1];
static char repeat_buf[TERMINAL_LINE_MAX + 1];

static void account_wipe(void)
{
	memset(pass_buf, 0, sizeof(pass_buf));
	memset(repeat_buf, 0, sizeof(repeat_buf));
}

/* Prompts and reads one line into buf; false (after saying why) unless a line came. */
static bool account_ask(const char *what, const char *prompt, bool echo, char *buf, size_t *len)
{
	enum terminal_event ev;
	int err;

	shell_say("%s", prompt);
	err = terminal_read_line_with(&shell_call, sh.term, echo, false, buf, len, &ev);
	if (err) {
		shell_say("%s: the terminal failed (%s)\n", what, capos_strerror(err));
		return false;
	}
	if (ev != TERMINAL_LINE) {
		shell_say("%s%s: cancelled\n", ev == TERMINAL_END ? "\n" : "", what);
		return false;
	}
	return true;
}

/* The user name: what the broker will check; here only that one was typed. */
static bool account_ask_user(const char *what)
{
	size_t len;

	if (!account_ask(what, "username> ", true, user_buf, &len))
		return false;
	if (len == 0 || len > SHELL_USER_MAX) {
		shell_say("%s: a user name is 1 to %u bytes\n", what, SHELL_USER_MAX);
		return false;
	}
	return true;
}

static bool account_no_broker(const char *what)
{
	if (sh.broker != CAPOS_CAP_INVALID)
		return false;
	shell_say("%s: this shell has no AuthorityBroker (no accounts on this system)\n", what);
	return true;
}

static bool account_open_session(const char *what)
{
	if (sh.sess.profile == SHELLFMT_PROFILE_ANONYMOUS)
		return false;
	shell_say("%s: a session is open; logout first\n", what);
	return true;
}

static void account_started(void)
{
	shell_say("session %s: %s, profile %s\n", sh.sess.tag, sh.sess.user,
		  shellfmt_profile_name(sh.sess.profile));
}

void shell_setup(void)
{
	size_t plen, rlen;
	int err;

	if (account_no_broker("setup") || account_open_session("setup") ||
	    !account_ask_user("setup") ||
	    !account_ask("setup", "password> ", false, pass_buf, &plen) ||
	    !account_ask("setup", "repeat> ", false, repeat_buf, &rlen)) {
		account_wipe();
		return;
	}
	if (plen != rlen || memcmp(pass_buf, repeat_buf, plen) != 0) {
		account_wipe();
		shell_say("setup: the passwords do not match; no account was created\n");
		return;
	}
	err = broker_setup(&shell_call, sh.broker, user_buf, pass_buf, plen, &sh.sess);
	account_wipe();
	if (err) {
		shell_say_failure("setup", &shell_call, err);
		return;
	}
	account_started();
}

void shell_login(void)
{
	size_t plen;
	int err;

	if (account_no_broker("login") || account_open_session("login") ||
	    !account_ask_user("login") ||
	    !account_ask("login", "password> ", false, pass_buf, &plen)) {
		account_wipe();
		return;
	}
	err = broker_login(&shell_call, sh.broker, user_buf, pass_buf, plen, &sh.sess);
	account_wipe();
	if (err == CAPOS_ERR_APPLICATION_EXCEPTION && strcmp(shell_call.exc_reason,
							     "login failed") == 0)
		shell_say("login failed\n");
	else if (err)
		shell_say_failure("login failed", &shell_call, err);
	else
		account_started();
}

/* Ends the session: its jobs, the broker's session, then the bundle's caps. */
void shell_logout(void)
{
	int err;

	shell_jobs_end_all();
	err = broker_logout(&shell_call, sh.broker);
	if (err)
		shell_say_failure("logout", &shell_call, err);
	shell_say("session %s ended\n", sh.sess.tag);
	broker_bundle_release(&sh.sess);
}
