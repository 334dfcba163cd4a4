#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches the Argon2 reference implementation (Debian's `argon2` source
# package) into third_party/argon2-VERSION/ (git-ignored) for the build
# (mk/argon2/rules.mk runs this when no third_party/argon2-*/ holds it).
#
# First `scripts/fetch-sources.sh argon2`: the source package of the
# machine's own suite (Debian 12: 0~20171227-0.3+deb12u1). When that fails
# (the archive this project's machines reach serves that version's .dsc but
# not its orig tarball), the orig tarball of Debian's next release, 0~20190702+dfsg
# (upstream's last release, the same reference code), is fetched from the
# same archive by apt's own downloader, which checks it against the SHA-256
# pinned below (the one in that suite's signed Sources index). Debian 12's
# patches (hurd, kfreebsd) change only the Makefile, none of the files we
# compile (src/argon2.c, core.c, ref.c, encoding.c, blake2/blake2b.c).
# The archive's address comes from the machine's apt sources.
# Idempotent: does nothing when a tree is already unpacked.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dest=$root/third_party
have_tree() { ls "$dest"/argon2-*/src/argon2.c >/dev/null 2>&1; }
have_tree && exit 0

if "$root/scripts/fetch-sources.sh" argon2 >&2 && have_tree; then
	exit 0
fi

ver=0~20190702+dfsg
file=argon2_$ver.orig.tar.xz
sha256=815f1017b5b0033204778c2e32443257274bc5d9dd16d355c4f7db8189e23dcc
uri=$("$root/scripts/fetch-sources.sh" --print-deb-src |
	awk '$1 == "URIs:" && $2 ~ /^https?:/ && $2 !~ /security/ { print $2; exit }')
if [ -z "$uri" ]; then
	echo "fetch-argon2: no Debian archive in the apt sources" >&2
	exit 1
fi
echo "fetch-argon2: the $(. /etc/os-release && echo "$VERSION_CODENAME") source package" \
	"could not be fetched; using Debian's $ver orig tarball" >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"	# apt's downloader runs as _apt when it can
/usr/lib/apt/apt-helper download-file "$uri/pool/main/a/argon2/$file" "$tmp/$file" \
	"SHA256:$sha256" >&2
mkdir -p "$tmp/tree" "$dest"
tar -xJf "$tmp/$file" -C "$tmp/tree" --strip-components=1
rm -rf "$dest/argon2-$ver"
mv "$tmp/tree" "$dest/argon2-$ver"
