// SPDX-License-Identifier: MIT
/*
 * The jobs' ProcessHandle.waits. Each job slot owns one struct
 * process_wait, in flight from the spawn until the kernel answers it (the
 * child exited, was killed, or faulted); the server loop hands that
 * completion here (server_set_other). A held Launcher.wait is then
 * answered with the code; otherwise the code is kept for the next wait.
 * The shell's own wait completes here too: that is the session's end.
 */
#include "broker.h"

struct job_proc broker_procs[BROKER_JOB_SLOTS];

int jobs_watch(int s, capos_cap_t handle)
{
	broker_procs[s].handle = handle;
	return process_wait_submit(&rt.ring, handle, &broker_procs[s].wait);
}

void jobs_kill_session(void)
{
	for (uint32_t i = 0; i < BROKER_JOB_SLOTS; i++) {
		const struct broker_job *j = &broker_jobs.slot[i];

		if (j->state == BROKER_JOB_RUNNING && j->session == broker_session.number)
			(void)process_kill(broker_procs[i].handle);
	}
}

void jobs_answer_wait(uint32_t call_id, int64_t code)
{
	uint64_t arena[16], buf[16];
	struct capnp_msg m;
	size_t len = 0;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	session_Launcher_wait_Results_set_exitCode(session_Launcher_wait_Results_init_root(&m),
						   code);
	if (capnp_msg_error(&m) || capnp_msg_write(&m, buf, sizeof(buf), &len))
		return;
	/*
	 * Held waits exist only while their session is open (session_end drops
	 * them), so the call came on the open session's port. A caller gone
	 * meanwhile makes the RETURN fail: nothing to undo.
	 */
	(void)server_return_port(&broker_srv, broker_session.port, call_id, 0, buf,
				 (uint32_t)len, NULL, 0);
}

/* Slot s's wait completed: the job's end. */
static void job_ended(int s, const struct capos_cqe *cqe)
{
	int64_t code = capos_ProcessHandle_exitFault;
	uint32_t call = 0;

	if (process_wait_decode(&broker_procs[s].wait, cqe, &code))
		code = capos_ProcessHandle_exitFault;	/* the wait failed: the child is gone */
	(void)cap_release(broker_procs[s].handle);
	broker_procs[s].handle = CAPOS_CAP_INVALID;
	if (broker_jobs_exited(&broker_jobs, s, code, &call))
		jobs_answer_wait(call, code);
}

void jobs_on_completion(void *arg, const struct capos_cqe *cqe)
{
	(void)arg;
	if (broker_shell_is(cqe)) {
		broker_shell_ended(cqe);
		return;
	}
	for (uint32_t i = 0; i < BROKER_JOB_SLOTS; i++) {
		enum broker_job_state st = broker_jobs.slot[i].state;

		if ((st == BROKER_JOB_RUNNING || st == BROKER_JOB_ORPHAN) &&
		    process_wait_is(&broker_procs[i].wait, cqe)) {
			job_ended((int)i, cqe);
			return;
		}
	}
}
