#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make stress (not part of make test): boots the SMP proof scenarios of issue
# 15 again and again at -smp 2 and 4 for STRESS_MINUTES (default 10)
# minutes: tests/stress/* (unmap-check and storm-check with many rounds per
# boot, through init_arg) and the -smp 2/4 scenarios of threads, park, IPC
# and the short unmap and storm runs from tests/qemu. Each boot's verdict is
# its scenario's (the kernel's leak check at init's exit among it); a failed
# boot's output is kept under build/stress/failed/. Prints a line per boot and
# a summary per scenario; exits 1 if any boot failed.
set -u
cd "$(dirname "$0")/.."
minutes=${STRESS_MINUTES:-10}
scenarios=(tests/stress/*/ tests/qemu/threads-smp2/ tests/qemu/threads-smp4/
	tests/qemu/park-smp4/ tests/qemu/ipc-echo-smp4/ tests/qemu/ipc-leak-smp4/
	tests/qemu/unmap-touch-smp2/ tests/qemu/unmap-touch-smp4/
	tests/qemu/storm-smp2/ tests/qemu/storm-smp4/)
declare -A passed failed
deadline=$(($(date +%s) + minutes * 60))
boots=0 bad=0
mkdir -p build/stress/failed
while [ "$(date +%s)" -lt "$deadline" ]; do
	for dir in "${scenarios[@]}"; do
		[ "$(date +%s)" -lt "$deadline" ] || break
		name=$(basename "$dir")
		line=$(scripts/qemu-run-scenario.sh "$dir" | head -n 1)
		boots=$((boots + 1))
		echo "stress: boot $boots: $line"
		if [[ $line == PASS* ]]; then
			passed[$name]=$((${passed[$name]:-0} + 1))
		else
			failed[$name]=$((${failed[$name]:-0} + 1))
			bad=$((bad + 1))
			rm -rf "build/stress/failed/$name.$boots"
			cp -r "build/qemu/$name" "build/stress/failed/$name.$boots"
		fi
	done
done
for dir in "${scenarios[@]}"; do
	name=$(basename "$dir")
	echo "stress: $name: ${passed[$name]:-0} passed, ${failed[$name]:-0} failed"
done
echo "stress: $boots boots in $minutes minutes, $bad failed"
[ "$bad" -eq 0 ]
