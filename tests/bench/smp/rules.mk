# SPDX-License-Identifier: MIT
# SMP start-up and IPI round-trip benchmarks (the kernel's test=smp under QEMU -icount).
BENCH_SCRIPTS += tests/bench/smp/bench.sh
