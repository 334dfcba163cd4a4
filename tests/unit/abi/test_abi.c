// SPDX-License-Identifier: MIT
/*
 * Host tests for the ABI headers in include/capos/: the properties the
 * layout assertions cannot state (power-of-two geometry, error list
 * uniqueness and banding, flag masks, capability id packing, layout order).
 * The headers' own _Static_asserts check sizes and offsets at compile time;
 * check-headers.sh checks that each header compiles alone.
 */
#include <capos/cap.h>
#include <capos/endpoint.h>
#include <capos/errors.h>
#include <capos/interfaces.h>
#include <capos/layout.h>
#include <capos/ring.h>
#include <capos/startup.h>
#include <capos/syscall.h>
#include <capos/tap.h>

#include "../test.h"

static int abi_is_pow2(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

TEST(ring_geometry_is_power_of_two_and_fits)
{
	CHECK(abi_is_pow2(CAPOS_RING_SQ_ENTRIES));
	CHECK(abi_is_pow2(CAPOS_RING_CQ_ENTRIES));
	CHECK(CAPOS_RING_SQ_ENTRIES >= 32);
	CHECK(CAPOS_RING_CQ_ENTRIES >= 2 * CAPOS_RING_SQ_ENTRIES);
	CHECK_EQ(sizeof(struct capos_sqe), 64);
	CHECK_EQ(sizeof(struct capos_cqe), 32);
	CHECK(CAPOS_RING_SQ_OFFSET % 64 == 0);
	CHECK(CAPOS_RING_CQ_OFFSET % 64 == 0);
	CHECK(CAPOS_RING_CQ_OFFSET + CAPOS_RING_CQ_ENTRIES * CAPOS_CQE_SIZE <= CAPOS_RING_SIZE);
}

TEST(ring_index_lines_do_not_share_cache_lines)
{
	CHECK_EQ(offsetof(struct capos_ring_header, sq_tail) / 64, 1);
	CHECK_EQ(offsetof(struct capos_ring_header, cq_head) / 64, 1);
	CHECK_EQ(offsetof(struct capos_ring_header, sq_head) / 64, 2);
	CHECK_EQ(offsetof(struct capos_ring_header, cq_tail) / 64, 2);
	CHECK_EQ(offsetof(struct capos_ring_header, cq_overflow) / 64, 2);
}

TEST(ring_pending_counts_across_index_wrap)
{
	CHECK_EQ(capos_ring_pending(0xfffffff0u, 0x00000010u), 0x20);
	CHECK_EQ(capos_ring_pending(5, 5), 0);
	/* A tail behind the head reads as a huge count: the corruption test. */
	CHECK(capos_ring_pending(10, 9) > CAPOS_RING_SQ_ENTRIES);
}

TEST(ring_acquire_release_accessors_round_trip)
{
	struct capos_ring_header h;

	memset(&h, 0, sizeof(h));
	capos_store_release_u32(&h.sq_tail, 77);
	CHECK_EQ(capos_load_acquire_u32(&h.sq_tail), 77);
	CHECK_EQ(h.sq_tail, 77);
}

TEST(errors_are_negative_banded_and_unique)
{
	static const int codes[] = {
#define ABI_CODE_(name, value, msg) value,
		CAPOS_ERRORS(ABI_CODE_)
#undef ABI_CODE_
	};
	size_t n = sizeof(codes) / sizeof(codes[0]);

	CHECK(n >= 20);
	for (size_t i = 0; i < n; i++) {
		CHECK(codes[i] < 0);
		CHECK(codes[i] > CAPOS_ERR_BAND_END);
		for (size_t j = i + 1; j < n; j++)
			CHECK(codes[i] != codes[j]);
	}
}

TEST(errors_have_unique_nonempty_messages_and_names)
{
	static const int codes[] = {
#define ABI_CODE_(name, value, msg) value,
		CAPOS_ERRORS(ABI_CODE_)
#undef ABI_CODE_
	};
	size_t n = sizeof(codes) / sizeof(codes[0]);

	for (size_t i = 0; i < n; i++) {
		const char *m = capos_strerror(codes[i]);

		CHECK(m != NULL && strlen(m) > 4);
		CHECK(strcmp(m, capos_strerror(-1000)) != 0);
		CHECK(capos_errname(codes[i]) != NULL);
		CHECK(strncmp(capos_errname(codes[i]), "CAPOS_ERR_", 10) == 0);
		for (size_t j = i + 1; j < n; j++) {
			CHECK(strcmp(m, capos_strerror(codes[j])) != 0);
			CHECK(strcmp(capos_errname(codes[i]), capos_errname(codes[j])) != 0);
		}
	}
}

TEST(strerror_handles_success_and_unknown_codes)
{
	CHECK_STR(capos_strerror(0), "success");
	CHECK_STR(capos_strerror(-127), "unknown capOS error");
	CHECK_STR(capos_strerror(42), "unknown capOS error");
	CHECK(capos_errname(-127) == NULL);
	CHECK_STR(capos_errname(CAPOS_ERR_STALE_CAP), "CAPOS_ERR_STALE_CAP");
}

TEST(error_bands_classify_by_value)
{
	CHECK(CAPOS_ERR_INVALID_OPCODE <= CAPOS_ERR_BAND_RING);
	CHECK(CAPOS_ERR_INVALID_OPCODE > CAPOS_ERR_BAND_CAP);
	CHECK(CAPOS_ERR_STALE_CAP <= CAPOS_ERR_BAND_CAP);
	CHECK(CAPOS_ERR_STALE_CAP > CAPOS_ERR_BAND_CALL);
	CHECK(CAPOS_ERR_APPLICATION_EXCEPTION <= CAPOS_ERR_BAND_CALL);
	CHECK(CAPOS_ERR_APPLICATION_EXCEPTION > CAPOS_ERR_BAND_RES);
	CHECK(CAPOS_ERR_NO_MEMORY <= CAPOS_ERR_BAND_RES);
}

TEST(flag_masks_cover_exactly_the_defined_bits)
{
	CHECK_EQ(CAPOS_SQE_F_VALID_MASK, 0x1f);
	CHECK_EQ(CAPOS_CQE_F_VALID_MASK, 0x3);
	CHECK_EQ(CAPOS_RING_F_VALID_MASK, 0x7);
	CHECK_EQ(CAPOS_RECV_F_VALID_MASK, 0x1);
	CHECK((CAPOS_SQE_F_VALID_MASK & ~0xffffu) == 0);
}

TEST(opcodes_are_distinct_and_below_count)
{
	static const unsigned ops[] = { CAPOS_OP_NOP,    CAPOS_OP_CALL,   CAPOS_OP_RECV,
					CAPOS_OP_RETURN, CAPOS_OP_RELEASE, CAPOS_OP_FINISH,
					CAPOS_OP_PARK,   CAPOS_OP_UNPARK };
	unsigned seen = 0;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		CHECK(ops[i] < CAPOS_OP_COUNT);
		CHECK((seen & (1u << ops[i])) == 0);
		seen |= 1u << ops[i];
	}
	CHECK(CAPOS_OP_COUNT <= 256);
}

TEST(zeroed_sqe_is_a_nop_on_the_invalid_cap)
{
	struct capos_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	CHECK_EQ(sqe.opcode, CAPOS_OP_NOP);
	CHECK_EQ(sqe.cap_id, CAPOS_CAP_INVALID);
	CHECK(!capos_cap_is_wellformed(sqe.cap_id));
}

TEST(cap_id_packs_index_and_generation)
{
	capos_cap_t id = capos_cap_make(0x1234, 0xbeef);

	CHECK_EQ(capos_cap_index(id), 0x1234);
	CHECK_EQ(capos_cap_gen(id), 0xbeef);
	CHECK(capos_cap_is_wellformed(id));
	CHECK(!capos_cap_is_wellformed(capos_cap_make(7, 0)));
	CHECK_EQ(capos_cap_make(0x1ffff, 1), capos_cap_make(0xffff, 1));
	CHECK_EQ(capos_cap_index(capos_cap_make(CAPOS_CAP_SLOTS_MAX - 1, 1)),
		 CAPOS_CAP_SLOTS_MAX - 1);
}

TEST(capset_fits_one_page_with_terminated_names)
{
	CHECK(sizeof(struct capos_capset) <= CAPOS_PAGE_SIZE);
	CHECK_EQ(sizeof(((struct capos_capset_entry *)0)->name), CAPOS_CAPSET_NAME_LEN);
	CHECK(CAPOS_CAPSET_MAX >= 32);
}

TEST(capset_args_fill_the_page_tail_after_the_entries)
{
	CHECK_EQ(offsetof(struct capos_capset, argc), 32);
	CHECK_EQ(offsetof(struct capos_capset, args_len), 36);
	CHECK_EQ(offsetof(struct capos_capset, args), 3136);
	CHECK_EQ(offsetof(struct capos_capset, args), offsetof(struct capos_capset, entries) +
							   CAPOS_CAPSET_MAX *
								   sizeof(struct capos_capset_entry));
	CHECK_EQ(CAPOS_ARGS_MAX, 16);
	CHECK_EQ(CAPOS_ARGS_BYTES, 896);
	CHECK_EQ(offsetof(struct capos_capset, args) + CAPOS_ARGS_BYTES + CAPOS_ARGS_TAIL,
		 CAPOS_PAGE_SIZE);
	CHECK_EQ(sizeof(struct capos_capset), CAPOS_PAGE_SIZE);
}

TEST(layout_is_user_half_page_aligned_and_clear_of_last_page)
{
	static const uint64_t addrs[] = {
		CAPOS_USER_MIN,	       CAPOS_USER_IMAGE_END, CAPOS_USER_HEAP_BASE,
		CAPOS_USER_MAP_BASE,   CAPOS_USER_MAP_END,   CAPOS_USER_STACK_TOP,
		CAPOS_CAPSET_VADDR,    CAPOS_USER_TLS_VADDR, CAPOS_USER_TP,
		CAPOS_RING_VADDR,
		CAPOS_USER_SYS_END,    CAPOS_USER_END,
	};

	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		CHECK(addrs[i] % CAPOS_PAGE_SIZE == 0);
		CHECK(addrs[i] <= CAPOS_USER_END);
		if (i > 0)
			CHECK(addrs[i - 1] <= addrs[i]);
	}
	CHECK_EQ(CAPOS_USER_HALF_END - CAPOS_USER_END, CAPOS_PAGE_SIZE);
	CHECK(CAPOS_RING_STRIDE >= CAPOS_RING_SIZE + CAPOS_PAGE_SIZE);
}

TEST(endpoint_records_keep_session_fields_and_scope_room)
{
	CHECK_EQ(sizeof(struct capos_recv_header), 64);
	CHECK_EQ(sizeof(((struct capos_recv_header *)0)->session_ref), 16);
	CHECK_EQ(sizeof(((struct capos_recv_header *)0)->session_epoch), 8);
	CHECK(CAPOS_XFER_COPY != CAPOS_XFER_MOVE);
	CHECK(CAPOS_XFER_COPY != 0 && CAPOS_XFER_MOVE != 0);
	CHECK_EQ(sizeof(struct capos_xfer), 16);
	CHECK_EQ(sizeof(struct capos_tap_record), 64);
}

TEST(syscall_numbers_are_distinct)
{
	CHECK(CAPOS_SYS_CAP_ENTER != CAPOS_SYS_EXIT);
	CHECK(CAPOS_SYS_EXIT < CAPOS_SYS_COUNT);
	CHECK(CAPOS_SYS_CAP_ENTER < CAPOS_SYS_COUNT);
}

TEST(interface_ids_are_distinct_capnp_ids)
{
	static const uint64_t ids[] = { CAPOS_IFACE_CONSOLE, CAPOS_IFACE_BOOT_PACKAGE,
					CAPOS_IFACE_PROCESS_SPAWNER, CAPOS_IFACE_PROCESS_HANDLE };

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		CHECK(ids[i] >> 63); /* capnp ids always have the top bit set */
		for (size_t j = i + 1; j < sizeof(ids) / sizeof(ids[0]); j++)
			CHECK(ids[i] != ids[j]);
	}
}

int main(void)
{
	RUN(ring_geometry_is_power_of_two_and_fits);
	RUN(ring_index_lines_do_not_share_cache_lines);
	RUN(ring_pending_counts_across_index_wrap);
	RUN(ring_acquire_release_accessors_round_trip);
	RUN(errors_are_negative_banded_and_unique);
	RUN(errors_have_unique_nonempty_messages_and_names);
	RUN(strerror_handles_success_and_unknown_codes);
	RUN(error_bands_classify_by_value);
	RUN(flag_masks_cover_exactly_the_defined_bits);
	RUN(opcodes_are_distinct_and_below_count);
	RUN(zeroed_sqe_is_a_nop_on_the_invalid_cap);
	RUN(cap_id_packs_index_and_generation);
	RUN(capset_fits_one_page_with_terminated_names);
	RUN(capset_args_fill_the_page_tail_after_the_entries);
	RUN(layout_is_user_half_page_aligned_and_clear_of_last_page);
	RUN(endpoint_records_keep_session_fields_and_scope_room);
	RUN(syscall_numbers_are_distinct);
	RUN(interface_ids_are_distinct_capnp_ids);
	TEST_EXIT();
}
