// SPDX-License-Identifier: MIT
/*
 * Corpus regression for tests/fuzz/fuzz_ring.c without libFuzzer: feeds every
 * file of the committed seed corpus (tests/fuzz/corpus/fuzz_ring/) and every
 * saved crash (tests/fuzz/crashes/fuzz_ring-*) to the fuzz target, each in an
 * exact-size heap buffer, under ASan/UBSan. A crash or a broken ring invariant
 * aborts the program, which the test driver counts as a failure.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long n;

	if (!f)
		return 0;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc(n > 0 ? (size_t)n : 1);
	if (n > 0 && fread(b, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	fclose(f);
	LLVMFuzzerTestOneInput(b, n > 0 ? (size_t)n : 0);
	free(b);
	return 1;
}

/* Replays the files of dir whose names start with prefix; returns the count. */
static int replay_dir(const char *dir, const char *prefix)
{
	char path[1024];
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		n += replay_file(path);
	}
	closedir(d);
	return n;
}

int main(void)
{
	int seeds = replay_dir(FUZZ_RING_DIR "/corpus/fuzz_ring", "");
	int crashes = replay_dir(FUZZ_RING_DIR "/crashes", "fuzz_ring-");

	if (seeds == 0) {
		printf("FAIL fuzz_ring_corpus_replays_cleanly: no seed inputs found\n");
		return 1;
	}
	printf("PASS fuzz_ring_corpus_replays_cleanly (%d seeds, %d saved crashes)\n", seeds,
	       crashes);
	return 0;
}
