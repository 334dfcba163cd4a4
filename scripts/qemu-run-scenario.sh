#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: qemu-run-scenario.sh DIR...
# Boots capOS once per scenario folder and checks the outcome. A folder holds a
# `scenario` file (shell variables):
#   BOOT=direct|iso-bios|iso-uefi  how to boot (direct = QEMU -kernel, multiboot1)
#   CMDLINE="test=..."             kernel command line
#   QEMU_ARGS="-m 128M"            extra QEMU options
#   EXPECT_EXIT=pass|fail|panic|fault   the status the kernel must exit with
#   EXPECT=(regex...)              lines that must appear on the console or log
#   REJECT=(regex...)              lines that must not appear
#   EXPECT_ONCE=(regex...)         lines that must appear exactly once
#   TIMEOUT=seconds                wall-clock bound (default 120)
#   PACKAGE=test|system            the boot package: test (default) is
#                                  build/test.pkg, every program under
#                                  user/programs/; system is build/capos.pkg,
#                                  what `make run` and `make iso` boot (init, hello)
#   PROGRAMS=(name...)             instead, a package of just these programs
#                                  (built into build/qemu/<name>/capos.pkg); the
#                                  first is the package's init
#   RAW_BINARIES=(name=path...)    with PROGRAMS: more binaries packed as they
#                                  are, not checked as ELF images (paths from
#                                  the repository root; for tests of bad images)
#   MANIFEST=file                  instead, the package `make run MANIFEST=...`
#                                  would boot (scripts/pack-manifest.sh): a file
#                                  of the scenario's folder, FILE.capnp (compiled,
#                                  with init and the binaries it names) or FILE.bin
#                                  (packed unparsed, with the default's binaries)
#   INPUT=file                     bytes typed into COM1 (the terminal): a file
#                                  of the scenario's folder, sent as it is
#                                  (binary is fine) once a line matching
#                                  INPUT_AFTER has appeared on the console or
#                                  the log. COM1 is then a QEMU pipe chardev
#                                  instead of a file; the console is still
#                                  build/qemu/<name>/console.log. No pacing is
#                                  needed: QEMU hands the UART a byte only when
#                                  its FIFO has room, and the kernel drains the
#                                  FIFO by interrupt into its 4 KiB buffer
#                                  (docs/terminal.md "Scenarios").
#   INPUT_AFTER=regex              when to type (default: the kernel's line
#                                  saying COM1 input is on); never matched
#                                  within TIMEOUT fails the scenario
#   INPUT_MORE=(regex file ...)    with INPUT: more files typed in turn, each
#                                  once its regex has matched (after the one
#                                  before was typed); a program prints a line
#                                  when it has its calls in place, so what is
#                                  typed next cannot race them
# The kernel command line of a test=init scenario may add procs_left=N: the
# run passes only if exactly N processes are still alive when init exits
# (default 0; frames and heap are then not judged, the live processes hold them).
# Prints "PASS qemu/<name>" or "FAIL qemu/<name>: why"; output is kept in
# build/qemu/<name>/ for inspection.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
# Scenarios boot the debug kernel (CAPOS_DEBUG: lock checks, kernel/lib/lockdep.h);
# KERNEL_DIR=build/kernel boots the release one that make run and make bench use.
KERNEL_DIR=$root/${KERNEL_DIR:-build/kernel-debug}
KERNEL=$KERNEL_DIR/capos.elf
KERNEL32=$KERNEL_DIR/capos32.elf
MKPKG=$root/build/host/mkpkg
OVMF=/usr/share/ovmf/OVMF.fd

exit_status_of() {	# kernel KEXIT_* name -> QEMU exit status ((code << 1) | 1)
	case $1 in
	pass) echo 1 ;; fail) echo 3 ;; panic) echo 5 ;; fault) echo 7 ;; *) echo 255 ;;
	esac
}

# The scenario's boot package (its variables are in scope): a path, or why not.
package_of() {
	local out=$1 dir=$2 p
	local -a args=()
	if [ ${#RAW_BINARIES[@]} -gt 0 ] && [ ${#PROGRAMS[@]} -eq 0 ]; then
		echo "RAW_BINARIES needs PROGRAMS"; return 1
	fi
	if [ -n "$MANIFEST" ]; then
		"$root/scripts/pack-manifest.sh" "$out/capos.pkg" "$dir/$MANIFEST" >"$out/mkpkg.log" 2>&1 ||
			{ echo "could not pack MANIFEST: $(head -c 200 "$out/mkpkg.log")"; return 1; }
		echo "$out/capos.pkg"; return
	fi
	if [ ${#PROGRAMS[@]} -gt 0 ]; then
		for p in "${PROGRAMS[@]}"; do args+=("$p=$root/build/user/pkg/$p.elf"); done
		for p in "${RAW_BINARIES[@]}"; do args+=("${p%%=*}=$root/${p#*=}"); done
		[ ${#RAW_BINARIES[@]} -eq 0 ] || args=(--no-elf-check "${args[@]}")
		"$MKPKG" -o "$out/capos.pkg" --init "${PROGRAMS[0]}" "${args[@]}" >"$out/mkpkg.log" 2>&1 ||
			{ echo "could not pack PROGRAMS: $(head -c 200 "$out/mkpkg.log")"; return 1; }
		echo "$out/capos.pkg"; return
	fi
	case $PACKAGE in
	test) echo "$root/build/test.pkg" ;;
	system) echo "$root/build/capos.pkg" ;;
	*) echo "unknown PACKAGE=$PACKAGE"; return 1 ;;
	esac
}

# Types the file $2 into COM1 (the pipe $1/com1.in) once a line matching $3
# is on the console or the log, while QEMU ($4) runs; prints "typed" if it did.
type_input() {
	local out=$1 file=$2 after=$3 qemu=$4
	while kill -0 "$qemu" 2>/dev/null; do
		if cat "$out/console.log" "$out/kernel.log" 2>/dev/null | tr -d '\r' |
			grep -Eq -- "$after"; then
			cat "$file" >"$out/com1.in" && echo typed
			return
		fi
		sleep 0.1
	done
}

run_scenario() {
	local dir=$1 name BOOT=direct CMDLINE="" QEMU_ARGS="" EXPECT_EXIT=pass TIMEOUT=120
	local PACKAGE=test MANIFEST="" PKG INPUT="" INPUT_AFTER="serial: COM1 input by interrupt"
	local -a EXPECT=() REJECT=() EXPECT_ONCE=() PROGRAMS=() RAW_BINARIES=() INPUT_MORE=() boot_args
	name=$(basename "$dir")
	# shellcheck disable=SC1091
	. "$dir/scenario"
	local out=$root/build/qemu/$name
	rm -rf "$out" && mkdir -p "$out"
	PKG=$(package_of "$out" "$dir") || { echo "FAIL qemu/$name: $PKG"; return; }
	case $BOOT in
	direct) boot_args=(-kernel "$KERNEL32" -initrd "$PKG" -append "$CMDLINE") ;;
	iso-bios | iso-uefi)
		"$root/scripts/mkiso.sh" "$out/capos.iso" "$KERNEL" "$PKG" "$CMDLINE" ||
			{ echo "FAIL qemu/$name: could not build the ISO"; return; }
		boot_args=(-cdrom "$out/capos.iso")
		[ "$BOOT" = iso-uefi ] && boot_args+=(-bios "$OVMF")
		;;
	*) echo "FAIL qemu/$name: unknown BOOT=$BOOT"; return ;;
	esac
	local -a com1=(-serial "file:$out/console.log")
	local reader="" qemu status want typed=""
	if [ -n "$INPUT" ]; then
		[ -f "$dir/$INPUT" ] || { echo "FAIL qemu/$name: no INPUT file $INPUT"; return; }
		mkfifo "$out/com1.in" "$out/com1.out"
		com1=(-chardev "pipe,id=com1,path=$out/com1" -serial chardev:com1)
		cat "$out/com1.out" >"$out/console.log" &
		reader=$!
	fi
	# shellcheck disable=SC2086
	timeout "$TIMEOUT" qemu-system-x86_64 -machine q35 -display none -no-reboot \
		"${com1[@]}" -serial "file:$out/kernel.log" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		"${boot_args[@]}" $QEMU_ARGS </dev/null >"$out/qemu.log" 2>&1 &
	qemu=$!
	[ -z "$INPUT" ] || typed=$(type_input "$out" "$dir/$INPUT" "$INPUT_AFTER" "$qemu")
	local i
	for ((i = 0; i + 1 < ${#INPUT_MORE[@]}; i += 2)); do
		[ "$typed" = typed ] || break
		[ -f "$dir/${INPUT_MORE[i + 1]}" ] || { typed="no file ${INPUT_MORE[i + 1]}"; break; }
		INPUT_AFTER=${INPUT_MORE[i]}
		typed=$(type_input "$out" "$dir/${INPUT_MORE[i + 1]}" "$INPUT_AFTER" "$qemu")
	done
	wait "$qemu"
	status=$?
	if [ -n "$reader" ]; then
		# QEMU has closed COM1: the reader ends at EOF once it has copied
		# everything (killing it at once could cut the console's last lines).
		local drain=0
		while kill -0 "$reader" 2>/dev/null && [ "$drain" -lt 50 ]; do
			sleep 0.1
			drain=$((drain + 1))
		done
		kill "$reader" 2>/dev/null; wait "$reader" 2>/dev/null
	fi
	if [ -n "$INPUT" ] && [ "$typed" != typed ]; then
		echo "FAIL qemu/$name: never saw /$INPUT_AFTER/ to type INPUT after"
		tail -n 15 "$out/console.log" "$out/kernel.log"; return
	fi
	want=$(exit_status_of "$EXPECT_EXIT")
	# Firmware and GRUB paint the screen with escape sequences; drop them and CRs.
	cat "$out/console.log" "$out/kernel.log" 2>/dev/null |
		sed -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\r//g' >"$out/all.log"
	if [ $status -eq 124 ]; then
		echo "FAIL qemu/$name: timed out after ${TIMEOUT}s"; tail -n 15 "$out/all.log"; return
	fi
	if [ "$status" != "$want" ]; then
		echo "FAIL qemu/$name: exit status $status, expected $want ($EXPECT_EXIT)"
		tail -n 25 "$out/all.log" "$out/qemu.log"; return
	fi
	local re
	for re in "${EXPECT[@]}"; do
		grep -Eq -- "$re" "$out/all.log" || {
			echo "FAIL qemu/$name: missing output /$re/"; tail -n 25 "$out/all.log"; return; }
	done
	for re in "${EXPECT_ONCE[@]}"; do
		[ "$(grep -Ec -- "$re" "$out/all.log")" = 1 ] || {
			echo "FAIL qemu/$name: /$re/ not exactly once"; tail -n 25 "$out/all.log"; return; }
	done
	for re in "${REJECT[@]}"; do
		! grep -Eq -- "$re" "$out/all.log" || {
			echo "FAIL qemu/$name: unexpected output /$re/"; return; }
	done
	echo "PASS qemu/$name"
}

for d in "$@"; do
	run_scenario "$d"
done
