// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the shell's command parser (lib/shell/shellcmd.h).
 * Besides "no crash, no read outside the line" (ASan/UBSan, on an
 * exact-size copy), every outcome must keep the parser's promises. A
 * refusal has a position within the line and a non-empty message of
 * printable ASCII. An accepted line is a command the shell can act on
 * without checking its syntax again: a known kind; for run and spawn a
 * valid binary name and at most SHELLCMD_GRANTS_MAX grants with valid,
 * unique names whose recorded positions point at them in the line; a job
 * in range; echo text no longer than the line and free of NUL. And an
 * accepted run or spawn, written back in canonical form, parses to the
 * same command. A broken promise aborts, so the fuzzer reports it as a
 * crash. The same file is linked with tests/fuzz/replay.c into a host test
 * that replays the committed corpus on every make test.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell/shellcmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_require(bool cond)
{
	if (!cond)
		abort();
}

static bool fuzz_name_ok(const char *s)
{
	size_t n = strnlen(s, SHELLCMD_NAME_MAX + 1);

	if (n == 0 || n > SHELLCMD_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-",
			    s[i]))
			return false;
	return true;
}

static void fuzz_check_error(const char *line, size_t len, const struct shellcmd_error *err)
{
	size_t n = strnlen(err->message, sizeof(err->message));
	char text[SHELLCMD_ERROR_TEXT_MAX];

	fuzz_require(n > 0 && n < sizeof(err->message));
	for (size_t i = 0; i < n; i++)
		fuzz_require(err->message[i] >= 0x20 && err->message[i] < 0x7f);
	fuzz_require(err->pos <= len && err->pos <= SHELLCMD_LINE_MAX);
	fuzz_require(shellcmd_error_format(line, len, err, text, sizeof(text)) <
		     (int)sizeof(text));
}

static void fuzz_check_grants(const char *line, size_t len, const struct shellcmd *cmd)
{
	fuzz_require(cmd->ngrants <= SHELLCMD_GRANTS_MAX);
	for (uint32_t i = 0; i < cmd->ngrants; i++) {
		const struct shellcmd_grant *g = &cmd->grants[i];
		size_t name_len = strlen(g->name), cap_len = strlen(g->cap);

		fuzz_require(fuzz_name_ok(g->name) && fuzz_name_ok(g->cap));
		fuzz_require(g->name_pos + name_len <= len &&
			     !memcmp(line + g->name_pos, g->name, name_len));
		fuzz_require(g->cap_pos + 1 + cap_len <= len && line[g->cap_pos] == '@' &&
			     !memcmp(line + g->cap_pos + 1, g->cap, cap_len));
		for (uint32_t k = 0; k < i; k++)
			fuzz_require(strcmp(cmd->grants[k].name, g->name) != 0);
	}
}

/* The packed arguments: within the limits, exactly nargs NUL-terminated strings. */
static void fuzz_check_args(const struct shellcmd *cmd)
{
	uint32_t nuls = 0;

	fuzz_require(cmd->nargs <= SHELLCMD_ARGS_MAX && cmd->args_len <= SHELLCMD_ARGS_BYTES);
	for (uint32_t i = 0; i < cmd->args_len; i++)
		nuls += cmd->args[i] == '\0';
	fuzz_require(nuls == cmd->nargs);
	fuzz_require(cmd->args_len == 0 || cmd->args[cmd->args_len - 1] == '\0');
}

/* Writes an accepted run/spawn back in canonical form and parses it again. */
static void fuzz_check_round_trip(const struct shellcmd *cmd)
{
	static char line[SHELLCMD_LINE_MAX + 1];
	static struct shellcmd again;
	struct shellcmd_error err;
	size_t n;

	n = (size_t)snprintf(line, sizeof(line), "%s \"%s\"",
			     shellcmd_info(cmd->kind)->name, cmd->binary);
	for (uint32_t i = 0; i < cmd->ngrants; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s: %s@%s",
				      i ? ", " : " with { ", cmd->grants[i].name,
				      cmd->grants[i].client ? "client " : "", cmd->grants[i].cap);
	if (cmd->ngrants)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " }");
	fuzz_require(n < sizeof(line));
	fuzz_require(shellcmd_parse(line, n, &again, &err) == 0);
	fuzz_require(again.kind == cmd->kind && !strcmp(again.binary, cmd->binary) &&
		     again.ngrants == cmd->ngrants);
	for (uint32_t i = 0; i < cmd->ngrants; i++)
		fuzz_require(!strcmp(again.grants[i].name, cmd->grants[i].name) &&
			     !strcmp(again.grants[i].cap, cmd->grants[i].cap) &&
			     again.grants[i].client == cmd->grants[i].client);
}

static void fuzz_check_command(const char *line, size_t len, const struct shellcmd *cmd)
{
	fuzz_require(len <= SHELLCMD_LINE_MAX);
	fuzz_require(cmd->kind >= SHELLCMD_EMPTY && cmd->kind < SHELLCMD_KIND_COUNT);
	fuzz_require(cmd->kind == SHELLCMD_EMPTY || shellcmd_info(cmd->kind) != NULL);
	if (cmd->kind == SHELLCMD_RUN || cmd->kind == SHELLCMD_SPAWN) {
		fuzz_require(fuzz_name_ok(cmd->binary));
		fuzz_require(cmd->binary_pos < len && line[cmd->binary_pos] == '"');
		fuzz_check_grants(line, len, cmd);
		fuzz_check_args(cmd);
		fuzz_check_round_trip(cmd);
	} else {
		fuzz_require(cmd->ngrants == 0);
	}
	if (cmd->kind == SHELLCMD_WAIT || cmd->kind == SHELLCMD_KILL)
		fuzz_require(cmd->job >= 1 && cmd->job <= SHELLCMD_JOB_MAX);
	if (cmd->kind == SHELLCMD_HELP)
		fuzz_require(cmd->topic == SHELLCMD_EMPTY || shellcmd_info(cmd->topic) != NULL);
	fuzz_require(cmd->text_len <= len && cmd->text[cmd->text_len] == '\0' &&
		     strlen(cmd->text) == cmd->text_len);
	fuzz_require(cmd->kind == SHELLCMD_ECHO || cmd->text_len == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct shellcmd cmd;
	struct shellcmd_error err;
	/* An exact-size copy, so a read past the end is caught. */
	char *line = malloc(size ? size : 1);

	if (!line)
		return 0;
	memcpy(line, data, size);
	if (shellcmd_parse(line, size, &cmd, &err) == 0)
		fuzz_check_command(line, size, &cmd);
	else
		fuzz_check_error(line, size, &err);
	free(line);
	return 0;
}
