// SPDX-License-Identifier: MIT
/*
 * Host tests of the shell's command parser (lib/shell/shellcmd.h): every
 * command, every grammar rule, and every error class with its exact text and
 * column, as the shell prints it ("error at column N: MESSAGE"). Lines are
 * passed with their exact length and no NUL, so ASan catches a read past
 * the end.
 */
#include <stdlib.h>
#include <string.h>

#include "shell/shellcmd.h"
#include "test.h"

static struct shellcmd cmd;
static char error_text[SHELLCMD_ERROR_TEXT_MAX];

/* Parses s through an exact-size heap copy; returns shellcmd_parse's result. */
static int parse_n(const char *s, size_t n)
{
	struct shellcmd_error err;
	char *copy = malloc(n ? n : 1);
	int rc;

	memcpy(copy, s, n);
	memset(&cmd, 0xa5, sizeof(cmd));
	rc = shellcmd_parse(copy, n, &cmd, &err);
	error_text[0] = '\0';
	if (rc)
		shellcmd_error_format(copy, n, &err, error_text, sizeof(error_text));
	free(copy);
	return rc;
}

static int parse(const char *s)
{
	return parse_n(s, strlen(s));
}

/* The formatted error for s, or "ok". */
static const char *error_of(const char *s)
{
	return parse(s) ? error_text : "ok";
}

TEST(shellcmd_empty_and_blank_lines_are_empty_commands)
{
	CHECK_EQ(parse(""), 0);
	CHECK_EQ(cmd.kind, SHELLCMD_EMPTY);
	CHECK_EQ(parse("   \t  "), 0);
	CHECK_EQ(cmd.kind, SHELLCMD_EMPTY);
}

TEST(shellcmd_commands_without_arguments)
{
	static const struct { const char *line; enum shellcmd_kind kind; } cases[] = {
		{ "setup", SHELLCMD_SETUP }, { "login", SHELLCMD_LOGIN },
		{ "logout", SHELLCMD_LOGOUT }, { "session", SHELLCMD_SESSION },
		{ "caps", SHELLCMD_CAPS }, { "ls", SHELLCMD_LS }, { "exit", SHELLCMD_EXIT },
		{ "audit", SHELLCMD_AUDIT }, { "help", SHELLCMD_HELP },
		{ "  \tcaps \t ", SHELLCMD_CAPS },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_EQ(parse(cases[i].line), 0);
		CHECK_EQ(cmd.kind, cases[i].kind);
		CHECK_EQ(cmd.ngrants, 0);
	}
	CHECK_EQ(cmd.topic, SHELLCMD_EMPTY);
}

TEST(shellcmd_commands_are_case_sensitive_and_suggested)
{
	CHECK_STR(error_of("CAPS"),
		  "error at column 1: unknown command 'CAPS' (did you mean 'caps'?)");
	CHECK_STR(error_of("hepl"),
		  "error at column 1: unknown command 'hepl' (did you mean 'help'?)");
	CHECK_STR(error_of("  sl"), "error at column 3: unknown command 'sl' (did you mean 'ls'?)");
	CHECK_STR(error_of("sesion"),
		  "error at column 1: unknown command 'sesion' (did you mean 'session'?)");
	CHECK_STR(error_of("frobnicate"),
		  "error at column 1: unknown command 'frobnicate'; 'help' lists the commands");
	CHECK_STR(error_of("xy"),
		  "error at column 1: unknown command 'xy'; 'help' lists the commands");
}

TEST(shellcmd_unknown_command_is_shown_safely)
{
	CHECK_STR(error_of("h\xc3\xa9llo"),
		  "error at column 1: unknown command 'h\\xc3\\xa9llo'; 'help' lists the commands");
	CHECK_STR(error_of("abcdefghijklmnopqrstuvwxyz"),
		  "error at column 1: unknown command 'abcdefghijklmnopqrst...'; "
		  "'help' lists the commands");
}

TEST(shellcmd_line_must_start_with_a_command)
{
	CHECK_STR(error_of("\"run\""), "error at column 1: expected a command, found a string");
	CHECK_STR(error_of(" { caps }"), "error at column 2: expected a command, found '{'");
	CHECK_STR(error_of("@console"), "error at column 1: expected a command, found '@console'");
}

TEST(shellcmd_no_argument_commands_refuse_arguments)
{
	CHECK_STR(error_of("caps all"), "error at column 6: 'caps' takes no arguments");
	CHECK_STR(error_of("login alice"), "error at column 7: 'login' takes no arguments");
	CHECK_STR(error_of("exit 0"), "error at column 6: 'exit' takes no arguments");
	CHECK_STR(error_of("ls,"), "error at column 3: 'ls' takes no arguments");
}

TEST(shellcmd_help_with_a_topic)
{
	CHECK_EQ(parse("help run"), 0);
	CHECK_EQ(cmd.kind, SHELLCMD_HELP);
	CHECK_EQ(cmd.topic, SHELLCMD_RUN);
	CHECK_EQ(parse("help help"), 0);
	CHECK_EQ(cmd.topic, SHELLCMD_HELP);
	CHECK_STR(error_of("help rnu"),
		  "error at column 6: no command 'rnu' (did you mean 'run'?)");
	CHECK_STR(error_of("help run spawn"),
		  "error at column 10: expected the end of the line after the command name, "
		  "found 'spawn'");
	CHECK_STR(error_of("help \"run\""),
		  "error at column 6: expected a command name or the end of "
		  "the line, found a string");
}

TEST(shellcmd_run_a_binary)
{
	CHECK_EQ(parse("run \"hello\""), 0);
	CHECK_EQ(cmd.kind, SHELLCMD_RUN);
	CHECK_STR(cmd.binary, "hello");
	CHECK_EQ(cmd.binary_pos, 4);
	CHECK_EQ(cmd.ngrants, 0);
	CHECK_EQ(parse("spawn \"ipc-echo_2.x\"  "), 0);
	CHECK_EQ(cmd.kind, SHELLCMD_SPAWN);
	CHECK_STR(cmd.binary, "ipc-echo_2.x");
	CHECK_EQ(parse("run\"hello\""), 0);	/* a string needs no space before it */
	CHECK_STR(cmd.binary, "hello");
}

TEST(shellcmd_run_with_grants)
{
	CHECK_EQ(parse("run \"chat\" with { stdio: client @stdio, "
		       "chat: client @chat, t: @timer }"), 0);
	CHECK_EQ(cmd.kind, SHELLCMD_RUN);
	CHECK_STR(cmd.binary, "chat");
	CHECK_EQ(cmd.ngrants, 3);
	CHECK_STR(cmd.grants[0].name, "stdio");
	CHECK_STR(cmd.grants[0].cap, "stdio");
	CHECK(cmd.grants[0].client);
	CHECK_EQ(cmd.grants[0].name_pos, 18);
	CHECK_EQ(cmd.grants[0].cap_pos, 32);
	CHECK_STR(cmd.grants[1].name, "chat");
	CHECK(cmd.grants[1].client);
	CHECK_STR(cmd.grants[2].name, "t");
	CHECK_STR(cmd.grants[2].cap, "timer");
	CHECK(!cmd.grants[2].client);
	CHECK_EQ(parse("spawn \"x\" with{a:@b,c:client@d}"), 0);
	CHECK_EQ(cmd.ngrants, 2);
	CHECK_STR(cmd.grants[1].cap, "d");
	CHECK(cmd.grants[1].client);
}

TEST(shellcmd_the_same_cap_may_be_granted_under_two_names)
{
	CHECK_EQ(parse("run \"x\" with { a: @log, b: client @log }"), 0);
	CHECK_EQ(cmd.ngrants, 2);
}

TEST(shellcmd_grant_names_client_and_with_are_only_keywords_in_place)
{
	CHECK_EQ(parse("run \"x\" with { client: @client, with: client @with }"), 0);
	CHECK_STR(cmd.grants[0].name, "client");
	CHECK_STR(cmd.grants[0].cap, "client");
	CHECK(!cmd.grants[0].client);
	CHECK_STR(cmd.grants[1].name, "with");
	CHECK(cmd.grants[1].client);
}

TEST(shellcmd_run_needs_a_quoted_binary)
{
	CHECK_STR(error_of("run"), "error at column 4: expected the binary's name in quotes, "
				   "found the end of the line");
	CHECK_STR(error_of("run hello"),
		  "error at column 5: the binary's name goes in quotes, as in run \"hello\"");
	CHECK_STR(error_of("spawn {"),
		  "error at column 7: expected the binary's name in quotes, found '{'");
}

TEST(shellcmd_binary_names_are_checked)
{
	CHECK_STR(error_of("run \"\""), "error at column 6: a binary name is empty");
	CHECK_STR(error_of("run \"he llo\""),
		  "error at column 8: ' ' is not allowed in a binary name (use A-Z a-z 0-9 _ . -)");
	CHECK_STR(error_of("run \"../init\""),
		  "error at column 8: '/' is not allowed in a binary name (use A-Z a-z 0-9 _ . -)");
	CHECK_STR(error_of("run \"h\xc3\xa9\""),
		  "error at column 7: byte 0xc3 is not allowed in a binary name "
		  "(use A-Z a-z 0-9 _ . -)");
	/* With escapes, bytes no longer line up: the string is blamed. */
	CHECK_STR(error_of("run \"a\\tb\""),
		  "error at column 6: byte 0x09 is not allowed in a binary name "
		  "(use A-Z a-z 0-9 _ . -)");
	CHECK_STR(error_of("run \"0123456789012345678901234567890x\""),
		  "error at column 6: a binary name is 32 bytes long; at most 31");
	CHECK_EQ(parse("run \"012345678901234567890123456789x\""), 0);
	CHECK_EQ(parse("run \"\\x68ello\""), 0);	/* escapes are decoded first */
	CHECK_STR(cmd.binary, "hello");
}

/* The i-th of cmd's packed arguments. */
static const char *arg_of(uint32_t i)
{
	const char *a = cmd.args;

	while (i--)
		a += strlen(a) + 1;
	return a;
}

TEST(shellcmd_run_and_spawn_take_quoted_arguments)
{
	CHECK_EQ(parse("run \"hello\""), 0);
	CHECK_EQ(cmd.nargs, 0);
	CHECK_EQ(parse("run \"echo-args\" \"a b\" \"c\""), 0);
	CHECK_STR(cmd.binary, "echo-args");
	CHECK_EQ(cmd.nargs, 2);
	CHECK_STR(arg_of(0), "a b");
	CHECK_STR(arg_of(1), "c");
	CHECK_EQ(cmd.args_len, 6);
	CHECK_EQ(parse("spawn \"ping\" \"\" \"\\x41\\t\\\"\" with { t: @timer }"), 0);
	CHECK_EQ(cmd.kind, SHELLCMD_SPAWN);
	CHECK_EQ(cmd.nargs, 2);
	CHECK_STR(arg_of(0), "");			/* an empty argument is kept */
	CHECK_STR(arg_of(1), "A\t\"");		/* escapes decoded */
	CHECK_EQ(cmd.ngrants, 1);
	CHECK_STR(error_of("run \"x\" \"a\\x00\""),
		  "error at column 11: '\\x00' is not allowed: strings hold no NUL");
}

TEST(shellcmd_arguments_limits_hold_exactly)
{
	char line[SHELLCMD_LINE_MAX + 1];
	int n = snprintf(line, sizeof(line), "run \"x\"");

	for (int i = 0; i < 16; i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " \"%d\"", i % 10);
	CHECK_EQ(parse(line), 0);
	CHECK_EQ(cmd.nargs, 16);
	snprintf(line + n, sizeof(line) - (size_t)n, " \"z\"");
	CHECK_STR(error_of(line), "error at column 73: at most 16 arguments");
	/* 895 bytes and its NUL: 896, the most; one byte more is refused */
	n = snprintf(line, sizeof(line), "run \"x\" \"");
	memset(line + n, 'a', 895);
	snprintf(line + n + 895, sizeof(line) - (size_t)n - 895, "\"");
	CHECK_EQ(parse(line), 0);
	CHECK_EQ(cmd.args_len, 896);
	snprintf(line + n + 895, sizeof(line) - (size_t)n - 895, "a\"");
	CHECK_STR(error_of(line), "error at column 9: the arguments take more than 896 bytes "
				  "(one more after each)");
	n = snprintf(line, sizeof(line), "run \"x\" \"\" \"");	/* 1 + 895: 897 */
	memset(line + n, 'a', 895);
	snprintf(line + n + 895, sizeof(line) - (size_t)n - 895, "\"");
	CHECK_STR(error_of(line), "error at column 12: the arguments take more than 896 bytes "
				  "(one more after each)");
}

TEST(shellcmd_after_the_binary_only_args_and_with)
{
	CHECK_STR(error_of("run \"hello\" now"),
		  "error at column 13: expected 'with' or the end of the line, found 'now'");
	CHECK_STR(error_of("run \"hello\" \"again\" now"),
		  "error at column 21: expected 'with' or the end of the line, found 'now'");
	CHECK_STR(error_of("run \"hello\" with"),
		  "error at column 17: expected '{' after 'with', found the end of the line");
	CHECK_STR(error_of("run \"hello\" with a: @b"),
		  "error at column 18: expected '{' after 'with', found 'a'");
}

TEST(shellcmd_unclosed_brace_names_its_opener)
{
	CHECK_STR(error_of("run \"x\" with {"),
		  "error at column 15: expected '}' to close '{' opened at column 14");
	CHECK_STR(error_of("run \"x\" with { a: @b"),
		  "error at column 21: expected '}' to close '{' opened at column 14");
	CHECK_STR(error_of("run \"x\" with { a: @b,  "),
		  "error at column 24: expected '}' to close '{' opened at column 14");
}

TEST(shellcmd_empty_with_is_refused)
{
	CHECK_STR(error_of("run \"x\" with { }"),
		  "error at column 16: empty 'with { }': leave out 'with' to grant nothing");
	CHECK_STR(error_of("run \"x\" with {}"),
		  "error at column 15: empty 'with { }': leave out 'with' to grant nothing");
}

TEST(shellcmd_grant_syntax_errors)
{
	CHECK_STR(error_of("run \"x\" with { @a }"),
		  "error at column 16: expected a grant name, found '@a'");
	CHECK_STR(error_of("run \"x\" with { a @b }"),
		  "error at column 18: expected ':' after the grant name, found '@b'");
	CHECK_STR(error_of("run \"x\" with { a: b }"),
		  "error at column 19: expected '@CAP' or 'client @CAP', found 'b'");
	CHECK_STR(error_of("run \"x\" with { a: client b }"),
		  "error at column 26: expected '@CAP' after 'client', found 'b'");
	CHECK_STR(error_of("run \"x\" with { a: @b c: @d }"),
		  "error at column 22: expected ',' or '}' after the grant, found 'c'");
	CHECK_STR(error_of("run \"x\" with { a: @b, }"),
		  "error at column 23: expected a grant name, found '}'");
	CHECK_STR(error_of("run \"x\" with { a: @ b }"),
		  "error at column 20: expected a capability name right after '@'");
	CHECK_STR(error_of("run \"x\" with { a: @b } extra"),
		  "error at column 24: expected the end of the line after '}', found 'extra'");
	CHECK_STR(error_of("run \"x\" with { a: @b }}"),
		  "error at column 23: expected the end of the line after '}', found '}'");
}

TEST(shellcmd_grant_names_with_invalid_characters)
{
	CHECK_STR(error_of("run \"x\" with { my$cap: @a }"),
		  "error at column 18: '$' is not allowed in a grant name (use A-Z a-z 0-9 _ . -)");
	CHECK_STR(error_of("run \"x\" with { a: @con/sole }"),
		  "error at column 23: '/' is not allowed in a capability name "
		  "(use A-Z a-z 0-9 _ . -)");
	CHECK_STR(error_of("run \"x\" with { \xc3\xa9: @a }"),
		  "error at column 16: byte 0xc3 is not allowed in a grant name "
		  "(use A-Z a-z 0-9 _ . -)");
	CHECK_STR(error_of("run \"x\" with { a: @b, 0123456789012345678901234567890x: @c }"),
		  "error at column 23: a grant name is 32 bytes long; at most 31");
	CHECK_STR(error_of("run \"x\" with { a: @0123456789012345678901234567890x }"),
		  "error at column 20: a capability name is 32 bytes long; at most 31");
}

TEST(shellcmd_duplicate_grant_name)
{
	CHECK_STR(error_of("run \"x\" with { log: @a, t: @b, log: @c }"),
		  "error at column 32: grant 'log' is named twice (first at column 16)");
}

TEST(shellcmd_grant_count_is_bounded)
{
	char line[512];
	size_t n = (size_t)snprintf(line, sizeof(line), "run \"x\" with { g0: @c");

	for (unsigned i = 1; i < SHELLCMD_GRANTS_MAX; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, ", g%u: @c", i);
	CHECK_EQ(parse_n(strcat(line, " }"), n + 2), 0);
	CHECK_EQ(cmd.ngrants, SHELLCMD_GRANTS_MAX);
	CHECK_STR(cmd.grants[SHELLCMD_GRANTS_MAX - 1].name, "g13");
	CHECK(n == 129);
	strcpy(line + n, ", extra: @c }");
	CHECK_EQ(parse(line), -1);
	CHECK_STR(error_text, "error at column 132: too many grants: at most 14");
	CHECK(strstr(line, "extra") == line + 131);
}

TEST(shellcmd_wait_and_kill_take_a_job_number)
{
	CHECK_EQ(parse("wait 1"), 0);
	CHECK_EQ(cmd.kind, SHELLCMD_WAIT);
	CHECK_EQ(cmd.job, 1);
	CHECK_EQ(parse("kill 65535"), 0);
	CHECK_EQ(cmd.kind, SHELLCMD_KILL);
	CHECK_EQ(cmd.job, 65535);
	CHECK_EQ(parse("kill 007"), 0);
	CHECK_EQ(cmd.job, 7);
	CHECK_STR(error_of("wait"),
		  "error at column 5: expected a job number (as in 'wait 1'), "
		  "found the end of the line");
	CHECK_STR(error_of("kill x1"),
		  "error at column 6: expected a job number (as in 'kill 1'), found 'x1'");
	CHECK_STR(error_of("kill -1"),
		  "error at column 6: expected a job number (as in 'kill 1'), found '-1'");
	CHECK_STR(error_of("wait 0"), "error at column 6: job numbers are 1..65535");
	CHECK_STR(error_of("wait 65536"), "error at column 6: job numbers are 1..65535");
	CHECK_STR(error_of("wait 99999999999999999999999"),
		  "error at column 6: job numbers are 1..65535");
	CHECK_STR(error_of("wait 1 2"),
		  "error at column 8: expected the end of the line after the "
		  "job number, found '2'");
}

TEST(shellcmd_echo_words_and_strings)
{
	CHECK_EQ(parse("echo"), 0);
	CHECK_EQ(cmd.kind, SHELLCMD_ECHO);
	CHECK_EQ(cmd.text_len, 0);
	CHECK_STR(cmd.text, "");
	CHECK_EQ(parse("echo   hello    world!  "), 0);
	CHECK_STR(cmd.text, "hello world!");
	CHECK_EQ(parse("echo \"a  b\" c,d: {e} @f"), 0);
	CHECK_STR(cmd.text, "a  b c,d: {e} @f");
	CHECK_EQ(parse("echo x\"y\"z"), 0);
	CHECK_STR(cmd.text, "xyz");
	CHECK_EQ(parse("echo h\xc3\xa9llo"), 0);
	CHECK_STR(cmd.text, "h\xc3\xa9llo");
	CHECK_EQ(cmd.text_len, 6);
}

TEST(shellcmd_string_escapes)
{
	CHECK_EQ(parse("echo \"q\\\" b\\\\ n\\n t\\t x\\x41\\x7e\\xff\""), 0);
	CHECK_STR(cmd.text, "q\" b\\ n\n t\t xA~\xff");
	CHECK_EQ(parse("echo \"tab\there\""), 0);	/* a raw tab is allowed */
	CHECK_STR(cmd.text, "tab\there");
}

TEST(shellcmd_bad_escapes)
{
	CHECK_STR(error_of("echo \"a\\qb\""),
		  "error at column 8: unknown escape '\\q' (known: \\\" \\\\ \\n \\t \\xHH)");
	CHECK_STR(error_of("echo \"\\x4\""),
		  "error at column 7: '\\x' needs two hex digits, as in \\x1b");
	CHECK_STR(error_of("echo \"\\xg0\""),
		  "error at column 7: '\\x' needs two hex digits, as in \\x1b");
	CHECK_STR(error_of("echo \"\\x00\""),
		  "error at column 7: '\\x00' is not allowed: strings hold no NUL");
	CHECK_STR(error_of("echo \"\\\xc3\xa9\""),
		  "error at column 7: unknown escape: '\\' before byte 0xc3");
	CHECK_STR(error_of("echo \"\\x4"),
		  "error at column 7: '\\x' needs two hex digits, as in \\x1b");
}

TEST(shellcmd_unclosed_string_names_its_opener)
{
	CHECK_STR(error_of("run \"hello"),
		  "error at column 11: expected '\"' to close the string opened at column 5");
	CHECK_STR(error_of("echo \"abc\\\""),
		  "error at column 12: expected '\"' to close the string opened at column 6");
	CHECK_STR(error_of("echo \"abc\\"),
		  "error at column 11: expected '\"' to close the string opened at column 6");
	CHECK_STR(error_of("echo \"\xc3\xa9\xc3\xa9"),
		  "error at column 9: expected '\"' to close the string opened at column 6");
}

TEST(shellcmd_control_bytes_are_refused)
{
	CHECK_STR(error_of("echo \"a\x1b[2Jb\""),
		  "error at column 8: control byte 0x1b in a string; write it as \\x1b");
	CHECK_STR(error_of("caps\r"), "error at column 5: unexpected control byte 0x0d");
	CHECK_STR(error_of("echo a\x7f"), "error at column 7: unexpected control byte 0x7f");
	CHECK_EQ(parse_n("caps\0", 5), -1);
	CHECK_STR(error_text, "error at column 5: unexpected control byte 0x00");
	CHECK_EQ(parse_n("echo \"a\0\"", 9), -1);
	CHECK_STR(error_text,
		  "error at column 8: control byte 0x00 in a string; write it as \\x00");
}

TEST(shellcmd_unexpected_characters)
{
	CHECK_STR(error_of("echo a\\b"), "error at column 7: unexpected character '\\'");
	CHECK_STR(error_of("caps @"),
		  "error at column 7: expected a capability name right after '@'");
}

TEST(shellcmd_line_length_is_bounded)
{
	static char line[SHELLCMD_LINE_MAX + 1];

	memset(line, ' ', sizeof(line));
	memcpy(line, "echo", 4);
	CHECK_EQ(parse_n(line, SHELLCMD_LINE_MAX), 0);
	CHECK_EQ(cmd.kind, SHELLCMD_ECHO);
	CHECK_EQ(parse_n(line, SHELLCMD_LINE_MAX + 1), -1);
	CHECK_STR(error_text, "error at column 1025: the line is 1025 bytes long; at most 1024");
	/* The longest echo text is the line less "echo ". */
	memset(line + 5, 'x', SHELLCMD_LINE_MAX - 5);
	CHECK_EQ(parse_n(line, SHELLCMD_LINE_MAX), 0);
	CHECK_EQ(cmd.text_len, SHELLCMD_LINE_MAX - 5);
}

TEST(shellcmd_columns_count_characters)
{
	CHECK_EQ(shellcmd_column("h\xc3\xa9llo", 6, 0), 1);
	CHECK_EQ(shellcmd_column("h\xc3\xa9llo", 6, 3), 3);
	CHECK_EQ(shellcmd_column("h\xc3\xa9llo", 6, 6), 6);
	CHECK_EQ(shellcmd_column("abc", 3, 99), 4);	/* never reads past the line */
	CHECK_STR(error_of("echo \"\xc3\xa9\" \"\\q\""),
		  "error at column 11: unknown escape '\\q' (known: \\\" \\\\ \\n \\t \\xHH)");
}

TEST(shellcmd_error_set_for_the_shells_own_errors)
{
	struct shellcmd_error err;
	char buf[SHELLCMD_ERROR_TEXT_MAX];
	const char *line = "run \"x\" with { a: @nope }";

	CHECK_EQ(parse(line), 0);
	CHECK_EQ(shellcmd_error_set(&err, cmd.grants[0].cap_pos, "no capability '%s' here",
				    cmd.grants[0].cap), -1);
	shellcmd_error_format(line, strlen(line), &err, buf, sizeof(buf));
	CHECK_STR(buf, "error at column 19: no capability 'nope' here");
	CHECK_EQ(shellcmd_error_format(line, strlen(line), &err, buf, 8), 45);
	CHECK_STR(buf, "error a");
}

TEST(shellcmd_info_covers_every_command)
{
	CHECK(shellcmd_info(SHELLCMD_EMPTY) == NULL);
	CHECK(shellcmd_info(SHELLCMD_KIND_COUNT) == NULL);
	for (int k = SHELLCMD_HELP; k < SHELLCMD_KIND_COUNT; k++) {
		const struct shellcmd_info *info = shellcmd_info((enum shellcmd_kind)k);

		CHECK(info && info->name && info->usage && info->summary);
		char line[32];

		snprintf(line, sizeof(line), "help %s", info->name);
		CHECK_EQ(parse(line), 0);
		CHECK_EQ(cmd.topic, k);
		CHECK(strncmp(info->usage, info->name, strlen(info->name)) == 0);
	}
}

int main(void)
{
	RUN(shellcmd_empty_and_blank_lines_are_empty_commands);
	RUN(shellcmd_commands_without_arguments);
	RUN(shellcmd_commands_are_case_sensitive_and_suggested);
	RUN(shellcmd_unknown_command_is_shown_safely);
	RUN(shellcmd_line_must_start_with_a_command);
	RUN(shellcmd_no_argument_commands_refuse_arguments);
	RUN(shellcmd_help_with_a_topic);
	RUN(shellcmd_run_a_binary);
	RUN(shellcmd_run_with_grants);
	RUN(shellcmd_the_same_cap_may_be_granted_under_two_names);
	RUN(shellcmd_grant_names_client_and_with_are_only_keywords_in_place);
	RUN(shellcmd_run_needs_a_quoted_binary);
	RUN(shellcmd_binary_names_are_checked);
	RUN(shellcmd_run_and_spawn_take_quoted_arguments);
	RUN(shellcmd_arguments_limits_hold_exactly);
	RUN(shellcmd_after_the_binary_only_args_and_with);
	RUN(shellcmd_unclosed_brace_names_its_opener);
	RUN(shellcmd_empty_with_is_refused);
	RUN(shellcmd_grant_syntax_errors);
	RUN(shellcmd_grant_names_with_invalid_characters);
	RUN(shellcmd_duplicate_grant_name);
	RUN(shellcmd_grant_count_is_bounded);
	RUN(shellcmd_wait_and_kill_take_a_job_number);
	RUN(shellcmd_echo_words_and_strings);
	RUN(shellcmd_string_escapes);
	RUN(shellcmd_bad_escapes);
	RUN(shellcmd_unclosed_string_names_its_opener);
	RUN(shellcmd_control_bytes_are_refused);
	RUN(shellcmd_unexpected_characters);
	RUN(shellcmd_line_length_is_bounded);
	RUN(shellcmd_columns_count_characters);
	RUN(shellcmd_error_set_for_the_shells_own_errors);
	RUN(shellcmd_info_covers_every_command);
	TEST_EXIT();
}
