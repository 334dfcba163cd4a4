// SPDX-License-Identifier: MIT
/*
 * The job table (broker.h): the programs a session spawned, from the spawn
 * until a Launcher.wait takes the exit code. A slot stays in use until the
 * kernel has answered the job's ProcessHandle.wait, even after its session
 * ended (ORPHAN), because that wait's buffers are the slot's: reusing them
 * earlier would let the kernel write into another job's answer. Job ids are
 * given in order per session and never reused in it, so a stale id never
 * names a newer job.
 */
#include "broker/broker.h"

#include <stddef.h>

void broker_jobs_init(struct broker_jobs *t)
{
	for (uint32_t i = 0; i < BROKER_JOB_SLOTS; i++)
		t->slot[i] = (struct broker_job){ .state = BROKER_JOB_FREE };
	t->next_id = 1;
	t->session = 0;
}

void broker_jobs_begin_session(struct broker_jobs *t, uint32_t session)
{
	t->session = session;
	t->next_id = 1;
}

static bool is_current(const struct broker_jobs *t, const struct broker_job *j)
{
	return t->session != 0 && j->session == t->session &&
	       (j->state == BROKER_JOB_RUNNING || j->state == BROKER_JOB_EXITED);
}

uint32_t broker_jobs_live(const struct broker_jobs *t)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < BROKER_JOB_SLOTS; i++)
		if (is_current(t, &t->slot[i]))
			n++;
	return n;
}

int broker_jobs_reserve(struct broker_jobs *t)
{
	if (broker_jobs_live(t) >= BROKER_JOBS_PER_SESSION)
		return BROKER_JOBS_FULL;
	if (t->next_id > BROKER_JOB_ID_MAX)
		return BROKER_JOBS_IDS_SPENT;
	for (uint32_t i = 0; i < BROKER_JOB_SLOTS; i++)
		if (t->slot[i].state == BROKER_JOB_FREE)
			return (int)i;
	return BROKER_JOBS_NO_SLOT;
}

uint32_t broker_jobs_commit(struct broker_jobs *t, int s)
{
	struct broker_job *j = &t->slot[s];

	*j = (struct broker_job){ .state = BROKER_JOB_RUNNING, .session = t->session,
				  .id = t->next_id++ };
	return j->id;
}

int broker_jobs_find(const struct broker_jobs *t, uint32_t id)
{
	for (uint32_t i = 0; i < BROKER_JOB_SLOTS; i++)
		if (is_current(t, &t->slot[i]) && t->slot[i].id == id)
			return (int)i;
	return -1;
}

bool broker_jobs_exited(struct broker_jobs *t, int s, int64_t code, uint32_t *call)
{
	struct broker_job *j = &t->slot[s];

	if (j->state == BROKER_JOB_ORPHAN || j->state == BROKER_JOB_FREE) {
		j->state = BROKER_JOB_FREE;
		return false;
	}
	j->state = BROKER_JOB_EXITED;
	j->code = code;
	if (!j->held)
		return false;
	*call = j->held_call;
	j->state = BROKER_JOB_FREE;
	return true;
}

void broker_jobs_forget(struct broker_jobs *t, int s)
{
	t->slot[s].state = BROKER_JOB_FREE;
}

uint32_t broker_jobs_end_session(struct broker_jobs *t)
{
	uint32_t dropped = 0;

	for (uint32_t i = 0; i < BROKER_JOB_SLOTS; i++) {
		struct broker_job *j = &t->slot[i];

		if (!is_current(t, j))
			continue;
		dropped += j->held;
		j->held = false;
		j->state = j->state == BROKER_JOB_RUNNING ? BROKER_JOB_ORPHAN : BROKER_JOB_FREE;
	}
	t->session = 0;
	return dropped;
}
