/* SPDX-License-Identifier: MIT */
/*
 * The shell's job table (docs/shell.md): the jobs the session's Launcher
 * started for this shell and nobody has waited for yet. Each keeps its
 * Launcher job number, the binary's name (for the line saying how it
 * ended) and the Revoker under which the shell made the child's copies
 * (its terminal and its grants), revoked when the job ends so a program
 * cannot keep the terminal after it ended. Pure bookkeeping: the caller
 * makes the calls. The bound is the Launcher's (16 jobs not waited for).
 */
#ifndef CAPOS_LIB_SHELL_JOBS_H
#define CAPOS_LIB_SHELL_JOBS_H

#include <stdbool.h>
#include <stdint.h>

#include "shell/shellcmd.h"

#define SHELL_JOBS_MAX 16u

struct shell_job {
	uint32_t job;				/* the Launcher's number; 0: free slot */
	uint32_t revoker;			/* the job's Revoker (a capability id) */
	char binary[SHELLCMD_NAME_MAX + 1];
};

struct shell_jobs {
	struct shell_job j[SHELL_JOBS_MAX];
};

/* Records a job; NULL if job is 0, already there, or the table is full. */
struct shell_job *shell_jobs_add(struct shell_jobs *t, uint32_t job, uint32_t revoker,
				 const char *binary);

/* The job numbered job, or NULL. */
struct shell_job *shell_jobs_find(struct shell_jobs *t, uint32_t job);

/* Frees j's slot. */
void shell_jobs_remove(struct shell_job *j);

/* How many jobs the table holds. */
uint32_t shell_jobs_count(const struct shell_jobs *t);

/* True if another job fits. */
bool shell_jobs_has_room(const struct shell_jobs *t);

#endif
