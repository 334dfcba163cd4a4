#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches lwIP (Debian's `lwip` source package, 2.1.3+dfsg1 in Debian 12)
# into third_party/lwip-VERSION/ (git-ignored, never committed) for the
# network service (mk/lwip/rules.mk runs this when no third_party/lwip-*/
# holds it). Idempotent: does nothing when a tree is already unpacked.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
have_tree() { ls "$root"/third_party/lwip-*/src/core/tcp.c >/dev/null 2>&1; }
have_tree && exit 0
"$root/scripts/fetch-sources.sh" lwip >&2
have_tree || { echo "fetch-lwip: no lwIP tree after fetching the source package" >&2; exit 1; }
