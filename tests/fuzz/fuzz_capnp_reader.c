// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the Cap'n Proto reader (lib/capnp): every input is parsed as a framed
 * message and walked generically (tests/fuzz/capnp_walk.h), copied, and run through the packed
 * codec. The same walk replays the seed corpus under gcc + ASan in `make test`
 * (tests/unit/capnp/test_corpus.c), so the corpus doubles as a regression suite.
 */
#include "capnp_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	capnp_walk_traversal_limit = 1 << 16;
	capnp_walk_typed_probes = true;
	capnp_walk_message(data, size);
	return 0;
}
