// SPDX-License-Identifier: MIT
/*
 * argon2-quota (QEMU scenario argon2-quota): a verification needs m KiB of
 * VirtualMemory quota beyond the heap. As init, spawns itself twice as a
 * child: with 1,024 pages (4 MiB, under the 19 MiB of the shipped
 * parameters) the child's verification must fail cleanly
 * (ARGON2ID_ERR_MEMORY; the child then still allocates and exits 0); with
 * 6,144 pages (24 MiB) the same verification must run to the end (and
 * refuse "pw" against an all-zero tag: ARGON2ID_ERR_MISMATCH). The child tells
 * which case it is in from its own quota. init's used pages are the same
 * after each child as before it (measured after the child has exited: a
 * child may run to its end before its parent's next call).
 */
#include "argon2id.h"
#include "check.h"
#include "rt.h"

#define SMALL_QUOTA_PAGES 1024u
#define ENOUGH_QUOTA_PAGES 6144u
#define CHILD_EXIT_MEMORY_CLEAN 0
#define CHILD_EXIT_WRONG 3

static const uint8_t salt[ARGON2ID_SALT_LEN] = { 's', 'a', 'l', 't', 's', 'a', 'l', 't',
						  's', 'a', 'l', 't', 's', 'a', 'l', 't' };

static uint64_t quota_pages(uint64_t *used)
{
	uint64_t quota = 0;

	*used = 0;
	(void)vm_usage(rt.vm, &quota, used);
	return quota;
}

/* The child: one hash at the shipped parameters; the result must match the quota. */
static int child(void)
{
	struct argon2id_params p = argon2id_shipped();
	uint8_t tag[ARGON2ID_HASH_LEN] = { 0 };	/* no password hashes to zeros */
	uint64_t used;
	bool enough = quota_pages(&used) >= ENOUGH_QUOTA_PAGES;

	int err = argon2id_verify_ct("pw", 2, salt, sizeof(salt), &p, tag, sizeof(tag));
	printf("argon2-quota: child with %s quota: %s\n", enough ? "enough" : "a small",
	       argon2id_error(err));
	if (enough ? err != ARGON2ID_ERR_MISMATCH : err != ARGON2ID_ERR_MEMORY)
		return CHILD_EXIT_WRONG;
	void *still = malloc(64 * 1024);	/* the process is healthy after */
	if (!still)
		return CHILD_EXIT_WRONG;
	free(still);
	return CHILD_EXIT_MEMORY_CLEAN;
}

static void run_child(capos_cap_t sp, uint32_t pages, const char *name)
{
	struct spawn_grant g[] = {
		{ "console", CAPOS_IFACE_CONSOLE, rt.console, CAPOS_XFER_COPY },
		{ "vm", CAPOS_IFACE_VIRTUAL_MEMORY, (capos_cap_t)pages, SPAWN_VIRTUAL_MEMORY },
	};
	uint64_t before, after;
	capos_cap_t h;
	int64_t code = -1;

	(void)quota_pages(&before);
	if (!check_err(spawner_spawn(sp, "argon2-child", "argon2-quota", g, 2, &h), 0,
		       "child_spawned"))
		return;
	int werr = process_wait(h, &code);	/* before `code` is read */

	check(werr == 0 && code == CHILD_EXIT_MEMORY_CLEAN, name, werr ? werr : code);
	(void)cap_release(h);
	(void)quota_pages(&after);
	check(after == before, "quota_given_back", (long long)(after - before));
}

int main(void)
{
	capos_cap_t sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);

	if (sp == CAPOS_CAP_INVALID)
		return child();
	check_init("argon2-quota");
	/*
	 * Grow the heap once, past what the spawn helper's buffers (about
	 * 38 KiB, taken at its first call) need: the heap never shrinks, so from
	 * here on init's used pages change only with its children.
	 */
	free(malloc(128 * 1024));
	run_child(sp, SMALL_QUOTA_PAGES, "small_quota_is_a_clean_memory_error");
	run_child(sp, ENOUGH_QUOTA_PAGES, "enough_quota_runs_the_verification");
	return check_done();
}
