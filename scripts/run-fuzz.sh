#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs each libFuzzer target for FUZZ_SECONDS (default 60) over its seed corpus
# (tests/fuzz/corpus/<name>/). New crashes are saved under tests/fuzz/crashes/
# so they can be turned into regression inputs. Non-zero exit on any crash.
set -u
secs=${FUZZ_SECONDS:-60}
status=0
for f in "$@"; do
	name=$(basename "$f")
	seed=tests/fuzz/corpus/$name
	work=build/fuzz-corpus/$name
	mkdir -p "$work" tests/fuzz/crashes
	echo "fuzz: $name for ${secs}s"
	if ! "$f" -max_total_time="$secs" -artifact_prefix=tests/fuzz/crashes/"$name"- \
		-print_final_stats=1 "$work" $( [ -d "$seed" ] && echo "$seed" ) >build/fuzz-"$name".log 2>&1; then
		tail -n 30 build/fuzz-"$name".log
		echo "fuzz: $name FOUND A CRASH (see tests/fuzz/crashes/)"
		status=1
	else
		grep -E 'stat::number_of_executed_units' build/fuzz-"$name".log || true
	fi
done
exit $status
