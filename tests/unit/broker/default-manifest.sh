#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# system/default.capnp compiles and passes init's validator, packed with the
# programs it names; it has no `shell` service (the broker starts the
# shell) and the broker holds the grants docs/sessions.md lists.
# One PASS/FAIL line per check. Needs `make all` (mkpkg, the user programs).
set -u
cd "$(dirname "$0")/../../.."
mkpkg=build/host/mkpkg
pkg=build/user/pkg
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; status=1; }

if ! capnp eval -b -Ischema system/default.capnp manifest >"$tmp/m.bin"; then
	fail default_manifest_compiles "capnp eval failed"
	exit 1
fi
pass default_manifest_compiles
args=("init=$pkg/init.elf")
for b in $("$mkpkg" --manifest-binaries "$tmp/m.bin"); do
	args+=("$b=$pkg/$b.elf")
done
"$mkpkg" -o "$tmp/m.pkg" --init init --manifest "$tmp/m.bin" "${args[@]}" >/dev/null
out=$("$mkpkg" --check-manifest "$tmp/m.pkg" 2>&1)
case $out in
"manifest: ok, 11 services; start order: hello echo echo-demo terminal credstore sessions audit net broker httpd telnetd")
	pass default_manifest_valid_for_init ;;
*) fail default_manifest_valid_for_init "$out" ;;
esac
text=$(capnp eval -Ischema system/default.capnp manifest)
if grep -q 'name = "shell", binary' <<<"$text"; then
	fail default_manifest_no_shell_service "a shell service is declared"
else
	pass default_manifest_no_shell_service
fi
broker=${text#*name = \"broker\", binary}
missing=""
for g in terminal creds sessions audit auditReader spawner endpoints caps timer boot; do
	grep -q "name = \"$g\"" <<<"$broker" || missing+=" $g"
done
if [ -z "$missing" ]; then pass default_manifest_broker_grants; else fail default_manifest_broker_grants "missing:$missing"; fi
exit $status
