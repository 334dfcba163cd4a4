// SPDX-License-Identifier: MIT
/*
 * Tests for kernel/mm/account.c: page charges, quota donation to children,
 * and byte charges of kernel memory rounded to pages, checked against a
 * model of the rounding over a long random sequence.
 */
#include <stdint.h>
#include <stdlib.h>

#include <capos/errors.h>

#include "kstub.h"
#include "mm/account.h"
#include "test.h"

static uint64_t used_of(struct mem_account *a)
{
	uint64_t quota, used;

	mem_account_usage(a, &quota, &used);
	return used;
}

TEST(page_charges_stop_at_the_quota_and_change_nothing_when_refused)
{
	struct mem_account root;

	mem_account_init_root(&root, 10);
	CHECK_EQ(mem_account_charge(&root, 7), 0);
	CHECK_EQ(mem_account_charge(&root, 4), CAPOS_ERR_QUOTA_EXCEEDED);
	CHECK_EQ(used_of(&root), 7);
	CHECK_EQ(mem_account_charge(&root, 3), 0);
	mem_account_uncharge(&root, 10);
	CHECK_EQ(used_of(&root), 0);
}

TEST(a_child_quota_is_paid_by_its_parent_until_the_child_goes)
{
	struct mem_account root, *child;

	mem_account_init_root(&root, 100);
	CHECK_EQ(mem_account_child(&root, 101, &child), CAPOS_ERR_QUOTA_EXCEEDED);
	CHECK_EQ(mem_account_child(&root, 60, &child), 0);
	CHECK_EQ(used_of(&root), 60);
	CHECK_EQ(mem_account_charge_kmem(child, 4096 * 60), 0);
	CHECK_EQ(mem_account_charge_kmem(child, 1), CAPOS_ERR_QUOTA_EXCEEDED);
	mem_account_uncharge_kmem(child, 4096 * 60);
	mem_account_put(child);
	CHECK_EQ(used_of(&root), 0);
}

TEST(kernel_bytes_take_the_pages_they_round_up_to)
{
	struct mem_account root;

	mem_account_init_root(&root, 3);
	CHECK_EQ(mem_account_charge_kmem(&root, 100), 0);
	CHECK_EQ(used_of(&root), 1);
	CHECK_EQ(mem_account_charge_kmem(&root, 3996), 0);	/* exactly one page */
	CHECK_EQ(used_of(&root), 1);
	CHECK_EQ(mem_account_charge_kmem(&root, 1), 0);
	CHECK_EQ(used_of(&root), 2);
	CHECK_EQ(mem_account_charge(&root, 1), 0);
	CHECK_EQ(mem_account_charge_kmem(&root, 4096), CAPOS_ERR_QUOTA_EXCEEDED);
	CHECK_EQ(mem_account_charge_kmem(&root, 4095), 0);	/* fits the second page */
	CHECK_EQ(mem_account_charge_kmem(&root, UINT64_MAX), CAPOS_ERR_QUOTA_EXCEEDED);
	CHECK_EQ(used_of(&root), 3);
	mem_account_uncharge(&root, 1);
	mem_account_uncharge_kmem(&root, 100);
	mem_account_uncharge_kmem(&root, 4095);
	mem_account_uncharge_kmem(&root, 1);
	mem_account_uncharge_kmem(&root, 3996);
	CHECK_EQ(used_of(&root), 0);
}

/* Charges made and undone in random order always hold ceil(sum / page) pages. */
TEST(kernel_bytes_match_a_rounding_model_in_any_order)
{
	enum { N = 64 };
	struct mem_account root;
	uint64_t held[N] = { 0 }, sum = 0, extra = 0;

	mem_account_init_root(&root, 200);
	srand(12345);
	for (int step = 0; step < 200000; step++) {
		int i = rand() % N;

		if (held[i]) {
			mem_account_uncharge_kmem(&root, held[i]);
			sum -= held[i];
			held[i] = 0;
		} else if (rand() % 8 == 0 && extra < 20) {
			if (mem_account_charge(&root, 1) == 0)
				extra++;
		} else {
			uint64_t bytes = 1 + (uint64_t)rand() % 20000;
			int err = mem_account_charge_kmem(&root, bytes);
			uint64_t pages = (sum + bytes + 4095) / 4096 + extra;

			CHECK_EQ(err, pages <= 200 ? 0 : CAPOS_ERR_QUOTA_EXCEEDED);
			if (!err) {
				held[i] = bytes;
				sum += bytes;
			}
		}
		CHECK_EQ(used_of(&root), (sum + 4095) / 4096 + extra);
	}
}

int main(void)
{
	kstub_quiet = 1;
	RUN(page_charges_stop_at_the_quota_and_change_nothing_when_refused);
	RUN(a_child_quota_is_paid_by_its_parent_until_the_child_goes);
	RUN(kernel_bytes_take_the_pages_they_round_up_to);
	RUN(kernel_bytes_match_a_rounding_model_in_any_order);
	TEST_EXIT();
}
