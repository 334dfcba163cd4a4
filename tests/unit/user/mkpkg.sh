#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mkpkg round trip: packs user programs, reads the package back with the
# official tool (capnp convert binary:json, compared byte for byte by python)
# and with mkpkg --list/--extract (our reader), checks what the build's two
# boot packages hold (system programs; every program), and that bad input is refused:
# duplicate, invalid or missing names, a non-ELF binary, a corrupt package.
# One PASS/FAIL line per check. Needs `make all` (mkpkg, the user programs).
set -u
cd "$(dirname "$0")/../../.."
mkpkg=build/host/mkpkg
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; status=1; }

if [ ! -x "$mkpkg" ] || [ ! -f build/user/pkg/hello.elf ]; then
	fail mkpkg_prerequisites "build $mkpkg and the user programs first (make all)"
	exit 1
fi
bins=(hello init exit0)
args=()
for b in "${bins[@]}"; do args+=("$b=build/user/pkg/$b.elf"); done

if "$mkpkg" -o "$tmp/p.pkg" --init init "${args[@]}"; then
	pass mkpkg_packs_user_programs
else
	fail mkpkg_packs_user_programs "mkpkg exited $?"
fi

want="init init"
for b in "${bins[@]}"; do
	want+=$'\n'"binary $b $(stat -c %s "build/user/pkg/$b.elf")"
done
got=$("$mkpkg" --list "$tmp/p.pkg" 2>&1)
if [ "$got" = "$want" ]; then
	pass mkpkg_list_shows_init_names_and_sizes_in_order
else
	fail mkpkg_list_shows_init_names_and_sizes_in_order "got: $(echo "$got" | tr '\n' ' ')"
fi

ok=1
for b in "${bins[@]}"; do
	"$mkpkg" --extract "$b" "$tmp/p.pkg" > "$tmp/$b.out" &&
		cmp -s "$tmp/$b.out" "build/user/pkg/$b.elf" || ok=0
done
if [ $ok = 1 ]; then
	pass mkpkg_extract_returns_each_binary_unchanged
else
	fail mkpkg_extract_returns_each_binary_unchanged "extracted bytes differ"
fi

if capnp convert binary:json schema/boot.capnp BootPackage < "$tmp/p.pkg" > "$tmp/p.json" &&
	python3 - "$tmp/p.json" "${bins[@]}" <<'PY'
import json, sys
pkg = json.load(open(sys.argv[1]))
names = sys.argv[2:]
assert pkg.get("init", "init") == "init", pkg.get("init")
assert [b["name"] for b in pkg["binaries"]] == names, [b["name"] for b in pkg["binaries"]]
for b in pkg["binaries"]:
    data = bytes(b["data"])
    assert data == open("build/user/pkg/%s.elf" % b["name"], "rb").read(), b["name"]
assert "manifest" not in pkg
PY
then
	pass mkpkg_package_decodes_with_official_capnp
else
	fail mkpkg_package_decodes_with_official_capnp "capnp convert or comparison failed"
fi

# The boot packages of the build: build/capos.pkg (make run, make iso) holds
# init and the programs the default manifest names, and the manifest itself;
# build/test.pkg (scenarios, benchmarks) every program under user/programs/
# and the default manifest; init = init.
package_is() {	# package_is NAME PKG PROGRAM...
	local name=$1 pkg=$2 want got
	shift 2
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	got=$("$mkpkg" --list "$pkg" 2>/dev/null | awk '$1 == "binary" { print $2 }' |
		sort | tr '\n' ' ')
	if [ $# -gt 0 ] && [ "$got" = "$want" ] &&
		"$mkpkg" --list "$pkg" | head -n 1 | grep -qx "init init"; then
		pass "$name"
	else
		fail "$name" "got: $got want: $want"
	fi
}
capnp eval -b -Ischema system/default.capnp manifest > "$tmp/default.bin"
read -ra system_progs <<<"init $("$mkpkg" --manifest-binaries "$tmp/default.bin" | tr '\n' ' ')"
mapfile -t all_progs < <(ls -d user/programs/*/ | xargs -n1 basename)
package_is system_package_holds_init_and_the_manifests_binaries build/capos.pkg "${system_progs[@]}"
package_is test_package_holds_every_user_program build/test.pkg "${all_progs[@]}"

for p in build/capos.pkg build/test.pkg; do
	if "$mkpkg" --extract-manifest "$p" | cmp -s - "$tmp/default.bin"; then
		pass "$(basename "$p" .pkg)_package_carries_the_default_manifest_unchanged"
	else
		fail "$(basename "$p" .pkg)_package_carries_the_default_manifest_unchanged" \
			"the manifest in $p differs from system/default.capnp compiled"
	fi
done

# --manifest packs any bytes as they are (init, not mkpkg, judges them).
printf 'not a manifest' > "$tmp/junk.bin"
if "$mkpkg" -o "$tmp/m.pkg" --manifest "$tmp/junk.bin" "${args[@]}" &&
	"$mkpkg" --extract-manifest "$tmp/m.pkg" | cmp -s - "$tmp/junk.bin" &&
	"$mkpkg" --list "$tmp/m.pkg" | grep -qx "manifest 14"; then
	pass mkpkg_packs_a_manifest_unparsed
else
	fail mkpkg_packs_a_manifest_unparsed "the bytes did not round-trip"
fi
head -c 65537 /dev/zero > "$tmp/big.bin"
refuse_manifest=0
"$mkpkg" -o "$tmp/big.pkg" --manifest "$tmp/big.bin" "${args[@]}" 2>/dev/null || refuse_manifest=1
if [ $refuse_manifest = 1 ] && [ ! -e "$tmp/big.pkg" ]; then
	pass mkpkg_refuses_a_manifest_over_64_kib
else
	fail mkpkg_refuses_a_manifest_over_64_kib "packed"
fi

# Refusals: exit 1 and nothing written.
refuse() {
	local name=$1; shift
	rm -f "$tmp/bad.pkg"
	"$mkpkg" -o "$tmp/bad.pkg" "$@" 2> "$tmp/err"
	local rc=$?
	if [ $rc = 1 ] && [ ! -e "$tmp/bad.pkg" ] && [ -s "$tmp/err" ]; then
		pass "$name"
	else
		fail "$name" "exit $rc, $(head -c 200 "$tmp/err")"
	fi
}
hello=build/user/pkg/hello.elf
refuse mkpkg_refuses_duplicate_names init=$hello init=$hello
refuse mkpkg_refuses_name_with_slash init=$hello a/b=$hello
refuse mkpkg_refuses_32_byte_name init=$hello abcdefghijklmnopqrstuvwxyz012345=$hello
refuse mkpkg_refuses_missing_init hello=$hello
refuse mkpkg_refuses_unknown_init_name --init nope init=$hello
refuse mkpkg_refuses_non_elf init=$hello text=schema/boot.capnp
refuse mkpkg_refuses_host_binary init=$hello host=$mkpkg
refuse mkpkg_refuses_missing_file init=$hello gone=$tmp/does-not-exist

if "$mkpkg" -o "$tmp/t.pkg" --no-elf-check init=schema/boot.capnp 2>/dev/null; then
	pass mkpkg_no_elf_check_packs_any_bytes
else
	fail mkpkg_no_elf_check_packs_any_bytes "refused"
fi

head -c 100 "$tmp/p.pkg" > "$tmp/trunc.pkg"
printf 'not a package at all....' > "$tmp/junk.pkg"
ok=1
for f in trunc junk; do
	"$mkpkg" --list "$tmp/$f.pkg" > /dev/null 2>&1 && ok=0
done
if [ $ok = 1 ]; then
	pass mkpkg_list_refuses_corrupt_packages
else
	fail mkpkg_list_refuses_corrupt_packages "a corrupt package was listed"
fi

"$mkpkg" > /dev/null 2>&1
rc=$?
if [ $rc = 2 ]; then
	pass mkpkg_usage_error_exits_2
else
	fail mkpkg_usage_error_exits_2 "exit $rc"
fi
exit $status
