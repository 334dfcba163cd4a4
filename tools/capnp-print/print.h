/* SPDX-License-Identifier: MIT */
/*
 * Schema-driven printer of Cap'n Proto messages in the official text format
 * (what `capnp convert binary:text` prints), shared by capnp-print and its
 * fuzzer.
 */
#ifndef CAPOS_TOOLS_CAPNP_PRINT_PRINT_H
#define CAPOS_TOOLS_CAPNP_PRINT_PRINT_H

#include "schema.h"
#include "text.h"

enum {
	PRINT_TRAVERSAL_WORDS = 64u << 20,	/* words followed per message */
	PRINT_NESTING = 1000,			/* pointer depth */
};

/*
 * print_message: appends the text of msg's root, read as struct `root`, to
 * out (without the final newline). Sets the message's limits to
 * `traversal_words` and `nesting` (PRINT_TRAVERSAL_WORDS and PRINT_NESTING for
 * the tool; a fuzzer passes less to bound time and memory). Returns 0, or
 * the runtime's error code when the message is invalid (out then holds a
 * partial text the caller should discard).
 */
int print_message(const struct sm_schema *s, const struct sm_node *root, struct capnp_msg *msg,
		  uint64_t traversal_words, int32_t nesting, struct pstr *out);

#endif
