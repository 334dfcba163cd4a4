#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# BENCH login_verify_linux_user: the instructions callgrind counts in one
# Argon2id verification at the shipped parameters by the same reference code
# built for Linux (tests/bench/argon2/linux_verify.c). User mode only: the
# capOS figure (login_verify, scripts/bench-user.sh) also holds the kernel's
# map, 4,864 first-touch faults and unmap; this one has none of Linux's.
set -euo pipefail
cd "$(dirname "$0")/../../.."
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
valgrind --tool=callgrind --toggle-collect=verify_once --callgrind-out-file="$TMP/cg.out" \
	build/bench/argon2/linux_verify >/dev/null 2>"$TMP/vg.log" || { cat "$TMP/vg.log" >&2; exit 1; }
n=$(awk '/^(summary|totals):/ { print $2; exit }' "$TMP/cg.out")
echo "BENCH login_verify_linux_user $n insns"
