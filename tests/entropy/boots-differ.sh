#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boots each EntropySource scenario twice and checks that the first 32 bytes
# the kernel's generator gave ("entropy-check: sample ...") differ between
# the two boots: seeded with RDRAND (tests/qemu/entropy, under -icount,
# where timing jitter repeats exactly and only RDRAND can differ) and from
# timing jitter alone (tests/qemu/entropy-jitter, QEMU's default CPU). One
# PASS/FAIL line each. Run from anywhere after `make all`.
set -u
cd "$(dirname "$0")/../.."

# The sample line of one boot of scenario $1, or nothing if the boot failed.
sample() {
	scripts/qemu-run-scenario.sh "tests/qemu/$1" >/dev/null
	grep -ohE 'entropy-check: sample [0-9a-f]{64}' "build/qemu/$1/all.log" | head -n 1 |
		cut -d' ' -f3
}

status=0
for s in entropy entropy-jitter; do
	name=entropy_differs_between_boots_${s//-/_}
	a=$(sample "$s")
	b=$(sample "$s")
	if [ -z "$a" ] || [ -z "$b" ]; then
		echo "FAIL $name: a boot of tests/qemu/$s gave no sample (see build/qemu/$s/)"
		status=1
	elif [ "$a" = "$b" ]; then
		echo "FAIL $name: both boots drew $a"
		status=1
	else
		echo "PASS $name"
	fi
done
exit $status
