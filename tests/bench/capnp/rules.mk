# SPDX-License-Identifier: MIT
# capnp benchmark: our generated code + lib/capnp against the official C++ library on the
# same message (bench.capnp), both -O2 without sanitizers; bench.sh counts instructions
# with callgrind and prints BENCH capnp_read_ratio / capnp_build_ratio.

CAPNP_BENCH := $(BUILD)/bench/capnp

$(CAPNP_BENCH)/c/bench.capnp.h: tests/bench/capnp/bench.capnp $(BUILD)/host/capnpc-c
	@mkdir -p $(@D)
	capnp compile -o $(BUILD)/host/capnpc-c:$(@D) $<

$(CAPNP_BENCH)/cxx/bench.capnp.c++: tests/bench/capnp/bench.capnp
	@mkdir -p $(@D)
	capnp compile --src-prefix=tests/bench/capnp -oc++:$(@D) $<

$(CAPNP_BENCH)/bench_c: tests/bench/capnp/bench_c.c $(CAPNP_BENCH)/c/bench.capnp.h $(CAPNP_OPT_LIB)
	$(HOST_CC) $(HOST_OPT_CFLAGS) -I$(CAPNP_BENCH)/c $< $(CAPNP_OPT_LIB) -o $@

$(CAPNP_BENCH)/bench_cxx: tests/bench/capnp/bench_cxx.c++ $(CAPNP_BENCH)/cxx/bench.capnp.c++
	$(HOST_CXX) -std=c++14 -O2 -g -Wall -Wextra -Werror -I$(CAPNP_BENCH)/cxx $< \
		$(CAPNP_BENCH)/cxx/bench.capnp.c++ -Wl,-Bstatic -lcapnp -lkj -Wl,-Bdynamic \
		-lpthread -o $@

ALL_TARGETS += $(CAPNP_BENCH)/bench_c $(CAPNP_BENCH)/bench_cxx
BENCH_SCRIPTS += tests/bench/capnp/bench.sh
