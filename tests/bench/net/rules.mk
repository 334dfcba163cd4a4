# SPDX-License-Identifier: MIT
# Network throughput against the Linux peer (wall clock; tests/bench/net/bench.sh).
BENCH_SCRIPTS += tests/bench/net/bench.sh
