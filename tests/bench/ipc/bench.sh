#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# IPC benchmarks, measured in the guest under -icount shift=0 on one CPU
# (rdtsc = guest instructions): ipc-bench prints ipc_call_rtt,
# ipc_call_rtt_empty and ipc_call_rtt_xfer (user/programs/ipc-bench,
# docs/ipc-userspace.md).
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=build/bench/ipc
mkdir -p "$out"
status=0
timeout 600 qemu-system-x86_64 -machine q35 -cpu max -m 128M -smp 1 -display none -no-reboot \
	-icount shift=0 -serial "file:$out/ipc.console" -serial "file:$out/ipc.log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel build/kernel/capos32.elf -initrd build/test.pkg -append "test=init init=ipc-bench" \
	</dev/null >"$out/ipc.qemu" 2>&1 || status=$?
# Console output (printf) is in the kernel log (COM2); COM1 is the terminal's.
grep -h '^BENCH ' "$out/ipc.log" | tr -d '\r' || true
[ "$status" -eq 1 ] || { echo "bench: ipc-bench failed (QEMU status $status)" >&2; exit 1; }
