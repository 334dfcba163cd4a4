/* SPDX-License-Identifier: MIT */
/*
 * What the owner of a terminal's foreground needs beyond terminal.h
 * (schema/capos.capnp TerminalSession): readLine with the history flag, and
 * waitInterrupt / cancelInterrupt, the calls a shell keeps in flight while
 * a foreground program runs so that Ctrl-C reaches it whatever the
 * program does. Every call uses a struct ipc_call the caller owns
 * (ipc_call.h), so a waitInterrupt can stay in flight beside other calls
 * and its CapException, if any, stays readable in the struct.
 */
#ifndef CAPOS_USER_TERMINAL_FG_H
#define CAPOS_USER_TERMINAL_FG_H

#include <stdbool.h>
#include <stddef.h>

#include <capos/cap.h>

#include "ipc_call.h"
#include "terminal.h"

/*
 * readLine(echo, history) through c: as terminal_read_line (terminal.h),
 * buf holding TERMINAL_LINE_MAX + 1 bytes. A password is read with echo and
 * history false. The call's buffers are cleared afterwards, so a password
 * stays only in buf.
 */
int terminal_read_line_with(struct ipc_call *c, capos_cap_t term, bool echo, bool history,
			    char *buf, size_t *len, enum terminal_event *ev);

/* Queues waitInterrupt() in c (sent by the next enter or wait). 0 or an error. */
int terminal_interrupt_submit(struct ipc_call *c, capos_cap_t term);

/*
 * Reads a completed waitInterrupt: status is what ipc_call_wait (or
 * ipc_call_wait_any) returned for it. 0 with *interrupted set, or an error.
 */
int terminal_interrupt_read(struct ipc_call *c, int status, bool *interrupted);

/* cancelInterrupt() through c: answers every waiting waitInterrupt with false. */
int terminal_cancel_interrupt(struct ipc_call *c, capos_cap_t term);

#endif
