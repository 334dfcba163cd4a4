#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches Debian source packages into third_party/ (git-ignored), for tests that
# need upstream files we may not commit (e.g. capnproto's test.capnp).
# Usage: scripts/fetch-sources.sh PACKAGE...
# Idempotent: adds a deb-src entry for bookworm main only if none exists, runs
# `apt-get update` only when it added one, and skips packages already unpacked.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dest=$root/third_party
srcs=/etc/apt/sources.list.d/capos-deb-src.sources
SUDO=
[ "$(id -u)" -ne 0 ] && SUDO=sudo

have_deb_src() {
	grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/
}

if ! have_deb_src; then
	echo "fetch-sources: adding $srcs" >&2
	printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' \
		'Suites: bookworm' 'Components: main' \
		'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' | $SUDO tee "$srcs" >/dev/null
	$SUDO apt-get update -qq
fi

mkdir -p "$dest"
for pkg in "$@"; do
	if ls -d "$dest/$pkg"-*/ >/dev/null 2>&1; then
		continue
	fi
	(cd "$dest" && apt-get source -qq "$pkg" >&2) || {
		# The index may be stale (e.g. a package version moved on); refresh once.
		$SUDO apt-get update -qq
		(cd "$dest" && apt-get source -qq "$pkg" >&2)
	}
done
