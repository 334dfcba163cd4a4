/* SPDX-License-Identifier: MIT */
/*
 * TerminalSession.readLine through a struct ipc_call the caller owns
 * (ipc_call.h), whose answer buffer is wiped once the line is copied out:
 * what the shell reads a password with, so the password stays only in the
 * caller's buffer, which it wipes in turn. terminal.h's readLine keeps its
 * last answer in static buffers shared by every terminal call.
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

#endif
