# SPDX-License-Identifier: MIT
# Cap'n Proto agreement tests: capnp-print and capnpc-c against the official tools.

TEST_SCRIPTS += tests/capnp/agree.sh

# The print fuzzer (tests/fuzz/fuzz_capnp_print.c) embeds the CodeGeneratorRequest of
# schemas/print.capnp, generated here as a C array.
CAPNP_FUZZ_REQ := $(BUILD)/fuzz/gen/fuzz_capnp_print_req.c
$(CAPNP_FUZZ_REQ): tests/capnp/schemas/print.capnp tests/capnp/embed.py
	@mkdir -p $(@D)
	capnp compile -o- $< > $@.bin
	python3 tests/capnp/embed.py fuzz_capnp_print_req < $@.bin > $@

FUZZ_TARGETS += fuzz_capnp_print
FUZZ_SRCS_fuzz_capnp_print = $(CAPNP_PRINT_LIB_SRCS) $(CAPNP_FUZZ_REQ)
FUZZ_CFLAGS_fuzz_capnp_print := -Itools/capnp-print

TEST_SCRIPTS += tests/capnp/gen_compile.sh
TEST_SCRIPTS += tests/capnp/builders.sh
TEST_SCRIPTS += tests/capnp/bootstrap.sh
