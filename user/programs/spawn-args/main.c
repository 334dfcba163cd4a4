// SPDX-License-Identifier: MIT
/*
 * spawn-args (QEMU scenario spawn-args): ProcessSpawner.spawn's args reach
 * the child (echo-args prints them and exits with their number) in order,
 * an empty one included; a child spawned without any sees 0. The limits
 * hold exactly: 16 args and 896 bytes with their NULs are accepted, 17 args,
 * 897 bytes and an argument holding a NUL are refused with invalidArgument
 * and no child runs (the scenario counts echo-args' lines).
 */
#include "capos.capnp.h"
#include "check.h"
#include "rt.h"

#define CHILD "echo-args"

static capos_cap_t sp, con;
static char big[CAPOS_ARGS_BYTES + 1];
static uint64_t nul_arena[64], nul_params[72], nul_result[64];

/* Spawns echo-args with args (NULL: none) and the Console; its exit code, or -1000 - error. */
static int64_t run_child(const char *const *argv, uint32_t argc)
{
	const struct spawn_grant g[] = { { "console", CAPOS_IFACE_CONSOLE, con, CAPOS_XFER_COPY } };
	const struct spawn_args a = { argv, argc };
	capos_cap_t handle;
	int64_t code = 0;
	int err = spawner_spawn_args(sp, CHILD, CHILD, argv ? &a : NULL, g, 1, &handle, NULL);

	if (err)
		return -1000 - err;
	err = process_wait(handle, &code);
	(void)cap_release(handle);
	return err ? -1000 - err : code;
}

/* A spawn that must be refused with invalidArgument. */
static void check_refused(const char *const *argv, uint32_t argc, const char *name)
{
	int64_t code = run_child(argv, argc);

	check(code == -1000 - CAPOS_ERR_APPLICATION_EXCEPTION &&
		      client_exception()->type == capos_CapException_Type_invalidArgument,
	      name, code);
}

static void check_order_and_empty(void)
{
	const char *const v[] = { "first", "", "a b", "last" };

	check(run_child(NULL, 0) == 0, "no_args_is_argc_0", 0);
	check(run_child(v, 4) == 4, "four_args_with_an_empty_one", 0);
}

static void check_count_limit(void)
{
	static const char *const v[] = { "0", "1", "2",	 "3",  "4",  "5",  "6",  "7", "8",
					 "9", "10", "11", "12", "13", "14", "15", "16" };
	int64_t code = run_child(v, 16);

	check(code == 16, "sixteen_args_work", code);
	check_refused(v, 17, "seventeen_args_refused");
}

/* 896 bytes with their NULs: one argument of 895 bytes, or 894 and an empty one. */
static void check_size_limit(void)
{
	const char *v[2] = { big, "" };
	int64_t code;

	memset(big, 'x', CAPOS_ARGS_BYTES - 1);
	big[CAPOS_ARGS_BYTES - 1] = 0;
	code = run_child(v, 1);
	check(code == 1, "896_bytes_work", code);
	big[CAPOS_ARGS_BYTES - 2] = 0;
	code = run_child(v, 2);
	check(code == 2, "896_bytes_in_two_work", code);
	big[CAPOS_ARGS_BYTES - 2] = 'y';
	check_refused(v, 2, "897_bytes_refused");
	big[CAPOS_ARGS_BYTES - 1] = 'z';
	check_refused(v, 1, "897_bytes_in_one_refused");
}

/* The client sends C strings; a raw message can hold a NUL inside an argument. */
static void check_nul_refused(void)
{
	struct capos_ProcessSpawner_spawn_Params_builder p;
	struct capnp_list_builder l;
	struct capnp_msg m;
	int err;

	capnp_msg_init_build(&m, nul_arena, sizeof(nul_arena));
	p = capos_ProcessSpawner_spawn_Params_init_root(&m);
	(void)capos_ProcessSpawner_spawn_Params_set_name(p, CHILD, strlen(CHILD));
	(void)capos_ProcessSpawner_spawn_Params_set_binary(p, CHILD, strlen(CHILD));
	l = capos_ProcessSpawner_spawn_Params_init_args(p, 1);
	(void)capnp_ptr_set_text(capnp_list_build_ptr(l, 0), "a\0b", 3);
	err = client_call_framed(sp, capos_ProcessSpawner_spawn, &m, nul_params,
				 sizeof(nul_params), nul_result, sizeof(nul_result));
	check(err == CAPOS_ERR_APPLICATION_EXCEPTION &&
		      client_exception()->type == capos_CapException_Type_invalidArgument,
	      "arg_with_nul_refused", err);
}

int main(void)
{
	check_init("spawn-args");
	sp = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER);
	con = rt_cap("console", CAPOS_IFACE_CONSOLE);
	check(rt_argc() == 0 && rt_argv(0) == NULL, "init_has_no_args", rt_argc());
	check_order_and_empty();
	check_count_limit();
	check_size_limit();
	check_nul_refused();
	return check_done();
}
