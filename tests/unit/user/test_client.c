// SPDX-License-Identifier: MIT
/*
 * Typed clients (user/lib/client.c) and buffered printf (user/lib/print.c)
 * against the simulated kernel, whose CALL hook plays Console,
 * TerminalSession (write), BootPackage, ProcessSpawner and ProcessHandle: it decodes the params with the generated
 * readers and answers with messages built by the generated builders, transfer
 * records and CapExceptions, as docs/ring.md lays them out. print.c is built
 * with its libc names renamed (up_printf, ...) so the harness keeps libc's.
 */
#include <capos/errors.h>

#include "../test.h"
#include "capos.capnp.h"
#include "client.h"
#include "fake_kernel.h"
#include "terminal.h"

int up_printf(const char *fmt, ...) __attribute__((format(__printf__, 1, 2)));
int up_puts(const char *s);
int print_flush(void);
void print_set_console(capos_cap_t con);
void print_set_terminal(capos_cap_t term);

#define TCL_CONSOLE 0x10001u
#define TCL_TERMINAL 0x10003u
#define TCL_SPAWNER 0x10002u
#define TCL_HANDLE 0x20005u

/* What the fake objects saw and will answer. */
static struct {
	unsigned calls;
	uint16_t method;
	char data[16384];		/* Console bytes, concatenated */
	size_t data_len;
	unsigned writes;		/* Console.write calls */
	char term_data[16384];		/* TerminalSession.write bytes, concatenated */
	size_t term_len;
	unsigned term_writes;		/* TerminalSession.write calls */
	char spawn_binary[32];
	uint32_t ngrants;
	char grant_name[32];
	uint64_t grant_iface;
	uint16_t grant_transfer;
	struct capos_xfer xfer0;
	uint64_t handle_iface;		/* interface of the ProcessHandle record */
	int64_t exit_code;
	int raise;			/* answer with a CapException */
	int garbage;			/* answer with bytes that are no message */
} tcl;

static struct capnp_msg tcl_in, tcl_out;
static uint64_t tcl_arena[1024];

/* Frames the message built in tcl_out into the SQE's result buffer. */
static void tcl_answer(const struct capos_sqe *s, struct capos_cqe *c)
{
	size_t n = 0;

	if (capnp_msg_write(&tcl_out, (void *)(uintptr_t)s->result_addr, s->result_len, &n)) {
		c->result = CAPOS_ERR_RESULT_TOO_SMALL;
		return;
	}
	c->written = (uint32_t)n;
	c->result = tcl.raise ? CAPOS_ERR_APPLICATION_EXCEPTION : (int32_t)n;
}

static void tcl_console(const struct capos_sqe *s)
{
	struct capnp_data d;
	struct capnp_text t;

	if (s->method_id == capos_Console_write) {
		d = capos_Console_write_Params_get_data(capos_Console_write_Params_root(&tcl_in));
		memcpy(tcl.data + tcl.data_len, d.ptr, d.len);
		tcl.data_len += d.len;
		tcl.writes++;
	} else {
		t = capos_Console_writeLine_Params_get_text(
			capos_Console_writeLine_Params_root(&tcl_in));
		memcpy(tcl.data + tcl.data_len, t.str, t.len);
		tcl.data_len += t.len;
		tcl.data[tcl.data_len++] = '\n';
	}
	capos_Console_write_Results_init_root(&tcl_out);
}

static void tcl_terminal(const struct capos_sqe *s)
{
	struct capnp_data d;

	if (s->method_id == capos_TerminalSession_write) {
		d = capos_TerminalSession_write_Params_get_data(
			capos_TerminalSession_write_Params_root(&tcl_in));
		memcpy(tcl.term_data + tcl.term_len, d.ptr, d.len);
		tcl.term_len += d.len;
		tcl.term_writes++;
	}
	capos_TerminalSession_write_Results_init_root(&tcl_out);
}

static void tcl_spawn(const struct capos_sqe *s, struct capos_cqe *c)
{
	struct capos_ProcessSpawner_spawn_Params p = capos_ProcessSpawner_spawn_Params_root(&tcl_in);
	struct capos_CapGrant__list g = capos_ProcessSpawner_spawn_Params_get_grants(p);
	struct capos_xfer_result *rec;
	size_t n = 0;

	snprintf(tcl.spawn_binary, sizeof(tcl.spawn_binary), "%s",
		 capos_ProcessSpawner_spawn_Params_get_binary(p).str);
	tcl.ngrants = capos_CapGrant__list_len(g);
	if (tcl.ngrants) {
		struct capos_CapGrant g0 = capos_CapGrant__list_get(g, 0);

		snprintf(tcl.grant_name, sizeof(tcl.grant_name), "%s",
			 capos_CapGrant_get_name(g0).str);
		tcl.grant_iface = capos_CapGrant_get_interfaceId(g0);
		tcl.grant_transfer = capos_CapGrant_source_get_transfer(
			capos_CapGrant_get_source(g0));
		memcpy(&tcl.xfer0, (void *)(uintptr_t)s->xfer_addr, sizeof(tcl.xfer0));
	}
	capos_ProcessSpawner_spawn_Results_set_handleIndex(
		capos_ProcessSpawner_spawn_Results_init_root(&tcl_out), 1);
	tcl_answer(s, c);
	/* Two records; the handle is the second. */
	rec = (struct capos_xfer_result *)((uint8_t *)(uintptr_t)s->result_addr +
					   ((c->written + 7u) & ~7u));
	rec[0] = (struct capos_xfer_result){ .cap_id = 0x30001, .interface_id = 77 };
	rec[1] = (struct capos_xfer_result){ .cap_id = TCL_HANDLE,
					     .interface_id = tcl.handle_iface };
	c->flags = CAPOS_CQE_F_XFER;
	c->xfer_count = 2;
	(void)n;
}

/* BootPackage.read of the 10-byte binary "0123456789" (any name). */
static void tcl_read(struct capnp_msg *out)
{
	struct capos_BootPackage_read_Params p = capos_BootPackage_read_Params_root(&tcl_in);
	uint64_t off = capos_BootPackage_read_Params_get_offset(p);
	uint32_t max = capos_BootPackage_read_Params_get_maxBytes(p);
	uint32_t n = off >= 10 ? 0 : (uint32_t)(10 - off);

	snprintf(tcl.spawn_binary, sizeof(tcl.spawn_binary), "%s",
		 capos_BootPackage_read_Params_get_name(p).str);
	n = n < max ? n : max;
	capos_BootPackage_read_Results_set_data(capos_BootPackage_read_Results_init_root(out),
						"0123456789" + (off < 10 ? off : 10), n);
}

static void tcl_call(const struct capos_sqe *s, struct capos_cqe *c)
{
	tcl.calls++;
	tcl.method = s->method_id;
	capnp_msg_init_read(&tcl_in, (void *)(uintptr_t)s->params_addr, s->params_len);
	capnp_msg_init_build(&tcl_out, tcl_arena, sizeof(tcl_arena));
	if (tcl.garbage) {
		memset((void *)(uintptr_t)s->result_addr, 0xff, 16);
		c->written = 16;
		c->result = 16;
		return;
	}
	if (tcl.raise) {
		struct capos_CapException_builder e = capos_CapException_init_root(&tcl_out);

		capos_CapException_set_type(e, capos_CapException_Type_invalidArgument);
		capos_CapException_set_reason(e, "no binary named nope", 20);
	} else if (s->cap_id == TCL_CONSOLE) {
		tcl_console(s);
	} else if (s->cap_id == TCL_TERMINAL) {
		tcl_terminal(s);
	} else if (s->cap_id == TCL_SPAWNER) {
		tcl_spawn(s, c);
		return;
	} else if (s->cap_id == TCL_HANDLE && s->method_id == capos_ProcessHandle_kill) {
		capos_ProcessHandle_kill_Results_init_root(&tcl_out);
	} else if (s->cap_id >= TCL_HANDLE && s->cap_id < TCL_HANDLE + 8) {
		/* Handle TCL_HANDLE + i: a child that exits with exit_code + i. */
		capos_ProcessHandle_wait_Results_set_exitCode(
			capos_ProcessHandle_wait_Results_init_root(&tcl_out),
			tcl.exit_code + (s->cap_id - TCL_HANDLE));
	} else if (s->method_id == capos_BootPackage_read) {
		tcl_read(&tcl_out);
	} else {
		struct capos_BootPackage_BinaryInfo__list_builder l;

		l = capos_BootPackage_list_Results_init_binaries(
			capos_BootPackage_list_Results_init_root(&tcl_out), 2);
		capos_BootPackage_BinaryInfo_set_name(capos_BootPackage_BinaryInfo__list_build(l, 0),
						      "init", 4);
		capos_BootPackage_BinaryInfo_set_size(capos_BootPackage_BinaryInfo__list_build(l, 0),
						      1234);
		capos_BootPackage_BinaryInfo_set_name(capos_BootPackage_BinaryInfo__list_build(l, 1),
						      "hello", 5);
	}
	tcl_answer(s, c);
}

static struct uring tcl_ring;

static void tcl_setup(void)
{
	memset(&tcl, 0, sizeof(tcl));
	tcl.handle_iface = CAPOS_IFACE_PROCESS_HANDLE;
	fk_reset(0);
	fk.call = tcl_call;
	uring_stash_free(&tcl_ring);	/* uring_init starts an empty stash */
	if (uring_init(&tcl_ring, fk_ring_addr()))
		abort();
	client_ring = &tcl_ring;
}

TEST(console_write_sends_the_bytes)
{
	tcl_setup();
	CHECK_EQ(console_write(TCL_CONSOLE, "abc\0def", 7), 0);
	CHECK_EQ(tcl.method, capos_Console_write);
	CHECK_EQ(tcl.data_len, 7);
	CHECK(memcmp(tcl.data, "abc\0def", 7) == 0);
	CHECK_EQ(fk.last.opcode, CAPOS_OP_CALL);
	CHECK_EQ(fk.last.cap_id, TCL_CONSOLE);
	CHECK_EQ(fk.last.params_addr % 8, 0);
	CHECK_EQ(fk.last.result_addr % 8, 0);
}

TEST(console_write_splits_at_the_schema_limit)
{
	static char big[10000];
	size_t i;

	tcl_setup();
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	CHECK_EQ(console_write(TCL_CONSOLE, big, sizeof(big)), 0);
	CHECK_EQ(tcl.writes, 3);
	CHECK_EQ(tcl.data_len, sizeof(big));
	CHECK(memcmp(tcl.data, big, sizeof(big)) == 0);
}

TEST(console_write_line_uses_write_line)
{
	tcl_setup();
	CHECK_EQ(console_write_line(TCL_CONSOLE, "hi there"), 0);
	CHECK_EQ(tcl.method, capos_Console_writeLine);
	CHECK_EQ(tcl.data_len, 9);
	CHECK(memcmp(tcl.data, "hi there\n", 9) == 0);
}

TEST(spawn_sends_grants_and_adopts_the_handle_record)
{
	struct spawn_grant g = { "console", CAPOS_IFACE_CONSOLE, TCL_CONSOLE, 0 };
	capos_cap_t h = 0;

	tcl_setup();
	CHECK_EQ(spawner_spawn(TCL_SPAWNER, "hello", "hello", &g, 1, &h), 0);
	CHECK_EQ(h, TCL_HANDLE);
	CHECK_STR(tcl.spawn_binary, "hello");
	CHECK_EQ(tcl.ngrants, 1);
	CHECK_STR(tcl.grant_name, "console");
	CHECK(tcl.grant_iface == CAPOS_IFACE_CONSOLE);
	CHECK_EQ(tcl.grant_transfer, 0);
	CHECK_EQ(fk.last.xfer_count, 1);
	CHECK_EQ(tcl.xfer0.cap_id, TCL_CONSOLE);
	CHECK_EQ(tcl.xfer0.mode, CAPOS_XFER_COPY);
	CHECK_EQ(tcl.xfer0.scope | tcl.xfer0.flags | tcl.xfer0.reserved1, 0);
}

TEST(spawn_refuses_a_handle_of_the_wrong_interface)
{
	capos_cap_t h = 0;

	tcl_setup();
	tcl.handle_iface = CAPOS_IFACE_CONSOLE;
	CHECK_EQ(spawner_spawn(TCL_SPAWNER, "x", "x", NULL, 0, &h), CAPOS_ERR_WRONG_INTERFACE);
	CHECK_EQ(h, 0);
	CHECK_EQ(spawner_spawn(TCL_SPAWNER, "x", "x", NULL, CAPOS_XFER_MAX + 1, &h),
		 CAPOS_ERR_TOO_LARGE);
}

TEST(wait_returns_the_exit_code)
{
	int64_t code = 0;

	tcl_setup();
	tcl.exit_code = -1;
	CHECK_EQ(process_wait(TCL_HANDLE, &code), 0);
	CHECK_EQ(code, -1);
	tcl.exit_code = 42;
	CHECK_EQ(process_wait(TCL_HANDLE, &code), 0);
	CHECK_EQ(code, 42);
}

TEST(waits_in_flight_at_once_each_get_their_own_code)
{
	static struct process_wait w[4];
	struct capos_cqe cqe;
	int64_t code = 0;
	int i, found = 0;

	tcl_setup();
	tcl.exit_code = 10;
	for (i = 0; i < 4; i++)
		CHECK_EQ(process_wait_submit(&tcl_ring, TCL_HANDLE + (capos_cap_t)i, &w[i]), 0);
	CHECK_EQ(tcl.calls, 0);	/* queued, not sent */
	for (i = 3; i >= 1; i--) {	/* ended out of order: the others wait in the stash */
		CHECK_EQ(process_wait_end(&tcl_ring, &w[i], CAPOS_TIMEOUT_INFINITE, &code), 0);
		CHECK_EQ(code, 10 + i);
		CHECK_EQ(w[i].cqe.user_data, w[i].user_data);
	}
	/* A loop that reaps for itself finds the last one by its user_data. */
	while (uring_reap(&tcl_ring, &cqe))
		if (process_wait_is(&w[0], &cqe) && process_wait_decode(&w[0], &cqe, &code) == 0)
			found++;
	CHECK_EQ(found, 1);
	CHECK_EQ(code, 10);
	CHECK_EQ(tcl.calls, 4);
	CHECK_EQ(tcl.method, capos_ProcessHandle_wait);
}

TEST(wait_exception_reaches_client_exception)
{
	static struct process_wait w;
	int64_t code = 77;

	tcl_setup();
	tcl.raise = 1;
	CHECK_EQ(process_wait_submit(&tcl_ring, TCL_HANDLE, &w), 0);
	CHECK_EQ(process_wait_end(&tcl_ring, &w, CAPOS_TIMEOUT_INFINITE, &code),
		 CAPOS_ERR_APPLICATION_EXCEPTION);
	CHECK_EQ(code, 77);
	CHECK_EQ(client_exception()->type, capos_CapException_Type_invalidArgument);
	CHECK_STR(client_exception()->reason, "no binary named nope");
}

TEST(exception_is_decoded_for_the_caller)
{
	capos_cap_t h;

	tcl_setup();
	tcl.raise = 1;
	CHECK_EQ(spawner_spawn(TCL_SPAWNER, "nope", "nope", NULL, 0, &h),
		 CAPOS_ERR_APPLICATION_EXCEPTION);
	CHECK_EQ(client_exception()->type, capos_CapException_Type_invalidArgument);
	CHECK_STR(client_exception()->reason, "no binary named nope");
}

TEST(garbage_answer_is_malformed)
{
	int64_t code;

	tcl_setup();
	tcl.garbage = 1;
	CHECK_EQ(process_wait(TCL_HANDLE, &code), CAPOS_ERR_MALFORMED_MESSAGE);
}

TEST(bootpkg_list_copies_names_and_sizes)
{
	struct bootpkg_entry e[1];

	tcl_setup();
	CHECK_EQ(bootpkg_list(0x10009, e, 1), 2);
	CHECK_STR(e[0].name, "init");
	CHECK_EQ(e[0].size, 1234);
}

TEST(bootpkg_read_copies_the_bytes_asked_for)
{
	char buf[16] = { 0 };

	tcl_setup();
	CHECK_EQ(bootpkg_read(0x10009, "hello", 3, buf, 4), 4);
	CHECK_EQ(tcl.method, capos_BootPackage_read);
	CHECK_STR(tcl.spawn_binary, "hello");
	CHECK(memcmp(buf, "3456", 4) == 0);
	CHECK_EQ(bootpkg_read(0x10009, "hello", 8, buf, 16), 2);
	CHECK_EQ(bootpkg_read(0x10009, "hello", 10, buf, 16), 0);
}

TEST(kill_calls_the_kill_method)
{
	tcl_setup();
	CHECK_EQ(process_kill(TCL_HANDLE), 0);
	CHECK_EQ(tcl.method, capos_ProcessHandle_kill);
	CHECK_EQ(fk.last.cap_id, TCL_HANDLE);
}

TEST(release_puts_a_release_sqe)
{
	tcl_setup();
	CHECK_EQ(cap_release(TCL_HANDLE), 0);
	CHECK_EQ(fk.last.opcode, CAPOS_OP_RELEASE);
	CHECK_EQ(fk.last.cap_id, TCL_HANDLE);
}

TEST(printf_sends_whole_lines_in_one_write)
{
	tcl_setup();
	print_set_console(TCL_CONSOLE);
	up_printf("a=%d ", 5);
	CHECK_EQ(tcl.writes, 0);
	up_printf("b=%s\nc", "x");
	CHECK_EQ(tcl.writes, 1);
	CHECK_EQ(tcl.data_len, 9);
	CHECK(memcmp(tcl.data, "a=5 b=x\nc", 9) == 0);
	up_puts("");
	CHECK_EQ(tcl.writes, 2);
	CHECK(memcmp(tcl.data + 9, "\n", 1) == 0);
	CHECK_EQ(print_flush(), 0);
	CHECK_EQ(tcl.writes, 2);
}

TEST(printf_flushes_a_full_buffer)
{
	int i;

	tcl_setup();
	print_set_console(TCL_CONSOLE);
	for (i = 0; i < 300; i++)
		up_printf("%04d", i);
	CHECK_EQ(tcl.writes, 1);
	CHECK_EQ(tcl.data_len, 1024);
	CHECK_EQ(print_flush(), 0);
	CHECK_EQ(tcl.data_len, 1200);
	CHECK(memcmp(tcl.data + 1196, "0299", 4) == 0);
}

TEST(printf_without_a_console_writes_to_the_terminal)
{
	tcl_setup();
	print_set_console(CAPOS_CAP_INVALID);
	print_set_terminal(TCL_TERMINAL);
	up_printf("hello from pid %d\n", 7);
	CHECK_EQ(tcl.writes, 0);
	CHECK_EQ(tcl.term_writes, 1);
	CHECK_EQ(fk.last.cap_id, TCL_TERMINAL);
	CHECK_EQ(tcl.method, capos_TerminalSession_write);
	CHECK_EQ(tcl.term_len, 17);
	CHECK(memcmp(tcl.term_data, "hello from pid 7\n", 17) == 0);
	print_set_terminal(CAPOS_CAP_INVALID);
}

TEST(printf_prefers_the_console_to_the_terminal)
{
	tcl_setup();
	print_set_console(TCL_CONSOLE);
	print_set_terminal(TCL_TERMINAL);
	up_puts("to the log");
	CHECK_EQ(tcl.writes, 1);
	CHECK_EQ(tcl.term_writes, 0);
	CHECK(memcmp(tcl.data, "to the log\n", 11) == 0);
	print_set_terminal(CAPOS_CAP_INVALID);
}

TEST(printf_with_neither_drops_the_output)
{
	tcl_setup();
	print_set_console(CAPOS_CAP_INVALID);
	print_set_terminal(CAPOS_CAP_INVALID);
	up_puts("nowhere");
	CHECK_EQ(tcl.calls, 0);
	CHECK_EQ(print_flush(), 0);
}

TEST(terminal_write_splits_at_the_schema_limit)
{
	static char big[TERMINAL_WRITE_MAX + 100];

	tcl_setup();
	memset(big, 'x', sizeof(big));
	CHECK_EQ(terminal_write(TCL_TERMINAL, big, sizeof(big)), 0);
	CHECK_EQ(tcl.term_writes, 2);
	CHECK_EQ(tcl.term_len, sizeof(big));
}

int main(void)
{
	RUN(console_write_sends_the_bytes);
	RUN(console_write_splits_at_the_schema_limit);
	RUN(console_write_line_uses_write_line);
	RUN(spawn_sends_grants_and_adopts_the_handle_record);
	RUN(spawn_refuses_a_handle_of_the_wrong_interface);
	RUN(wait_returns_the_exit_code);
	RUN(waits_in_flight_at_once_each_get_their_own_code);
	RUN(wait_exception_reaches_client_exception);
	RUN(exception_is_decoded_for_the_caller);
	RUN(garbage_answer_is_malformed);
	RUN(bootpkg_list_copies_names_and_sizes);
	RUN(bootpkg_read_copies_the_bytes_asked_for);
	RUN(kill_calls_the_kill_method);
	RUN(release_puts_a_release_sqe);
	RUN(printf_sends_whole_lines_in_one_write);
	RUN(printf_flushes_a_full_buffer);
	RUN(printf_without_a_console_writes_to_the_terminal);
	RUN(printf_prefers_the_console_to_the_terminal);
	RUN(printf_with_neither_drops_the_output);
	RUN(terminal_write_splits_at_the_schema_limit);
	TEST_EXIT();
}
