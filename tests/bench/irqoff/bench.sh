#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# irq_off_max: the longest interrupts-off window of any CPU, in guest
# instructions (-icount shift=0: the cycle counter counts them), over the
# fixed load of user/programs/irqoff-load (spawn of the largest binary, 4 MiB
# mapped, touched and unmapped, the exit and the fault of a process with
# 4 MiB mapped, a 4 KiB Console write), with the places that turned
# interrupts off and on again. The instrument is in the debug kernel only
# (kernel/arch/x86_64/irqoff.c), so this boots build/kernel-debug: its
# windows are those of the release kernel plus the debug checks, an upper
# bound. One CPU, so the figure is the same at every run (docs/preemption.md).
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=build/bench/irqoff
mkdir -p "$out"
status=0
timeout 600 qemu-system-x86_64 -machine q35 -cpu max -m 128M -smp 1 -display none -no-reboot \
	-icount shift=0 -serial "file:$out/irqoff.console" -serial "file:$out/irqoff.log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel build/kernel-debug/capos32.elf -initrd build/test.pkg \
	-append "test=init init=irqoff-load irqoff_report=1" </dev/null >"$out/irqoff.qemu" 2>&1 || status=$?
[ "$status" -eq 1 ] || { echo "bench: irqoff-load failed (QEMU status $status)" >&2; exit 1; }
# "irqoff: cpu N longest LEN cycles, off at X, on at Y": the longest of all CPUs.
tr -d '\r' <"$out/irqoff.log" | sed -n 's/^irqoff: cpu [0-9]* longest \([0-9]*\) cycles, \(off at .*\)$/\1 \2/p' |
	sort -n -k1,1 | tail -n 1 | sed 's/^\([0-9]*\) \(.*\)$/BENCH irq_off_max \1 insns (\2)/'
