// SPDX-License-Identifier: MIT
/*
 * ring-hostile: every kind of bad request a process can put on its ring, one
 * at a time, each checked against the error docs/ring.md assigns to it:
 * unknown and reserved opcodes, unknown and unimplemented flags, nonzero
 * unused fields, oversized lengths and counts, misaligned, unmapped,
 * kernel-half, wrapping and read-only buffers, buffers running into an
 * unmapped page, SKIP_SUCCESS, invalid and stale capability
 * ids, malformed transfer descriptors, unknown methods, malformed params,
 * corrupted SQ and CQ indices, and bad cap_enter / syscall arguments.
 * After each case a NOP must still complete, so the ring keeps working.
 * One PASS/FAIL line per case; "ring-hostile: PASS" and exit 0 when every
 * case got its expected error, else "ring-hostile: FAIL" and exit 1.
 * Needs a Console (the CALL target) and prints through it.
 */
#include <capos/layout.h>
#include <capos/syscall.h>

#include "capos.capnp.h"
#include "rt.h"

#define HOSTILE_KERNEL_ADDR 0xffff800000000000ull
#define HOSTILE_UNMAPPED (CAPOS_USER_MAP_BASE + 0x100000ull)

static uint64_t hostile_buf[64];	/* a valid, writable, aligned buffer */
static uint64_t hostile_result[64];
static int hostile_fails;
static capos_cap_t hostile_con;

static void hostile_check(const char *name, long long got, long long want)
{
	if (got == want) {
		printf("PASS %s\n", name);
		return;
	}
	printf("FAIL %s: got %lld (%s), want %lld (%s)\n", name, got,
	       capos_errname((int)got) ? capos_errname((int)got) : "?", want,
	       capos_errname((int)want) ? capos_errname((int)want) : "?");
	hostile_fails++;
}

/* A NOP still completes with 0: the ring survived the previous case. */
static void hostile_ring_alive(const char *after)
{
	struct capos_sqe nop = { .opcode = CAPOS_OP_NOP };
	int r = uring_run(&rt.ring, &nop, NULL);

	if (r != 0) {
		printf("FAIL ring dead after %s: %s\n", after, capos_strerror(r));
		hostile_fails++;
	}
}

static void hostile_sqe(const char *name, struct capos_sqe sqe, int want)
{
	hostile_check(name, uring_run(&rt.ring, &sqe, NULL), want);
	hostile_ring_alive(name);
}

/* A CALL of Console.write (method 0) with valid buffers, for cases to spoil. */
static struct capos_sqe hostile_call(void)
{
	return (struct capos_sqe){
		.opcode = CAPOS_OP_CALL,
		.cap_id = hostile_con,
		.params_addr = (uint64_t)(uintptr_t)hostile_buf,
		.params_len = sizeof(hostile_buf),
		.result_addr = (uint64_t)(uintptr_t)hostile_result,
		.result_len = sizeof(hostile_result),
	};
}

static void hostile_opcodes(void)
{
	/* PARK and UNPARK are opcodes since M8: their hostile forms are qemu/park's. */
	static const uint8_t bad[] = { CAPOS_OP_FINISH, CAPOS_OP_COUNT, 0x7f, 0xff };
	char name[48];
	uint32_t i;

	for (i = 0; i < sizeof(bad); i++) {
		snprintf(name, sizeof(name), "opcode_%u_is_invalid", bad[i]);
		hostile_sqe(name, (struct capos_sqe){ .opcode = bad[i] }, CAPOS_ERR_INVALID_OPCODE);
	}
}

static void hostile_flags(void)
{
	hostile_sqe("unknown_flag_bit", (struct capos_sqe){ .flags = 1u << 7 },
		    CAPOS_ERR_INVALID_FLAGS);
	hostile_sqe("all_flag_bits", (struct capos_sqe){ .flags = 0xffff },
		    CAPOS_ERR_INVALID_FLAGS);
	hostile_sqe("pipeline_flag_unimplemented",
		    (struct capos_sqe){ .flags = CAPOS_SQE_F_PIPELINE }, CAPOS_ERR_INVALID_FLAGS);
	hostile_sqe("thread_owned_flag_before_m8",
		    (struct capos_sqe){ .flags = CAPOS_SQE_F_THREAD_OWNED, .thread_id = 1 },
		    CAPOS_ERR_INVALID_FLAGS);
}

static void hostile_reserved(void)
{
	struct capos_sqe s;

	hostile_sqe("nop_with_cap_id", (struct capos_sqe){ .cap_id = hostile_con },
		    CAPOS_ERR_RESERVED_NONZERO);
	hostile_sqe("nop_with_params", (struct capos_sqe){
		.params_addr = (uint64_t)(uintptr_t)hostile_buf, .params_len = 8 },
		CAPOS_ERR_RESERVED_NONZERO);
	hostile_sqe("nop_with_method", (struct capos_sqe){ .method_id = 1 },
		    CAPOS_ERR_RESERVED_NONZERO);
	hostile_sqe("nop_with_xfer_count", (struct capos_sqe){ .xfer_count = 1 },
		    CAPOS_ERR_RESERVED_NONZERO);
	hostile_sqe("thread_id_without_flag", (struct capos_sqe){ .thread_id = 3 },
		    CAPOS_ERR_RESERVED_NONZERO);
	hostile_sqe("pipeline_field_without_flag", (struct capos_sqe){ .pipeline_field = 1 },
		    CAPOS_ERR_RESERVED_NONZERO);
	hostile_sqe("pipeline_dep_without_flag", (struct capos_sqe){ .pipeline_dep = 1 },
		    CAPOS_ERR_RESERVED_NONZERO);
	s = hostile_call();
	s.call_id = 5;
	hostile_sqe("call_with_call_id", s, CAPOS_ERR_RESERVED_NONZERO);
	hostile_sqe("release_with_params", (struct capos_sqe){ .opcode = CAPOS_OP_RELEASE,
		.cap_id = hostile_con, .params_len = 8 }, CAPOS_ERR_RESERVED_NONZERO);
}

static void hostile_lengths(void)
{
	struct capos_sqe s;

	s = hostile_call();
	s.params_len = CAPOS_PARAMS_MAX + 8;
	hostile_sqe("params_len_over_limit", s, CAPOS_ERR_TOO_LARGE);
	s = hostile_call();
	s.result_len = CAPOS_RESULT_MAX + 8;
	hostile_sqe("result_len_over_limit", s, CAPOS_ERR_TOO_LARGE);
	s = hostile_call();
	s.params_len = 0xfffffff8u;
	hostile_sqe("params_len_huge", s, CAPOS_ERR_TOO_LARGE);
	s = hostile_call();
	s.xfer_count = CAPOS_XFER_MAX + 1;
	s.xfer_addr = (uint64_t)(uintptr_t)hostile_buf;
	hostile_sqe("xfer_count_over_limit", s, CAPOS_ERR_TOO_LARGE);
}

static void hostile_address(const char *name, uint64_t params, uint64_t result, int want)
{
	struct capos_sqe s = hostile_call();

	s.params_addr = params;
	s.result_addr = result;
	hostile_sqe(name, s, want);
}

static void hostile_addresses(void)
{
	uint64_t ok = (uint64_t)(uintptr_t)hostile_buf;
	uint64_t res = (uint64_t)(uintptr_t)hostile_result;
	uint64_t text = (uint64_t)(uintptr_t)&hostile_address & ~7ull;

	hostile_address("params_misaligned", ok + 1, res, CAPOS_ERR_MISALIGNED);
	hostile_address("result_misaligned", ok, res + 4, CAPOS_ERR_MISALIGNED);
	hostile_address("params_null_page", 0, res, CAPOS_ERR_BAD_ADDRESS);
	hostile_address("params_unmapped", HOSTILE_UNMAPPED, res, CAPOS_ERR_BAD_ADDRESS);
	hostile_address("params_kernel_half", HOSTILE_KERNEL_ADDR, res, CAPOS_ERR_BAD_ADDRESS);
	hostile_address("params_wraps_past_user_half", CAPOS_USER_HALF_END - 8, res,
			CAPOS_ERR_BAD_ADDRESS);
	hostile_address("params_wraps_address_space", 0xfffffffffffffff8ull, res,
			CAPOS_ERR_BAD_ADDRESS);
	hostile_address("result_unmapped", ok, HOSTILE_UNMAPPED, CAPOS_ERR_BAD_ADDRESS);
	hostile_address("result_kernel_half", ok, HOSTILE_KERNEL_ADDR, CAPOS_ERR_BAD_ADDRESS);
	hostile_address("result_read_only_text", ok, text, CAPOS_ERR_BAD_ADDRESS);
}

/*
 * Buffers that start in mapped memory and run on into an unmapped page: the
 * whole range must be checked, not only its first page. The heap's largest
 * free block is its tail, so allocating all of it gives bytes that end where
 * the heap's mapping ends (capos/layout.h: nothing is mapped above it).
 * Buffers across mapped page boundaries still work.
 */
static void hostile_straddles(void)
{
	static uint8_t pages[3 * 4096] __attribute__((aligned(4096)));
	uint64_t ok = (uint64_t)(uintptr_t)hostile_buf;
	uint64_t res = (uint64_t)(uintptr_t)hostile_result;
	uint64_t end = (uint64_t)(uintptr_t)rt.heap.base + rt.heap.size, mid;
	uint8_t *tail = malloc(heap_largest_free(&rt.heap));
	struct capos_sqe s;
	uint32_t i, kept = 0;

	if (!tail || (uint64_t)(uintptr_t)tail + heap_usable(tail) != end || end % 4096 ||
	    heap_usable(tail) < 4096) {
		hostile_check("heap_tail_ends_at_a_page_boundary", 0, 1);
		free(tail);
		return;
	}
	memset(tail + heap_usable(tail) - 64, 0x5a, 64);
	hostile_address("params_run_into_unmapped_page", end - 8, res, CAPOS_ERR_BAD_ADDRESS);
	hostile_address("params_end_one_word_past_the_heap", end - sizeof(hostile_buf) + 8, res,
			CAPOS_ERR_BAD_ADDRESS);
	hostile_address("result_runs_into_unmapped_page", ok, end - 64, CAPOS_ERR_BAD_ADDRESS);
	hostile_address("result_ends_one_word_past_the_heap", ok, end - sizeof(hostile_result) + 8,
			CAPOS_ERR_BAD_ADDRESS);
	for (i = 0; i < 64; i++)
		kept += tail[heap_usable(tail) - 64 + i] == 0x5a;
	hostile_check("refused_result_left_the_heap_tail_alone", kept, 64);
	free(tail);
	/* The answer of a valid Console.write of no data, to compare with. */
	hostile_buf[0] = 2ull << 32;
	hostile_buf[1] = 1ull << 48;
	hostile_sqe("normal_call_after_straddles", hostile_call(), 16);
	hostile_buf[0] = hostile_buf[1] = 0;
	/* The same call with params across one page boundary and its answer across the next. */
	mid = (uint64_t)(uintptr_t)pages + 4096;
	memset(pages, 0xee, sizeof(pages));
	((uint64_t *)(uintptr_t)(mid - 8))[0] = 2ull << 32;
	((uint64_t *)(uintptr_t)(mid - 8))[1] = 1ull << 48;
	((uint64_t *)(uintptr_t)(mid - 8))[2] = 0;
	s = hostile_call();
	s.params_addr = mid - 8;
	s.params_len = 24;
	s.result_addr = mid + 4096 - 8;
	s.result_len = 64;
	hostile_sqe("params_and_result_across_mapped_page_boundaries", s, 16);
	hostile_check("answer_across_a_page_boundary_is_byte_exact",
		      memcmp(pages + 2 * 4096 - 8, hostile_result, 16) == 0 &&
		      pages[2 * 4096 + 8] == 0xee, 1);
}

/* NOP and RELEASE with SKIP_SUCCESS: nothing posted when they succeed, errors still posted. */
static void hostile_skip_success(void)
{
	struct capos_ring_header *h = rt.ring.hdr;
	struct capos_sqe *sqe;
	struct capos_cqe c;
	uint32_t tail0;
	int n = 0, last = 0;

	sqe = uring_get_sqe(&rt.ring);
	sqe->flags = CAPOS_SQE_F_SKIP_SUCCESS;
	sqe->user_data = 0x51;
	sqe = uring_get_sqe(&rt.ring);
	*sqe = (struct capos_sqe){ .opcode = CAPOS_OP_RELEASE, .cap_id = CAPOS_CAP_INVALID,
				   .flags = CAPOS_SQE_F_SKIP_SUCCESS, .user_data = 0x52 };
	sqe = uring_get_sqe(&rt.ring);
	sqe->user_data = 0x53;
	tail0 = capos_load_acquire_u32(&h->cq_tail);
	uring_enter(&rt.ring, 2, CAPOS_TIMEOUT_INFINITE);
	n = (int)(capos_load_acquire_u32(&h->cq_tail) - tail0);
	while (uring_reap(&rt.ring, &c))
		last = (int)(c.user_data == 0x52 ? c.result : last);
	hostile_check("skip_success_nop_posts_nothing", n, 2);
	hostile_check("skip_success_release_failure_still_posts", last, CAPOS_ERR_INVALID_CAP);
	hostile_sqe("skip_success_on_call", (struct capos_sqe){ .opcode = CAPOS_OP_CALL,
		.cap_id = hostile_con, .flags = CAPOS_SQE_F_SKIP_SUCCESS }, CAPOS_ERR_INVALID_FLAGS);
	hostile_sqe("skip_success_on_recv", (struct capos_sqe){ .opcode = CAPOS_OP_RECV,
		.cap_id = hostile_con, .flags = CAPOS_SQE_F_SKIP_SUCCESS }, CAPOS_ERR_INVALID_FLAGS);
}

static void hostile_caps(void)
{
	struct capos_sqe s;

	s = hostile_call();
	s.cap_id = CAPOS_CAP_INVALID;
	hostile_sqe("call_cap_zero", s, CAPOS_ERR_INVALID_CAP);
	s.cap_id = capos_cap_make(4000, 1);
	hostile_sqe("call_cap_no_such_slot", s, CAPOS_ERR_INVALID_CAP);
	s.cap_id = capos_cap_make(0xffff, 0xffff);
	hostile_sqe("call_cap_all_ones", s, CAPOS_ERR_INVALID_CAP);
	hostile_sqe("release_cap_zero",
		    (struct capos_sqe){ .opcode = CAPOS_OP_RELEASE, .cap_id = CAPOS_CAP_INVALID },
		    CAPOS_ERR_INVALID_CAP);
}

/* Releases a spare capability (BootPackage or ProcessSpawner), then uses it. */
static void hostile_stale(void)
{
	capos_cap_t spare = capset_get_any(rt.capset, CAPOS_IFACE_BOOT_PACKAGE);
	struct capos_sqe s;

	if (spare == CAPOS_CAP_INVALID)
		spare = capset_get_any(rt.capset, CAPOS_IFACE_PROCESS_SPAWNER);
	if (spare == CAPOS_CAP_INVALID) {
		printf("SKIP stale_cap: no spare capability to release\n");
		return;
	}
	hostile_check("release_spare_cap", cap_release(spare), 0);
	s = hostile_call();
	s.cap_id = spare;
	hostile_sqe("call_released_cap_is_stale", s, CAPOS_ERR_STALE_CAP);
	hostile_sqe("release_twice_is_stale",
		    (struct capos_sqe){ .opcode = CAPOS_OP_RELEASE, .cap_id = spare },
		    CAPOS_ERR_STALE_CAP);
}

static void hostile_xfer(const char *name, struct capos_xfer x, uint64_t addr_off, int want)
{
	static struct capos_xfer xbuf[2];
	struct capos_sqe s = hostile_call();

	xbuf[0] = x;
	s.xfer_count = 1;
	s.xfer_addr = (uint64_t)(uintptr_t)xbuf + addr_off;
	hostile_sqe(name, s, want);
}

static void hostile_xfers(void)
{
	struct capos_xfer ok = { .cap_id = hostile_con, .mode = CAPOS_XFER_COPY };
	struct capos_xfer x;

	x = ok;
	x.mode = 0;
	hostile_xfer("xfer_mode_zero", x, 0, CAPOS_ERR_INVALID_XFER);
	x.mode = 7;
	hostile_xfer("xfer_mode_unknown", x, 0, CAPOS_ERR_INVALID_XFER);
	x = ok;
	x.scope = CAPOS_XFER_SCOPE_CROSS_SESSION;
	hostile_xfer("xfer_scope_before_m9", x, 0, CAPOS_ERR_INVALID_XFER);
	x = ok;
	x.reserved1 = 1;
	hostile_xfer("xfer_reserved_nonzero", x, 0, CAPOS_ERR_INVALID_XFER);
	x = ok;
	x.flags = 1u << 15;
	hostile_xfer("xfer_flag_unknown", x, 0, CAPOS_ERR_INVALID_XFER);
	x = ok;
	x.cap_id = capos_cap_make(4000, 1);
	hostile_xfer("xfer_invalid_cap", x, 0, CAPOS_ERR_INVALID_CAP);
	hostile_xfer("xfer_addr_misaligned", ok, 4, CAPOS_ERR_MISALIGNED);
}

static void hostile_invocations(void)
{
	struct capos_sqe s;

	s = hostile_call();
	s.method_id = 999;
	hostile_sqe("unknown_method", s, CAPOS_ERR_UNKNOWN_METHOD);
	/* hostile_buf holds a segment table claiming 0xffff_ffff + 1 segments. */
	hostile_buf[0] = 0xffffffffffffffffull;
	hostile_sqe("params_not_capnp", hostile_call(), CAPOS_ERR_MALFORMED_MESSAGE);
	hostile_buf[0] = 0;
	/*
	 * A valid Console.write of no data (one segment of two words: a root
	 * pointer to a struct with one null pointer) whose 16-byte answer cannot
	 * fit in 8 bytes.
	 */
	hostile_buf[0] = 2ull << 32;
	hostile_buf[1] = 1ull << 48;
	s = hostile_call();
	s.result_len = 8;
	hostile_sqe("result_buffer_too_small", s, CAPOS_ERR_RESULT_TOO_SMALL);
	hostile_buf[0] = hostile_buf[1] = 0;
}

/*
 * Console.write / writeLine (method) of data[0..len) framed into a buffer of
 * its own, answered into result_len bytes: the CQE's result.
 */
static int hostile_console(uint16_t method, const char *data, uint32_t len, uint32_t result_len)
{
	static uint64_t arena[700], params[700];
	struct capnp_msg m;
	struct capos_sqe s = hostile_call();
	size_t plen = 0;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	if (method == 0)
		capos_Console_write_Params_set_data(capos_Console_write_Params_init_root(&m), data,
						    len);
	else
		capos_Console_writeLine_Params_set_text(capos_Console_writeLine_Params_init_root(&m),
							data, len);
	if (capnp_msg_write(&m, params, sizeof(params), &plen))
		return 1;	/* never a CQE result */
	s.method_id = method;
	s.params_addr = (uint64_t)(uintptr_t)params;
	s.params_len = (uint32_t)plen;
	s.result_len = result_len;
	return uring_run(&rt.ring, &s, NULL);
}

/*
 * Console's schema limits (4,096 bytes a write, 4,095 a line) raise
 * invalidArgument; a write whose answer cannot fit writes nothing (the
 * scenario rejects the marker anywhere in the log).
 */
static void hostile_console_limits(void)
{
	static char big[4097];
	static const char marker[] = "ring-hostile: NOT-WRITTEN-MARKER\n";

	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	hostile_check("console_write_4097_refused",
		      hostile_console(0, big, 4097, sizeof(hostile_result)),
		      CAPOS_ERR_APPLICATION_EXCEPTION);
	hostile_check("console_write_line_4096_refused",
		      hostile_console(1, big, 4096, sizeof(hostile_result)),
		      CAPOS_ERR_APPLICATION_EXCEPTION);
	hostile_check("console_write_4096_accepted",
		      hostile_console(0, big + 1, 4096, sizeof(hostile_result)) >= 0, 1);
	hostile_check("console_write_no_room_for_answer",
		      hostile_console(0, marker, sizeof(marker) - 1, 8),
		      CAPOS_ERR_RESULT_TOO_SMALL);
}

/* Raw system call with every argument register chosen. */
static int64_t hostile_syscall(uint64_t nr, uint64_t a, uint64_t b, uint64_t c)
{
	int64_t ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(nr), "D"(a), "S"(b), "d"(c)
			     : "rcx", "r11", "memory");
	return ret;
}

/*
 * min_complete is a full 64-bit register: a value past 2^32 must be refused,
 * not cut to its low half (2^32 would wait for 0 CQEs, 2^32 + 1 for one). A
 * short timeout keeps a kernel that truncates from waiting forever.
 */
static void hostile_min_complete_64bit(void)
{
	static const struct {
		const char *name;
		uint64_t min;
	} bad[] = {
		{ "cap_enter_min_complete_2pow32", 1ull << 32 },
		{ "cap_enter_min_complete_2pow32_plus_1", (1ull << 32) + 1 },
		{ "cap_enter_min_complete_2pow32_plus_cq", (1ull << 32) + CAPOS_RING_CQ_ENTRIES },
		{ "cap_enter_min_complete_u64_max", ~0ull },
	};

	for (uint32_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		hostile_check(bad[i].name,
			      hostile_syscall(CAPOS_SYS_CAP_ENTER, bad[i].min, 1000000, 0),
			      CAPOS_ERR_INVALID_ARGUMENT);
}

static void hostile_syscalls(void)
{
	hostile_check("syscall_number_2", hostile_syscall(2, 0, 0, 0), CAPOS_ERR_INVALID_SYSCALL);
	hostile_check("syscall_number_huge", hostile_syscall(~0ull, 0, 0, 0),
		      CAPOS_ERR_INVALID_SYSCALL);
	/* exit's scope is 0 (the process) or CAPOS_EXIT_THREAD; any other returns. */
	hostile_check("exit_scope_2_refused", hostile_syscall(CAPOS_SYS_EXIT, 7, 2, 0),
		      CAPOS_ERR_INVALID_FLAGS);
	hostile_check("exit_scope_huge_refused", hostile_syscall(CAPOS_SYS_EXIT, 7, ~0ull, 0),
		      CAPOS_ERR_INVALID_FLAGS);
	hostile_check("cap_enter_flags", hostile_syscall(CAPOS_SYS_CAP_ENTER, 0, 0, 1),
		      CAPOS_ERR_INVALID_FLAGS);
	hostile_check("cap_enter_min_complete_over_cq",
		      hostile_syscall(CAPOS_SYS_CAP_ENTER, CAPOS_RING_CQ_ENTRIES + 1,
				      CAPOS_TIMEOUT_INFINITE, 0),
		      CAPOS_ERR_INVALID_ARGUMENT);
	hostile_min_complete_64bit();
	hostile_check("cap_enter_times_out", capos_cap_enter(1, 1000000), CAPOS_ERR_TIMED_OUT);
	hostile_ring_alive("syscalls");
}

/*
 * sq_tail far ahead of sq_head: RING_CORRUPT and the sticky flag; fixing it
 * recovers. Nothing is printed while the ring is corrupt (printing uses it).
 */
static void hostile_sq_corrupt(void)
{
	struct capos_ring_header *h = rt.ring.hdr;
	uint32_t tail = h->sq_tail, flags;
	int64_t r;

	capos_store_release_u32(&h->sq_tail, tail + 1000);
	r = capos_cap_enter(0, 0);
	flags = capos_load_acquire_u32(&h->flags);
	capos_store_release_u32(&h->sq_tail, tail);
	hostile_check("sq_tail_corrupt", r, CAPOS_ERR_RING_CORRUPT);
	hostile_check("sq_corrupt_flag", !!(flags & CAPOS_RING_F_SQ_CORRUPT), 1);
	hostile_ring_alive("sq_tail_corrupt");
}

/* cq_head beyond cq_tail: CQ_CORRUPT, nothing consumed; fixing it recovers. */
static void hostile_cq_corrupt(void)
{
	struct capos_ring_header *h = rt.ring.hdr;
	uint32_t head = h->cq_head, sq_head, flags;
	struct capos_sqe *sqe;
	struct capos_cqe c;
	int done;

	capos_store_release_u32(&h->cq_head, head + 1000);
	sqe = uring_get_sqe(&rt.ring);
	sqe->opcode = CAPOS_OP_NOP;
	sqe->user_data = 0xc0;
	uring_enter(&rt.ring, 0, 0);
	sq_head = capos_load_acquire_u32(&h->sq_head);
	flags = capos_load_acquire_u32(&h->flags);
	capos_store_release_u32(&h->cq_head, head);
	done = uring_wait(&rt.ring, 0xc0, &c) == 0 && c.result == 0;
	hostile_check("cq_corrupt_flag", !!(flags & CAPOS_RING_F_CQ_CORRUPT), 1);
	hostile_check("cq_corrupt_consumes_nothing", sq_head == rt.ring.sq_tail, 0);
	hostile_check("cq_fixed_completes_waiting_sqe", done, 1);
	hostile_ring_alive("cq_head_corrupt");
}

int main(void)
{
	hostile_con = rt.console;
	if (hostile_con == CAPOS_CAP_INVALID)
		return 1;	/* nothing to print through */
	printf("ring-hostile: start\n");
	hostile_opcodes();
	hostile_flags();
	hostile_reserved();
	hostile_lengths();
	hostile_addresses();
	hostile_straddles();
	hostile_skip_success();
	hostile_caps();
	hostile_xfers();
	hostile_invocations();
	hostile_console_limits();
	hostile_stale();
	hostile_syscalls();
	hostile_sq_corrupt();
	hostile_cq_corrupt();
	printf("ring-hostile: %s (%d failed)\n", hostile_fails ? "FAIL" : "PASS", hostile_fails);
	return hostile_fails ? 1 : 0;
}
