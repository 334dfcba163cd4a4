/* SPDX-License-Identifier: MIT */
/*
 * The shell's line history: the last SHELL_HISTORY_ENTRIES command lines,
 * oldest dropped first, and a cursor for the terminal's previous-line and
 * next-line keys. Browsing starts from the line being typed (the draft):
 * "previous" first saves it, then shows older and older entries; "next"
 * walks back and ends on the draft, as typed. Edits made to a recalled
 * entry are not kept when the cursor moves on (readline's simple mode).
 *
 * Only command lines enter the history, never what a prompt such as
 * `password> ` reads: the line discipline (user/lib/linedisc.h) browses and
 * feeds it only for readLines that ask for history, which a password's
 * never does (TerminalSession.readLine(echo, history)).
 *
 * Fixed size (about 33 KiB), no heap, no globals: the terminal service
 * keeps one in its data. Lines are bytes, not strings: they may hold any
 * byte.
 */
#ifndef CAPOS_LIB_SHELL_HISTORY_H
#define CAPOS_LIB_SHELL_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shell/shellcmd.h"

#define SHELL_HISTORY_ENTRIES 32u

struct shell_history {
	uint32_t count;				/* entries held, <= SHELL_HISTORY_ENTRIES */
	uint32_t next;				/* the slot the next entry goes to */
	uint32_t browse;			/* 0: the draft; k: the k-th newest entry */
	uint32_t draft_len;
	uint16_t len[SHELL_HISTORY_ENTRIES];
	char draft[SHELLCMD_LINE_MAX];
	char lines[SHELL_HISTORY_ENTRIES][SHELLCMD_LINE_MAX];
};

void shell_history_init(struct shell_history *h);

/*
 * Adds line[0..len) as the newest entry and ends any browsing. A blank line,
 * a line longer than SHELLCMD_LINE_MAX, or a repeat of the newest entry is
 * not added (returns false).
 */
bool shell_history_add(struct shell_history *h, const char *line, size_t len);

/*
 * The previous (older) line into *out and *out_len, or false at the oldest.
 * When browsing starts, cur[0..cur_len) (the line being typed, at most
 * SHELLCMD_LINE_MAX bytes; cut there if longer) is saved as the draft.
 * *out stays valid until the next add.
 */
bool shell_history_prev(struct shell_history *h, const char *cur, size_t cur_len,
			const char **out, size_t *out_len);

/* The next (newer) line, the draft after the newest; false when not browsing. */
bool shell_history_next(struct shell_history *h, const char **out, size_t *out_len);

/* Ends browsing without adding (Ctrl-C, Ctrl-U): the next prev starts over. */
void shell_history_reset(struct shell_history *h);

/* The k-th newest entry (k = 1 is the newest), or false if there are fewer. */
bool shell_history_entry(const struct shell_history *h, uint32_t k, const char **out,
			 size_t *out_len);

#endif
