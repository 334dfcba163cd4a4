// SPDX-License-Identifier: MIT
/*
 * Fuzzes capnp-print's walk: arbitrary bytes are read as a framed message
 * whose root is tests/capnp/schemas/print.capnp's Shapes (every kind of
 * field: unions in groups in unions, nested lists, enums, capabilities,
 * AnyPointer, recursion). The schema is compiled at build time into
 * fuzz_capnp_print_req[] (a CodeGeneratorRequest) and loaded once. The walk
 * must return an error or a text, never crash, leak or loop.
 */
#include "print.h"

#include <stdlib.h>
#include <string.h>

extern const unsigned char fuzz_capnp_print_req[];
extern const unsigned int fuzz_capnp_print_req_len;

/* Bounds the text (and time) per input; the walk is the same at any limit. */
enum { FUZZ_TRAVERSAL_WORDS = 1u << 16, FUZZ_NESTING = 64 };

static struct sm_schema fuzz_schema;
static const struct sm_node *fuzz_root;

static void fuzz_load(void)
{
	void *buf = malloc(fuzz_capnp_print_req_len);
	const char *why;

	if (!buf)
		abort();
	memcpy(buf, fuzz_capnp_print_req, fuzz_capnp_print_req_len);
	if (sm_load(&fuzz_schema, buf, fuzz_capnp_print_req_len, &why) != 0)
		abort();
	fuzz_root = sm_lookup(&fuzz_schema, fuzz_schema.files[0].id, "Shapes");
	if (!fuzz_root)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capnp_msg msg;
	struct pstr out = { 0 };

	if (!fuzz_root)
		fuzz_load();
	if (capnp_msg_init_read(&msg, data, size) == 0)
		print_message(&fuzz_schema, fuzz_root, &msg, FUZZ_TRAVERSAL_WORDS, FUZZ_NESTING,
			      &out);
	pstr_free(&out);
	return 0;
}
