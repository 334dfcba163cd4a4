// SPDX-License-Identifier: MIT
/*
 * Answers held while their throttle delay runs (credstore.h). The loop's
 * RECV waits at most until the first is due (its timeout is the sleep), so
 * other callers are served meanwhile; each is then sent as a RETURN of its
 * own call, a profile or the one "login failed" CapException.
 */
#include "credstore.h"

#include <capos/endpoint.h>

static struct pending_answer pending[CREDSTORE_PENDING_MAX];
static uint32_t npending;

bool pending_full(void)
{
	return npending >= CREDSTORE_PENDING_MAX;
}

void pending_add(const struct pending_answer *a)
{
	if (npending < CREDSTORE_PENDING_MAX)
		pending[npending++] = *a;
}

uint64_t pending_timeout(uint64_t now)
{
	uint64_t first = UINT64_MAX;

	for (uint32_t i = 0; i < npending; i++)
		if (pending[i].answer_at < first)
			first = pending[i].answer_at;
	if (first == UINT64_MAX)
		return CAPOS_TIMEOUT_INFINITE;
	return first > now ? first - now : 0;
}

/* Frames a's answer into buf; returns its length (0: did not fit). */
static uint32_t frame_answer(const struct pending_answer *a, uint64_t *buf, size_t bytes,
			     uint16_t *flags)
{
	uint64_t arena[64];
	struct capnp_msg m;
	size_t len = 0;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	if (a->ok) {
		credentials_CredentialStore_verify_Results_set_profile(
			credentials_CredentialStore_verify_Results_init_root(&m),
			(uint16_t)a->profile);
		*flags = 0;
	} else {
		struct capos_CapException_builder e = capos_CapException_init_root(&m);

		capos_CapException_set_type(e, capos_CapException_Type_failed);
		capos_CapException_set_reason(e, CREDSTORE_LOGIN_FAILED,
					      sizeof(CREDSTORE_LOGIN_FAILED) - 1);
		*flags = CAPOS_SQE_F_EXCEPTION;
	}
	if (capnp_msg_error(&m) || capnp_msg_write(&m, buf, bytes, &len))
		return 0;
	return (uint32_t)len;
}

static void answer(struct server *s, const struct pending_answer *a)
{
	uint64_t buf[64];
	uint16_t flags = 0;
	uint32_t len = frame_answer(a, buf, sizeof(buf), &flags);

	/* A caller gone meanwhile makes the RETURN fail: nothing to undo. */
	if (len)
		(void)server_return_raw(s, a->call_id, flags, buf, len, NULL, 0);
}

void pending_answer_due(struct server *s, uint64_t now)
{
	uint32_t i = 0;

	while (i < npending) {
		if (pending[i].answer_at > now) {
			i++;
			continue;
		}
		answer(s, &pending[i]);
		pending[i] = pending[--npending];
	}
}
