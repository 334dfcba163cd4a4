#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SMP benchmarks under -icount shift=0 (rdtsc = guest instructions; TCG runs
# the four vCPUs in turn on one thread there): the kernel's test=smp prints
# smp_start (the boot CPU's instructions from the first AP's INIT to the
# last AP online: three APs, dominated by the MP specification's 10 ms INIT
# delay each) and ipi_round_trip (the cheapest of 16 IPI_PING round trips
# to CPU 1). docs/smp.md, docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=build/bench/smp
mkdir -p "$out"
status=0
timeout 300 qemu-system-x86_64 -machine q35 -cpu max -m 128M -smp 4 -display none -no-reboot \
	-icount shift=0 -serial "file:$out/console.log" -serial "file:$out/kernel.log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel build/kernel/capos32.elf -initrd build/test.pkg -append "test=smp" \
	</dev/null >"$out/qemu.log" 2>&1 || status=$?
tr -d '\r' <"$out/kernel.log" | grep '^BENCH ' || true
[ "$status" -eq 1 ] || { echo "bench: test=smp failed (QEMU status $status)" >&2; exit 1; }
