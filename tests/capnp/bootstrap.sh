#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# capnpc-c bootstrap: stage 0 (build/host/capnpc-c0, raw accessors) and stage 1
# (build/host/capnpc-c, reading its input through the schema.capnp.h stage 0
# generated) must generate byte-identical headers for every schema, including
# schema.capnp itself (so stage 2 would be stage 1 again).
set -u
cd "$(dirname "$0")/../.."
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
UP=
if scripts/fetch-sources.sh capnproto >/dev/null 2>&1; then
	UP=$(ls -d third_party/capnproto-*/src 2>/dev/null | head -n1)
fi

run() {	# run STAGE NAME ARGS...
	local stage=$1 name=$2
	shift 2
	mkdir -p "$TMP/$stage/$name"
	capnp compile "$@" -o "build/host/$stage:$TMP/$stage/$name" 2>"$TMP/log" ||
		echo "capnp compile with $stage failed: $(grep -v warning "$TMP/log" | head -c 300)"
}

check() {	# check NAME ARGS...
	local name=$1 out
	shift
	out=$(run capnpc-c0 "$name" "$@"; run capnpc-c "$name" "$@")
	if [ -n "$out" ]; then
		echo "FAIL capnpc_c_bootstrap_$name: $out"
	elif ! ls "$TMP/capnpc-c0/$name"/*.h >/dev/null 2>&1; then
		echo "FAIL capnpc_c_bootstrap_$name: no header generated"
	elif diff -r "$TMP/capnpc-c0/$name" "$TMP/capnpc-c/$name" >"$TMP/diff"; then
		echo "PASS capnpc_c_bootstrap_$name"
	else
		echo "FAIL capnpc_c_bootstrap_$name: stage 0 and stage 1 differ"
		head -n 10 "$TMP/diff"
	fi
}

check installed --src-prefix=/usr/include/capnp /usr/include/capnp/*.capnp
check test_schemas tests/capnp/schemas/*.capnp tests/bench/capnp/bench.capnp
if ls schema/*.capnp >/dev/null 2>&1; then
	check capos schema/*.capnp
fi
if [ -n "$UP" ]; then
	check upstream -I "$UP" "$UP"/capnp/test.capnp "$UP"/capnp/test-import.capnp \
		"$UP"/capnp/test-import2.capnp
fi
if cmp -s build/host/gen/schema.capnp.h "$TMP/capnpc-c/installed/schema.capnp.h"; then
	echo "PASS capnpc_c_bootstrap_fixed_point_schema_capnp_h"
else
	echo "FAIL capnpc_c_bootstrap_fixed_point_schema_capnp_h: stage 1 output differs from its own source"
fi
