// SPDX-License-Identifier: MIT
/*
 * Host tests of the shell's answer texts (lib/shell/shellfmt.h): the exact
 * bytes contracts.md lets scripts rely on (the prompt, `session`'s two
 * lines, `caps`' name-then-interface lines), `help`, the escaping of text
 * from outside the shell, and snprintf-style truncation.
 */
#include <string.h>

#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "session.capnp.h"
#include "shell/shellfmt.h"
#include "test.h"

static char buf[512];

TEST(shellfmt_prompt_is_user_at_capos)
{
	CHECK_EQ(shellfmt_prompt(buf, sizeof(buf), "alice"), 13);
	CHECK_STR(buf, "alice@capos> ");
	shellfmt_prompt(buf, sizeof(buf), NULL);
	CHECK_STR(buf, "anonymous@capos> ");
	shellfmt_prompt(buf, sizeof(buf), "");
	CHECK_STR(buf, "anonymous@capos> ");
}

TEST(shellfmt_session_prints_user_and_profile)
{
	shellfmt_session(buf, sizeof(buf), "alice", SHELLFMT_PROFILE_OPERATOR);
	CHECK_STR(buf, "user alice\nprofile operator\n");
	shellfmt_session(buf, sizeof(buf), "bob", SHELLFMT_PROFILE_GUEST);
	CHECK_STR(buf, "user bob\nprofile guest\n");
	shellfmt_session(buf, sizeof(buf), NULL, SHELLFMT_PROFILE_ANONYMOUS);
	CHECK_STR(buf, "user anonymous\nprofile anonymous\n");
	shellfmt_session(buf, sizeof(buf), "x", (enum shellfmt_profile)7);
	CHECK_STR(buf, "user x\nprofile unknown\n");
}

TEST(shellfmt_cap_line_is_name_then_interface)
{
	shellfmt_cap_line(buf, sizeof(buf), "console", CAPOS_IFACE_CONSOLE);
	CHECK_STR(buf, "console         Console\n");
	shellfmt_cap_line(buf, sizeof(buf), "timer", CAPOS_IFACE_TIMER);
	CHECK_STR(buf, "timer           Timer\n");
	shellfmt_cap_line(buf, sizeof(buf), "a-very-long-cap-name", CAPOS_IFACE_VIRTUAL_MEMORY);
	CHECK_STR(buf, "a-very-long-cap-name VirtualMemory\n");
	shellfmt_cap_line(buf, sizeof(buf), "exactly16bytes..", CAPOS_IFACE_REVOKER);
	CHECK_STR(buf, "exactly16bytes.. Revoker\n");
	shellfmt_cap_line(buf, sizeof(buf), "chat", 0x0123456789abcdefull);
	CHECK_STR(buf, "chat            0x0123456789abcdef\n");
	shellfmt_cap_line(buf, sizeof(buf), "terminal", CAPOS_IFACE_TERMINAL_SESSION);
	CHECK_STR(buf, "terminal        TerminalSession\n");
}

TEST(shellfmt_knows_every_kernel_interface)
{
	static const uint64_t ids[] = {
		CAPOS_IFACE_CONSOLE, CAPOS_IFACE_BOOT_PACKAGE, CAPOS_IFACE_PROCESS_SPAWNER,
		CAPOS_IFACE_PROCESS_HANDLE, CAPOS_IFACE_ENDPOINT, CAPOS_IFACE_ENDPOINT_FACTORY,
		CAPOS_IFACE_CAPABILITY_MANAGER, CAPOS_IFACE_VIRTUAL_MEMORY, CAPOS_IFACE_TIMER,
		CAPOS_IFACE_ENTROPY_SOURCE, CAPOS_IFACE_REVOKER, CAPOS_IFACE_MEMORY_OBJECT_FACTORY,
		CAPOS_IFACE_MEMORY_OBJECT, CAPOS_IFACE_SERIAL_PORT, CAPOS_IFACE_TERMINAL_SESSION,
	};

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		CHECK(shellfmt_interface_name(ids[i]) != NULL);
	CHECK_STR(shellfmt_interface_name(CAPOS_IFACE_ENTROPY_SOURCE), "EntropySource");
	CHECK(shellfmt_interface_name(0) == NULL);
}

TEST(shellfmt_escapes_control_bytes_from_outside)
{
	shellfmt_prompt(buf, sizeof(buf), "ev\x1b[2Jil\n");
	CHECK_STR(buf, "ev\\x1b[2Jil\\x0a@capos> ");
	shellfmt_session(buf, sizeof(buf), "a\x7f", SHELLFMT_PROFILE_GUEST);
	CHECK_STR(buf, "user a\\x7f\nprofile guest\n");
	shellfmt_cap_line(buf, sizeof(buf), "\rx", CAPOS_IFACE_TIMER);
	CHECK_STR(buf, "\\x0dx           Timer\n");
	shellfmt_prompt(buf, sizeof(buf), "h\xc3\xa9");	/* UTF-8 passes */
	CHECK_STR(buf, "h\xc3\xa9@capos> ");
}

TEST(shellfmt_help_lists_and_explains)
{
	shellfmt_help_line(buf, sizeof(buf), SHELLCMD_CAPS);
	CHECK_STR(buf, "  caps    list the session's capabilities: name, interface\n");
	shellfmt_help_line(buf, sizeof(buf), SHELLCMD_SESSION);
	CHECK_STR(buf, "  session show the session's user and profile\n");
	shellfmt_help_topic(buf, sizeof(buf), SHELLCMD_RUN);
	CHECK_STR(buf, "usage: run \"BINARY\" [\"ARG\"...] [with { NAME: [client] @CAP, ... }]\n"
		       "run a program with its terminal and the named caps; wait for it\n");
	CHECK_EQ(shellfmt_help_line(buf, sizeof(buf), SHELLCMD_EMPTY), 0);
	CHECK_STR(buf, "");
	for (int k = SHELLCMD_HELP; k < SHELLCMD_KIND_COUNT; k++) {
		int n = shellfmt_help_line(buf, sizeof(buf), (enum shellcmd_kind)k);

		CHECK(n > 10 && n < 80 && buf[n - 1] == '\n');
	}
}

TEST(shellfmt_truncates_like_snprintf)
{
	char small[8];

	memset(small, 'z', sizeof(small));
	CHECK_EQ(shellfmt_prompt(small, sizeof(small), "alice"), 13);
	CHECK_STR(small, "alice@c");
	CHECK_EQ(shellfmt_cap_line(small, 1, "console", CAPOS_IFACE_CONSOLE), 24);
	CHECK_STR(small, "");
	CHECK_EQ(shellfmt_session(NULL, 0, "alice", SHELLFMT_PROFILE_GUEST), 25);
}

TEST(shellfmt_job_end_says_how_a_job_ended)
{
	shellfmt_job_end(buf, sizeof(buf), 1, "hello", 42);
	CHECK_STR(buf, "[job 1] hello: exit code 42\n");
	shellfmt_job_end(buf, sizeof(buf), 65535, "spin", SHELLFMT_EXIT_KILLED);
	CHECK_STR(buf, "[job 65535] spin: killed\n");
	shellfmt_job_end(buf, sizeof(buf), 3, "fault-pf", SHELLFMT_EXIT_FAULT);
	CHECK_STR(buf, "[job 3] fault-pf: ended by a fault\n");
	shellfmt_job_end(buf, sizeof(buf), 4, "x", 0);
	CHECK_STR(buf, "[job 4] x: exit code 0\n");
	shellfmt_job_end(buf, sizeof(buf), 5, "x", -7);
	CHECK_STR(buf, "[job 5] x: exit code -7\n");
	shellfmt_job_end(buf, sizeof(buf), 6, "x", INT64_MIN);
	CHECK_STR(buf, "[job 6] x: exit code -9223372036854775808\n");
	CHECK_EQ(SHELLFMT_EXIT_KILLED, capos_ProcessHandle_exitKilled);
	CHECK_EQ(SHELLFMT_EXIT_FAULT, capos_ProcessHandle_exitFault);
}

TEST(shellfmt_audit_line_is_one_record)
{
	shellfmt_audit_line(buf, sizeof(buf), 1, 1234567890ull, session_AuditEvent_setup, "alice",
			    "s-0123abcd", "");
	CHECK_STR(buf, "1 1.234s setup alice s-0123abcd -\n");
	shellfmt_audit_line(buf, sizeof(buf), 12, 5000000ull, session_AuditEvent_run, "bob",
			    "s-ffffffff", "hello t timer");
	CHECK_STR(buf, "12 0.005s run bob s-ffffffff hello t timer\n");
	shellfmt_audit_line(buf, sizeof(buf), 3, 0, session_AuditEvent_loginFailed,
			    "ev\x1b[2Jil", NULL, NULL);
	CHECK_STR(buf, "3 0.000s loginFailed ev\\x1b[2Jil - -\n");
	shellfmt_audit_line(buf, sizeof(buf), 4, 0, 9, "", "", "");
	CHECK_STR(buf, "4 0.000s event9 - - -\n");
	CHECK_STR(shellfmt_audit_event_name(session_AuditEvent_loginOk), "loginOk");
	CHECK_STR(shellfmt_audit_event_name(session_AuditEvent_logout), "logout");
	CHECK_STR(shellfmt_audit_event_name(session_AuditEvent_refused), "refused");
	CHECK(shellfmt_audit_event_name(6) == NULL);
}

TEST(shellfmt_knows_the_session_interfaces)
{
	CHECK_STR(shellfmt_interface_name(session_AuthorityBroker_TYPE_ID), "AuthorityBroker");
	CHECK_STR(shellfmt_interface_name(session_Launcher_TYPE_ID), "Launcher");
	CHECK_STR(shellfmt_interface_name(session_SessionManager_TYPE_ID), "SessionManager");
	CHECK_STR(shellfmt_interface_name(session_AuditLog_TYPE_ID), "AuditLog");
	CHECK_STR(shellfmt_interface_name(session_AuditReader_TYPE_ID), "AuditReader");
	shellfmt_cap_line(buf, sizeof(buf), "launcher", session_Launcher_TYPE_ID);
	CHECK_STR(buf, "launcher        Launcher\n");
}

int main(void)
{
	RUN(shellfmt_prompt_is_user_at_capos);
	RUN(shellfmt_session_prints_user_and_profile);
	RUN(shellfmt_cap_line_is_name_then_interface);
	RUN(shellfmt_knows_every_kernel_interface);
	RUN(shellfmt_escapes_control_bytes_from_outside);
	RUN(shellfmt_help_lists_and_explains);
	RUN(shellfmt_truncates_like_snprintf);
	RUN(shellfmt_job_end_says_how_a_job_ended);
	RUN(shellfmt_audit_line_is_one_record);
	RUN(shellfmt_knows_the_session_interfaces);
	TEST_EXIT();
}
