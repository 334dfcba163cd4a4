#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Ring and process benchmarks, measured in the guest under -icount shift=0
# (rdtsc = guest instructions): nop-bench prints null_cap_enter and
# ring_nop_batch1/32, spawn-many prints spawn_exit, vm-bench
# vm_map_touch_unmap_1p/16p, revoke-bench revoke_grant, argon2-bench
# login_verify (one Argon2id verification at the shipped parameters); boot_to_init comes
# from the kernel log (cycles from the kernel's first instruction to init's
# first output), and so does
# boot_to_services (to init's line saying every service of the default
# manifest has started).
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/bench/user
mkdir -p "$out"
run() {	# run NAME INIT [PACKAGE [MORE_CMDLINE]]
	local status=0
	timeout 600 qemu-system-x86_64 -machine q35 -cpu max -m 128M -display none -no-reboot \
		-icount shift=0 -serial "file:$out/$1.console" -serial "file:$out/$1.log" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel build/kernel/capos32.elf -initrd "${3:-build/test.pkg}" \
		-append "test=init init=$2 ${4:-}" </dev/null >"$out/$1.qemu" 2>&1 || status=$?
	grep -h '^BENCH ' "$out/$1.console" | tr -d '\r' || true
	[ "$status" -eq 1 ] || { echo "bench: $2 failed (QEMU status $status)" >&2; return 1; }
}
run nop nop-bench
run spawn spawn-many
run vm vm-bench
run revoke revoke-bench
run argon2 argon2-bench
run hello init >/dev/null
sed -n 's/.*init.s first output \([0-9]*\) cycles.*/BENCH boot_to_init \1 insns/p' "$out/hello.log"
# boot_to_services: make run's package (the default manifest), init's lines stamped in the
# kernel log; the figure is the stamp of "init: all N services started" (the last spawn done).
run services init build/capos.pkg init_stamps=1 >/dev/null
line=$(tr -d '\r' <"$out/services.log" |
	sed -n 's/.*init wrote at \([0-9]*\) cycles: init: all [0-9]* services started:.*/\1/p')
if [ -z "$line" ]; then
	echo "bench: init did not start every service (see $out/services.*)" >&2
	exit 1
fi
echo "BENCH boot_to_services $line insns"
