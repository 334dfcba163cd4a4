/* SPDX-License-Identifier: MIT */
/*
 * AuthorityBroker client (schema/session.capnp; docs/sessions.md): the
 * calls a shell makes to open and end its terminal's session. setup and
 * login answer with the session's bundle: each BundleCap names one of the
 * capabilities the answer transferred (its result record), and the client
 * checks every one (a valid name, a record used once, the interface the
 * kernel reports equal to the one the broker names) before the shell sees
 * any. A bad answer releases every capability it carried and is
 * CAPOS_ERR_MALFORMED_MESSAGE: the shell never holds half a bundle.
 *
 * Calls go through a struct ipc_call the caller owns: a CapException
 * (`login failed`, ...) is in c->exc_reason afterwards. The password is
 * wiped from the call's buffers once the answer is read.
 */
#ifndef CAPOS_USER_BROKER_CLIENT_H
#define CAPOS_USER_BROKER_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include <capos/cap.h>

#include "ipc_call.h"
#include "shell/bundle.h"

#define BROKER_PASSWORD_MAX 1024u	/* a terminal line */

/* hasOperator(): *present is true once an operator account exists. */
int broker_has_operator(struct ipc_call *c, capos_cap_t broker, bool *present);

/* setup(user, password): creates the operator and logs it in; *out is the session. */
int broker_setup(struct ipc_call *c, capos_cap_t broker, const char *user, const void *password,
		 size_t password_len, struct shell_bundle *out);

/* login(user, password); *out is the session. */
int broker_login(struct ipc_call *c, capos_cap_t broker, const char *user, const void *password,
		 size_t password_len, struct shell_bundle *out);

/* logout(): ends the session; the bundle's copies fail from now on. */
int broker_logout(struct ipc_call *c, capos_cap_t broker);

/* Releases every capability of b and makes it the anonymous session. */
void broker_bundle_release(struct shell_bundle *b);

#endif
