// SPDX-License-Identifier: MIT
/* PASS/FAIL lines for scenario programs (check.h). */
#include <capos/errors.h>

#include "check.h"
#include "print.h"

static const char *check_prog = "test";
static uint32_t check_total, check_failed;

void check_init(const char *prog)
{
	check_prog = prog;
}

bool check(bool ok, const char *name, long long got)
{
	const char *en = got < 0 && got > -1000 ? capos_errname((int)got) : NULL;

	check_total++;
	if (ok) {
		printf("%s: PASS %s\n", check_prog, name);
		return true;
	}
	check_failed++;
	if (en)
		printf("%s: FAIL %s: got %s\n", check_prog, name, en);
	else
		printf("%s: FAIL %s: got %lld\n", check_prog, name, got);
	return false;
}

bool check_err(int err, int want, const char *name)
{
	return check(err == want, name, err);
}

void check_note(const char *text, long long v)
{
	printf("%s: %s %lld\n", check_prog, text, v);
}

int check_done(void)
{
	if (check_failed) {
		printf("%s: FAIL %u of %u checks\n", check_prog, check_failed, check_total);
		return 1;
	}
	printf("%s: PASS all %u checks\n", check_prog, check_total);
	return 0;
}
