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
#   INPUT_AFTER_LOG=(regex...)     with INPUT: type only once each of these
#                                  lines is also in kernel.log (COM2)
#   CONSOLE_AT_INPUT=text          with INPUT: when everything to type after
#                                  has appeared, wait a second more, then
#                                  console.log (COM1, CRs dropped) must end
#                                  with exactly this text at the moment the
#                                  input is typed: proof that nothing followed
#                                  a prompt before the user typed (kept as
#                                  console-at-input.log)
#   EXPECT_CONSOLE=(regex...)      lines that must appear on COM1 itself
#                                  (console.log), not just somewhere
#   REJECT_CONSOLE=(regex...)      lines that must not appear on COM1
#   EXPECT_ONCE_CONSOLE=(regex...) lines that must appear exactly once on COM1
#   EXPECT_ONCE_LOG=(regex...)     lines that must appear exactly once in
#                                  kernel.log (COM2)
#   NO_COM2=1                      boot with COM1 only (no second -serial):
#                                  the kernel log then falls back to COM1
#   INPUT_MORE=(regex file ...)    with INPUT: more files typed in turn, each
#                                  once its regex has matched (after the one
#                                  before was typed; INPUT_AFTER_LOG and
#                                  CONSOLE_AT_INPUT concern the first only); a
#                                  program prints a line when it has its calls
#                                  in place, so what is typed next cannot race
#                                  them
#   NET=1                          a virtio-net device (modern only) on QEMU's
#                                  user network (scripts/qemu-net.sh): the
#                                  guest is 10.0.2.15, the gateway 10.0.2.2,
#                                  which also reaches the host's 127.0.0.1
#   NET_DEVICE_OPTS=,opt=v...      with NET: more options of the virtio-net
#                                  device (",vectors=0": no MSI-X, so INTx)
#   HOSTFWD=(guestport...)         with NET: each guest TCP port forwarded
#                                  from a free 127.0.0.1 port picked at run
#                                  time, exported as HOSTFWD_<guestport>
#   HOSTFWD_UDP=(guestport...)     with NET: the same for UDP ports, exported
#                                  as HOSTFWD_UDP_<guestport>
#   NET_INJECT=1                   with NET: the device on a hub with the user
#                                  network and a UDP socket netdev; a datagram
#                                  sent to 127.0.0.1:$NET_INJECT_PORT (exported)
#                                  is one raw Ethernet frame to the guest
#   HOST_SERVER=http|command       with NET: a host server started before
#                                  QEMU in build/qemu/<name>/www (exported as
#                                  HOST_WWW) on a free port, HOST_SERVER_PORT;
#                                  `http` is python3 -m http.server bound to
#                                  127.0.0.1. The guest reaches it at
#                                  10.0.2.2:$HOST_SERVER_PORT: files typed
#                                  (INPUT, INPUT_MORE) have @HOST_SERVER_PORT@
#                                  and @HOSTFWD_<port>@ replaced by the values
#   HOST_SERVER_SETUP=file         a bash script of the folder run in HOST_WWW
#                                  first, to make the files served
#   HOST_SCRIPT=file               a bash script of the folder started once a
#                                  line matching HOST_AFTER is on the console
#                                  or log, with the variables above and
#                                  SCENARIO_OUT, SCENARIO_DIR, CONSOLE_LOG,
#                                  KERNEL_LOG, COM1_IN (the pipe typed into,
#                                  with INPUT); output kept in host.log. It
#                                  must exit 0 (within HOST_TIMEOUT, default
#                                  300 s) for PASS; when it fails QEMU is
#                                  stopped. It may end the run by typing the
#                                  shell's `exit` into COM1_IN, so the system
#                                  ends through init's leak check as usual
# The kernel command line of a test=init scenario may add procs_left=N: the
# run passes only if exactly N processes are still alive when init exits
# (default 0; frames and heap are then not judged, the live processes hold them).
# Prints "PASS qemu/<name>" or "FAIL qemu/<name>: why"; output is kept in
# build/qemu/<name>/ for inspection.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/qemu-net.sh
. "$root/scripts/qemu-net.sh"
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

# True once a line matching INPUT_AFTER is on the console or the log and
# every INPUT_AFTER_LOG line is in the log ($1: the output folder).
ready_to_type() {
	local out=$1 re
	cat "$out/console.log" "$out/kernel.log" 2>/dev/null | tr -d '\r' |
		grep -Eq -- "$INPUT_AFTER" || return 1
	for re in "${INPUT_AFTER_LOG[@]}"; do
		tr -d '\r' <"$out/kernel.log" 2>/dev/null | grep -Eq -- "$re" || return 1
	done
}

# Types the file $2 into COM1 (the pipe $1/com1.in) once ready_to_type, while
# QEMU ($3) runs; prints "typed" if it did. With CONSOLE_AT_INPUT, the
# console as it was at that moment is kept in console-at-input.log.
type_input() {
	local out=$1 file=$2 qemu=$3
	while kill -0 "$qemu" 2>/dev/null; do
		if ready_to_type "$out"; then
			if [ -n "$CONSOLE_AT_INPUT" ]; then
				sleep 1
				tr -d '\r' <"$out/console.log" >"$out/console-at-input.log"
			fi
			cat "$file" >"$out/com1.in" && echo typed
			return
		fi
		sleep 0.1
	done
}

# Checks console-at-input.log ends with CONSOLE_AT_INPUT; prints why not.
console_ended_with_prompt() {
	local out=$1 want_len got
	want_len=$(printf '%s' "$CONSOLE_AT_INPUT" | wc -c)
	got=$(tail -c "$want_len" "$out/console-at-input.log"; echo x)
	got=${got%x}
	[ "$got" = "$CONSOLE_AT_INPUT" ] && return
	echo "COM1 did not end with '$CONSOLE_AT_INPUT' when input was typed; it ended:"
	tail -c 300 "$out/console-at-input.log"
	echo
	return 1
}

run_scenario() {
	local dir=$1 name BOOT=direct CMDLINE="" QEMU_ARGS="" EXPECT_EXIT=pass TIMEOUT=120
	local PACKAGE=test MANIFEST="" PKG INPUT="" INPUT_AFTER="serial: COM1 input by interrupt"
	local CONSOLE_AT_INPUT="" NO_COM2=""
	local -a EXPECT=() REJECT=() EXPECT_ONCE=() PROGRAMS=() RAW_BINARIES=() INPUT_MORE=() boot_args
	local -a INPUT_AFTER_LOG=() EXPECT_CONSOLE=() REJECT_CONSOLE=() com2
	local -a EXPECT_ONCE_CONSOLE=() EXPECT_ONCE_LOG=()
	local NET="" NET_DEVICE_OPTS="" NET_INJECT="" HOST_SERVER="" HOST_SERVER_SETUP="" HOST_SCRIPT="" HOST_AFTER="" HOST_TIMEOUT=300
	local -a HOSTFWD=() HOSTFWD_UDP=() NET_QEMU_ARGS=()
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
	com2=(-serial "file:$out/kernel.log")
	[ -z "$NO_COM2" ] || com2=()
	local reader="" qemu status want typed="" host="" typedir=$dir f
	if [ -n "$NET" ]; then
		# Not in $( ): the exported port and the server's pid must stay in this shell.
		net_start_server "$out" "$dir" >"$out/net-start.log" ||
			{ net_stop; echo "FAIL qemu/$name: $(cat "$out/net-start.log")"; return; }
		net_qemu_args
		typedir=$out/typed
		mkdir -p "$typedir"
		for f in "$INPUT" "${INPUT_MORE[@]}"; do
			[ -f "$dir/$f" ] && net_expand_input "$dir/$f" "$typedir/$f" >/dev/null
		done
	fi
	if [ -n "$INPUT" ]; then
		[ -f "$dir/$INPUT" ] || { echo "FAIL qemu/$name: no INPUT file $INPUT"; return; }
		mkfifo "$out/com1.in" "$out/com1.out"
		com1=(-chardev "pipe,id=com1,path=$out/com1" -serial chardev:com1)
		cat "$out/com1.out" >"$out/console.log" &
		reader=$!
	fi
	# shellcheck disable=SC2086
	timeout "$TIMEOUT" qemu-system-x86_64 -machine q35 -display none -no-reboot \
		"${com1[@]}" "${com2[@]}" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		"${boot_args[@]}" "${NET_QEMU_ARGS[@]}" $QEMU_ARGS </dev/null >"$out/qemu.log" 2>&1 &
	qemu=$!
	if [ -n "$HOST_SCRIPT" ]; then
		net_host_script "$out" "$dir" "$qemu" &
		host=$!
	fi
	[ -z "$INPUT" ] || typed=$(type_input "$out" "$typedir/$INPUT" "$qemu")
	local i
	for ((i = 0; i + 1 < ${#INPUT_MORE[@]}; i += 2)); do
		[ "$typed" = typed ] || break
		[ -f "$dir/${INPUT_MORE[i + 1]}" ] || { typed="no file ${INPUT_MORE[i + 1]}"; break; }
		INPUT_AFTER=${INPUT_MORE[i]}
		typed=$(CONSOLE_AT_INPUT=""; INPUT_AFTER_LOG=()	# the first file's only
			type_input "$out" "$typedir/${INPUT_MORE[i + 1]}" "$qemu")
	done
	wait "$qemu"
	status=$?
	[ -z "$host" ] || wait "$host"
	net_stop
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
		echo "FAIL qemu/$name: never saw /$INPUT_AFTER/ (and INPUT_AFTER_LOG) to type INPUT after"
		tail -n 15 "$out/console.log" "$out/kernel.log"; return
	fi
	if [ -n "$CONSOLE_AT_INPUT" ]; then
		local why
		why=$(console_ended_with_prompt "$out") || { echo "FAIL qemu/$name: $why"; return; }
	fi
	if [ -n "$HOST_SCRIPT" ] && [ "$(cat "$out/host.status" 2>/dev/null)" != 0 ]; then
		echo "FAIL qemu/$name: HOST_SCRIPT $HOST_SCRIPT: $(cat "$out/host.status" 2>/dev/null)"
		tail -n 15 "$out/host.log" "$out/all.log" 2>/dev/null; return
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
	sed -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\r//g' "$out/console.log" >"$out/com1.log"
	for re in "${EXPECT_CONSOLE[@]}"; do
		grep -Eq -- "$re" "$out/com1.log" || {
			echo "FAIL qemu/$name: missing on COM1 /$re/"; tail -n 25 "$out/com1.log"; return; }
	done
	for re in "${REJECT_CONSOLE[@]}"; do
		! grep -Eq -- "$re" "$out/com1.log" || {
			echo "FAIL qemu/$name: on COM1 /$re/"; grep -E -- "$re" "$out/com1.log" | head -n 3
			return; }
	done
	for re in "${EXPECT_ONCE_CONSOLE[@]}"; do
		[ "$(grep -Ec -- "$re" "$out/com1.log")" = 1 ] || {
			echo "FAIL qemu/$name: /$re/ not exactly once on COM1"; return; }
	done
	for re in "${EXPECT_ONCE_LOG[@]}"; do
		[ "$(tr -d '\r' <"$out/kernel.log" | grep -Ec -- "$re")" = 1 ] || {
			echo "FAIL qemu/$name: /$re/ not exactly once in the kernel log"; return; }
	done
	echo "PASS qemu/$name"
}

for d in "$@"; do
	run_scenario "$d"
done
