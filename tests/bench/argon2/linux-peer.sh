#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# login_verify on Linux, measured like capOS: boots Debian's stock Linux
# cloud kernel with a busybox initramfs in QEMU TCG with -icount shift=0 (the
# setup of ../shared/peer/run-linux-peer.sh, whose work folder it shares:
# $PEER_DIR, default /tmp/capos-peer) and runs tests/bench/argon2/
# linux_verify built static from the same reference code, which prints
# "BENCH linux_login_verify N insns": guest instructions, kernel included,
# median of 3 verifications after a warm-up. By hand (it downloads the
# kernel package once); `make all` first. Prints the BENCH line in about a
# minute.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
W=${PEER_DIR:-/tmp/capos-peer}
mkdir -p "$W" && cd "$W"
need() { command -v "$1" >/dev/null || apt-get install -y "$2" >/dev/null; }
need qemu-system-x86_64 qemu-system-x86; need cpio cpio
if [ ! -d x/boot ]; then
	kpkg=$(apt-cache depends linux-image-cloud-amd64 |
		sed -n 's/.*Depends: \(linux-image-[0-9].*\)/\1/p' | head -1)
	apt-get download "$kpkg" busybox-static >/dev/null
	mkdir -p x && for f in *.deb; do dpkg -x "$f" x; done
fi
vmlinuz=$(ls x/boot/vmlinuz-* | head -1)
objs=$(ls "$root"/build/host-opt/obj/third_party/argon2-*/src/{argon2,core,ref,encoding}.o \
	"$root"/build/host-opt/obj/third_party/argon2-*/src/blake2/blake2b.o \
	"$root"/build/host-opt/obj/user/lib/argon2id.o)
gcc -std=gnu11 -O2 -static -I"$root/user/lib" -o argon2-verify \
	"$root/tests/bench/argon2/linux_verify.c" $objs
rm -rf argon2-initrd && mkdir -p argon2-initrd/bin argon2-initrd/proc
cp x/bin/busybox argon2-verify argon2-initrd/bin/
cat > argon2-initrd/init <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/argon2-verify peer
/bin/busybox poweroff -f
INIT
chmod +x argon2-initrd/init
(cd argon2-initrd && find . | cpio -o -H newc 2>/dev/null | gzip -1 > ../argon2-initrd.gz)
echo "PEER kernel $(basename "$vmlinuz")"
timeout 600 qemu-system-x86_64 -accel tcg -icount shift=0 -m 512M -smp 1 \
	-kernel "$vmlinuz" -initrd argon2-initrd.gz -append "console=ttyS0 quiet panic=-1" \
	-nographic -no-reboot > argon2-console.log 2>&1 || true
if ! grep -aq BENCH argon2-console.log; then
	echo "linux-peer: no BENCH line; see $W/argon2-console.log" >&2
	exit 1
fi
grep -a BENCH argon2-console.log | sed 's/.*BENCH/BENCH/' | tr -d '\r'
