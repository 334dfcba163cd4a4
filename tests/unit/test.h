/* SPDX-License-Identifier: MIT */
/*
 * Minimal host unit-test harness. A test file defines tests with TEST(name)
 * and lists them in main() with RUN(name). Each test prints one line,
 * "PASS name" or "FAIL name: file:line: expression", which scripts/run-tests.sh
 * counts. A failed CHECK ends the current test; the binary exits non-zero if
 * any test failed.
 */
#ifndef CAPOS_TESTS_UNIT_TEST_H
#define CAPOS_TESTS_UNIT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failures;
static const char *test_failed_at;
static char test_why[512];

#define TEST(name) static void test_##name(void)

#define CHECK(expr)                                                                        \
	do {                                                                               \
		if (!(expr)) {                                                             \
			snprintf(test_why, sizeof(test_why), "%s:%d: %s", __FILE__, __LINE__,     \
				 #expr);                                                   \
			test_failed_at = test_why;                                         \
			return;                                                            \
		}                                                                          \
	} while (0)

#define CHECK_EQ(a, b)                                                                     \
	do {                                                                               \
		long long check_a_ = (long long)(a), check_b_ = (long long)(b);            \
		if (check_a_ != check_b_) {                                                \
			snprintf(test_why, sizeof(test_why), "%s:%d: %s == %s (%lld != %lld)", \
				 __FILE__, __LINE__, #a, #b, check_a_, check_b_);          \
			test_failed_at = test_why;                                         \
			return;                                                            \
		}                                                                          \
	} while (0)

#define CHECK_STR(a, b)                                                                    \
	do {                                                                               \
		const char *check_a_ = (a), *check_b_ = (b);                               \
		if (strcmp(check_a_, check_b_) != 0) {                                     \
			snprintf(test_why, sizeof(test_why), "%s:%d: \"%s\" != \"%s\"",    \
				 __FILE__, __LINE__, check_a_, check_b_);                  \
			test_failed_at = test_why;                                         \
			return;                                                            \
		}                                                                          \
	} while (0)

#define RUN(name)                                                                          \
	do {                                                                               \
		test_failed_at = NULL;                                                     \
		test_##name();                                                             \
		if (test_failed_at) {                                                      \
			printf("FAIL %s: %s\n", #name, test_failed_at);                    \
			test_failures++;                                                   \
		} else {                                                                   \
			printf("PASS %s\n", #name);                                        \
		}                                                                          \
		fflush(stdout);                                                            \
	} while (0)

#define TEST_EXIT() return test_failures ? 1 : 0

#endif
