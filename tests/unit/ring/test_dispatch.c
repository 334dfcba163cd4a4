// SPDX-License-Identifier: MIT
/*
 * Tests of kernel/ring/dispatch.c and call.c through ring_consume: each bad
 * SQE field gets its own error CQE (and the object is never invoked), the
 * order of the validation steps, capability errors, CALL on a fake object
 * (params in, result out, references balanced), handler errors, CapException
 * encoding, allocation failure, RELEASE, SKIP_SUCCESS (where it is accepted,
 * that successes post nothing and give their CQ credit back, that failures
 * still post), a randomized hostile-SQE run, RECV | REPLY (flags, fields,
 * an answer that fails receives nothing, exceptions, bad buffers), and
 * ring_sqe_check against the rule of docs/ring.md restated in the test.
 */
#include <stdlib.h>

#include <capos/endpoint.h>
#include <capos/errors.h>
#include <capos/layout.h>

#include "capos.capnp.h"
#include "cap/xfer.h"
#include "fake.h"
#include "ipc/endpoint.h"
#include "proc/park.h"
#include "ring/dispatch.h"
#include "kstub.h"
#include "test.h"

#define PARAMS	0x10000000ull	/* read-only user buffer, 128 KiB */
#define RESULT	0x20000000ull	/* read-write user buffer, 128 KiB */
#define RONLY	0x30000000ull	/* read-only page */
#define UNMAPPED 0x40000000ull
#define BUF_LEN	0x20000ull

static struct fake_proc p;
static struct fake_obj obj;
static capos_cap_t cap_call;	/* CALL right */
static capos_cap_t cap_none;	/* no rights */
static capos_cap_t cap_recv;	/* RECV right */
static uint8_t *params_mem, *result_mem;
static long live0;		/* kmalloc'd objects before setup */

static void setup(void)
{
	live0 = kstub_kmalloc_live;
	fake_mem_reset();
	params_mem = fake_mem_map(PARAMS, BUF_LEN, AS_PROT_READ);
	result_mem = fake_mem_map(RESULT, BUF_LEN, AS_PROT_READ | AS_PROT_WRITE);
	fake_mem_map(RONLY, 4096, AS_PROT_READ);
	fake_proc_init(&p);
	fake_obj_init(&obj);
	if (cap_table_insert(&p.caps, &obj.k, CAP_RIGHT_CALL, &cap_call))
		abort();
	kobj_get(&obj.k);
	if (cap_table_insert(&p.caps, &obj.k, 0, &cap_none))
		abort();
	kobj_get(&obj.k);
	if (cap_table_insert(&p.caps, &obj.k, CAP_RIGHT_RECV, &cap_recv))
		abort();
}

static void teardown(void)
{
	fake_proc_fini(&p);
	fake_mem_reset();
}

/* Submits one SQE, consumes it, and returns its CQE. */
static struct capos_cqe run1(const struct capos_sqe *sqe)
{
	struct capos_cqe cqe = { .result = 12345 };

	fake_submit(&p, sqe);
	if (ring_consume(&p.ring, &p.caller, 64) != 1 || fake_reap(&p, &cqe))
		abort();
	return cqe;
}

/* A valid CALL: echo 16 bytes of params into a 64-byte result buffer. */
static struct capos_sqe call_sqe(void)
{
	struct capos_sqe s = {
		.opcode = CAPOS_OP_CALL,
		.cap_id = cap_call,
		.user_data = 0x5eed,
		.params_addr = PARAMS,
		.params_len = 16,
		.result_addr = RESULT,
		.result_len = 64,
		.method_id = FAKE_M_ECHO,
	};
	return s;
}

struct bad_case {
	const char *what;
	struct capos_sqe sqe;
	int err;
};

/* Runs every case; on a mismatch names it in the failure message. */
static const char *run_cases(const struct bad_case *c, size_t n)
{
	static char why[160];
	size_t i;

	for (i = 0; i < n; i++) {
		int calls = obj.calls;
		struct capos_cqe cqe = run1(&c[i].sqe);

		if (cqe.result != c[i].err || cqe.user_data != c[i].sqe.user_data ||
		    cqe.opcode != c[i].sqe.opcode || cqe.written != 0 || obj.calls != calls) {
			snprintf(why, sizeof(why), "%s: result %d (%s), want %s, calls %d->%d",
				 c[i].what, cqe.result, capos_errname(cqe.result),
				 capos_errname(c[i].err), calls, obj.calls);
			return why;
		}
	}
	return NULL;
}

#define CHECK_CASES(cases)                                                                 \
	do {                                                                               \
		const char *why_ = run_cases(cases, sizeof(cases) / sizeof(cases[0]));     \
		if (why_) {                                                                \
			snprintf(test_why, sizeof(test_why), "%s", why_);                  \
			test_failed_at = test_why;                                         \
			return;                                                            \
		}                                                                          \
	} while (0)

#define NOP_WITH(field, v) { "NOP " #field, { .opcode = CAPOS_OP_NOP, .user_data = 9, .field = v }, \
			     CAPOS_ERR_RESERVED_NONZERO }

TEST(dispatch_rejects_unknown_and_reserved_opcodes)
{
	static const struct bad_case cases[] = {
		{ "FINISH", { .opcode = CAPOS_OP_FINISH, .user_data = 1 }, CAPOS_ERR_INVALID_OPCODE },
		{ "op 8", { .opcode = CAPOS_OP_COUNT, .user_data = 4 }, CAPOS_ERR_INVALID_OPCODE },
		{ "op 255", { .opcode = 255, .user_data = 5 }, CAPOS_ERR_INVALID_OPCODE },
	};

	setup();
	CHECK_CASES(cases);
	teardown();
}

/* PARK and UNPARK: their SQE rule; what passes reaches ring_park / ring_unpark (faked here). */
TEST(dispatch_checks_park_and_unpark_sqes)
{
	static const struct bad_case cases[] = {
		{ "PARK without THREAD_OWNED", { .opcode = CAPOS_OP_PARK, .params_addr = 0x1000 },
		  CAPOS_ERR_INVALID_FLAGS },
		{ "UNPARK with THREAD_OWNED", { .opcode = CAPOS_OP_UNPARK, .params_addr = 0x1000,
						.flags = CAPOS_SQE_F_THREAD_OWNED },
		  CAPOS_ERR_INVALID_FLAGS },
		{ "PARK misaligned", { .opcode = CAPOS_OP_PARK, .flags = CAPOS_SQE_F_THREAD_OWNED,
				       .params_addr = 0x1002 }, CAPOS_ERR_MISALIGNED },
		{ "PARK kernel word", { .opcode = CAPOS_OP_PARK, .flags = CAPOS_SQE_F_THREAD_OWNED,
					.params_addr = 0xffff800000000000ull },
		  CAPOS_ERR_BAD_ADDRESS },
		{ "PARK with cap_id", { .opcode = CAPOS_OP_PARK, .flags = CAPOS_SQE_F_THREAD_OWNED,
					.params_addr = 0x1000, .cap_id = 1 },
		  CAPOS_ERR_RESERVED_NONZERO },
		{ "UNPARK with timeout", { .opcode = CAPOS_OP_UNPARK, .params_addr = 0x1000,
					   .result_addr = 5 }, CAPOS_ERR_RESERVED_NONZERO },
		{ "UNPARK with thread_id", { .opcode = CAPOS_OP_UNPARK, .params_addr = 0x1000,
					     .thread_id = 1 }, CAPOS_ERR_RESERVED_NONZERO },
	};

	setup();
	CHECK_CASES(cases);
	fake_park_calls = fake_unpark_calls = 0;
	CHECK_CASES(((const struct bad_case[]){
		{ "UNPARK ok", { .opcode = CAPOS_OP_UNPARK, .params_addr = 0x1004, .params_len = 3 }, 0 },
	}));
	CHECK_EQ(fake_unpark_calls, 1);
	CHECK_EQ(fake_park_calls, 0);
	teardown();
}

/*
 * The park fast path (kernel/proc/park_fastpath.c): it takes [UNPARK, PARK]
 * whose SQEs pass their checks, running both as ring_consume would (the
 * UNPARK's CQE posted, the PARK pending); it declines, with nothing run or
 * posted, a batch with an SQE that fails its check or in the wrong order,
 * which ring_consume then does.
 */
TEST(park_fastpath_takes_its_shapes_and_declines_the_rest)
{
	const struct capos_sqe unpark = { .opcode = CAPOS_OP_UNPARK, .params_addr = 0x1004,
					  .params_len = 1, .user_data = 1 };
	const struct capos_sqe park = { .opcode = CAPOS_OP_PARK, .flags = CAPOS_SQE_F_THREAD_OWNED,
					.params_addr = 0x1004, .user_data = 2 };
	struct capos_sqe unowned = park;
	struct capos_cqe cqe;

	unowned.flags = 0;
	setup();
	fake_park_calls = fake_unpark_calls = 0;
	fake_submit(&p, &unpark);
	fake_submit(&p, &park);
	CHECK_EQ(park_fastpath(&p.ring, &p.caller, 2), 2);
	CHECK_EQ(fake_unpark_calls, 1);
	CHECK_EQ(fake_park_calls, 1);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 1);
	CHECK_EQ(cqe.result, 0);
	CHECK(fake_reap(&p, &cqe) != 0);	/* the PARK is pending */

	fake_submit(&p, &unpark);
	fake_submit(&p, &unowned);
	CHECK_EQ(park_fastpath(&p.ring, &p.caller, 2), 0);
	CHECK_EQ(fake_unpark_calls, 1);
	CHECK(fake_reap(&p, &cqe) != 0);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 2);
	CHECK_EQ(fake_unpark_calls, 2);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.result, 0);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.result, CAPOS_ERR_INVALID_FLAGS);

	fake_submit(&p, &park);
	fake_submit(&p, &unpark);
	CHECK_EQ(park_fastpath(&p.ring, &p.caller, 2), 0);	/* a PARK first: not a shape */
	CHECK_EQ(fake_park_calls, 1);
	CHECK(fake_reap(&p, &cqe) != 0);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 2);
	CHECK_EQ(fake_park_calls, 2);
	teardown();
}

TEST(dispatch_rejects_unknown_and_unimplemented_flags)
{
	static const struct bad_case cases[] = {
		{ "THREAD_OWNED", { .opcode = CAPOS_OP_NOP, .flags = CAPOS_SQE_F_THREAD_OWNED },
		  CAPOS_ERR_INVALID_FLAGS },
		{ "PIPELINE", { .opcode = CAPOS_OP_NOP, .flags = CAPOS_SQE_F_PIPELINE },
		  CAPOS_ERR_INVALID_FLAGS },
		{ "bit 2", { .opcode = CAPOS_OP_NOP, .flags = 4 }, CAPOS_ERR_INVALID_FLAGS },
		{ "bit 15", { .opcode = CAPOS_OP_RELEASE, .flags = 0x8000 }, CAPOS_ERR_INVALID_FLAGS },
		{ "EXCEPTION on CALL", { .opcode = CAPOS_OP_CALL, .flags = CAPOS_SQE_F_EXCEPTION },
		  CAPOS_ERR_INVALID_FLAGS },
		{ "EXCEPTION on NOP", { .opcode = CAPOS_OP_NOP, .flags = CAPOS_SQE_F_EXCEPTION },
		  CAPOS_ERR_INVALID_FLAGS },
		/* RETURN accepts it: validation passes, the cap is no endpoint owner. */
		{ "EXCEPTION on RETURN", { .opcode = CAPOS_OP_RETURN, .cap_id = 0,
					   .flags = CAPOS_SQE_F_EXCEPTION }, CAPOS_ERR_INVALID_CAP },
	};

	setup();
	CHECK_CASES(cases);
	teardown();
}

/*
 * SKIP_SUCCESS is accepted on NOP, RETURN and RELEASE only: on CALL and RECV,
 * whose success CQE is their answer, it is INVALID_FLAGS. Where it is
 * accepted a failure still posts its CQE (run1 aborts without one).
 */
TEST(dispatch_skip_success_only_where_a_success_has_no_answer)
{
	static const struct bad_case cases[] = {
		{ "SKIP_SUCCESS on RECV", { .opcode = CAPOS_OP_RECV, .user_data = 1,
					    .flags = CAPOS_SQE_F_SKIP_SUCCESS },
		  CAPOS_ERR_INVALID_FLAGS },
		{ "SKIP_SUCCESS | bit 4 on NOP", { .opcode = CAPOS_OP_NOP, .user_data = 2,
						   .flags = CAPOS_SQE_F_SKIP_SUCCESS | (1u << 4) },
		  CAPOS_ERR_INVALID_FLAGS },
		{ "SKIP_SUCCESS | bit 15 on RELEASE", { .opcode = CAPOS_OP_RELEASE, .user_data = 3,
							.flags = CAPOS_SQE_F_SKIP_SUCCESS | 0x8000 },
		  CAPOS_ERR_INVALID_FLAGS },
		{ "SKIP_SUCCESS | EXCEPTION on NOP", { .opcode = CAPOS_OP_NOP, .user_data = 4,
						       .flags = CAPOS_SQE_F_SKIP_SUCCESS |
								CAPOS_SQE_F_EXCEPTION },
		  CAPOS_ERR_INVALID_FLAGS },
		/* Accepted: the operation's own failure is posted. */
		{ "SKIP_SUCCESS NOP with a reserved field", { .opcode = CAPOS_OP_NOP, .user_data = 5,
							      .flags = CAPOS_SQE_F_SKIP_SUCCESS,
							      .method_id = 1 },
		  CAPOS_ERR_RESERVED_NONZERO },
		{ "SKIP_SUCCESS RELEASE of cap 0", { .opcode = CAPOS_OP_RELEASE, .user_data = 6,
						     .flags = CAPOS_SQE_F_SKIP_SUCCESS },
		  CAPOS_ERR_INVALID_CAP },
		{ "SKIP_SUCCESS RETURN on cap 0", { .opcode = CAPOS_OP_RETURN, .user_data = 7,
						    .call_id = 1, .flags = CAPOS_SQE_F_SKIP_SUCCESS },
		  CAPOS_ERR_INVALID_CAP },
		{ "SKIP_SUCCESS | EXCEPTION RETURN on cap 0",
		  { .opcode = CAPOS_OP_RETURN, .user_data = 8, .call_id = 1,
		    .flags = CAPOS_SQE_F_SKIP_SUCCESS | CAPOS_SQE_F_EXCEPTION },
		  CAPOS_ERR_INVALID_CAP },
	};
	struct bad_case calls[2];

	setup();
	CHECK_CASES(cases);
	calls[0] = (struct bad_case){ "SKIP_SUCCESS on CALL", call_sqe(), CAPOS_ERR_INVALID_FLAGS };
	calls[0].sqe.flags = CAPOS_SQE_F_SKIP_SUCCESS;
	calls[1] = (struct bad_case){ "SKIP_SUCCESS | EXCEPTION on CALL", call_sqe(),
				      CAPOS_ERR_INVALID_FLAGS };
	calls[1].sqe.flags = CAPOS_SQE_F_SKIP_SUCCESS | CAPOS_SQE_F_EXCEPTION;
	CHECK_CASES(calls);
	CHECK_EQ(p.ring.in_flight, 0);
	teardown();
}

TEST(dispatch_rejects_nonzero_fields_the_opcode_does_not_use)
{
	static const struct bad_case cases[] = {
		NOP_WITH(cap_id, 1), NOP_WITH(xfer_count, 1), NOP_WITH(params_addr, 8),
		NOP_WITH(params_len, 1), NOP_WITH(result_addr, 8), NOP_WITH(result_len, 1),
		NOP_WITH(xfer_addr, 8), NOP_WITH(method_id, 1), NOP_WITH(pipeline_field, 1),
		NOP_WITH(call_id, 1), NOP_WITH(thread_id, 1), NOP_WITH(pipeline_dep, 1),
		{ "RELEASE method_id", { .opcode = CAPOS_OP_RELEASE, .cap_id = 1, .method_id = 3 },
		  CAPOS_ERR_RESERVED_NONZERO },
		{ "RELEASE result_len", { .opcode = CAPOS_OP_RELEASE, .result_len = 8 },
		  CAPOS_ERR_RESERVED_NONZERO },
		{ "RECV params_len", { .opcode = CAPOS_OP_RECV, .params_len = 8 },
		  CAPOS_ERR_RESERVED_NONZERO },
		{ "RECV xfer_count", { .opcode = CAPOS_OP_RECV, .xfer_count = 1 },
		  CAPOS_ERR_RESERVED_NONZERO },
		{ "RETURN result_addr", { .opcode = CAPOS_OP_RETURN, .result_addr = RESULT },
		  CAPOS_ERR_RESERVED_NONZERO },
		{ "RETURN method_id", { .opcode = CAPOS_OP_RETURN, .method_id = 1 },
		  CAPOS_ERR_RESERVED_NONZERO },
	};
	struct bad_case calls[5];
	int i;

	setup();
	CHECK_CASES(cases);
	for (i = 0; i < 5; i++) {
		calls[i].sqe = call_sqe();
		calls[i].err = CAPOS_ERR_RESERVED_NONZERO;
	}
	calls[0].what = "CALL call_id";
	calls[0].sqe.call_id = 1;
	calls[1].what = "CALL thread_id";
	calls[1].sqe.thread_id = 1;
	calls[2].what = "CALL pipeline_field";
	calls[2].sqe.pipeline_field = 1;
	calls[3].what = "CALL pipeline_dep";
	calls[3].sqe.pipeline_dep = 1;
	calls[4].what = "CALL xfer_addr without xfer_count";
	calls[4].sqe.xfer_addr = PARAMS;
	CHECK_CASES(calls);
	teardown();
}

TEST(dispatch_rejects_lengths_over_abi_limits)
{
	struct bad_case c[4];
	int i;

	setup();
	for (i = 0; i < 4; i++) {
		c[i].sqe = call_sqe();
		c[i].err = CAPOS_ERR_TOO_LARGE;
	}
	c[0].what = "params_len";
	c[0].sqe.params_len = CAPOS_PARAMS_MAX + 1;
	c[1].what = "result_len";
	c[1].sqe.result_len = 0xffffffffu;
	c[2].what = "xfer_count 17";
	c[2].sqe.xfer_count = CAPOS_XFER_MAX + 1;
	c[2].sqe.xfer_addr = PARAMS;
	c[3].what = "xfer_count 255";
	c[3].sqe.xfer_count = 255;
	c[3].sqe.xfer_addr = PARAMS;
	CHECK_CASES(c);
	teardown();
}

TEST(dispatch_rejects_misaligned_buffers)
{
	struct bad_case c[3];
	int i;

	setup();
	for (i = 0; i < 3; i++) {
		c[i].sqe = call_sqe();
		c[i].err = CAPOS_ERR_MISALIGNED;
	}
	c[0].what = "params_addr";
	c[0].sqe.params_addr = PARAMS + 4;
	c[1].what = "result_addr";
	c[1].sqe.result_addr = RESULT + 1;
	c[2].what = "xfer_addr";
	c[2].sqe.xfer_count = 1;
	c[2].sqe.xfer_addr = PARAMS + 2;
	CHECK_CASES(c);
	teardown();
}

TEST(dispatch_rejects_kernel_noncanonical_wrapping_and_unmapped_buffers)
{
	struct bad_case c[9];
	int i;

	setup();
	for (i = 0; i < 9; i++) {
		c[i].sqe = call_sqe();
		c[i].err = CAPOS_ERR_BAD_ADDRESS;
	}
	c[0].what = "kernel params";
	c[0].sqe.params_addr = 0xffffffff80000000ull;
	c[1].what = "non-canonical params";
	c[1].sqe.params_addr = CAPOS_USER_HALF_END;
	c[2].what = "params crossing into the kernel half";
	c[2].sqe.params_addr = CAPOS_USER_HALF_END - 8;
	c[3].what = "params wrapping";
	c[3].sqe.params_addr = 0xfffffffffffffff8ull;
	c[4].what = "kernel result";
	c[4].sqe.result_addr = 0xffff800000000000ull;
	c[5].what = "unmapped params";
	c[5].sqe.params_addr = UNMAPPED;
	c[6].what = "unmapped result";
	c[6].sqe.result_addr = UNMAPPED;
	c[7].what = "read-only result";
	c[7].sqe.result_addr = RONLY;
	c[8].what = "params running off their region";
	c[8].sqe.params_addr = PARAMS + BUF_LEN - 8;
	CHECK_CASES(c);
	teardown();
}

TEST(dispatch_rejects_bad_stale_and_unauthorised_caps)
{
	struct bad_case c[7];
	capos_cap_t stale;
	int i;

	setup();
	kobj_get(&obj.k);
	CHECK_EQ(cap_table_insert(&p.caps, &obj.k, CAP_RIGHT_CALL, &stale), 0);
	CHECK_EQ(cap_table_remove(&p.caps, stale), 0);
	for (i = 0; i < 7; i++)
		c[i].sqe = call_sqe();
	c[0] = (struct bad_case){ "CAPOS_CAP_INVALID", c[0].sqe, CAPOS_ERR_INVALID_CAP };
	c[0].sqe.cap_id = CAPOS_CAP_INVALID;
	c[1] = (struct bad_case){ "stale", c[1].sqe, CAPOS_ERR_STALE_CAP };
	c[1].sqe.cap_id = stale;
	c[2] = (struct bad_case){ "forged generation", c[2].sqe, CAPOS_ERR_INVALID_CAP };
	c[2].sqe.cap_id = capos_cap_make(capos_cap_index(cap_call), 0x777);
	c[3] = (struct bad_case){ "no CALL right", c[3].sqe, CAPOS_ERR_NOT_PERMITTED };
	c[3].sqe.cap_id = cap_none;
	c[4] = (struct bad_case){ "RECV on a client cap",
				  { .opcode = CAPOS_OP_RECV, .cap_id = cap_call }, CAPOS_ERR_NOT_PERMITTED };
	c[5] = (struct bad_case){ "RETURN on a client cap",
				  { .opcode = CAPOS_OP_RETURN, .cap_id = cap_call, .call_id = 1 },
				  CAPOS_ERR_NOT_PERMITTED };
	c[6] = (struct bad_case){ "RECV on a RECV-right cap that is no endpoint",
				  { .opcode = CAPOS_OP_RECV, .cap_id = cap_recv }, CAPOS_ERR_NOT_PERMITTED };
	CHECK_CASES(c);
	CHECK_EQ(kobj_refs(&obj.k), 3);
	teardown();
}

TEST(dispatch_validates_in_documented_order)
{
	struct bad_case c[5];
	int i;

	setup();
	for (i = 0; i < 5; i++)
		c[i].sqe = call_sqe();
	c[0] = (struct bad_case){ "opcode before flags", c[0].sqe, CAPOS_ERR_INVALID_OPCODE };
	c[0].sqe.opcode = 9;
	c[0].sqe.flags = 0x100;
	c[1] = (struct bad_case){ "flags before reserved", c[1].sqe, CAPOS_ERR_INVALID_FLAGS };
	c[1].sqe.flags = 0x100;
	c[1].sqe.thread_id = 1;
	c[2] = (struct bad_case){ "reserved before length", c[2].sqe, CAPOS_ERR_RESERVED_NONZERO };
	c[2].sqe.thread_id = 1;
	c[2].sqe.params_len = 0xffffffffu;
	c[3] = (struct bad_case){ "length before alignment", c[3].sqe, CAPOS_ERR_TOO_LARGE };
	c[3].sqe.params_len = 0xffffffffu;
	c[3].sqe.result_addr = 3;
	c[4] = (struct bad_case){ "address before capability", c[4].sqe, CAPOS_ERR_BAD_ADDRESS };
	c[4].sqe.params_addr = 0xffff800000000000ull;
	c[4].sqe.cap_id = 0;
	CHECK_CASES(c);
	teardown();
}

TEST(dispatch_call_passes_params_and_copies_result_out)
{
	struct capos_sqe s;
	struct capos_cqe cqe;
	int i;

	setup();
	for (i = 0; i < 16; i++)
		params_mem[i] = (uint8_t)(0xa0 + i);
	s = call_sqe();
	s.method_id = FAKE_M_ECHO;
	cqe = run1(&s);
	CHECK_EQ(cqe.result, 16);
	CHECK_EQ(cqe.written, 16);
	CHECK_EQ(cqe.user_data, 0x5eed);
	CHECK_EQ(cqe.opcode, CAPOS_OP_CALL);
	CHECK_EQ(obj.calls, 1);
	CHECK_EQ(obj.last_method, FAKE_M_ECHO);
	CHECK_EQ(obj.last_params_len, 16);
	CHECK_EQ(obj.last_result_cap, 64);
	CHECK(memcmp(obj.last_params, params_mem, 16) == 0);
	CHECK(memcmp(result_mem, params_mem, 16) == 0);
	CHECK_EQ(kobj_refs(&obj.k), 3);
	CHECK_EQ(kstub_kmalloc_live, live0 + 2);	/* the slot array and the IPC peer */
	teardown();
}

TEST(dispatch_call_result_built_with_capnp_reads_back)
{
	struct capnp_msg in, out;
	struct capnp_builder b;
	struct capos_sqe s;
	struct capos_cqe cqe;
	size_t n;

	setup();
	CHECK_EQ(capnp_msg_init_build(&in, params_mem + 512, 256), 0);
	b = capnp_msg_init_root(&in, 1, 0);
	capnp_set_u64(b, 0, 41, 0);
	CHECK_EQ(capnp_msg_write(&in, params_mem, 512, &n), 0);
	s = call_sqe();
	s.method_id = FAKE_M_BUILD;
	s.params_len = (uint32_t)n;
	cqe = run1(&s);
	CHECK(cqe.result > 0);
	CHECK_EQ(cqe.written, cqe.result);
	CHECK_EQ(capnp_msg_init_read(&out, result_mem, cqe.written), 0);
	CHECK_EQ(out.frame_bytes, cqe.written);
	CHECK_EQ(capnp_get_u64(capnp_msg_root_struct(&out), 0, 0), 42);
	CHECK_EQ(capnp_msg_error(&out), 0);
	teardown();
}

TEST(dispatch_call_handler_errors_reach_the_cqe)
{
	struct capos_sqe s;
	struct capos_cqe cqe;

	setup();
	memset(result_mem, 0xaa, 64);
	s = call_sqe();
	s.method_id = 99;
	cqe = run1(&s);
	CHECK_EQ(cqe.result, CAPOS_ERR_UNKNOWN_METHOD);
	CHECK_EQ(cqe.written, 0);
	CHECK_EQ(result_mem[0], 0xaa);
	/* Garbage params: the handler's capnp open fails. */
	memset(params_mem, 0xff, 16);
	s.method_id = FAKE_M_BUILD;
	cqe = run1(&s);
	CHECK_EQ(cqe.result, CAPOS_ERR_MALFORMED_MESSAGE);
	/* No params at all is malformed for a method that reads them. */
	s.params_len = 0;
	s.params_addr = 0;
	cqe = run1(&s);
	CHECK_EQ(cqe.result, CAPOS_ERR_MALFORMED_MESSAGE);
	CHECK_EQ(kstub_kmalloc_live, live0 + 2);
	teardown();
}

TEST(dispatch_call_result_too_small)
{
	struct capnp_msg in;
	struct capos_sqe s;
	struct capos_cqe cqe;
	size_t n;

	setup();
	CHECK_EQ(capnp_msg_init_build(&in, params_mem + 512, 256), 0);
	capnp_msg_init_root(&in, 1, 0);
	CHECK_EQ(capnp_msg_write(&in, params_mem, 512, &n), 0);
	s = call_sqe();
	s.method_id = FAKE_M_BUILD;
	s.params_len = (uint32_t)n;
	s.result_len = 16;	/* table + root pointer, no room for the struct */
	cqe = run1(&s);
	CHECK_EQ(cqe.result, CAPOS_ERR_RESULT_TOO_SMALL);
	CHECK_EQ(cqe.written, 0);
	s.result_len = 0;
	s.result_addr = 0;
	cqe = run1(&s);
	CHECK_EQ(cqe.result, CAPOS_ERR_RESULT_TOO_SMALL);
	teardown();
}

TEST(dispatch_call_exception_is_a_capexception_in_the_result)
{
	struct capnp_msg m;
	struct capos_CapException e;
	struct capnp_text reason;
	struct capos_sqe s;
	struct capos_cqe cqe;

	setup();
	s = call_sqe();
	s.method_id = FAKE_M_RAISE;
	cqe = run1(&s);
	CHECK_EQ(cqe.result, CAPOS_ERR_APPLICATION_EXCEPTION);
	CHECK(cqe.written > 0);
	CHECK_EQ(capnp_msg_init_read(&m, result_mem, cqe.written), 0);
	CHECK_EQ(m.frame_bytes, cqe.written);
	e = capos_CapException_root(&m);
	CHECK_EQ(capos_CapException_get_type(e), capos_CapException_Type_failed);
	reason = capos_CapException_get_reason(e);
	CHECK_EQ(capnp_msg_error(&m), 0);
	CHECK_EQ(reason.len, 12);
	CHECK(memcmp(reason.str, "fake refuses", 12) == 0);
	/* Too small for the exception: truncated, nothing written. */
	s.result_len = 24;
	cqe = run1(&s);
	CHECK_EQ(cqe.result, CAPOS_ERR_APPLICATION_EXCEPTION_TRUNCATED);
	CHECK_EQ(cqe.written, 0);
	teardown();
}

TEST(dispatch_call_out_of_memory_fails_cleanly)
{
	struct capos_sqe s = call_sqe();
	struct capos_cqe cqe;
	long live;

	setup();
	live = kstub_kmalloc_live;
	kstub_kmalloc_fail_after = 0;
	cqe = run1(&s);
	CHECK_EQ(cqe.result, CAPOS_ERR_NO_MEMORY);
	kstub_kmalloc_fail_after = 1;	/* params succeed, result fails */
	cqe = run1(&s);
	kstub_kmalloc_fail_after = -1;
	CHECK_EQ(cqe.result, CAPOS_ERR_NO_MEMORY);
	CHECK_EQ(obj.calls, 0);
	CHECK_EQ(kstub_kmalloc_live, live);
	teardown();
}

TEST(dispatch_release_makes_id_stale_and_drops_reference)
{
	struct capos_sqe rel = { .opcode = CAPOS_OP_RELEASE, .user_data = 3 };
	struct capos_sqe s;
	struct capos_cqe cqe;

	setup();
	rel.cap_id = cap_call;
	cqe = run1(&rel);
	CHECK_EQ(cqe.result, 0);
	CHECK_EQ(cqe.opcode, CAPOS_OP_RELEASE);
	CHECK_EQ(kobj_refs(&obj.k), 2);
	cqe = run1(&rel);
	CHECK_EQ(cqe.result, CAPOS_ERR_STALE_CAP);
	s = call_sqe();
	cqe = run1(&s);
	CHECK_EQ(cqe.result, CAPOS_ERR_STALE_CAP);
	rel.cap_id = cap_none;
	CHECK_EQ(run1(&rel).result, 0);
	rel.cap_id = cap_recv;
	CHECK_EQ(run1(&rel).result, 0);
	CHECK_EQ(obj.destroyed, 1);
	teardown();
}

TEST(dispatch_release_during_call_keeps_object_alive_until_done)
{
	struct capos_sqe s;
	struct capos_cqe cqe;

	setup();
	fake_self_id = cap_call;
	s = call_sqe();
	s.method_id = FAKE_M_RELEASE_SELF;
	cqe = run1(&s);
	CHECK_EQ(cqe.result, 16);
	CHECK_EQ(obj.destroyed, 0);
	CHECK_EQ(kobj_refs(&obj.k), 2);
	s.method_id = FAKE_M_ECHO;
	CHECK_EQ(run1(&s).result, CAPOS_ERR_STALE_CAP);
	teardown();
	CHECK_EQ(obj.destroyed, 1);
}

static void submit_flagged(uint8_t op, capos_cap_t cap, uint64_t user_data)
{
	struct capos_sqe s = { .opcode = op, .cap_id = cap, .user_data = user_data,
			       .flags = CAPOS_SQE_F_SKIP_SUCCESS };

	fake_submit(&p, &s);
}

/*
 * NOP and RELEASE with SKIP_SUCCESS: a success posts no CQE and gives its CQ
 * credit back (in_flight returns to what the waiting RECV holds), a failure
 * posts its CQE, in submission order with the unflagged ones around them.
 */
TEST(dispatch_skip_success_posts_only_failures)
{
	struct kobj *owner, *client;
	capos_cap_t own;
	struct capos_sqe nop = { .opcode = CAPOS_OP_NOP, .user_data = 2 };
	struct capos_sqe recv = { .opcode = CAPOS_OP_RECV, .user_data = 1, .result_addr = RESULT,
				  .result_len = 256 };
	struct capos_cqe cqe;

	setup();
	CHECK_EQ(ipc_endpoint_create(0x1234, NULL, &owner, &client), 0);
	CHECK_EQ(cap_table_insert(&p.caps, owner, CAP_RIGHTS_ALL, &own), 0);
	recv.cap_id = own;
	fake_submit(&p, &recv);	/* waits (a facet lives): holds one credit throughout */
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 1);
	CHECK_EQ(fake_reap(&p, &cqe), -1);
	CHECK_EQ(p.ring.in_flight, 1);
	submit_flagged(CAPOS_OP_NOP, 0, 10);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 1);
	CHECK_EQ(fake_reap(&p, &cqe), -1);
	CHECK_EQ(p.ring.in_flight, 1);
	submit_flagged(CAPOS_OP_NOP, 0, 11);
	fake_submit(&p, &nop);
	submit_flagged(CAPOS_OP_RELEASE, cap_none, 12);	/* succeeds */
	submit_flagged(CAPOS_OP_RELEASE, cap_none, 13);	/* now stale */
	submit_flagged(CAPOS_OP_NOP, 0, 14);
	submit_flagged(CAPOS_OP_RELEASE, CAPOS_CAP_INVALID, 15);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 6);
	CHECK_EQ(p.ring.in_flight, 1);
	CHECK_EQ(kobj_refs(&obj.k), 2);	/* cap_none's reference is gone */
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 2);
	CHECK_EQ(cqe.result, 0);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 13);
	CHECK_EQ(cqe.result, CAPOS_ERR_STALE_CAP);
	CHECK_EQ(cqe.opcode, CAPOS_OP_RELEASE);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 15);
	CHECK_EQ(cqe.result, CAPOS_ERR_INVALID_CAP);
	CHECK_EQ(fake_reap(&p, &cqe), -1);
	/* A full SQ of skipped NOPs: nothing posted, every credit back. */
	for (int i = 0; i < (int)CAPOS_RING_SQ_ENTRIES; i++)
		submit_flagged(CAPOS_OP_NOP, 0, 100 + (uint64_t)i);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), (int)CAPOS_RING_SQ_ENTRIES);
	CHECK_EQ(fake_reap(&p, &cqe), -1);
	CHECK_EQ(p.ring.in_flight, 1);
	CHECK_EQ(p.ring.cq_overflow, 0);
	kobj_put(client);	/* the last facet: the RECV answers NO_CLIENTS */
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 1);
	CHECK_EQ(cqe.result, CAPOS_ERR_NO_CLIENTS);
	teardown();
	CHECK_EQ(kstub_kmalloc_live, live0);
}

/*
 * RETURN with SKIP_SUCCESS to this process's own endpoint: the RETURN posts
 * nothing, the caller's CQE carries the answer, and in_flight is 0 after;
 * RETURN of an unknown call id with the flag still posts NO_SUCH_CALL.
 */
TEST(dispatch_skip_success_return_posts_only_the_answer)
{
	struct kobj *owner, *client;
	capos_cap_t own, fac;
	struct capos_recv_header h;
	struct capos_cqe cqe;
	struct capos_sqe call = call_sqe(), recv = { .opcode = CAPOS_OP_RECV, .user_data = 2,
						     .result_addr = RESULT + 4096,
						     .result_len = 256 };
	struct capos_sqe ret = { .opcode = CAPOS_OP_RETURN, .user_data = 3,
				 .flags = CAPOS_SQE_F_SKIP_SUCCESS, .params_addr = PARAMS + 64,
				 .params_len = 24 };
	int i;

	setup();
	for (i = 0; i < 128; i++)
		params_mem[i] = (uint8_t)(0x40 + i);
	CHECK_EQ(ipc_endpoint_create(0x1234, NULL, &owner, &client), 0);
	CHECK_EQ(cap_table_insert(&p.caps, owner, CAP_RIGHTS_ALL, &own), 0);
	CHECK_EQ(cap_table_insert(&p.caps, client, CAP_RIGHTS_ALL, &fac), 0);
	call.cap_id = fac;
	call.user_data = 1;
	recv.cap_id = own;
	ret.cap_id = own;
	fake_submit(&p, &call);
	fake_submit(&p, &recv);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 2);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 2);
	CHECK_EQ(cqe.result, (int)(sizeof(h) + 16));
	memcpy(&h, result_mem + 4096, sizeof(h));
	CHECK(memcmp(result_mem + 4096 + sizeof(h), params_mem, 16) == 0);
	CHECK_EQ(p.ring.in_flight, 1);	/* the CALL */
	ret.call_id = cqe.call_id + 7;
	CHECK_EQ(run1(&ret).result, CAPOS_ERR_NO_SUCH_CALL);
	ret.call_id = cqe.call_id;
	fake_submit(&p, &ret);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 1);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 1);	/* the answer, and no RETURN CQE */
	CHECK_EQ(cqe.opcode, CAPOS_OP_CALL);
	CHECK_EQ(cqe.result, 24);
	CHECK(memcmp(result_mem, params_mem + 64, 24) == 0);
	CHECK_EQ(fake_reap(&p, &cqe), -1);
	CHECK_EQ(p.ring.in_flight, 0);
	/* Answered: a second RETURN of the same id fails, and says so. */
	CHECK_EQ(run1(&ret).result, CAPOS_ERR_NO_SUCH_CALL);
	CHECK_EQ(p.ring.in_flight, 0);
	teardown();
	CHECK_EQ(kstub_kmalloc_live, live0);
}

/* Writes one transfer descriptor at PARAMS + 1024 and returns a CALL sending it. */
static struct capos_sqe xfer_sqe(capos_cap_t id, uint8_t mode, uint8_t scope, uint16_t flags)
{
	struct capos_xfer x = { .cap_id = id, .mode = mode, .scope = scope, .flags = flags };
	struct capos_sqe s = call_sqe();

	memcpy(params_mem + 1024, &x, sizeof(x));
	s.xfer_count = 1;
	s.xfer_addr = PARAMS + 1024;
	return s;
}

TEST(dispatch_call_sends_transferable_caps_to_the_object)
{
	struct fake_obj pinned;
	capos_cap_t all, pin, stale;
	struct capos_sqe s;
	struct capos_cqe cqe;

	setup();
	kobj_get(&obj.k);
	CHECK_EQ(cap_table_insert(&p.caps, &obj.k, CAP_RIGHTS_ALL, &all), 0);
	fake_obj_init_pinned(&pinned);
	CHECK_EQ(cap_table_insert(&p.caps, &pinned.k, CAP_RIGHTS_ALL, &pin), 0);
	kobj_get(&obj.k);
	CHECK_EQ(cap_table_insert(&p.caps, &obj.k, CAP_RIGHTS_ALL, &stale), 0);
	CHECK_EQ(cap_table_remove(&p.caps, stale), 0);
	s = xfer_sqe(all, CAPOS_XFER_COPY, 0, 0);
	cqe = run1(&s);
	CHECK_EQ(cqe.result, 16);
	CHECK_EQ(obj.last_xfer_in, 1);
	CHECK_EQ(kobj_refs(&obj.k), 4);	/* the call's reference is gone again */
	s = xfer_sqe(cap_call, CAPOS_XFER_COPY, 0, 0);
	CHECK_EQ(run1(&s).result, CAPOS_ERR_NOT_TRANSFERABLE);	/* slot lacks TRANSFER */
	s = xfer_sqe(pin, CAPOS_XFER_COPY, 0, 0);
	CHECK_EQ(run1(&s).result, CAPOS_ERR_NOT_TRANSFERABLE);	/* object refuses */
	s = xfer_sqe(stale, CAPOS_XFER_COPY, 0, 0);
	CHECK_EQ(run1(&s).result, CAPOS_ERR_STALE_CAP);
	s = xfer_sqe(all, 7, 0, 0);
	CHECK_EQ(run1(&s).result, CAPOS_ERR_INVALID_XFER);
	s = xfer_sqe(all, CAPOS_XFER_COPY, 1, 0);
	CHECK_EQ(run1(&s).result, CAPOS_ERR_INVALID_XFER);
	s = xfer_sqe(all, CAPOS_XFER_COPY, 0, 2);	/* a flag nobody defined */
	CHECK_EQ(run1(&s).result, CAPOS_ERR_INVALID_XFER);
	s = xfer_sqe(all, CAPOS_XFER_COPY, 0, 0);
	s.xfer_addr = UNMAPPED;
	CHECK_EQ(run1(&s).result, CAPOS_ERR_BAD_ADDRESS);
	CHECK_EQ(obj.calls, 1);
	CHECK_EQ(kobj_refs(&obj.k), 4);
	/* A move: the object gets the capability and the caller's slot is gone after the call. */
	s = xfer_sqe(all, CAPOS_XFER_MOVE, 0, 0);
	CHECK_EQ(run1(&s).result, 16);
	CHECK_EQ(obj.calls, 2);
	CHECK_EQ(kobj_refs(&obj.k), 3);
	s = xfer_sqe(all, CAPOS_XFER_COPY, 0, 0);
	CHECK_EQ(run1(&s).result, CAPOS_ERR_STALE_CAP);
	CHECK_EQ(kobj_refs(&pinned.k), 1);
	teardown();
	CHECK_EQ(pinned.destroyed, 1);
}

/*
 * A transfer installs the rights of the sender's slot, never more (M5: it
 * installed CAP_RIGHTS_ALL): a slot with CALL and TRANSFER but not RECV
 * arrives as such, and so does one with TRANSFER alone.
 */
TEST(xfer_install_gives_the_senders_rights_never_more)
{
	const uint32_t narrow[2] = { CAP_RIGHT_CALL | CAP_RIGHT_TRANSFER, CAP_RIGHT_TRANSFER };
	struct capos_xfer_result rec[1];
	struct cap_xfer x[CAPOS_XFER_MAX];
	struct cap_table dest;
	struct kobj *got;
	uint32_t n, rights;
	capos_cap_t id;

	setup();
	CHECK_EQ(cap_table_init(&dest, 4), 0);
	for (int i = 0; i < 2; i++) {
		struct capos_xfer d = { .mode = CAPOS_XFER_COPY };

		kobj_get(&obj.k);
		CHECK_EQ(cap_table_insert(&p.caps, &obj.k, narrow[i], &id), 0);
		d.cap_id = id;
		memcpy(params_mem + 1024, &d, sizeof(d));
		CHECK_EQ(cap_xfer_collect(&p.caps, p.caller.as, PARAMS + 1024, 1, x, &n), 0);
		CHECK_EQ(cap_xfer_install(&dest, x, n, rec), 0);
		cap_xfer_put(x, n);
		CHECK_EQ(cap_table_lookup(&dest, rec[0].cap_id, &got, &rights), 0);
		CHECK_EQ(rights, narrow[i]);
		kobj_put(got);
	}
	cap_table_destroy(&dest);
	teardown();
}

/*
 * A kernel object gets the sender's rights with each capability it is sent
 * (what ProcessSpawner grants and Revoker.wrap copies): no more.
 */
TEST(call_handler_sees_the_senders_rights)
{
	struct capos_sqe s;
	capos_cap_t id;

	setup();
	kobj_get(&obj.k);
	CHECK_EQ(cap_table_insert(&p.caps, &obj.k, CAP_RIGHT_CALL | CAP_RIGHT_TRANSFER, &id), 0);
	s = xfer_sqe(id, CAPOS_XFER_COPY, 0, 0);
	CHECK_EQ(run1(&s).result, 16);
	CHECK_EQ(obj.last_xfer_in, 1);
	CHECK_EQ(obj.last_xfer_rights, CAP_RIGHT_CALL | CAP_RIGHT_TRANSFER);
	teardown();
}

/*
 * CAPOS_XFER_F_DROP_TRANSFER: the receiver's copy (an object's, a spawned
 * child's grant) has no TRANSFER right; the sender keeps its own.
 */
TEST(drop_transfer_flag_gives_the_receiver_no_transfer_right)
{
	struct kobj *got;
	struct capos_sqe s;
	capos_cap_t id;
	uint32_t rights;

	setup();
	kobj_get(&obj.k);
	CHECK_EQ(cap_table_insert(&p.caps, &obj.k, CAP_RIGHT_CALL | CAP_RIGHT_TRANSFER, &id), 0);
	s = xfer_sqe(id, CAPOS_XFER_COPY, 0, CAPOS_XFER_F_DROP_TRANSFER);
	CHECK_EQ(run1(&s).result, 16);
	CHECK_EQ(obj.last_xfer_in, 1);
	CHECK_EQ(obj.last_xfer_rights, CAP_RIGHT_CALL);
	CHECK_EQ(cap_table_lookup(&p.caps, id, &got, &rights), 0);
	CHECK_EQ(rights, CAP_RIGHT_CALL | CAP_RIGHT_TRANSFER);
	kobj_put(got);
	teardown();
}

TEST(dispatch_call_result_caps_arrive_as_records_after_the_payload)
{
	struct capos_xfer_result rec[2];
	struct kobj *got;
	struct capos_sqe s;
	struct capos_cqe cqe;
	uint32_t before;

	setup();
	before = cap_table_count(&p.caps);
	fake_give = 2;
	s = call_sqe();
	s.method_id = FAKE_M_GIVE;
	s.params_len = 12;	/* records start at the next multiple of 8: 16 */
	cqe = run1(&s);
	CHECK_EQ(cqe.result, 12);
	CHECK_EQ(cqe.written, 12);
	CHECK_EQ(cqe.flags, CAPOS_CQE_F_XFER);
	CHECK_EQ(cqe.xfer_count, 2);
	memcpy(rec, result_mem + 16, sizeof(rec));
	CHECK_EQ(rec[0].interface_id, 0x1234);
	CHECK_EQ(rec[0].reserved, 0);
	CHECK(rec[0].cap_id != rec[1].cap_id);
	CHECK_EQ(cap_table_lookup(&p.caps, rec[1].cap_id, &got, NULL), 0);
	CHECK(got == &obj.k);
	kobj_put(got);
	CHECK_EQ(cap_table_count(&p.caps), before + 2);
	CHECK_EQ(kobj_refs(&obj.k), 5);
	teardown();
	CHECK_EQ(obj.destroyed, 1);
}

TEST(dispatch_call_result_caps_are_all_or_nothing)
{
	struct capos_sqe s;
	struct capos_cqe cqe;
	uint32_t before;

	setup();
	before = cap_table_count(&p.caps);
	fake_give = 3;
	s = call_sqe();
	s.method_id = FAKE_M_GIVE;
	s.result_len = 16 + 2 * 16;	/* room for the payload and 2 of 3 records */
	cqe = run1(&s);
	CHECK_EQ(cqe.result, CAPOS_ERR_RESULT_TOO_SMALL);
	CHECK_EQ(cqe.flags, 0);
	CHECK_EQ(cqe.xfer_count, 0);
	CHECK_EQ(cap_table_count(&p.caps), before);
	CHECK_EQ(kobj_refs(&obj.k), 3);
	/* The answer cannot be copied out: the inserted caps are taken back. */
	s.result_len = 64;
	fake_copy_out_fail = 1;
	cqe = run1(&s);
	fake_copy_out_fail = 0;
	CHECK_EQ(cqe.result, CAPOS_ERR_BAD_ADDRESS);
	CHECK_EQ(cqe.flags, 0);
	CHECK_EQ(cqe.xfer_count, 0);
	CHECK_EQ(cap_table_count(&p.caps), before);
	CHECK_EQ(kobj_refs(&obj.k), 3);
	teardown();
	CHECK_EQ(obj.destroyed, 1);
}

/* Random SQEs: a valid NOP or CALL with 0-3 fields made hostile. */
static void random_sqe(struct capos_sqe *s, uint32_t i)
{
	static const uint64_t addrs[] = { PARAMS, RESULT, RONLY, UNMAPPED, 0, PARAMS + 4,
					  CAPOS_USER_HALF_END - 8, 0xffff800000000000ull,
					  RESULT + BUF_LEN - 64, ~0ull - 7 };
	int k, n = rand() % 4;

	*s = call_sqe();
	s->method_id = (uint16_t)(rand() % 4);	/* never RELEASE_SELF */
	if (rand() % 4 == 0)
		*s = (struct capos_sqe){ .opcode = CAPOS_OP_NOP };
	s->user_data = i;
	for (k = 0; k < n; k++) {
		switch (rand() % 10) {
		case 0:
			s->opcode = (uint8_t)(rand() % 10);
			break;
		case 1:
			s->params_addr = addrs[rand() % 10];
			break;
		case 2:
			s->result_addr = addrs[rand() % 10];
			break;
		case 3:
			s->params_len = (uint32_t)(rand() % 2 ? rand() : rand() % 128);
			break;
		case 4:
			s->result_len = (uint32_t)(rand() % 2 ? rand() : rand() % 256);
			break;
		case 5:
			s->cap_id = (uint32_t)rand();
			break;
		case 6:
			s->flags = (uint16_t)rand();
			break;
		case 7:
			s->xfer_count = (uint8_t)rand();
			break;
		case 8:
			s->method_id = (uint16_t)rand();
			break;
		default:
			memset((uint8_t *)s + rand() % 64, rand(), 1);
			break;
		}
	}
	/* RELEASE of the test's own capability would make the rest of the run stale. */
	if (s->opcode == CAPOS_OP_RELEASE && s->cap_id == cap_call)
		s->cap_id = cap_none;
}

TEST(dispatch_survives_random_hostile_sqes)
{
	struct capos_sqe s;
	struct capos_cqe cqe;
	static uint64_t want[20064];
	uint32_t i, next = 0, sent = 0;
	int ok = 0;

	setup();
	srand(1234);
	fake_self_id = 0;
	for (i = 0; i < 20000; i++)
		params_mem[i % BUF_LEN] = (uint8_t)rand();
	while (sent < 20000) {
		uint32_t batch = 1 + (uint32_t)rand() % 64;

		for (i = 0; i < batch; i++) {
			random_sqe(&s, sent);
			want[sent++] = s.user_data;	/* the scribble may hit user_data */
			fake_submit(&p, &s);
		}
		CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), batch);
		while (!fake_reap(&p, &cqe)) {
			CHECK_EQ(cqe.user_data, want[next]);
			next++;
			CHECK(cqe.result >= 0 || capos_errname(cqe.result) != NULL);
			CHECK(cqe.written <= CAPOS_RESULT_MAX);
			CHECK(cqe.result < 0 || (uint32_t)cqe.result == cqe.written);
			ok += cqe.result >= 0;
		}
	}
	CHECK_EQ(next, sent);
	CHECK(ok > 1000);	/* 2,502 with this seed */
	CHECK_EQ(p.ring.in_flight, 0);
	CHECK_EQ(p.ring.cq_overflow, 0);
	teardown();
	CHECK_EQ(kstub_kmalloc_live, live0);
}

/* ---- RECV | REPLY ----------------------------------------------------------------------- */

#define RECV_WITH(field, v) { "RECV " #field, { .opcode = CAPOS_OP_RECV, .user_data = 9, \
						 .field = v }, CAPOS_ERR_RESERVED_NONZERO }
#define REPLY_WITH(field, v, err) { "RECV | REPLY " #field, { .opcode = CAPOS_OP_RECV,    \
		.user_data = 10, .flags = CAPOS_SQE_F_REPLY, .field = v }, err }

/*
 * REPLY is accepted on RECV only; EXCEPTION on RECV only with REPLY;
 * SKIP_SUCCESS never on RECV. An accepted SQE on cap 0 gets past validation
 * and fails at the capability (INVALID_CAP).
 */
TEST(dispatch_recv_reply_flags)
{
	static const struct bad_case cases[] = {
		{ "RECV | REPLY", { .opcode = CAPOS_OP_RECV, .flags = CAPOS_SQE_F_REPLY },
		  CAPOS_ERR_INVALID_CAP },
		{ "RECV | REPLY | EXCEPTION",
		  { .opcode = CAPOS_OP_RECV, .flags = CAPOS_SQE_F_REPLY | CAPOS_SQE_F_EXCEPTION },
		  CAPOS_ERR_INVALID_CAP },
		{ "RECV | EXCEPTION without REPLY",
		  { .opcode = CAPOS_OP_RECV, .flags = CAPOS_SQE_F_EXCEPTION },
		  CAPOS_ERR_INVALID_FLAGS },
		{ "RECV | REPLY | SKIP_SUCCESS",
		  { .opcode = CAPOS_OP_RECV, .flags = CAPOS_SQE_F_REPLY | CAPOS_SQE_F_SKIP_SUCCESS },
		  CAPOS_ERR_INVALID_FLAGS },
		{ "RECV | REPLY | EXCEPTION | SKIP_SUCCESS",
		  { .opcode = CAPOS_OP_RECV, .flags = CAPOS_SQE_F_REPLY | CAPOS_SQE_F_EXCEPTION |
						     CAPOS_SQE_F_SKIP_SUCCESS },
		  CAPOS_ERR_INVALID_FLAGS },
		{ "RECV | REPLY | THREAD_OWNED",
		  { .opcode = CAPOS_OP_RECV, .flags = CAPOS_SQE_F_REPLY | CAPOS_SQE_F_THREAD_OWNED },
		  CAPOS_ERR_INVALID_FLAGS },
		{ "REPLY on RETURN", { .opcode = CAPOS_OP_RETURN, .flags = CAPOS_SQE_F_REPLY },
		  CAPOS_ERR_INVALID_FLAGS },
		{ "REPLY on NOP", { .opcode = CAPOS_OP_NOP, .flags = CAPOS_SQE_F_REPLY },
		  CAPOS_ERR_INVALID_FLAGS },
		{ "REPLY on RELEASE", { .opcode = CAPOS_OP_RELEASE, .flags = CAPOS_SQE_F_REPLY },
		  CAPOS_ERR_INVALID_FLAGS },
	};
	struct bad_case call = { "REPLY on CALL", call_sqe(), CAPOS_ERR_INVALID_FLAGS };

	setup();
	CHECK_CASES(cases);
	call.sqe.flags = CAPOS_SQE_F_REPLY;
	{
		struct bad_case one[1] = { call };

		CHECK_CASES(one);
	}
	teardown();
}

/*
 * A plain RECV uses no RETURN field; RECV | REPLY uses them all (and its
 * result buffer), but method_id, pipeline_field and word 7 stay reserved.
 */
TEST(dispatch_recv_reply_reserved_fields)
{
	static const struct bad_case cases[] = {
		RECV_WITH(params_addr, PARAMS), RECV_WITH(params_len, 8), RECV_WITH(call_id, 1),
		RECV_WITH(xfer_addr, PARAMS), RECV_WITH(method_id, 1), RECV_WITH(thread_id, 1),
		{ "RECV xfer_count and xfer_addr", { .opcode = CAPOS_OP_RECV, .xfer_count = 1,
						     .xfer_addr = PARAMS },
		  CAPOS_ERR_RESERVED_NONZERO },
		REPLY_WITH(method_id, 1, CAPOS_ERR_RESERVED_NONZERO),
		REPLY_WITH(pipeline_field, 1, CAPOS_ERR_RESERVED_NONZERO),
		REPLY_WITH(thread_id, 1, CAPOS_ERR_RESERVED_NONZERO),
		REPLY_WITH(pipeline_dep, 1, CAPOS_ERR_RESERVED_NONZERO),
		/* xfer_addr without descriptors means nothing: still reserved. */
		REPLY_WITH(xfer_addr, PARAMS, CAPOS_ERR_RESERVED_NONZERO),
		/* The fields a RETURN uses pass validation. */
		REPLY_WITH(call_id, 1, CAPOS_ERR_INVALID_CAP),
		REPLY_WITH(params_addr, PARAMS, CAPOS_ERR_INVALID_CAP),
		REPLY_WITH(params_len, 8, CAPOS_ERR_INVALID_CAP),
		REPLY_WITH(result_addr, RESULT, CAPOS_ERR_INVALID_CAP),
		REPLY_WITH(result_len, 64, CAPOS_ERR_INVALID_CAP),
		{ "RECV | REPLY with every field it uses",
		  { .opcode = CAPOS_OP_RECV, .flags = CAPOS_SQE_F_REPLY, .call_id = 7,
		    .params_addr = PARAMS, .params_len = 16, .xfer_count = 2, .xfer_addr = PARAMS,
		    .result_addr = RESULT, .result_len = 256 },
		  CAPOS_ERR_INVALID_CAP },
	};

	setup();
	CHECK_CASES(cases);
	teardown();
}

TEST(dispatch_recv_reply_lengths_and_alignment)
{
	static const struct bad_case cases[] = {
		REPLY_WITH(params_addr, PARAMS + 4, CAPOS_ERR_MISALIGNED),
		REPLY_WITH(result_addr, RESULT + 2, CAPOS_ERR_MISALIGNED),
		{ "RECV | REPLY misaligned xfer_addr",
		  { .opcode = CAPOS_OP_RECV, .flags = CAPOS_SQE_F_REPLY, .xfer_count = 1,
		    .xfer_addr = PARAMS + 1 }, CAPOS_ERR_MISALIGNED },
		REPLY_WITH(params_len, CAPOS_PARAMS_MAX + 1, CAPOS_ERR_TOO_LARGE),
		REPLY_WITH(result_len, CAPOS_RESULT_MAX + 1, CAPOS_ERR_TOO_LARGE),
		{ "RECV | REPLY xfer_count 17",
		  { .opcode = CAPOS_OP_RECV, .flags = CAPOS_SQE_F_REPLY,
		    .xfer_count = CAPOS_XFER_MAX + 1, .xfer_addr = PARAMS }, CAPOS_ERR_TOO_LARGE },
		/* Step 4 before step 5. */
		{ "RECV | REPLY length before alignment",
		  { .opcode = CAPOS_OP_RECV, .flags = CAPOS_SQE_F_REPLY, .params_addr = PARAMS + 4,
		    .params_len = CAPOS_PARAMS_MAX + 1 }, CAPOS_ERR_TOO_LARGE },
		REPLY_WITH(params_addr, 0xffff800000000000ull, CAPOS_ERR_BAD_ADDRESS),
		{ "RECV | REPLY params crossing into the kernel half",
		  { .opcode = CAPOS_OP_RECV, .flags = CAPOS_SQE_F_REPLY,
		    .params_addr = CAPOS_USER_HALF_END - 8, .params_len = 16 },
		  CAPOS_ERR_BAD_ADDRESS },
	};

	setup();
	CHECK_CASES(cases);
	teardown();
}

/*
 * docs/ring.md "SQE validation" steps 1-5, written out field by field as
 * the document states them (RECV | REPLY as include/capos/ring.h describes
 * it): the reference ring_sqe_check must agree with.
 */
static int ref_sqe_check(const struct capos_sqe *s)
{
	uint8_t op = s->opcode;
	bool reply = op == CAPOS_OP_RECV && (s->flags & CAPOS_SQE_F_REPLY);
	uint16_t accepted = 0;
	bool use_cap, use_params, use_result, use_method, use_call_id;
	uint64_t xfer_bytes = (uint64_t)s->xfer_count * sizeof(struct capos_xfer);

	/* PARK and UNPARK: their own rule (include/capos/ring.h). */
	if (op == CAPOS_OP_PARK || op == CAPOS_OP_UNPARK) {
		bool park = op == CAPOS_OP_PARK;

		if (s->flags != (park ? CAPOS_SQE_F_THREAD_OWNED : 0))
			return CAPOS_ERR_INVALID_FLAGS;
		if (s->cap_id || s->xfer_count || s->xfer_addr || s->result_len || s->method_id ||
		    s->pipeline_field || s->call_id || s->pipeline_dep ||
		    (!park && (s->result_addr || s->thread_id)))
			return CAPOS_ERR_RESERVED_NONZERO;
		if (s->params_addr & 3)
			return CAPOS_ERR_MISALIGNED;
		if (s->params_addr >= CAPOS_USER_HALF_END - 4)
			return CAPOS_ERR_BAD_ADDRESS;
		return 0;
	}
	/* 1: opcode, FINISH reserved. */
	if (op != CAPOS_OP_NOP && op != CAPOS_OP_CALL && op != CAPOS_OP_RECV &&
	    op != CAPOS_OP_RETURN && op != CAPOS_OP_RELEASE)
		return CAPOS_ERR_INVALID_OPCODE;
	/* 2: flags. */
	if (op == CAPOS_OP_NOP || op == CAPOS_OP_RELEASE)
		accepted = CAPOS_SQE_F_SKIP_SUCCESS;
	else if (op == CAPOS_OP_RETURN)
		accepted = CAPOS_SQE_F_EXCEPTION | CAPOS_SQE_F_SKIP_SUCCESS;
	else if (reply)
		accepted = CAPOS_SQE_F_REPLY | CAPOS_SQE_F_EXCEPTION;
	if (s->flags & ~accepted)
		return CAPOS_ERR_INVALID_FLAGS;
	/* 3: fields the opcode does not use; no flag enables the pipeline or thread fields. */
	use_cap = op != CAPOS_OP_NOP;
	use_params = op == CAPOS_OP_CALL || op == CAPOS_OP_RETURN || reply; /* and xfer */
	use_result = op == CAPOS_OP_CALL || op == CAPOS_OP_RECV;
	use_method = op == CAPOS_OP_CALL;
	use_call_id = op == CAPOS_OP_RETURN || reply;
	if ((!use_cap && s->cap_id) ||
	    (!use_params && (s->params_addr || s->params_len || s->xfer_count || s->xfer_addr)) ||
	    (!use_result && (s->result_addr || s->result_len)) ||
	    (!use_method && s->method_id) || (!use_call_id && s->call_id) ||
	    s->pipeline_field || s->pipeline_dep || s->thread_id ||
	    (s->xfer_count == 0 && s->xfer_addr))
		return CAPOS_ERR_RESERVED_NONZERO;
	/* 4: lengths. */
	if (s->params_len > CAPOS_PARAMS_MAX || s->result_len > CAPOS_RESULT_MAX ||
	    s->xfer_count > CAPOS_XFER_MAX)
		return CAPOS_ERR_TOO_LARGE;
	/* 5: alignment, then each buffer inside the user half (length 0 too), no wrap. */
	if (s->params_addr % CAPOS_BUF_ALIGN || s->result_addr % CAPOS_BUF_ALIGN ||
	    s->xfer_addr % CAPOS_BUF_ALIGN)
		return CAPOS_ERR_MISALIGNED;
	if (s->params_addr >= CAPOS_USER_HALF_END ||
	    s->params_len > CAPOS_USER_HALF_END - s->params_addr ||
	    s->result_addr >= CAPOS_USER_HALF_END ||
	    s->result_len > CAPOS_USER_HALF_END - s->result_addr ||
	    s->xfer_addr >= CAPOS_USER_HALF_END || xfer_bytes > CAPOS_USER_HALF_END - s->xfer_addr)
		return CAPOS_ERR_BAD_ADDRESS;
	return 0;
}

static uint64_t lcg_state;

static uint32_t lcg(void)
{
	lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(lcg_state >> 33);
}

/* A value for an address field: mostly good, sometimes misaligned, high or wild. */
static uint64_t lcg_addr(void)
{
	static const uint64_t addrs[] = { PARAMS, RESULT, 0, 8, PARAMS + 4, RESULT + 1,
					  CAPOS_USER_HALF_END - 8, CAPOS_USER_HALF_END - 65536,
					  CAPOS_USER_HALF_END, 0xffff800000000000ull, ~0ull - 7 };
	uint32_t k = lcg() % 16;

	return k < 11 ? addrs[k] : ((uint64_t)lcg() << 32 | lcg()) & ~(k == 15 ? 0ull : 7ull);
}

/* A value for a length field: mostly small, sometimes at or past the limit. */
static uint32_t lcg_len(void)
{
	static const uint32_t lens[] = { 0, 8, 64, 65536, 65537, 0xffffffffu };
	uint32_t k = lcg() % 8;

	return k < 6 ? lens[k] : lcg();
}

/*
 * An SQE that starts valid for a random opcode (flags from the ones that
 * matter, the opcode's fields filled), then has 0-3 fields set at random.
 */
static void lcg_sqe(struct capos_sqe *s)
{
	static const uint16_t flag_sets[] = {
		0, CAPOS_SQE_F_REPLY, CAPOS_SQE_F_REPLY | CAPOS_SQE_F_EXCEPTION,
		CAPOS_SQE_F_EXCEPTION, CAPOS_SQE_F_SKIP_SUCCESS,
		CAPOS_SQE_F_EXCEPTION | CAPOS_SQE_F_SKIP_SUCCESS,
		CAPOS_SQE_F_REPLY | CAPOS_SQE_F_SKIP_SUCCESS, CAPOS_SQE_F_THREAD_OWNED,
	};
	uint32_t k, n = lcg() % 4;

	memset(s, 0, sizeof(*s));
	s->opcode = (uint8_t)(lcg() % 8 == 0 ? lcg() % 256 : lcg() % (CAPOS_OP_RELEASE + 1));
	s->flags = flag_sets[lcg() % 8];
	if (s->opcode != CAPOS_OP_NOP)
		s->cap_id = lcg();
	if (s->opcode == CAPOS_OP_CALL || s->opcode == CAPOS_OP_RECV) {
		s->result_addr = RESULT;
		s->result_len = lcg() % 4096 & ~7u;
	}
	if (s->opcode == CAPOS_OP_CALL || s->opcode == CAPOS_OP_RETURN ||
	    (s->opcode == CAPOS_OP_RECV && (s->flags & CAPOS_SQE_F_REPLY))) {
		s->params_addr = PARAMS;
		s->params_len = lcg() % 4096;
		s->xfer_count = (uint8_t)(lcg() % 3);
		s->xfer_addr = s->xfer_count ? PARAMS + 1024 : 0;
		s->call_id = s->opcode == CAPOS_OP_CALL ? 0 : lcg();
		s->method_id = s->opcode == CAPOS_OP_CALL ? (uint16_t)lcg() : 0;
	}
	for (k = 0; k < n; k++) {
		switch (lcg() % 12) {
		case 0: s->opcode = (uint8_t)lcg(); break;
		case 1: s->flags = (uint16_t)(1u << (lcg() % 16)) | s->flags; break;
		case 2: s->params_addr = lcg_addr(); break;
		case 3: s->result_addr = lcg_addr(); break;
		case 4: s->xfer_addr = lcg_addr(); break;
		case 5: s->params_len = lcg_len(); break;
		case 6: s->result_len = lcg_len(); break;
		case 7: s->xfer_count = (uint8_t)(lcg() % 2 ? lcg() % 20 : lcg()); break;
		case 8: s->call_id = lcg() % 2 ? lcg() : 0; break;
		case 9: s->method_id = (uint16_t)(lcg() % 2 ? lcg() : 0); break;
		case 10: s->flags ^= CAPOS_SQE_F_REPLY; break;
		default:	/* one of the never-used fields, or cap_id */
			switch (lcg() % 4) {
			case 0: s->pipeline_field = (uint16_t)lcg(); break;
			case 1: s->pipeline_dep = lcg(); break;
			case 2: s->thread_id = lcg(); break;
			default: s->cap_id = lcg() % 2 ? lcg() : 0; break;
			}
		}
	}
}

/*
 * ring_sqe_check (the kernel's table-driven, constant-folding variant in
 * sqe_check.h) agrees with ref_sqe_check on 500,000 SQEs, and the
 * generator reaches every outcome often enough for that to mean something.
 */
TEST(sqe_check_matches_the_documented_rule)
{
	static const int outcomes[] = { 0, CAPOS_ERR_INVALID_OPCODE, CAPOS_ERR_INVALID_FLAGS,
					CAPOS_ERR_RESERVED_NONZERO, CAPOS_ERR_TOO_LARGE,
					CAPOS_ERR_MISALIGNED, CAPOS_ERR_BAD_ADDRESS };
	unsigned seen[7] = { 0 }, reply_ok = 0;
	struct capos_sqe s;
	uint32_t i, k;

	lcg_state = 0x5eedu;
	for (i = 0; i < 500000; i++) {
		int got, want;

		lcg_sqe(&s);
		got = ring_sqe_check(&s);
		want = ref_sqe_check(&s);
		if (got != want) {
			snprintf(test_why, sizeof(test_why),
				 "SQE %u op %u flags %#x: ring_sqe_check %s, the rule says %s", i,
				 s.opcode, s.flags, capos_errname(got), capos_errname(want));
			test_failed_at = test_why;
			return;
		}
		for (k = 0; k < 7; k++)
			seen[k] += got == outcomes[k];
		reply_ok += got == 0 && s.opcode == CAPOS_OP_RECV && (s.flags & CAPOS_SQE_F_REPLY);
	}
	for (k = 0; k < 7; k++)
		CHECK(seen[k] >= 1000);
	CHECK(reply_ok >= 1000);
}

/* An endpoint this process owns (own) and calls (fac), for RECV | REPLY through the dispatcher. */
static void reply_setup(capos_cap_t *own, capos_cap_t *fac)
{
	struct kobj *owner, *client;

	setup();
	for (int i = 0; i < 256; i++)
		params_mem[i] = (uint8_t)(0x11 * i + 3);
	if (ipc_endpoint_create(0x1234, NULL, &owner, &client) ||
	    cap_table_insert(&p.caps, owner, CAP_RIGHTS_ALL, own) ||
	    cap_table_insert(&p.caps, client, CAP_RIGHTS_ALL, fac))
		abort();
}

/* Submits a CALL of 16 params bytes (answer at RESULT) and a RECV that takes it; returns its id. */
static uint32_t reply_first_call(capos_cap_t own, capos_cap_t fac)
{
	struct capos_sqe call = call_sqe(), recv = { .opcode = CAPOS_OP_RECV, .user_data = 2,
						     .cap_id = own, .result_addr = RESULT + 4096,
						     .result_len = 256 };
	struct capos_cqe cqe;

	call.cap_id = fac;
	call.user_data = 1;
	fake_submit(&p, &call);
	fake_submit(&p, &recv);
	if (ring_consume(&p.ring, &p.caller, 64) != 2 || fake_reap(&p, &cqe) || cqe.user_data != 2 ||
	    cqe.result != (int)(sizeof(struct capos_recv_header) + 16))
		abort();
	return cqe.call_id;
}

/*
 * RECV | REPLY of an unknown call id: NO_SUCH_CALL with REPLY_FAILED at
 * once, and nothing received (a CALL after it finds no receiver waiting). A
 * plain RECV then takes that CALL, and a RECV | REPLY answering it delivers
 * the answer and waits for the next call, posting nothing until then.
 */
TEST(dispatch_recv_reply_unknown_call_receives_nothing)
{
	capos_cap_t own, fac;
	struct capos_sqe call = call_sqe();
	struct capos_sqe rr = { .opcode = CAPOS_OP_RECV, .flags = CAPOS_SQE_F_REPLY, .user_data = 5,
				.params_addr = PARAMS + 128, .params_len = 24,
				.result_addr = RESULT + 4096, .result_len = 256 };
	struct capos_cqe cqe;
	uint32_t id;

	reply_setup(&own, &fac);
	id = reply_first_call(own, fac);
	rr.cap_id = own;
	rr.call_id = id + 7;
	cqe = run1(&rr);
	CHECK_EQ(cqe.result, CAPOS_ERR_NO_SUCH_CALL);
	CHECK_EQ(cqe.flags, CAPOS_CQE_F_REPLY_FAILED);
	CHECK_EQ(cqe.opcode, CAPOS_OP_RECV);
	CHECK_EQ(cqe.user_data, 5);
	CHECK_EQ(cqe.written, 0);
	CHECK_EQ(p.ring.in_flight, 1);	/* the first CALL only */
	/* Answer the first call properly; the SQE then waits as a RECV. */
	rr.call_id = id;
	fake_submit(&p, &rr);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 1);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 1);
	CHECK_EQ(cqe.opcode, CAPOS_OP_CALL);
	CHECK_EQ(cqe.result, 24);
	CHECK_EQ(cqe.flags, 0);
	CHECK(memcmp(result_mem, params_mem + 128, 24) == 0);
	CHECK_EQ(fake_reap(&p, &cqe), -1);
	CHECK_EQ(p.ring.in_flight, 1);	/* the waiting RECV */
	/* The next call goes to that RECV. */
	call.cap_id = fac;
	call.user_data = 3;
	fake_submit(&p, &call);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 1);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 5);
	CHECK_EQ(cqe.flags, 0);
	CHECK_EQ(cqe.result, (int)(sizeof(struct capos_recv_header) + 16));
	/* A failed reply leaves no receiver: this CALL waits unreceived. */
	id = cqe.call_id;
	rr.call_id = id + 1;
	CHECK_EQ(run1(&rr).flags, CAPOS_CQE_F_REPLY_FAILED);
	call.user_data = 4;
	fake_submit(&p, &call);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 1);
	CHECK_EQ(fake_reap(&p, &cqe), -1);
	CHECK_EQ(p.ring.in_flight, 2);	/* two CALLs */
	teardown();
	CHECK_EQ(kstub_kmalloc_live, live0);
}

/*
 * RECV | REPLY | EXCEPTION: CAPOS_CQE_F_REPLY_FAILED says the answer did not
 * go out and the call is still open: an unreadable answer, an unwritable
 * receive buffer, a receive buffer in the kernel half (refused by SQE
 * validation). Then a good one: the caller's CQE is APPLICATION_EXCEPTION
 * with the message, and the RECV waits.
 */
TEST(dispatch_recv_reply_exception_and_bad_buffers)
{
	capos_cap_t own, fac;
	struct capos_sqe rr = { .opcode = CAPOS_OP_RECV, .user_data = 5,
				.flags = CAPOS_SQE_F_REPLY | CAPOS_SQE_F_EXCEPTION,
				.params_addr = PARAMS + 64, .params_len = 32,
				.result_addr = UNMAPPED, .result_len = 256 };
	const uint64_t bad_recv[] = { UNMAPPED, 0xffff800000001000ull };
	struct capos_cqe cqe;
	uint32_t id;

	reply_setup(&own, &fac);
	id = reply_first_call(own, fac);
	rr.cap_id = own;
	rr.call_id = id;
	rr.params_addr = UNMAPPED;
	cqe = run1(&rr);
	CHECK_EQ(cqe.result, CAPOS_ERR_BAD_ADDRESS);
	CHECK_EQ(cqe.flags, CAPOS_CQE_F_REPLY_FAILED);
	CHECK_EQ(p.ring.in_flight, 1);	/* the CALL, still open */
	rr.params_addr = PARAMS + 64;
	for (int i = 0; i < 2; i++) {
		rr.result_addr = bad_recv[i];
		cqe = run1(&rr);
		CHECK_EQ(cqe.user_data, 5);
		CHECK_EQ(cqe.result, CAPOS_ERR_BAD_ADDRESS);
		CHECK_EQ(cqe.flags, CAPOS_CQE_F_REPLY_FAILED);
		CHECK_EQ(fake_reap(&p, &cqe), -1);	/* nothing for the caller */
		CHECK_EQ(p.ring.in_flight, 1);
	}
	rr.result_addr = RESULT + 1024;
	fake_submit(&p, &rr);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 1);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 1);
	CHECK_EQ(cqe.result, CAPOS_ERR_APPLICATION_EXCEPTION);
	CHECK_EQ(cqe.written, 32);
	CHECK(memcmp(result_mem, params_mem + 64, 32) == 0);
	CHECK_EQ(fake_reap(&p, &cqe), -1);
	CHECK_EQ(p.ring.in_flight, 1);	/* the RECV, waiting */
	teardown();
	CHECK_EQ(kstub_kmalloc_live, live0);
}

/*
 * The most one operation gives up under the endpoint lock: a RECV | REPLY
 * whose answer moves 16 capabilities and whose receive takes a queued call
 * that moves 16 more. Every reference lands where it should, and the kernel's
 * deferred-release list (bounded) holds what the delivery gave up.
 */
TEST(dispatch_recv_reply_moving_16_receives_a_call_moving_16)
{
	struct capos_xfer *x;
	capos_cap_t own, fac, ids[2 * CAPOS_XFER_MAX];
	struct kobj *client;
	struct capos_cqe cqe;
	uint32_t id, used0;

	reply_setup(&own, &fac);
	x = (struct capos_xfer *)(params_mem + 2048);
	if (cap_table_lookup(&p.caps, fac, &client, NULL))
		abort();
	for (uint32_t i = 0; i < 2 * CAPOS_XFER_MAX; i++) {
		kobj_get(client);
		if (cap_table_insert(&p.caps, client, CAP_RIGHTS_ALL, &ids[i]))
			abort();
		x[i] = (struct capos_xfer){ .cap_id = ids[i], .mode = CAPOS_XFER_MOVE };
	}
	kobj_put(client);
	struct capos_sqe first = call_sqe(), recv = { .opcode = CAPOS_OP_RECV, .user_data = 2,
						      .cap_id = own, .result_addr = RESULT + 4096,
						      .result_len = 256 };
	first.cap_id = fac;
	first.user_data = 1;
	first.result_len = 1024;	/* room for the answer's 16 records */
	fake_submit(&p, &first);
	fake_submit(&p, &recv);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 2);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 2);
	id = cqe.call_id;
	used0 = cap_table_count(&p.caps);
	struct capos_sqe call = call_sqe(), rr = {
		.opcode = CAPOS_OP_RECV, .flags = CAPOS_SQE_F_REPLY, .cap_id = own, .call_id = id,
		.user_data = 5, .params_addr = PARAMS + 64, .params_len = 32,
		.xfer_addr = PARAMS + 2048, .xfer_count = CAPOS_XFER_MAX,
		.result_addr = RESULT + 8192, .result_len = 1024 };
	call.cap_id = fac;
	call.user_data = 3;
	call.xfer_addr = PARAMS + 2048 + CAPOS_XFER_MAX * sizeof(*x);
	call.xfer_count = CAPOS_XFER_MAX;
	call.result_addr = RESULT + 16384;
	call.result_len = 1024;
	fake_submit(&p, &call);	/* queued: no RECV waits */
	fake_submit(&p, &rr);
	CHECK_EQ(ring_consume(&p.ring, &p.caller, 64), 2);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 1);		/* the first call's answer, 16 caps */
	CHECK_EQ(cqe.result, 32);
	CHECK_EQ(cqe.xfer_count, CAPOS_XFER_MAX);
	CHECK_EQ(fake_reap(&p, &cqe), 0);
	CHECK_EQ(cqe.user_data, 5);		/* the queued call, received with its 16 */
	CHECK_EQ(cqe.flags, CAPOS_CQE_F_XFER);
	CHECK_EQ(cqe.xfer_count, CAPOS_XFER_MAX);
	/* 32 moved away, 32 arrived: the table holds as many as before. */
	CHECK_EQ(cap_table_count(&p.caps), used0);
	CHECK_EQ(cap_table_remove(&p.caps, ids[0]), CAPOS_ERR_STALE_CAP);
	CHECK_EQ(cap_table_remove(&p.caps, ids[2 * CAPOS_XFER_MAX - 1]), CAPOS_ERR_STALE_CAP);
	teardown();
	CHECK_EQ(kstub_kmalloc_live, live0);
}

int main(void)
{
	RUN(dispatch_rejects_unknown_and_reserved_opcodes);
	RUN(dispatch_rejects_unknown_and_unimplemented_flags);
	RUN(dispatch_checks_park_and_unpark_sqes);
	RUN(park_fastpath_takes_its_shapes_and_declines_the_rest);
	RUN(dispatch_skip_success_only_where_a_success_has_no_answer);
	RUN(dispatch_rejects_nonzero_fields_the_opcode_does_not_use);
	RUN(dispatch_rejects_lengths_over_abi_limits);
	RUN(dispatch_rejects_misaligned_buffers);
	RUN(dispatch_rejects_kernel_noncanonical_wrapping_and_unmapped_buffers);
	RUN(dispatch_rejects_bad_stale_and_unauthorised_caps);
	RUN(dispatch_validates_in_documented_order);
	RUN(dispatch_call_passes_params_and_copies_result_out);
	RUN(dispatch_call_result_built_with_capnp_reads_back);
	RUN(dispatch_call_handler_errors_reach_the_cqe);
	RUN(dispatch_call_result_too_small);
	RUN(dispatch_call_exception_is_a_capexception_in_the_result);
	RUN(dispatch_call_out_of_memory_fails_cleanly);
	RUN(dispatch_release_makes_id_stale_and_drops_reference);
	RUN(dispatch_release_during_call_keeps_object_alive_until_done);
	RUN(dispatch_skip_success_posts_only_failures);
	RUN(dispatch_skip_success_return_posts_only_the_answer);
	RUN(dispatch_call_sends_transferable_caps_to_the_object);
	RUN(dispatch_call_result_caps_arrive_as_records_after_the_payload);
	RUN(dispatch_call_result_caps_are_all_or_nothing);
	RUN(dispatch_survives_random_hostile_sqes);
	RUN(dispatch_recv_reply_flags);
	RUN(dispatch_recv_reply_reserved_fields);
	RUN(dispatch_recv_reply_lengths_and_alignment);
	RUN(sqe_check_matches_the_documented_rule);
	RUN(dispatch_recv_reply_unknown_call_receives_nothing);
	RUN(dispatch_recv_reply_exception_and_bad_buffers);
	RUN(dispatch_recv_reply_moving_16_receives_a_call_moving_16);
	RUN(xfer_install_gives_the_senders_rights_never_more);
	RUN(call_handler_sees_the_senders_rights);
	RUN(drop_transfer_flag_gives_the_receiver_no_transfer_right);
	TEST_EXIT();
}
