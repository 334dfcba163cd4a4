#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs everything capOS needs to build, boot and test on Debian 12.
# Idempotent: does nothing when every package is already present.
set -euo pipefail

PACKAGES=(
	build-essential gcc binutils make clang lld llvm libclang-rt-14-dev
	qemu-system-x86 qemu-utils
	grub-common grub-pc-bin grub-efi-amd64-bin xorriso mtools ovmf
	capnproto libcapnp-dev
	valgrind python3 dpkg-dev xz-utils
	telnet curl
)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "deps: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
