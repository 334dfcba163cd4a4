#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Ring and process benchmarks, measured in the guest under -icount shift=0
# (rdtsc = guest instructions): nop-bench prints null_cap_enter and
# ring_nop_batch1/32, threads-bench thread_create_join and park_wake_rtt,
# spawn-many prints spawn_exit, vm-bench
# vm_map_touch_unmap_1p/16p, revoke-bench revoke_grant, argon2-bench
# login_verify (one Argon2id verification at the shipped parameters); boot_to_init comes
# from the kernel log (cycles from the kernel's first instruction to init's
# first output), and so does
# boot_to_services (to init's line saying every service of the default
# manifest has started) and boot_to_login (to the first read of the
# terminal that waits: the shell's first prompt is on COM1 and the system
# waits for a person; "exit" is then typed, which ends the shell, so init
# exits); shell_run_hello (Enter on `run "hello"` to the next prompt, after an
# operator was set up, stamped by the kernel with serial_stamps=1).
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
	# Console output (printf) is in the kernel log (COM2); COM1 is the terminal's.
	grep -h '^BENCH ' "$out/$1.log" | tr -d '\r' || true
	[ "$status" -eq 1 ] || { echo "bench: $2 failed (QEMU status $status)" >&2; return 1; }
}
# run_dialog NAME PACKAGE MORE_CMDLINE STEP...: as run, booting init with
# COM1 a pipe, typed into as a person would: each STEP is "N|TEXT|TYPED":
# once TEXT has appeared N times on COM1, TYPED is typed (printf's escapes:
# \r is Enter). MEM (default 128M) is the guest's memory; NET=1 adds make run's
# virtio-net device on QEMU's user network.
run_dialog() {
	local name=$1 pkg=$2 cmdline=$3 status=0 qemu reader step n text typed waited
	shift 3
	rm -f "$out/$name.com1.in" "$out/$name.com1.out"
	mkfifo "$out/$name.com1.in" "$out/$name.com1.out"
	cat "$out/$name.com1.out" >"$out/$name.console" &
	reader=$!
	timeout 600 qemu-system-x86_64 -machine q35 -cpu max -m "${MEM:-128M}" -display none \
		-no-reboot -icount shift=0 -chardev "pipe,id=com1,path=$out/$name.com1" -serial chardev:com1 \
		-serial "file:$out/$name.log" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel build/kernel/capos32.elf -initrd "$pkg" \
		${NET:+-device virtio-net-pci,netdev=n0,disable-legacy=on -netdev user,id=n0} \
		-append "test=init init=init $cmdline" </dev/null >"$out/$name.qemu" 2>&1 &
	qemu=$!
	exec 7>"$out/$name.com1.in"
	for step in "$@"; do
		IFS='|' read -r n text typed <<<"$step"
		waited=0
		until [ "$(grep -aoF -- "$text" "$out/$name.console" 2>/dev/null | wc -l)" -ge "$n" ]; do
			kill -0 "$qemu" 2>/dev/null && [ "$waited" -lt 6000 ] || break
			sleep 0.1
			waited=$((waited + 1))
		done
		# shellcheck disable=SC2059
		printf "$typed" >&7
	done
	exec 7>&-
	wait "$qemu" || status=$?
	kill "$reader" 2>/dev/null || true
	wait "$reader" 2>/dev/null || true
	[ "$status" -eq 1 ] || { echo "bench: $name failed (QEMU status $status)" >&2; return 1; }
}
run nop nop-bench
run threads threads-bench
run spawn spawn-many
run vm vm-bench
run revoke revoke-bench
run argon2 argon2-bench
# run_at_prompt NAME PACKAGE MORE_CMDLINE: "exit" typed at the shell's first prompt.
run_at_prompt() {
	run_dialog "$1" "$2" "$3" '1|anonymous@capos> |exit\r'
}
run_at_prompt hello build/test.pkg ""
sed -n 's/.*init.s first output \([0-9]*\) cycles.*/BENCH boot_to_init \1 insns/p' "$out/hello.log"
# boot_to_services: make run's system (the default manifest, with the NIC, so net, httpd and
# telnetd start too), init's lines stamped in the kernel log; the figure is the stamp of
# "init: all N services started" (the last spawn done).
NET=1 MEM=512M run_at_prompt services build/capos.pkg init_stamps=1
line=$(tr -d '\r' <"$out/services.log" |
	sed -n 's/.*init wrote at \([0-9]*\) cycles: init: all [0-9]* services started:.*/\1/p')
if [ -z "$line" ]; then
	echo "bench: init did not start every service (see $out/services.*)" >&2
	exit 1
fi
echo "BENCH boot_to_services $line insns"
# boot_to_login: the same boot; the kernel logs the first SerialPort read that has to wait.
line=$(tr -d '\r' <"$out/services.log" |
	sed -n 's/.*first wait for terminal input \([0-9]*\) cycles.*/\1/p')
if [ -z "$line" ]; then
	echo "bench: the terminal never waited for input (see $out/services.*)" >&2
	exit 1
fi
echo "BENCH boot_to_login $line insns"
# shell_run_hello: make run's system; an operator is set up, then `run "hello"` is typed;
# the kernel stamps each terminal write with the last Enter (serial_stamps=1), and the
# figure is the write of the prompt that follows, less the Enter of the run line.
MEM=256M run_dialog shell build/capos.pkg serial_stamps=1 \
	'1|anonymous@capos> |setup\r' '1|username> |bench\r' '1|password> |bench-password\r' \
	'1|repeat> |bench-password\r' '1|bench@capos> |run "hello"\r' \
	'2|bench@capos> |logout\r' '2|anonymous@capos> |exit\r'
line=$(tr -d '\r' <"$out/shell.log" |
	sed -n 's/.*serial: wrote at \([0-9]*\) cycles, last Enter at \([0-9]*\): .*bench@capos> $/\1 \2/p' |
	sed -n 2p)
if [ -z "$line" ]; then
	echo "bench: no prompt after run \"hello\" (see $out/shell.*)" >&2
	exit 1
fi
echo "BENCH shell_run_hello $(( ${line% *} - ${line#* } )) insns"
