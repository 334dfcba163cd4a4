#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Test driver. Usage: run-tests.sh HOST_TEST... -- TEST_SCRIPT...
# Every program prints one line per test: "PASS name", "FAIL name: why" or
# "SKIP name: why". A program that exits non-zero without printing a FAIL line
# is itself counted as a failure, so a crash can never pass silently. SKIPs are
# reported but never counted as passes. The last line is "N passed, N failed";
# the exit status is non-zero when anything failed or nothing ran.
set -u

progs=()
scripts=()
seen_sep=0
for a in "$@"; do
	if [ "$a" = "--" ]; then seen_sep=1; continue; fi
	if [ $seen_sep -eq 0 ]; then progs+=("$a"); else scripts+=("$a"); fi
done

passed=0
failed=0
skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_one() {
	local what=$1; shift
	local rc
	timeout "${TEST_TIMEOUT:-1700}" "$@" >"$log" 2>&1
	rc=$?
	local p f s
	p=$(grep -c '^PASS ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	s=$(grep -c '^SKIP ' "$log")
	grep -E '^(PASS|FAIL|SKIP) ' "$log"
	if [ "$f" -gt 0 ] || [ $rc -ne 0 ]; then
		# Show the program's own output around failures to make them debuggable.
		grep -vE '^(PASS|SKIP) ' "$log" | tail -n 40 | sed 's/^/    | /'
	fi
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $what: exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
}

for t in "${progs[@]}"; do
	run_one "$(basename "$t")" "$t"
done
for s in "${scripts[@]}"; do
	run_one "$s" "$s"
done

[ $skipped -gt 0 ] && echo "($skipped skipped)"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
