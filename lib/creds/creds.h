/* SPDX-License-Identifier: MIT */
/*
 * The CredentialStore's pure logic (docs/credentials.md): which user names
 * and password lengths are taken, the throttle schedule, and the record
 * store (accounts with their PHC verifiers, and the throttle state of each
 * account and terminal). No I/O and no hashing here: the service
 * (user/programs/credstore) computes verifiers and asks this code what to
 * keep and when to answer. Built into the user runtime and for the host
 * unit tests (tests/unit/creds).
 */
#ifndef CAPOS_LIB_CREDS_H
#define CAPOS_LIB_CREDS_H

#include <stdbool.h>
#include <stdint.h>

#define CREDS_NAME_MAX 32u		/* bytes of a user name */
#define CREDS_PASSWORD_MIN 1u
#define CREDS_PASSWORD_MAX 128u		/* bytes of a password */
#define CREDS_ACCOUNTS_MAX 16u
#define CREDS_TERMINALS_MAX 64u		/* terminal ids 0..63 */
#define CREDS_VERIFIER_MAX 256u		/* a PHC string with its NUL (ARGON2ID_ENCODED_MAX) */
#define CREDS_DELAY_CAP_MS 30000u	/* the longest throttle delay */

#define CREDS_OK 0
#define CREDS_ERR_NAME (-1)		/* not a valid user name */
#define CREDS_ERR_FULL (-2)		/* CREDS_ACCOUNTS_MAX accounts already */
#define CREDS_ERR_EXISTS (-3)		/* the name is taken */
#define CREDS_ERR_VERIFIER (-4)		/* empty, or too long to keep */

enum creds_profile { CREDS_OPERATOR = 0, CREDS_GUEST = 1 };

/* Consecutive failures and the earliest time the next answer may go. */
struct creds_throttle {
	uint32_t failures;
	uint64_t not_before_ns;
};

struct creds_account {
	char name[CREDS_NAME_MAX + 1];		/* NUL-terminated */
	enum creds_profile profile;
	char verifier[CREDS_VERIFIER_MAX];	/* PHC string, never the password */
	struct creds_throttle throttle;
};

struct creds_store {
	uint32_t count;
	struct creds_account accounts[CREDS_ACCOUNTS_MAX];
	struct creds_throttle terminals[CREDS_TERMINALS_MAX];
};

/*
 * True if name[0..len) is a user name: 1..CREDS_NAME_MAX bytes of a-z, 0-9,
 * '_' and '-', the first a letter (so any other byte, NUL or non-ASCII, is
 * refused).
 */
bool creds_name_valid(const char *name, uint32_t len);

/* True if a password of len bytes is taken (1..CREDS_PASSWORD_MAX). */
bool creds_password_len_valid(uint32_t len);

/*
 * The delay, in ms, that `failures` consecutive failures put between the
 * last failed answer and the next answer: 0, 1 s, 2 s, 4 s, ... capped at
 * CREDS_DELAY_CAP_MS (30 s, from the 6th failure on).
 */
uint32_t creds_delay_ms(uint32_t failures);

void creds_store_init(struct creds_store *s);

/* The index of account name[0..len), or -1. */
int creds_find(const struct creds_store *s, const char *name, uint32_t len);

/* True if an operator account exists. */
bool creds_has_operator(const struct creds_store *s);

/* Adds an account with a NUL-terminated verifier. Returns CREDS_OK or CREDS_ERR_*. */
int creds_add(struct creds_store *s, const char *name, uint32_t len, enum creds_profile profile,
	      const char *verifier);

/*
 * When the answer to an attempt at `now` on account `acct` (-1: unknown
 * user) from terminal `term` may go: the latest of now and both throttles.
 */
uint64_t creds_answer_at(const struct creds_store *s, int acct, uint32_t term, uint64_t now);

/*
 * Records the outcome of an attempt answered at answer_at: a success clears
 * the account's and the terminal's failures; a failure counts on both and
 * pushes their next answer creds_delay_ms(failures) past answer_at.
 */
void creds_note(struct creds_store *s, int acct, uint32_t term, bool ok, uint64_t answer_at);

#endif
