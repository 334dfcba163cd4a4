// SPDX-License-Identifier: MIT
/*
 * run, spawn, wait and kill (docs/shell.md). A child gets exactly what the
 * shell sends with Launcher.spawn: "terminal", a copy of the shell's own
 * terminal, and the grants `with { }` named, each resolved against the
 * session before anything is made (decode, then invoke). Every copy is
 * made under a Revoker of the job's own (CapabilityManager.newRevoker on
 * "caps"), revoked when the job ends, so no program keeps the terminal or
 * a grant after it ended. The shell sends copies and releases its own at
 * once: the Revoker is the only thing it keeps per job.
 *
 * In the foreground the shell keeps Launcher.wait(job) and
 * TerminalSession.waitInterrupt in flight together, and waits for
 * whichever completes first (uring_find on each, the others stashed):
 * Ctrl-C kills the job;
 * when the job ends the interrupt wait is cancelled and its answer reaped,
 * then one line says how the job ended.
 */
#include "launcher.h"
#include "rt.h"
#include "shell.h"
#include "shell/shellfmt.h"
#include "terminal.h"

capos_cap_t shell_launcher(const char *name)
{
	const struct shell_bundle_cap *l = shell_bundle_find_iface(&sh.sess, SHELLFMT_IFACE_LAUNCHER);

	if (l)
		return l->cap;
	shell_say("%s: this session has no Launcher\n", name);
	return CAPOS_CAP_INVALID;
}

/* The job's copies, made under rv: the terminal first, then the plan's grants. */
static int jobs_make_copies(capos_cap_t rv, const struct shell_grant_plan *plan,
			    struct launcher_grant *g)
{
	int err = revoker_wrap(rv, sh.term, CAPOS_XFER_COPY, false, CAPOS_IFACE_TERMINAL_SESSION,
			       &g[0].cap);

	g[0].name = "terminal";
	g[0].mode = CAPOS_XFER_COPY;
	for (uint32_t i = 0; i < plan->n && !err; i++) {
		g[i + 1].name = plan->g[i].name;
		g[i + 1].mode = CAPOS_XFER_COPY;
		g[i + 1].client = plan->g[i].client;
		err = revoker_wrap(rv, plan->g[i].cap, CAPOS_XFER_COPY, false, plan->g[i].iface,
				   &g[i + 1].cap);
		if (err)
			g[i + 1].cap = CAPOS_CAP_INVALID;
	}
	return err;
}

static void jobs_release_copies(const struct launcher_grant *g, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (g[i].cap != CAPOS_CAP_INVALID)
			(void)cap_release(g[i].cap);
}

/* Ends every copy made for a job and forgets its Revoker. */
static void jobs_revoke(capos_cap_t rv)
{
	(void)revoker_revoke(rv);
	(void)cap_release(rv);
}

/* cmd's packed arguments as argv[]; returns their number. */
static uint32_t jobs_argv(const struct shellcmd *cmd, const char *argv[SHELLCMD_ARGS_MAX])
{
	uint32_t at = 0;

	for (uint32_t i = 0; i < cmd->nargs; i++) {
		argv[i] = &cmd->args[at];
		at += (uint32_t)strlen(argv[i]) + 1;
	}
	return cmd->nargs;
}

/* Spawns cmd's binary with its args and the plan; the job's entry, or NULL after saying why. */
static struct shell_job *jobs_start(capos_cap_t launcher, const struct shellcmd *cmd,
				    const char *what, const struct shell_grant_plan *plan)
{
	const char *binary = cmd->binary;
	const char *argv[SHELLCMD_ARGS_MAX];
	struct spawn_args args = { argv, jobs_argv(cmd, argv) };
	struct launcher_grant g[LAUNCHER_GRANTS_MAX] = { { 0 } };
	struct shell_job *j = NULL;
	capos_cap_t rv;
	uint32_t job = 0;
	int err = cap_new_revoker(sh.caps, &rv);

	if (err) {
		shell_say("%s: no Revoker for the job (%s)\n", what, capos_strerror(err));
		return NULL;
	}
	err = jobs_make_copies(rv, plan, g);
	if (err)
		shell_say("%s: could not copy a capability for the child (%s)\n", what,
			  capos_strerror(err));
	else if ((err = launcher_spawn_args(&shell_call, launcher, binary, &args, g, plan->n + 1,
					    &job)))
		shell_say_failure(what, &shell_call, err);
	jobs_release_copies(g, plan->n + 1);
	if (!err && !(j = shell_jobs_add(&sh.jobs, job, rv, binary)))
		shell_say("%s: the Launcher answered job %u twice\n", what, (unsigned)job);
	if (!j)
		jobs_revoke(rv);
	return j;
}

static void jobs_say_end(struct shell_job *j, int64_t code)
{
	char buf[96];

	shellfmt_job_end(buf, sizeof(buf), j->job, j->binary, code);
	shell_say("%s", buf);
}

/* The job has ended (or its wait failed): its copies end, its slot is free. */
static void jobs_finish(struct shell_job *j)
{
	jobs_revoke(j->revoker);
	shell_jobs_remove(j);
}

static struct terminal_interrupt_wait intr_wait;

/* Cancels the waitInterrupt in flight and reaps its answer. */
static void jobs_stop_interrupt_wait(void)
{
	bool interrupted;

	(void)terminal_cancel_interrupt(sh.term);
	(void)terminal_wait_interrupt_end(client_ring, &intr_wait, CAPOS_TIMEOUT_INFINITE,
					  &interrupted);
}

/* Ctrl-C answered the interrupt wait (cqe): the job is killed. */
static void jobs_interrupted(capos_cap_t launcher, struct shell_job *j,
			     const struct capos_cqe *cqe)
{
	bool interrupted = false;

	if (terminal_wait_interrupt_decode(&intr_wait, cqe, &interrupted) == 0 && interrupted)
		(void)launcher_kill(&shell_call, launcher, j->job);
}

/*
 * Waits for the foreground job with waitInterrupt beside it: Ctrl-C kills
 * it. Returns the wait's status (launcher_wait_read), *code the exit code.
 */
static int jobs_foreground(capos_cap_t launcher, struct shell_job *j, int64_t *code)
{
	struct capos_cqe cqe;
	bool intr_pending;
	int64_t entered;
	int found, err = launcher_wait_submit(&shell_wait_call, launcher, j->job);

	if (err)
		return err;
	intr_pending = terminal_wait_interrupt_submit(client_ring, sh.term, &intr_wait) == 0;
	for (;;) {
		found = uring_find(client_ring, shell_wait_call.user_data, &cqe);
		if (found)
			break;
		if (intr_pending && uring_find(client_ring, intr_wait.user_data, &cqe) == 1) {
			intr_pending = false;
			jobs_interrupted(launcher, j, &cqe);
			continue;
		}
		entered = uring_enter(client_ring, 1, CAPOS_TIMEOUT_INFINITE);
		if (entered < 0)
			return (int)entered;
	}
	if (found < 0)
		return found;
	if (intr_pending)
		jobs_stop_interrupt_wait();
	return launcher_wait_read(&shell_wait_call, ipc_call_complete(&shell_wait_call, &cqe),
				  code);
}

void shell_run(const struct shellcmd *cmd, bool foreground)
{
	const char *what = foreground ? "run" : "spawn";
	struct shell_grant_plan plan;
	struct shellcmd_error perr;
	capos_cap_t launcher;
	struct shell_job *j;
	int64_t code;
	int err;

	if (shell_grants_resolve(cmd, &sh.sess, sh.term, &plan, &perr)) {
		shell_say_error(&perr);
		return;
	}
	if ((launcher = shell_launcher(what)) == CAPOS_CAP_INVALID)
		return;
	if (!shell_jobs_has_room(&sh.jobs)) {
		shell_say("%s: %u jobs not waited for; wait for one first\n", what, SHELL_JOBS_MAX);
		return;
	}
	if (!(j = jobs_start(launcher, cmd, what, &plan)))
		return;
	if (!foreground) {
		shell_say("job %u\n", (unsigned)j->job);
		return;
	}
	err = jobs_foreground(launcher, j, &code);
	if (err)
		shell_say_failure("run", &shell_wait_call, err);
	else
		jobs_say_end(j, code);
	jobs_finish(j);
}

static struct shell_job *jobs_lookup(const char *what, uint32_t job)
{
	struct shell_job *j = shell_jobs_find(&sh.jobs, job);

	if (!j)
		shell_say("%s: no job %u in this session\n", what, (unsigned)job);
	return j;
}

void shell_wait(uint32_t job)
{
	capos_cap_t launcher = shell_launcher("wait");
	struct shell_job *j = launcher ? jobs_lookup("wait", job) : NULL;
	int64_t code;
	int err;

	if (!j)
		return;
	err = launcher_wait(&shell_wait_call, launcher, job, &code);
	if (err)
		shell_say_failure("wait", &shell_wait_call, err);
	else
		jobs_say_end(j, code);
	jobs_finish(j);
}

void shell_kill(uint32_t job)
{
	capos_cap_t launcher = shell_launcher("kill");
	int err;

	if (!launcher || !jobs_lookup("kill", job))
		return;
	err = launcher_kill(&shell_call, launcher, job);
	if (err)
		shell_say_failure("kill", &shell_call, err);
}

/* Logout: the broker kills the session's jobs; the shell ends its copies. */
void shell_jobs_end_all(void)
{
	for (uint32_t i = 0; i < SHELL_JOBS_MAX; i++)
		if (sh.jobs.j[i].job)
			jobs_finish(&sh.jobs.j[i]);
}
