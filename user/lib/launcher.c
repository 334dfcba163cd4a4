// SPDX-License-Identifier: MIT
/* Launcher client (launcher.h). */
#include <capos/errors.h>

#include "client.h"
#include "launcher.h"
#include "session.capnp.h"
#include "ustring.h"

static bool launcher_name_copy(struct capnp_text t, char *out)
{
	if (t.len == 0 || t.len > LAUNCHER_NAME_MAX)
		return false;
	for (uint32_t i = 0; i < t.len; i++)
		if (t.str[i] == '\0')
			return false;
	memcpy(out, t.str, t.len);
	out[t.len] = '\0';
	return true;
}

int launcher_list(struct ipc_call *c, capos_cap_t launcher, char (*names)[LAUNCHER_NAME_MAX + 1],
		  uint32_t max, uint32_t *count)
{
	struct capnp_list l;
	int ret;

	ipc_call_begin(c);
	session_Launcher_list_Params_init_root(&c->msg);
	ret = ipc_call_run(client_ring, c, launcher, session_Launcher_list);
	if (ret < 0)
		return ret;
	l = session_Launcher_list_Results_get_binaries(
		session_Launcher_list_Results_root(&c->msg));
	*count = capnp_list_len(l);
	for (uint32_t i = 0; i < *count && i < max; i++)
		if (!launcher_name_copy(capnp_list_text(l, i), names[i]))
			return CAPOS_ERR_MALFORMED_MESSAGE;
	return capnp_msg_error(&c->msg) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}

int launcher_spawn(struct ipc_call *c, capos_cap_t launcher, const char *binary,
		   const struct launcher_grant *g, uint32_t n, uint32_t *job)
{
	return launcher_spawn_args(c, launcher, binary, NULL, g, n, job);
}

/* The args list, left null when there are none. */
static int launcher_fill_args(struct ipc_call *c, struct session_Launcher_spawn_Params_builder p,
			      const struct spawn_args *args)
{
	struct capnp_list_builder l;

	if (!args || args->argc == 0)
		return 0;
	l = session_Launcher_spawn_Params_init_args(p, args->argc);
	for (uint32_t i = 0; i < args->argc; i++)
		capnp_ptr_set_text(capnp_list_build_ptr(l, i), args->argv[i],
				   (uint32_t)strlen(args->argv[i]));
	return capnp_msg_error(&c->msg) ? CAPOS_ERR_TOO_LARGE : 0;
}

int launcher_spawn_args(struct ipc_call *c, capos_cap_t launcher, const char *binary,
			const struct spawn_args *args, const struct launcher_grant *g, uint32_t n,
			uint32_t *job)
{
	struct session_Launcher_spawn_Params_builder p;
	struct session_Launcher_Grant__list_builder l;
	int ret;

	if (n > LAUNCHER_GRANTS_MAX)
		return CAPOS_ERR_INVALID_ARGUMENT;
	ipc_call_begin(c);
	p = session_Launcher_spawn_Params_init_root(&c->msg);
	if (session_Launcher_spawn_Params_set_binary(p, binary, (uint32_t)strlen(binary)))
		return CAPOS_ERR_TOO_LARGE;
	l = session_Launcher_spawn_Params_init_grants(p, n);
	for (uint32_t i = 0; i < n; i++) {
		struct session_Launcher_Grant_builder e = session_Launcher_Grant__list_build(l, i);
		int idx = ipc_call_add_cap(c, g[i].cap, g[i].mode);

		if (idx < 0 ||
		    session_Launcher_Grant_set_name(e, g[i].name, (uint32_t)strlen(g[i].name)))
			return CAPOS_ERR_TOO_LARGE;
		session_Launcher_Grant_set_cap(e, (uint16_t)idx);
		session_Launcher_Grant_set_client(e, g[i].client);
	}
	if (launcher_fill_args(c, p, args))
		return CAPOS_ERR_TOO_LARGE;
	ret = ipc_call_run(client_ring, c, launcher, session_Launcher_spawn);
	if (ret < 0)
		return ret;
	*job = session_Launcher_spawn_Results_get_job(session_Launcher_spawn_Results_root(&c->msg));
	if (capnp_msg_error(&c->msg) || *job == 0 || *job > 65535u)
		return CAPOS_ERR_MALFORMED_MESSAGE;
	return 0;
}

int launcher_wait_submit(struct ipc_call *c, capos_cap_t launcher, uint32_t job)
{
	ipc_call_begin(c);
	session_Launcher_wait_Params_set_job(session_Launcher_wait_Params_init_root(&c->msg), job);
	return ipc_call_submit(client_ring, c, launcher, session_Launcher_wait);
}

int launcher_wait_read(struct ipc_call *c, int status, int64_t *code)
{
	int64_t v;

	if (status < 0)
		return status;
	v = session_Launcher_wait_Results_get_exitCode(session_Launcher_wait_Results_root(&c->msg));
	if (capnp_msg_error(&c->msg))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*code = v;
	return 0;
}

int launcher_wait(struct ipc_call *c, capos_cap_t launcher, uint32_t job, int64_t *code)
{
	int err = launcher_wait_submit(c, launcher, job);

	return err ? err : launcher_wait_read(c, ipc_call_wait(client_ring, c,
								CAPOS_TIMEOUT_INFINITE), code);
}

int launcher_kill(struct ipc_call *c, capos_cap_t launcher, uint32_t job)
{
	int ret;

	ipc_call_begin(c);
	session_Launcher_kill_Params_set_job(session_Launcher_kill_Params_init_root(&c->msg), job);
	ret = ipc_call_run(client_ring, c, launcher, session_Launcher_kill);
	return ret < 0 ? ret : 0;
}
