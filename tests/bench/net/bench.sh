#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Network throughput against Linux (docs/performance.md "Network"): wall
# clock under QEMU TCG without -icount, so the figures depend on the host
# and are only meaningful next to Linux's, measured the same way between
# them. Three rounds; each is one capOS boot (net-bench/: tx = the host's curl
# of 64 MiB from the guest httpd's /blob, rx = the guest's fetch -q of 64 MiB
# from the host's python3 http.server) then one run of the Linux peer
# (../shared/peer/run-linux-net-peer.sh, its BENCH linux_tcp_rx_MBps and
# linux_tcp_tx_MBps, each a median of its own 3 runs). Prints the medians
# and their ratios, capOS over Linux:
#   BENCH net_tcp_rx_ratio X x, BENCH net_tcp_tx_ratio X x, and the raw
#   BENCH capos_tcp_rx_MBps, capos_tcp_tx_MBps, linux_tcp_rx_MBps, linux_tcp_tx_MBps.
# NET_BENCH_ROUNDS overrides the number of rounds (odd).
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
peer=$root/../shared/peer/run-linux-net-peer.sh
rounds=${NET_BENCH_ROUNDS:-3}
cd "$root" || exit 1
[ -x "$peer" ] || [ -f "$peer" ] || { echo "net bench: no Linux peer at $peer" >&2; exit 1; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

cr=() ct=() lr=() lt=()
for ((r = 1; r <= rounds; r++)); do
	out=$(KERNEL_DIR=build/kernel scripts/qemu-run-scenario.sh tests/bench/net/net-bench)
	case $out in PASS*) ;; *) echo "net bench: capOS round $r: $out" >&2; exit 1 ;; esac
	res=build/qemu/net-bench/bench.txt
	cr+=("$(awk '$1 == "rx" { print $2 }' "$res")")
	ct+=("$(awk '$1 == "tx" { print $2 }' "$res")")
	pout=$(bash "$peer" 2>/dev/null)
	lr+=("$(printf '%s\n' "$pout" | awk '$2 == "linux_tcp_rx_MBps" { print $3 }')")
	lt+=("$(printf '%s\n' "$pout" | awk '$2 == "linux_tcp_tx_MBps" { print $3 }')")
	echo "net bench round $r: capOS rx ${cr[-1]} tx ${ct[-1]}, Linux rx ${lr[-1]} tx ${lt[-1]} MB/s" >&2
done
mcr=$(printf '%s\n' "${cr[@]}" | median) mct=$(printf '%s\n' "${ct[@]}" | median)
mlr=$(printf '%s\n' "${lr[@]}" | median) mlt=$(printf '%s\n' "${lt[@]}" | median)
[ -n "$mcr" ] && [ -n "$mct" ] && [ -n "$mlr" ] && [ -n "$mlt" ] ||
	{ echo "net bench: a figure is missing" >&2; exit 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "nan" }'; }
echo "BENCH net_tcp_rx_ratio $(ratio "$mcr" "$mlr") x"
echo "BENCH net_tcp_tx_ratio $(ratio "$mct" "$mlt") x"
echo "BENCH capos_tcp_rx_MBps $mcr MB/s"
echo "BENCH capos_tcp_tx_MBps $mct MB/s"
echo "BENCH linux_tcp_rx_MBps $mlr MB/s"
echo "BENCH linux_tcp_tx_MBps $mlt MB/s"
