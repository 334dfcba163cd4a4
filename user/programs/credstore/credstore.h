/* SPDX-License-Identifier: MIT */
/*
 * credstore's parts: main.c serves CredentialStore; pending.c keeps the
 * answers that wait out a throttle delay and sends them when due.
 */
#ifndef CAPOS_CREDSTORE_H
#define CAPOS_CREDSTORE_H

#include <stdbool.h>
#include <stdint.h>

#include "capos.capnp.h"
#include "credentials.capnp.h"
#include "creds/creds.h"
#include "rt.h"
#include "server.h"

/* The one message of every failed login (unknown user, bad name, wrong password). */
#define CREDSTORE_LOGIN_FAILED "login failed"
#define CREDSTORE_PENDING_MAX 16u

/* A verify answer decided but not sent yet. */
struct pending_answer {
	uint32_t call_id;
	bool ok;
	enum creds_profile profile;
	uint64_t answer_at;	/* Timer.now ns */
};

bool pending_full(void);

/* Keeps a (the caller checked pending_full). */
void pending_add(const struct pending_answer *a);

/* How long the loop may wait for a call: until the first answer is due. */
uint64_t pending_timeout(uint64_t now);

/* Sends every answer due at now. */
void pending_answer_due(struct server *s, uint64_t now);

#endif
