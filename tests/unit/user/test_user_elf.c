// SPDX-License-Identifier: MIT
/*
 * Every user program the build produced (build/user/<name>.elf and the
 * stripped copies in build/user/pkg/ that go into the boot package) passes
 * the kernel's own ELF check, elf64_plan, with the user limits of
 * <capos/layout.h>, and has the shape user/lib/user.ld promises: three
 * segments (R+X text holding the entry and starting with crt0's, R rodata,
 * R+W data) at or above the linker base 0x400000. USER_ELF_NAMES lists the programs (from the build).
 */
#include <stdio.h>
#include <string.h>

#include <capos/layout.h>

#include "../test.h"
#include "elf/elf64.h"

#define TE_BASE 0x400000ull
#define TE_MAX_IMAGE (4u << 20)

static const struct elf64_limits te_lim = {
	.user_min = CAPOS_USER_IMAGE_MIN,
	.user_end = CAPOS_USER_IMAGE_END,
	.page_size = CAPOS_PAGE_SIZE,
	.tls_max = CAPOS_USER_TLS_MAX,
};

static uint8_t te_image[TE_MAX_IMAGE];

static size_t te_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return 0;
	n = fread(te_image, 1, sizeof(te_image), f);
	fclose(f);
	return n;
}

static const char *te_path;

/* The first instructions of user/lib/crt0.S: xor %ebp,%ebp; and $-16,%rsp. */
static const uint8_t te_crt0_start[] = { 0x31, 0xed, 0x48, 0x83, 0xe4, 0xf0 };

/* The plan of te_path and the segment with exactly `flags`, if one exists. */
static int te_segment(const struct elf64_plan *p, uint32_t flags)
{
	uint32_t i;
	int found = -1;

	for (i = 0; i < p->nsegs; i++) {
		if (p->segs[i].flags == flags)
			found = found < 0 ? (int)i : -2;
	}
	return found;
}

TEST(program_passes_elf64_plan_with_three_wx_segments)
{
	struct elf64_plan plan;
	size_t len = te_read(te_path);
	int x;

	CHECK(len > 0 && len < TE_MAX_IMAGE);
	CHECK_EQ(elf64_plan(te_image, len, &te_lim, &plan), 0);
	CHECK_EQ(plan.nsegs, 3);
	CHECK(plan.lowest >= TE_BASE);
	CHECK(!plan.has_tls);
	x = te_segment(&plan, ELF64_SEG_R | ELF64_SEG_X);
	CHECK(x >= 0);
	CHECK(te_segment(&plan, ELF64_SEG_R) >= 0);
	CHECK(te_segment(&plan, ELF64_SEG_R | ELF64_SEG_W) >= 0);
	/* crt0's rt_entry comes first (xor %ebp,%ebp; and $-16,%rsp)... */
	CHECK(plan.segs[x].filesz >= sizeof(te_crt0_start));
	CHECK(memcmp(te_image + plan.segs[x].offset, te_crt0_start, sizeof(te_crt0_start)) == 0);
	/* ...and is the entry, unless the program has a _start of its own (crt0.S), in the text. */
	CHECK(plan.entry >= plan.segs[x].vaddr &&
	      plan.entry < plan.segs[x].vaddr + plan.segs[x].memsz);
}

/* RUN with a per-program name: "PASS user_elf_<label>_is_a_capos_executable". */
static void te_run(const char *label)
{
	test_failed_at = NULL;
	test_program_passes_elf64_plan_with_three_wx_segments();
	if (test_failed_at) {
		printf("FAIL user_elf_%s_is_a_capos_executable: %s\n", label, test_failed_at);
		test_failures++;
	} else {
		printf("PASS user_elf_%s_is_a_capos_executable\n", label);
	}
}

int main(void)
{
	static const char *names[] = { USER_ELF_NAMES };
	static char path[512], label[128];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.elf", USER_ELF_DIR, names[i]);
		te_path = path;
		te_run(names[i]);
		snprintf(path, sizeof(path), "%s/pkg/%s.elf", USER_ELF_DIR, names[i]);
		snprintf(label, sizeof(label), "%s_stripped", names[i]);
		te_run(label);
	}
	if (i < 2) {
		printf("FAIL user_elf_list: fewer than two user programs\n");
		return 1;
	}
	TEST_EXIT();
}
