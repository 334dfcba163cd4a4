/* SPDX-License-Identifier: MIT */
/*
 * The SessionManager's table (schema/session.capnp: SessionManager;
 * docs/session-manager.md): at most SESSION_TABLE_MAX open sessions, each with its
 * 128-bit id (drawn by the service from EntropySource; it never leaves the
 * table), the handle that ends it and the tag that names it.
 *
 * A handle is (generation << 32) | slot: the slot's generation counts the
 * sessions the slot has held, so a handle of a closed session, or of an
 * earlier session of a reused slot, never matches again (a generation
 * would have to wrap 2^32 times in one boot). It says nothing of the id.
 *
 * A tag is "s-" and 8 hex digits: the first 4 bytes of the ChaCha20 block
 * keyed by the boot's secret key with the id as its 128-bit (counter,
 * nonce) input. The block function under a secret key is a pseudo-random
 * function, so without the key a tag is indistinguishable from random bits
 * and tells nothing of the id; even with the key, 32 bits cannot give back
 * 128 (2^96 ids share each tag). Two open sessions never share a tag: the
 * service draws another id when one would.
 *
 * Pure: the caller supplies ids and the key. Built into the user runtime
 * for user/programs/sessions and for the host tests (tests/unit/sessions).
 */
#ifndef CAPOS_LIB_SESSION_TABLE_H
#define CAPOS_LIB_SESSION_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#define SESSION_TABLE_MAX 64u		/* sessions open at once (schema) */
#define SESSION_ID_BYTES 16u		/* 128 bits */
#define SESSION_KEY_BYTES 32u		/* the tag key: a ChaCha20 key */
#define SESSION_TAG_LEN 10u		/* "s-" and 8 hex digits */
#define SESSION_PROFILE_MAX 2u		/* Profile.guest, the last profile */

#define SESSION_OK 0
#define SESSION_ERR_FULL (-1)		/* SESSION_TABLE_MAX sessions open */
#define SESSION_ERR_TAG_TAKEN (-2)	/* an open session has this id's tag: draw again */
#define SESSION_ERR_STALE (-3)		/* the handle names no open session */

struct session_slot {
	bool open;
	uint32_t generation;			/* sessions this slot has held; 0: none yet */
	uint8_t id[SESSION_ID_BYTES];		/* secret: never leaves the table */
	char tag[SESSION_TAG_LEN + 1];		/* NUL-terminated */
};

struct session_table {
	uint8_t key[SESSION_KEY_BYTES];		/* secret: the boot's tag key */
	uint32_t open;				/* slots open */
	struct session_slot slots[SESSION_TABLE_MAX];
};

/* An empty table whose tags are made under key. */
void session_table_init(struct session_table *t, const uint8_t key[SESSION_KEY_BYTES]);

/* True if profile is a Profile (0..SESSION_PROFILE_MAX). */
bool session_profile_valid(uint32_t profile);

/* True if no more sessions fit. */
bool session_table_full(const struct session_table *t);

/* The tag of id under key: "s-" and 8 lower-case hex digits, NUL-terminated. */
void session_tag(const uint8_t key[SESSION_KEY_BYTES], const uint8_t id[SESSION_ID_BYTES],
		 char out[SESSION_TAG_LEN + 1]);

/*
 * Opens a session with id: *handle and tag (SESSION_TAG_LEN + 1 bytes) are
 * its. Returns SESSION_OK, SESSION_ERR_FULL or SESSION_ERR_TAG_TAKEN, with
 * nothing changed on an error.
 */
int session_table_open(struct session_table *t, const uint8_t id[SESSION_ID_BYTES],
		       uint64_t *handle, char *tag);

/* Ends the session of handle (its id wiped). SESSION_OK or SESSION_ERR_STALE. */
int session_table_close(struct session_table *t, uint64_t handle);

/* Sessions open. */
uint32_t session_table_count(const struct session_table *t);

/* Wipes the key and every id (the service's end). */
void session_table_wipe(struct session_table *t);

#endif
