#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: pack-manifest.sh OUT MANIFEST
# Packs the boot package OUT for the boot manifest MANIFEST (docs/manifest.md):
#   FILE.capnp  compiled by the official tool (capnp eval -b -Ischema FILE
#               manifest; a manifest that does not compile stops here), packed
#               with init and the binaries it names;
#   FILE.bin    packed as it is, unparsed (for tests of bad input), with init
#               and the binaries system/default.capnp names.
# A named binary that was not built is left out with a warning: init then
# refuses the manifest ("no binary ... in the boot package"). Binaries come
# from build/user/pkg/ (make all builds them). Used by boot/rules.mk (make
# run, make iso) and scripts/qemu-run-scenario.sh (MANIFEST=).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 2 ] || { echo "usage: pack-manifest.sh OUT MANIFEST" >&2; exit 2; }
out=$1 manifest=$2
mkpkg=$root/build/host/mkpkg
pkgdir=$root/build/user/pkg
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

compile() {	# compile FILE.capnp OUT.bin
	capnp eval -b -I"$root/schema" "$1" manifest >"$2" ||
		{ echo "pack-manifest: $1 does not compile" >&2; exit 1; }
}

case $manifest in
*.capnp)
	compile "$manifest" "$tmp/manifest.bin"
	names_from=$tmp/manifest.bin ;;
*)
	cp "$manifest" "$tmp/manifest.bin"
	compile "$root/system/default.capnp" "$tmp/default.bin"
	names_from=$tmp/default.bin ;;
esac

names=$("$mkpkg" --manifest-binaries "$names_from")
args=("init=$pkgdir/init.elf")
packed=" init "
for name in $names; do
	# Twice-listed names are packed once: init reports the duplicate.
	case $packed in *" $name "*) continue ;; esac
	if [ -f "$pkgdir/$name.elf" ]; then
		args+=("$name=$pkgdir/$name.elf")
		packed+="$name "
	else
		echo "pack-manifest: $manifest names binary '$name', which is not built;" \
			"packed without it" >&2
	fi
done
"$mkpkg" -o "$out" --init init --manifest "$tmp/manifest.bin" "${args[@]}"
