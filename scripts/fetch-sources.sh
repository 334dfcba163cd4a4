#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches Debian source packages into third_party/ (git-ignored), for tests that
# need upstream files we may not commit (e.g. capnproto's test.capnp).
# Usage: scripts/fetch-sources.sh PACKAGE...
#        scripts/fetch-sources.sh --print-deb-src   (prints the derived entry only)
# Idempotent: when the machine has no deb-src entry, it adds one derived from
# its own apt sources (the same URIs, suites, components and keyring as each
# `deb` entry, so it follows whatever mirror the machine uses), runs
# `apt-get update` only when it added one, and skips packages already unpacked.
# It reads one-line entries (sources.list, sources.list.d/*.list) and deb822
# stanzas (sources.list.d/*.sources). For tests: CAPOS_APT_ETC (default
# /etc/apt) is where the sources are read, CAPOS_DEB_SRC_OUT the file written.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dest=$root/third_party
etc=${CAPOS_APT_ETC:-/etc/apt}
srcs=${CAPOS_DEB_SRC_OUT:-$etc/sources.list.d/capos-deb-src.sources}
SUDO=
[ "$(id -u)" -ne 0 ] && SUDO=sudo

have_deb_src() {
	grep -rqsE '^[[:space:]]*(Types:.*deb-src|deb-src[[:space:]])' "$etc/sources.list" \
		"$etc/sources.list.d/"
}

# One-line entries: "deb [opt=value ...] URI SUITE [COMPONENT...]".
one_line_to_deb_src() {
	awk '
	{ sub(/#.*/, "") }
	$1 != "deb" { next }
	{
		line = $0; opts = ""
		if (match(line, /\[[^]]*\]/)) {
			opts = substr(line, RSTART + 1, RLENGTH - 2)
			line = substr(line, 1, RSTART - 1) " " substr(line, RSTART + RLENGTH)
		}
		n = split(line, f, " ")
		if (n < 3) next
		comps = ""
		for (i = 4; i <= n; i++) comps = comps (i > 4 ? " " : "") f[i]
		printf "Types: deb-src\nURIs: %s\nSuites: %s\n", f[2], f[3]
		if (comps != "") printf "Components: %s\n", comps
		split(opts, o, " ")
		for (i in o) if (o[i] ~ /^signed-by=/) printf "Signed-By: %s\n", substr(o[i], 11)
		printf "\n"
	}' "$@"
}

# deb822 stanzas: every enabled stanza whose Types include deb, with its
# URIs, Suites, Components and Signed-By (continuation lines kept: an
# inline key is several lines long).
deb822_to_deb_src() {
	awk '
	function flush(   k) {
		if (types ~ /(^|[ \t])deb([ \t]|$)/ && tolower(enabled) != "no" && uris != "") {
			printf "Types: deb-src\n%s\n", uris
			if (suites != "") printf "%s\n", suites
			if (comps != "") printf "%s\n", comps
			if (signed != "") printf "%s\n", signed
			printf "\n"
		}
		types = enabled = uris = suites = comps = signed = ""; last = ""
	}
	/^#/ { next }
	/^[ \t]*$/ { flush(); next }
	/^[ \t]/ {	# continuation of the field before
		if (last == "signed-by") signed = signed "\n" $0
		else if (last == "uris") uris = uris "\n" $0
		else if (last == "suites") suites = suites "\n" $0
		else if (last == "components") comps = comps "\n" $0
		next
	}
	{
		key = tolower(substr($0, 1, index($0, ":") - 1)); last = key
		val = substr($0, index($0, ":") + 1); sub(/^[ \t]+/, "", val)
		if (key == "types") types = val
		else if (key == "enabled") enabled = val
		else if (key == "uris") uris = "URIs: " val
		else if (key == "suites") suites = "Suites: " val
		else if (key == "components") comps = "Components: " val
		else if (key == "signed-by") signed = "Signed-By:" (val != "" ? " " val : "")
	}
	END { flush() }' "$@"
}

# The deb-src stanzas for every deb entry of the machine's apt sources.
derive_deb_src() {
	local f
	for f in "$etc/sources.list" "$etc"/sources.list.d/*.list; do
		[ -f "$f" ] && one_line_to_deb_src "$f"
	done
	for f in "$etc"/sources.list.d/*.sources; do
		[ -f "$f" ] && [ "$f" != "$srcs" ] && deb822_to_deb_src "$f"
	done
	return 0
}

if [ "${1:-}" = "--print-deb-src" ]; then
	derive_deb_src
	exit 0
fi

if ! have_deb_src; then
	entry=$(derive_deb_src)
	if [ -z "$entry" ]; then
		echo "fetch-sources: no deb entry in $etc to derive a deb-src entry from" >&2
		exit 1
	fi
	echo "fetch-sources: adding $srcs" >&2
	printf '%s\n' "$entry" | $SUDO tee "$srcs" >/dev/null
	$SUDO apt-get update -qq
fi

for pkg in "$@"; do
	if ls -d "$dest/$pkg"-*/ >/dev/null 2>&1; then
		continue
	fi
	mkdir -p "$dest"
	(cd "$dest" && apt-get source -qq "$pkg" >&2) || {
		# The index may be stale (e.g. a package version moved on); refresh once.
		$SUDO apt-get update -qq
		(cd "$dest" && apt-get source -qq "$pkg" >&2)
	}
done
