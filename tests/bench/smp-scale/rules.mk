# SPDX-License-Identifier: MIT
# smp_scale_2: CPU-bound multi-process throughput at -smp 2 over -smp 1 under
# multi-threaded TCG (spin-load), interleaved with the Linux peer's
# linux_smp_scale_2 (../shared/peer/run-linux-net-peer.sh).
BENCH_SCRIPTS += tests/bench/smp-scale/bench.sh
