# SPDX-License-Identifier: MIT
# The longest interrupts-off window over a fixed load (irqoff-load on the
# debug kernel under QEMU -icount, docs/preemption.md).
BENCH_SCRIPTS += tests/bench/irqoff/bench.sh
