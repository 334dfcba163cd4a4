#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# smp_scale_2 (issue 15, docs/performance.md): the throughput of a CPU-bound
# multi-process load on 2 vCPUs divided by the same on 1 vCPU, under
# multi-threaded TCG without -icount (wall-clock figures: they depend on the
# host and its other load). Each capOS boot runs user/programs/spin-load as
# init with N = the vCPU count children of ITERS xorshift64 steps each (the
# work of ../shared/peer/linuxnetbench.c `spin`), timed in the guest by the
# Timer. Each of ROUNDS rounds boots capOS at -smp 1 and at -smp 2, then runs
# the Linux peer once (PEER_ROUNDS=1: one Linux boot at each), so that a change
# in the host's load hits both alike. Prints
#   BENCH smp_scale_2 X x         median steps/s at -smp 2 / median at -smp 1
#   BENCH linux_smp_scale_2 Y x   the same for the Linux guest's runs
# with every run on an SMPSCALE line. A boot that crashes (QEMU 7.2's
# multi-threaded TCG, docs/smp.md) or prints no result is retried, at most
# 3 times per run, and counted.
# Knobs: SMP_SCALE_ROUNDS (3), SMP_SCALE_ITERS (1500000000, the peer's
# default), SMP_SCALE_LINUX=0 skips the Linux peer (no linux_smp_scale_2).
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD
out=build/bench/smp-scale
rounds=${SMP_SCALE_ROUNDS:-3}
iters=${SMP_SCALE_ITERS:-1500000000}
peer=$root/../shared/peer/run-linux-net-peer.sh
mkdir -p "$out"
crashes=0

median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# capos_run N: one boot at -smp N; sets rate to its throughput in steps/s, or fails.
rate=0
capos_run() {
	local n=$1 try line ns status
	for try in 1 2 3; do
		status=0
		timeout 900 qemu-system-x86_64 -machine q35 -cpu max -m 128M -smp "$n" \
			-accel tcg,thread=multi -display none -no-reboot \
			-serial "file:$out/console.log" -serial "file:$out/kernel.log" \
			-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
			-kernel build/kernel/capos32.elf -initrd build/test.pkg \
			-append "test=init init=spin-load init_arg=$n,$iters" \
			</dev/null >"$out/qemu.log" 2>&1 || status=$?
		line=$(tr -d '\r' <"$out/kernel.log" | grep -m1 "^spin-load: $n x $iters steps in " || true)
		if [ "$status" -eq 1 ] && [ -n "$line" ]; then
			ns=$(awk '{print $7}' <<<"$line")
			echo "SMPSCALE capOS -smp $n: $line" >&2
			rate=$(awk -v w="$((n * iters))" -v s="$ns" 'BEGIN {printf "%.0f", w / (s / 1e9)}')
			return 0
		fi
		crashes=$((crashes + 1))
		echo "SMPSCALE capOS -smp $n: boot $try failed (QEMU status $status): $(tail -c 300 "$out/qemu.log" | tr '\n' ' ')" >&2
	done
	return 1
}

# linux_run: one peer run (one Linux boot at -smp 1 and one at -smp 2); appends
# its two guest-timed throughputs to linux1 and linux2.
linux1=() linux2=()
linux_run() {
	local log=$out/peer.log v1 v2
	if ! PEER_ROUNDS=1 "$peer" "$iters" >"$log" 2>&1; then
		echo "SMPSCALE linux peer failed: $(tail -n 3 "$log" | tr '\n' ' ')" >&2
		return 0
	fi
	v1=$(sed -n 's/^PEER smp 1 runs (steps\/s, guest-timed): \([0-9]*\);.*/\1/p' "$log")
	v2=$(sed -n 's/^PEER smp 2 runs (steps\/s, guest-timed): \([0-9]*\);.*/\1/p' "$log")
	[ -n "$v1" ] && [ -n "$v2" ] || { echo "SMPSCALE linux peer printed no smp runs" >&2; return 0; }
	echo "SMPSCALE linux -smp 1: $v1 steps/s; -smp 2: $v2 steps/s" >&2
	linux1+=("$v1") linux2+=("$v2")
}

capos1=() capos2=()
for ((r = 1; r <= rounds; r++)); do
	capos_run 1; capos1+=("$rate")
	capos_run 2; capos2+=("$rate")
	echo "SMPSCALE round $r: capOS ${capos1[-1]} -> ${capos2[-1]} steps/s ($(uptime))" >&2
	[ "${SMP_SCALE_LINUX:-1}" = 0 ] || linux_run
done
echo "SMPSCALE crashed or failed capOS boots (retried): $crashes" >&2
m1=$(printf '%s\n' "${capos1[@]}" | median)
m2=$(printf '%s\n' "${capos2[@]}" | median)
echo "BENCH smp_scale_2 $(awk -v a="$m2" -v b="$m1" 'BEGIN {printf "%.2f", a / b}') x"
if [ ${#linux1[@]} -gt 0 ]; then
	l1=$(printf '%s\n' "${linux1[@]}" | median)
	l2=$(printf '%s\n' "${linux2[@]}" | median)
	echo "BENCH linux_smp_scale_2 $(awk -v a="$l2" -v b="$l1" 'BEGIN {printf "%.2f", a / b}') x"
fi
