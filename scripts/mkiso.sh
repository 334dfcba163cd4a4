#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: mkiso.sh OUT.iso KERNEL.elf PACKAGE [CMDLINE]
# Builds a GRUB rescue image that boots KERNEL with PACKAGE as its module on
# both BIOS (SeaBIOS) and UEFI (OVMF). CMDLINE is the kernel command line
# (tests pass test=...; the user's ISO passes none).
set -euo pipefail
out=$1 kernel=$2 pkg=$3 cmdline=${4:-}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/boot/grub"
cp "$kernel" "$root/boot/capos.elf"
cp "$pkg" "$root/boot/capos.pkg"
sed "s|@CMDLINE@|$cmdline|" "$(dirname "$0")/../boot/grub.cfg" > "$root/boot/grub/grub.cfg"
grub-mkrescue -o "$out" "$root" >/dev/null 2>"$root.log" || { cat "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"
