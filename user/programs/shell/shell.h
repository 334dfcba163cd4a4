/* SPDX-License-Identifier: MIT */
/*
 * The shell's state and the handlers of its commands (docs/shell.md). One
 * struct shell: the capabilities it was started with, the session the
 * broker opened (its bundle) and the jobs it started. The handlers live in
 * one file per area: answer.c (dispatch, help, session, caps, echo),
 * account.c (setup, login, logout), jobs.c (run, spawn, wait, kill),
 * listing.c (ls, audit).
 */
#ifndef CAPOS_SHELL_SHELL_H
#define CAPOS_SHELL_SHELL_H

#include <stdbool.h>

#include <capos/cap.h>

#include "ipc_call.h"
#include "shell/bundle.h"
#include "shell/jobs.h"
#include "shell/shellcmd.h"

struct shell {
	capos_cap_t term;		/* "terminal": TerminalSession */
	capos_cap_t broker;		/* "broker": AuthorityBroker, or invalid */
	capos_cap_t caps;		/* "caps": CapabilityManager (its own table), or invalid */
	struct shell_bundle sess;	/* anonymous: no user, no caps */
	struct shell_jobs jobs;
	const char *line;		/* the line being answered (for error columns) */
	uint32_t line_len;
};

extern struct shell sh;

/* Buffers of one call each: the synchronous calls, and a Launcher.wait. */
extern struct ipc_call shell_call, shell_wait_call;

/* Answers cmd. False when the shell should end (exit as anonymous). */
bool shell_answer(const struct shellcmd *cmd);

/* printf to the terminal (at most 1,024 bytes a call); errors are the next read's to see. */
void shell_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "NAME: WHAT (REASON)" for a failed call: the CapException's reason or the error's name. */
void shell_say_failure(const char *what, const struct ipc_call *c, int err);

/* Prints "error at column N: ..." for err in the line being answered. */
void shell_say_error(const struct shellcmd_error *err);

/* account.c */
void shell_setup(void);
void shell_login(void);
void shell_logout(void);

/* jobs.c */
void shell_run(const struct shellcmd *cmd, bool foreground);
void shell_wait(uint32_t job);
void shell_kill(uint32_t job);
void shell_jobs_end_all(void);

/* listing.c */
void shell_ls(void);
void shell_audit(void);

/* The session's Launcher, or CAPOS_CAP_INVALID (after saying so for NAME). */
capos_cap_t shell_launcher(const char *name);

#endif
