// SPDX-License-Identifier: MIT
/* The shell's job table (jobs.h): 16 slots, searched in order. */
#include "shell/internal.h"
#include "shell/jobs.h"

struct shell_job *shell_jobs_find(struct shell_jobs *t, uint32_t job)
{
	if (job == 0)
		return 0;
	for (uint32_t i = 0; i < SHELL_JOBS_MAX; i++)
		if (t->j[i].job == job)
			return &t->j[i];
	return 0;
}

struct shell_job *shell_jobs_add(struct shell_jobs *t, uint32_t job, uint32_t revoker,
				 const char *binary)
{
	size_t n = sc_strlen(binary);

	if (job == 0 || shell_jobs_find(t, job))
		return 0;
	for (uint32_t i = 0; i < SHELL_JOBS_MAX; i++) {
		struct shell_job *j = &t->j[i];

		if (j->job)
			continue;
		j->job = job;
		j->revoker = revoker;
		if (n > SHELLCMD_NAME_MAX)
			n = SHELLCMD_NAME_MAX;
		for (size_t k = 0; k < n; k++)
			j->binary[k] = binary[k];
		j->binary[n] = '\0';
		return j;
	}
	return 0;
}

void shell_jobs_remove(struct shell_job *j)
{
	j->job = 0;
	j->revoker = 0;
	j->binary[0] = '\0';
}

uint32_t shell_jobs_count(const struct shell_jobs *t)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < SHELL_JOBS_MAX; i++)
		n += t->j[i].job != 0;
	return n;
}

bool shell_jobs_has_room(const struct shell_jobs *t)
{
	return shell_jobs_count(t) < SHELL_JOBS_MAX;
}
