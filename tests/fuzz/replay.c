// SPDX-License-Identifier: MIT
/*
 * Replays a fuzzer's committed seed corpus and saved crash inputs through its
 * LLVMFuzzerTestOneInput under gcc's ASan/UBSan, so `make test` catches a
 * regression on every known input without libFuzzer. Built once per fuzzer
 * with REPLAY_NAME (e.g. "fuzz_multiboot2") and REPLAY_DIR (tests/fuzz): see tests/fuzz/rules.mk.
 * Prints one PASS line with the number of inputs, or FAIL if there were none;
 * a crash aborts the program, which the test driver reports.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs one file; returns 1 if it was an input, 0 if unreadable. */
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return 0;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return 0;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);	/* exact-size copy: overreads are caught */
	free(buf);
	return 1;
}

static int replay_dir(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	int count = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		count += replay_file(path);
	}
	closedir(d);
	return count;
}

int main(void)
{
	char prefix[256];
	int n = replay_dir(REPLAY_DIR "/corpus/" REPLAY_NAME, "");

	snprintf(prefix, sizeof(prefix), "%s-", REPLAY_NAME);
	n += replay_dir(REPLAY_DIR "/crashes", prefix);
	if (n == 0) {
		printf("FAIL %s_corpus_replays_cleanly: no inputs found\n", REPLAY_NAME);
		return 1;
	}
	printf("PASS %s_corpus_replays_cleanly (%d inputs)\n", REPLAY_NAME, n);
	return 0;
}
