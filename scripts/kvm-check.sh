#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: kvm-check.sh KERNEL32 PACKAGE
# Run before `KVM=1 make run`: boots capOS once under KVM (direct boot,
# test=init, -cpu host) and exits 0 only if init ran to a clean end. Some
# machines' KVM cannot run capOS: on nested KVM the hypervisor may be unable
# to emulate CLAC (the kernel's trap entry under SMAP; QEMU's -cpu host,-smap
# does not hide SMAP there) and the guest stops with "KVM internal error".
# Otherwise it prints what went wrong and exits 1, so the caller can refuse
# instead of hanging after GRUB.
set -u
kernel=$1 pkg=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
why() { echo "KVM=1: capOS does not run under this machine's KVM: $1" >&2; \
	echo "KVM=1: use \`make run\` (QEMU TCG) instead" >&2; exit 1; }

[ -r /dev/kvm ] && [ -w /dev/kvm ] || why "/dev/kvm is missing or not accessible"
qemu-system-x86_64 -machine q35 -m 128M -display none -no-reboot \
	-enable-kvm -cpu host,-arch-capabilities -monitor none \
	-serial "file:$out/console.log" -serial "file:$out/kernel.log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$kernel" -initrd "$pkg" -append "test=init" </dev/null >"$out/qemu.log" 2>&1 &
qemu=$!
# QEMU stops the guest, but does not exit, on a KVM internal error: watch for it.
for _ in $(seq 300); do
	kill -0 $qemu 2>/dev/null || break
	grep -q "KVM internal error" "$out/qemu.log" && break
	sleep 0.1
done
killed=0
kill $qemu 2>/dev/null && killed=1
wait $qemu
status=$?
[ $killed = 1 ] && status=124
[ $status -eq 1 ] && exit 0	# KEXIT_PASS
if grep -q "KVM internal error" "$out/qemu.log"; then
	code=$(sed -n 's/^Code=.*<\(..\)> \(..\) \(..\).*/\1 \2 \3/p' "$out/qemu.log" | head -n 1)
	case $code in
	"0f 01 ca") why "KVM could not emulate the CLAC instruction (KVM internal error, emulation failure)" ;;
	*) why "KVM internal error: $(head -n 1 "$out/qemu.log")" ;;
	esac
fi
[ $status -eq 124 ] && why "the test boot did not finish in 30 s"
why "the test boot failed (QEMU status $status): $(grep -ahE 'killed|FAIL|KERNEL|error' \
	"$out/kernel.log" "$out/console.log" "$out/qemu.log" | head -n 3 | tr '\n' ' ')"
