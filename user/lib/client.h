/* SPDX-License-Identifier: MIT */
/*
 * Typed clients of the kernel objects (schema/capos.capnp): Console,
 * BootPackage, ProcessSpawner, ProcessHandle, EndpointFactory, plus RELEASE
 * (calls to services: ipc_call.h). Each wrapper
 * builds the params with the capnpc-c generated builders (capos.capnp.h),
 * CALLs through the runtime's ring, waits for its own completion, and reads
 * the result with the generated readers.
 *
 * Every function returns 0 (or a count) on success, or a negative
 * CAPOS_ERR_*. CAPOS_ERR_APPLICATION_EXCEPTION means the target raised a
 * CapException; client_exception() then gives its type and reason.
 * CAPOS_ERR_MALFORMED_MESSAGE means the answer did not decode. Calls use
 * static message buffers: one call at a time (M3 processes have one thread).
 */
#ifndef CAPOS_USER_CLIENT_H
#define CAPOS_USER_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include <capos/cap.h>
#include <capos/endpoint.h>
#include <capos/interfaces.h>

#include "capnp/capnp.h"
#include "process.h"
#include "uring.h"

#define CLIENT_REASON_MAX 256	/* bytes of a CapException reason kept, with the NUL */
#define CONSOLE_WRITE_MAX 4096	/* Console.write limit per call (schema) */

struct client_exception {
	uint16_t type;			/* capos_CapException_Type_* */
	char reason[CLIENT_REASON_MAX];	/* NUL-terminated, possibly cut */
};

/* spawn_grant.mode: a new endpoint owned by the child (CapGrant newEndpoint). */
#define SPAWN_NEW_ENDPOINT 0xffu
/*
 * spawn_grant.mode: the child's own VirtualMemory with a quota of `cap`
 * pages, paid from the caller's quota (CapGrant virtualMemory). Without one in the list
 * the spawn helpers add "vm" with SPAWN_VM_DEFAULT_PAGES (or half of what
 * the caller has left, if less) when there is room for a grant; a quota of
 * 0 gives a child no heap.
 */
#define SPAWN_VIRTUAL_MEMORY 0xfeu
#define SPAWN_VM_DEFAULT_PAGES 512u	/* 2 MiB */
/*
 * spawn_grant.mode flag, or'ed with CAPOS_XFER_COPY or CAPOS_XFER_MOVE: the
 * child's copy cannot be sent on (CAPOS_XFER_F_DROP_TRANSFER), a "client"
 * grant it may use but not pass to anyone.
 */
#define SPAWN_DROP_TRANSFER 0x80u

/*
 * One capability given to a spawned process (ProcessSpawner.spawn grants):
 * the caller's cap, copied or moved, or with mode SPAWN_NEW_ENDPOINT a new
 * endpoint the child owns under `name`, serving iface (see spawner_spawn_ep).
 */
struct spawn_grant {
	const char *name;	/* name in the child's CapSet, 1..31 bytes */
	uint64_t iface;		/* expected interface (0: any); endpoints: the one served */
	capos_cap_t cap;	/* the caller's capability (not for SPAWN_NEW_ENDPOINT) */
	uint8_t mode;		/* CAPOS_XFER_COPY, CAPOS_XFER_MOVE (either may be or'ed with
				 * SPAWN_DROP_TRANSFER), SPAWN_NEW_ENDPOINT or
				 * SPAWN_VIRTUAL_MEMORY (then `cap` is the quota in pages) */
};

/*
 * The ring every client call goes through: the calling thread's own
 * (threading.h). rt_start() sets the first thread's; a thread started by
 * thread_create() has its own. An lvalue, so `client_ring = r` sets the
 * calling thread's. The wrappers below that share static buffers serve one
 * call at a time across all threads: threads that call at once use
 * ipc_call.h with buffers of their own.
 */
struct uring **client_ring_slot(void);
#define client_ring (*client_ring_slot())

/* The process's own VirtualMemory, from which spawns pay a child's quota; rt_start() sets it. */
extern capos_cap_t client_vm;

/* The exception of the last call that returned CAPOS_ERR_APPLICATION_EXCEPTION. */
const struct client_exception *client_exception(void);

/* Makes the CapException msg[0..len) the one client_exception() gives (other clients). */
void client_keep_exception(const void *msg, uint32_t len);

/*
 * Opens the answer of a completed CALL, result[0..rsize), in *m: 0, the
 * CQE's error (a CapException kept for client_exception()), or
 * CAPOS_ERR_MALFORMED_MESSAGE (more written than the buffer, or no message).
 */
int client_open_answer(const struct capos_cqe *cqe, const void *result, size_t rsize,
		       struct capnp_msg *m);

/*
 * For a service's client with buffers of its own (audit.h, sessions.h):
 * frames *m (params being built) into params[0..psize), CALLs method of
 * cap through client_ring with room result[0..rsize), and opens the
 * answer in *m. 0, CAPOS_ERR_INVALID_ARGUMENT (no ring, or m failed or
 * does not fit), a CQE error (an exception kept for client_exception()),
 * or CAPOS_ERR_MALFORMED_MESSAGE.
 */
int client_call_framed(capos_cap_t cap, uint16_t method, struct capnp_msg *m, uint64_t *params,
		       size_t psize, uint64_t *result, size_t rsize);

/* Console.write of data[0..len), in CONSOLE_WRITE_MAX pieces. */
int console_write(capos_cap_t con, const void *data, size_t len);
/* Console.write of a C string. */
int console_puts(capos_cap_t con, const char *s);
/* Console.writeLine: text plus "\n" (text at most 4095 bytes). */
int console_write_line(capos_cap_t con, const char *text);

/* One BootPackage.list entry. */
struct bootpkg_entry {
	char name[32];		/* NUL-terminated (names are at most 31 bytes) */
	uint64_t size;		/* bytes */
};

/*
 * BootPackage.list: fills out[0..max) in package order and returns the number
 * of binaries in the package (which may exceed max).
 */
int bootpkg_list(capos_cap_t bp, struct bootpkg_entry *out, uint32_t max);

#define BOOTPKG_READ_MAX 32768	/* BootPackage.read maxBytes limit (schema) */

/*
 * BootPackage.read: up to max bytes (<= BOOTPKG_READ_MAX) of binary `name`
 * from offset into buf; returns the number of bytes read (0 at the end).
 */
int bootpkg_read(capos_cap_t bp, const char *name, uint64_t offset, void *buf, uint32_t max);

/*
 * BootPackage.readManifest: up to max bytes (<= BOOTPKG_READ_MAX) of the boot
 * manifest from offset into buf; *size receives the manifest's whole size
 * (0: the package holds none). Returns the number of bytes read (0 at the
 * end). The bytes are unchecked: lib/manifest validates them.
 */
int bootpkg_read_manifest(capos_cap_t bp, uint64_t offset, void *buf, uint32_t max,
			  uint64_t *size);

/*
 * ProcessSpawner.spawn of boot package binary `binary` as `name` with grants
 * g[0..n) (n <= CAPOS_XFER_MAX; transferred grants travel as transfer
 * descriptors in grant order). On success *handle is the child's
 * ProcessHandle.
 */
int spawner_spawn(capos_cap_t sp, const char *name, const char *binary,
		  const struct spawn_grant *g, uint32_t n, capos_cap_t *handle);

/* spawner_spawn; facets[i] receives the client facet of SPAWN_NEW_ENDPOINT grant i. */
int spawner_spawn_ep(capos_cap_t sp, const char *name, const char *binary,
		     const struct spawn_grant *g, uint32_t n, capos_cap_t *handle,
		     capos_cap_t *facets);

/* A spawned program's arguments: argv[0..argc), C strings (ProcessSpawner.spawn args). */
struct spawn_args {
	const char *const *argv;
	uint32_t argc;
};

/*
 * spawner_spawn_ep with arguments (NULL: none). The kernel refuses more than
 * CAPOS_ARGS_MAX or more than CAPOS_ARGS_BYTES with their NULs
 * (CAPOS_ERR_APPLICATION_EXCEPTION, invalidArgument); facets may be NULL
 * when no grant is SPAWN_NEW_ENDPOINT.
 */
int spawner_spawn_args(capos_cap_t sp, const char *name, const char *binary,
		       const struct spawn_args *args, const struct spawn_grant *g, uint32_t n,
		       capos_cap_t *handle, capos_cap_t *facets);

/*
 * ProcessHandle.wait: blocks the program until the child exits; *code is its
 * exit code. process.h has the form that does not block.
 */
int process_wait(capos_cap_t handle, int64_t *code);

/*
 * ProcessHandle.kill: ends the child, whatever it is doing; its waits then
 * complete with capos_ProcessHandle_exitKilled (-2). Does nothing (and
 * returns 0) for a child that has exited or was killed already.
 */
int process_kill(capos_cap_t handle);

/* ProcessHandle.capUsage: the child's used capability slots and quota. */
int process_cap_usage(capos_cap_t handle, uint32_t *used, uint32_t *quota);

/* CapabilityManager.usage: this process's used capability slots and quota. */
int cap_usage(capos_cap_t mgr, uint32_t *used, uint32_t *quota);

/*
 * CapabilityManager.newRevoker: *revoker is a new Revoker, the authority to
 * make revocable copies and to revoke them all (docs/revocation.md).
 */
int cap_new_revoker(capos_cap_t mgr, capos_cap_t *revoker);

/*
 * Revoker.wrap: *out is a revocable copy of cap (sent with `mode`,
 * CAPOS_XFER_COPY or CAPOS_XFER_MOVE), answering to iface (checked), with
 * cap's rights, less the right to send it on if drop_transfer.
 */
int revoker_wrap(capos_cap_t rv, capos_cap_t cap, uint8_t mode, bool drop_transfer,
		 uint64_t iface, capos_cap_t *out);

/* Revoker.revoke: ends every copy made under rv; their next use is DISCONNECTED. */
int revoker_revoke(capos_cap_t rv);

/*
 * EndpointFactory.create: a new endpoint serving iface; *owner is its owner
 * side (RECV, RETURN), *facet a client facet.
 */
int endpoint_create(capos_cap_t factory, uint64_t iface, capos_cap_t *owner,
		    capos_cap_t *facet);

/* RELEASE: drops cap from this process's table. */
int cap_release(capos_cap_t cap);

#endif
