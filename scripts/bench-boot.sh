#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# BENCH boot_to_banner: guest instructions from the kernel's first instruction
# to the banner, on direct boot under -icount shift=0 (rdtsc = instructions).
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/bench/boot
mkdir -p "$out"
status=0
timeout 120 qemu-system-x86_64 -machine q35 -cpu max -m 128M -display none -no-reboot \
	-icount shift=0 -serial "file:$out/console.log" -serial "file:$out/kernel.log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel build/kernel/capos32.elf -initrd build/test.pkg -append "bench=boot" \
	</dev/null >"$out/qemu.log" 2>&1 || status=$?
# The kernel's lines are in the kernel log (COM2); COM1 is the terminal's.
tr -d '\r' <"$out/kernel.log" | grep '^BENCH '
[ "$status" -eq 1 ]
