// SPDX-License-Identifier: MIT
/*
 * Replays the reader fuzzer's seed corpus (tests/fuzz/corpus/fuzz_capnp_reader/) through the
 * fuzzer's own walk, built with gcc + ASan/UBSan, so `make test` catches regressions without
 * libFuzzer. Files named valid-* must walk without error, hostile-* must be rejected; any other
 * file (a minimised fuzzer find) must simply not crash. A crash aborts the program, which the
 * test driver counts as a failure.
 */
#include <dirent.h>

#include "../test.h"
#include "capnp_walk.h"

#define CORPUS_DIR "tests/fuzz/corpus/fuzz_capnp_reader"

static uint8_t *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		data = malloc((size_t)n + 1);
		if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
			free(data);
			data = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return data;
}

/* Walk one corpus file; returns false (and explains) when its verdict is wrong. */
static bool replay(const char *dir, const char *name)
{
	char path[1024];
	size_t len = 0;
	uint8_t *data;
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	data = load(path, &len);
	if (!data) {
		snprintf(test_why, sizeof(test_why), "cannot read %.400s", path);
		return false;
	}
	err = capnp_walk_message(data, len);
	free(data);
	if ((strncmp(name, "valid-", 6) == 0 && err != 0) ||
	    (strncmp(name, "hostile-", 8) == 0 && err == 0)) {
		snprintf(test_why, sizeof(test_why), "%.200s: walk returned %d (%s)", name, err,
			 capnp_strerror(err));
		return false;
	}
	return true;
}

TEST(replays_fuzz_corpus_with_expected_verdicts)
{
	DIR *d = opendir(CORPUS_DIR);
	struct dirent *e;
	int files = 0;

	CHECK(d != NULL);
	capnp_walk_typed_probes = true;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (!replay(CORPUS_DIR, e->d_name)) {
			test_failed_at = test_why;
			break;
		}
		files++;
	}
	closedir(d);
	if (!test_failed_at)
		CHECK(files >= 30);
}

int main(void)
{
	RUN(replays_fuzz_corpus_with_expected_verdicts);
	TEST_EXIT();
}
