#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/fetch-sources.sh derives its deb-src entry from the machine's own
# apt sources: sample one-line (.list) and deb822 (.sources) files in a
# temporary apt folder (CAPOS_APT_ETC) must give deb-src stanzas with the
# same URIs, suites, components and keyrings, skipping deb-src-only and
# disabled entries; a run writes them to CAPOS_DEB_SRC_OUT once (apt-get is
# a stub here) and a second run, finding a deb-src entry, writes nothing.
# The addresses below are made up (.invalid): no real archive is named.
set -u
cd "$(dirname "$0")/../../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; status=1; }
check() {	# check NAME WANT GOT
	if [ "$2" = "$3" ]; then pass "$1"; else
		fail "$1" "got:"$'\n'"$3"$'\n'"want:"$'\n'"$2"; fi
}
derive() { CAPOS_APT_ETC=$1 scripts/fetch-sources.sh --print-deb-src; }

# One-line format: comments, deb-src and malformed lines skipped, options kept
# only for the keyring, several components, a flat repository.
one=$tmp/one
mkdir -p "$one/sources.list.d"
cat > "$one/sources.list" <<'S'
# a comment
deb http://mirror.invalid/debian stable main contrib # trailing comment
deb-src http://mirror.invalid/debian stable main
  deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://mirror.invalid/security stable-security main
deb http://only-uri.invalid/
S
cat > "$one/sources.list.d/flat.list" <<'S'
deb [signed-by=/etc/apt/keyrings/flat.asc] http://flat.invalid/repo ./
S
check one_line_entries_become_deb_src_stanzas "$(cat <<'W'
Types: deb-src
URIs: http://mirror.invalid/debian
Suites: stable
Components: main contrib

Types: deb-src
URIs: http://mirror.invalid/security
Suites: stable-security
Components: main
Signed-By: /usr/share/keyrings/k.gpg

Types: deb-src
URIs: http://flat.invalid/repo
Suites: ./
Signed-By: /etc/apt/keyrings/flat.asc
W
)" "$(derive "$one")"

# deb822: Types with deb among others, several URIs and suites, an inline
# key (continuation lines), a disabled stanza, a deb-src-only stanza.
d822=$tmp/d822
mkdir -p "$d822/sources.list.d"
cat > "$d822/sources.list.d/mirror.sources" <<'S'
# a comment
Types: deb deb-src
URIs: http://a.invalid/debian http://b.invalid/debian
Suites: stable stable-updates
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/archive.gpg

Types: deb
URIs: http://off.invalid/debian
Suites: stable
Components: main
Enabled: no

types: deb
uris: http://inline.invalid/repo
suites: testing
components: main
signed-by:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 mQINBGZ=
 -----END PGP PUBLIC KEY BLOCK-----
S
cat > "$d822/sources.list.d/src-only.sources" <<'S'
Types: deb-src
URIs: http://src.invalid/debian
Suites: stable
Components: main
S
check deb822_stanzas_become_deb_src_stanzas "$(cat <<'W'
Types: deb-src
URIs: http://a.invalid/debian http://b.invalid/debian
Suites: stable stable-updates
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/archive.gpg

Types: deb-src
URIs: http://inline.invalid/repo
Suites: testing
Components: main
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 mQINBGZ=
 -----END PGP PUBLIC KEY BLOCK-----
W
)" "$(derive "$d822")"

# A whole run, apt-get and sudo stubbed: writes the derived entry once.
run=$tmp/run
mkdir -p "$run/sources.list.d" "$tmp/bin"
grep -v '^deb-src' "$one/sources.list" > "$run/sources.list"
printf '#!/bin/sh\necho "apt-get $*" >> %s/apt.log\n' "$tmp" > "$tmp/bin/apt-get"
printf '#!/bin/sh\nexec "$@"\n' > "$tmp/bin/sudo"
chmod +x "$tmp/bin/apt-get" "$tmp/bin/sudo"
out=$run/sources.list.d/capos-deb-src.sources
fetch() { PATH=$tmp/bin:$PATH CAPOS_APT_ETC=$run CAPOS_DEB_SRC_OUT=$out \
	scripts/fetch-sources.sh 2>/dev/null; }
fetch
if [ -f "$out" ] && [ "$(cat "$out")" = "$(derive "$run")" ] &&
	[ "$(cat "$tmp/apt.log" 2>/dev/null)" = "apt-get update -qq" ]; then
	pass run_writes_the_derived_entry_and_updates
else
	fail run_writes_the_derived_entry_and_updates "file: $(head -c 300 "$out" 2>&1)"
fi
fetch
if [ "$(wc -l < "$tmp/apt.log")" = 1 ]; then
	pass second_run_finds_the_entry_and_does_nothing
else
	fail second_run_finds_the_entry_and_does_nothing "apt-get ran again"
fi
if grep -rqs 'deb\.debian\.org\|bookworm' scripts/fetch-sources.sh; then
	fail no_archive_address_in_the_script "scripts/fetch-sources.sh names an archive"
else
	pass no_archive_address_in_the_script
fi
exit $status
