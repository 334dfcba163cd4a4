# SPDX-License-Identifier: MIT
# login_verify beside Linux: the reference Argon2id code built for Linux
# (-O2, no sanitizers) runs the verification argon2-bench times in capOS;
# bench.sh counts its instructions with callgrind (user mode only).

ARGON2_LINUX_BENCH := $(BUILD)/bench/argon2/linux_verify
$(ARGON2_LINUX_BENCH): tests/bench/argon2/linux_verify.c $(ARGON2_OPT_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_OPT_CFLAGS) -Iuser/lib $(filter %.c %.o,$^) -o $@

ALL_TARGETS += $(ARGON2_LINUX_BENCH)
BENCH_SCRIPTS += tests/bench/argon2/bench.sh
