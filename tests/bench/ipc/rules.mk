# SPDX-License-Identifier: MIT
# IPC round-trip benchmarks (user/programs/ipc-bench under QEMU -icount).
BENCH_SCRIPTS += tests/bench/ipc/bench.sh
