/* SPDX-License-Identifier: MIT */
/*
 * PASS/FAIL lines for test programs that run as init in a QEMU scenario
 * (tests/qemu/ipc-*): each check prints "<prog>: PASS <name>" or
 * "<prog>: FAIL <name>: <detail>", and check_done() prints the summary
 * "<prog>: PASS all <n> checks" (or "<prog>: FAIL <k> of <n> checks") and
 * gives the exit code, 0 only if every check held.
 */
#ifndef CAPOS_USER_CHECK_H
#define CAPOS_USER_CHECK_H

#include <stdbool.h>
#include <stdint.h>

/* Names the program in every line. */
void check_init(const char *prog);

/* Records one check; got is printed with a failure (as an error name if it is one). */
bool check(bool ok, const char *name, long long got);

/* Records that err == want (both CAPOS_ERR_* or 0). */
bool check_err(int err, int want, const char *name);

/* Prints a plain line "<prog>: <text>" (no check). */
void check_note(const char *text, long long v);

/* The summary line; returns 0 if every check passed, else 1. */
int check_done(void);

#endif
