#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Instruction counts (callgrind, deterministic) of reading every field of the
# Bench message and of building it, 1000 times each, with capnpc-c + lib/capnp
# (bench_c) and with the official C++ library (bench_cxx). Prints
#   BENCH capnp_read_ratio <ours/official> x
#   BENCH capnp_build_ratio <ours/official> x
# and the raw counts per operation on stderr. Below 1 means we are faster.
set -eu
cd "$(dirname "$0")/../../.."
B=build/bench/capnp
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Both programs must build the same message (as the official tool reads it).
for p in c cxx; do
	"$B/bench_$p" dump | capnp convert binary:text tests/bench/capnp/bench.capnp Bench >"$TMP/$p.txt"
done
if ! cmp -s "$TMP/c.txt" "$TMP/cxx.txt"; then
	echo "bench: bench_c and bench_cxx build different messages" >&2
	exit 1
fi

count() {	# count PROGRAM FUNCTION -> instructions spent inside FUNCTION
	valgrind --tool=callgrind --toggle-collect="$2" --callgrind-out-file="$TMP/cg.out" \
		"$1" >/dev/null 2>"$TMP/vg.log" || { cat "$TMP/vg.log" >&2; exit 1; }
	awk '/^(summary|totals):/ { print $2; exit }' "$TMP/cg.out"
}

for f in read build; do
	ours=$(count "$B/bench_c" "bench_$f")
	theirs=$(count "$B/bench_cxx" "bench_$f")
	echo "bench: $f: ours $((ours / 1000)) insns/op, official $((theirs / 1000)) insns/op" >&2
	awk -v a="$ours" -v b="$theirs" -v n="capnp_${f}_ratio" \
		'BEGIN { printf "BENCH %s %.3f x\n", n, a / b }'
done
