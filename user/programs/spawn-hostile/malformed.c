// SPDX-License-Identifier: MIT
/*
 * Params that are not a valid ProcessSpawner.spawn message, written word by
 * word (raw.h): the reader must refuse them (MALFORMED_MESSAGE), or where
 * the encoding spec reads them as defaults (a struct shorter than the
 * schema's), the spawner refuses the defaults like any bad field. Then
 * messages no builder of ours writes but the spec allows (a root struct
 * longer than the schema's, from a newer schema): those must spawn.
 */
#include "check.h"
#include "hostile.h"
#include "raw.h"

static struct raw r;

/* Frames r claiming `claimed` words, sends plen bytes of it (all if 0). */
static void send_raw(const char *name, uint32_t claimed, uint32_t plen, struct want w)
{
	uint32_t used = hostile_used(), len = raw_frame(&r, claimed, req_params);
	struct outcome o;

	req_call_raw(0, (uintptr_t)req_params, plen ? plen : len, NULL, 0, (uintptr_t)req_result,
		     REQ_RESULT_BYTES, &o);
	hostile_expect(name, &o, w, used);
}

static struct raw_spawn probe_params(void)
{
	return raw_spawn_params(&r, 0, 3, "probe", "spawn-hostile");
}

/* Framing and root pointer. */
static void framing(void)
{
	struct want bad = WANT_ERR(CAPOS_ERR_MALFORMED_MESSAGE);
	uint32_t used = hostile_used();
	struct outcome o;

	req_call_raw(0, (uintptr_t)req_params, 0, NULL, 0, (uintptr_t)req_result,
		     REQ_RESULT_BYTES, &o);
	hostile_expect("params_empty", &o, bad, used);
	probe_params();
	send_raw("params_cut_in_segment_table", r.n, 4, bad);
	send_raw("segment_longer_than_params", r.n + 4, 0, bad);
	req_params[0] = 0xffffffffull | (uint64_t)r.n << 32;	/* 2^32 segments */
	used = hostile_used();
	req_call_raw(0, (uintptr_t)req_params, 8 + r.n * 8, NULL, 0, (uintptr_t)req_result,
		     REQ_RESULT_BYTES, &o);
	hostile_expect("segment_count_2_pow_32", &o, bad, used);
	r.n = 0;
	send_raw("segment_of_no_words", 0, 0, bad);

	probe_params();
	r.w[0] = raw_struct_ptr(1000, 0, 3);
	send_raw("root_pointer_out_of_bounds", r.n, 0, bad);
	r.w[0] = raw_list_ptr(0, RAW_POINTER, 3);
	send_raw("root_pointer_is_a_list", r.n, 0, bad);
	r.w[0] = raw_far_ptr(5, 0);
	send_raw("root_pointer_far_to_missing_segment", r.n, 0, bad);
}

/* Fields: texts and the grants list. */
static void fields(void)
{
	struct want bad = WANT_ERR(CAPOS_ERR_MALFORMED_MESSAGE);
	struct raw_spawn s = probe_params();
	uint32_t tag;

	((uint8_t *)&r.w[s.name_text])[5] = 'x';	/* "probe" then x where its NUL was */
	send_raw("name_without_nul", r.n, 0, bad);
	s = probe_params();
	r.w[s.binary_ptr] = raw_list_ptr(500, RAW_BYTE, 14);
	send_raw("binary_out_of_bounds", r.n, 0, bad);
	s = probe_params();
	r.w[s.grants_ptr] = raw_list_ptr(500, RAW_COMPOSITE, 3);
	send_raw("grants_out_of_bounds", r.n, 0, bad);
	s = probe_params();
	/* The spec reads a list of bytes as structs with one data byte: grants without names. */
	raw_point_list(&r, s.grants_ptr, s.name_text, RAW_BYTE, 6);
	send_raw("grants_a_list_of_bytes", r.n, 0, WANT_EXC(invalidArgument, "grant names"));

	/*
	 * 2^28 grants of no bytes each: the reader charges every element to the
	 * traversal limit (the spec's defence against amplification), so such a
	 * list is refused as a whole, before its length is even looked at.
	 */
	s = probe_params();
	tag = raw_alloc(&r, 1);
	r.w[tag] = raw_struct_ptr(1 << 28, 0, 0);	/* composite tag: element count */
	raw_point_list(&r, s.grants_ptr, tag, RAW_COMPOSITE, 0);
	send_raw("grants_2_pow_28_empty_structs", r.n, 0, bad);
	s = probe_params();
	r.w[s.grants_ptr] = raw_list_ptr(0, RAW_VOID, 0x1fffffff);
	send_raw("grants_2_pow_29_voids", r.n, 0, bad);
}

/* Structs shorter than the schema's: the missing fields read as their defaults. */
static void short_structs(void)
{
	struct raw_spawn s;
	uint32_t tag;

	raw_spawn_params(&r, 0, 0, "probe", "spawn-hostile");
	send_raw("root_struct_without_pointers", r.n, 0,
		 WANT_EXC(invalidArgument, "the name must be"));
	raw_spawn_params(&r, 0, 1, "probe", "spawn-hostile");
	send_raw("root_struct_without_binary", r.n, 0,
		 WANT_EXC(invalidArgument, "no such binary"));
	s = probe_params();
	tag = raw_alloc(&r, 1);
	r.w[tag] = raw_struct_ptr(1, 0, 0);		/* one grant of no data, no pointers */
	raw_point_list(&r, s.grants_ptr, tag, RAW_COMPOSITE, 0);
	send_raw("grant_struct_empty", r.n, 0, WANT_EXC(invalidArgument, "grant names"));
}

void hostile_malformed(void)
{
	framing();
	fields();
	short_structs();
}

uint32_t hostile_unusual_but_valid(capos_cap_t *handles, uint32_t max)
{
	uint32_t n = 0, used;
	struct outcome o;

	if (max < 1)
		return 0;
	/* A root struct of a newer schema: two data words and five pointers, the extra ones null. */
	raw_spawn_params(&r, 2, 5, "probe", "spawn-hostile");
	used = hostile_used();
	req_call_raw(0, (uintptr_t)req_params, raw_frame(&r, r.n, req_params), NULL, 0,
		     (uintptr_t)req_result, REQ_RESULT_BYTES, &o);
	handles[n] = req_handle(&o);
	if (check(o.ret >= 0 && handles[n] != CAPOS_CAP_INVALID && hostile_used() == used + 1,
		  "root_struct_of_a_newer_schema_spawns", o.ret))
		n++;
	return n;
}
