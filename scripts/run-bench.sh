#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every benchmark script; each prints "BENCH <name> <value> <unit>" lines.
# Exits non-zero if any script failed or printed no BENCH line.
set -u
status=0
for s in "$@"; do
	out=$("$s")
	rc=$?
	printf '%s\n' "$out" | grep '^BENCH ' || true
	if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -q '^BENCH '; then
		printf '%s\n' "$out" | tail -n 20 >&2
		echo "bench: $s failed (status $rc)" >&2
		status=1
	fi
done
exit $status
