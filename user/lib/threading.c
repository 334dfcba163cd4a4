// SPDX-License-Identifier: MIT
/*
 * Threads (threading.h): ThreadSpawner.spawn and ThreadHandle.join through the
 * calling thread's ring, the entry trampoline, and the per-thread ring slot
 * behind client_ring.
 */
#include <capos/errors.h>
#include <capos/layout.h>
#include <capos/syscall.h>

#include "capos.capnp.h"
#include "rt.h"
#include "threading.h"

#define SPAWN_RESULT_WORDS 16
#define JOIN_RESULT_WORDS 8

static struct thread first_thread = { .handle = CAPOS_CAP_INVALID };

struct thread *thread_self(void)
{
	uint64_t tp;

	__asm__("movq %%fs:0, %0" : "=r"(tp));
	if (tp == CAPOS_USER_TP || tp == 0)	/* the first thread's TCB page */
		return &first_thread;
	return (struct thread *)(uintptr_t)tp;
}

/* Overrides client.c's: client_ring is the calling thread's. */
struct uring **client_ring_slot(void)
{
	return &thread_self()->ring;
}

_Noreturn void thread_exit(int64_t value)
{
	if (thread_self() == &first_thread)
		exit((int)value);
	capos_thread_exit(value);
	__builtin_unreachable();
}

/* Called by thread_entry with the kernel's entry registers (threading.h). */
__attribute__((used, noreturn)) static void thread_start(uint64_t ring, uint64_t tid, uint64_t arg)
{
	struct thread *t = (struct thread *)(uintptr_t)arg;

	if (uring_init(&t->ring_storage, ring))
		capos_thread_exit(RT_EXIT_BAD_START);
	t->ring = &t->ring_storage;
	t->id = (uint32_t)tid;
	thread_exit(t->fn(t->arg));
}

/* rsp is 16-byte aligned at entry; the call leaves thread_start's frame as SysV wants it. */
__asm__(".pushsection .text.thread_entry, \"ax\"\n"
	".type thread_entry, @function\n"
	"thread_entry:\n"
	"	xorl %ebp, %ebp\n"
	"	call thread_start\n"
	"	ud2\n"
	".size thread_entry, . - thread_entry\n"
	".popsection\n");
extern char thread_entry[];

static capos_cap_t spawner_cap(void)
{
	static capos_cap_t cap = CAPOS_CAP_INVALID;

	if (cap == CAPOS_CAP_INVALID)
		cap = rt_cap("threads", CAPOS_IFACE_THREAD_SPAWNER);
	return cap;
}

/* ThreadSpawner.spawn of t: its handle and id. */
static int spawn_call(struct thread *t, uint64_t stack_top)
{
	uint64_t arena[16], params[16], result[SPAWN_RESULT_WORDS];
	struct capos_cqe cqe;
	struct capnp_msg m;
	size_t plen;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	struct capos_ThreadSpawner_spawn_Params_builder p = capos_ThreadSpawner_spawn_Params_init_root(&m);
	capos_ThreadSpawner_spawn_Params_set_entry(p, (uint64_t)(uintptr_t)thread_entry);
	capos_ThreadSpawner_spawn_Params_set_stack(p, stack_top);
	capos_ThreadSpawner_spawn_Params_set_arg(p, (uint64_t)(uintptr_t)t);
	capos_ThreadSpawner_spawn_Params_set_tp(p, (uint64_t)(uintptr_t)t);
	if (capnp_msg_error(&m) || capnp_msg_write(&m, params, sizeof(params), &plen))
		return CAPOS_ERR_TOO_LARGE;
	cqe.result = uring_call(client_ring, spawner_cap(), capos_ThreadSpawner_spawn, params,
				(uint32_t)plen, result, sizeof(result), NULL, 0, &cqe);
	int err = client_open_answer(&cqe, result, sizeof(result), &m);
	if (err)
		return err;
	struct capos_ThreadSpawner_spawn_Results r = capos_ThreadSpawner_spawn_Results_root(&m);
	uint16_t index = capos_ThreadSpawner_spawn_Results_get_handleIndex(r);
	t->id = capos_ThreadSpawner_spawn_Results_get_threadId(r);
	uint32_t off = (cqe.written + 7u) & ~7u;
	const struct capos_xfer_result *rec = (const void *)((char *)result + off);
	if (capnp_msg_error(&m) || !(cqe.flags & CAPOS_CQE_F_XFER) || index >= cqe.xfer_count ||
	    off + (index + 1u) * sizeof(*rec) > sizeof(result) ||
	    rec[index].interface_id != CAPOS_IFACE_THREAD_HANDLE)
		return CAPOS_ERR_MALFORMED_MESSAGE;
	t->handle = rec[index].cap_id;
	return 0;
}

int thread_create(struct thread **out, int64_t (*fn)(void *arg), void *arg, size_t stack_size)
{
	if (spawner_cap() == CAPOS_CAP_INVALID)
		return CAPOS_ERR_INVALID_CAP;
	if (!stack_size)
		stack_size = THREAD_STACK_DEFAULT;
	struct thread *t = calloc(1, sizeof(*t));
	void *stack = t ? malloc(stack_size) : NULL;
	if (!stack) {
		free(t);
		return CAPOS_ERR_NO_MEMORY;
	}
	t->tcb_self = (uint64_t)(uintptr_t)t;
	t->fn = fn;
	t->arg = arg;
	t->stack = stack;
	t->handle = CAPOS_CAP_INVALID;
	int err = spawn_call(t, ((uint64_t)(uintptr_t)stack + stack_size) & ~15ull);
	if (err) {
		free(stack);
		free(t);
		return err;
	}
	*out = t;
	return 0;
}

static int release_cap(capos_cap_t cap)
{
	return uring_run(client_ring, &(struct capos_sqe){ .opcode = CAPOS_OP_RELEASE, .cap_id = cap },
			 NULL);
}

int thread_join(struct thread *t, int64_t *value)
{
	static const uint64_t params[2] = { 0x0000000100000000ull, 0x00000000fffffffcull };
	uint64_t result[JOIN_RESULT_WORDS];
	struct capos_cqe cqe;
	struct capnp_msg m;

	/* join takes nothing: a segment table and an empty root struct. */
	cqe.result = uring_call(client_ring, t->handle, capos_ThreadHandle_join, params, 16, result,
				sizeof(result), NULL, 0, &cqe);
	int err = client_open_answer(&cqe, result, sizeof(result), &m);
	if (err)
		return err;
	int64_t v = capos_ThreadHandle_join_Results_get_value(capos_ThreadHandle_join_Results_root(&m));
	if (capnp_msg_error(&m))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*value = v;
	(void)release_cap(t->handle);
	free(t->stack);
	free(t);
	return 0;
}

int thread_detach(struct thread *t)
{
	int err = release_cap(t->handle);

	if (!err)
		t->handle = CAPOS_CAP_INVALID;
	return err;
}
