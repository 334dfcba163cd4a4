#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# capnpc-c output compiles cleanly: every schema under /usr/include/capnp, upstream's
# test.capnp (+ imports) and tests/capnp/schemas are generated with build/host/capnpc-c,
# and each header is compiled alone with gcc and clang (-Wall -Wextra -Werror) and with
# the kernel's flags (-mgeneral-regs-only, freestanding, -DCAPNP_NO_FLOAT).
# One PASS/FAIL line per header and compiler.
set -u
cd "$(dirname "$0")/../.."
GEN=${CAPNPC_C:-build/host/capnpc-c}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
UP=
if scripts/fetch-sources.sh capnproto >/dev/null 2>&1; then
	UP=$(ls -d third_party/capnproto-*/src 2>/dev/null | head -n1)
fi

WARN="-std=gnu11 -Wall -Wextra -Werror"
KFLAGS="-O2 -ffreestanding -fno-builtin -nostdinc -isystem $(gcc -print-file-name=include)
	-mcmodel=kernel -mno-red-zone -mno-sse -mno-sse2 -mno-mmx -mno-80387 -mgeneral-regs-only
	-fno-pic -fno-pie -DCAPNP_NO_FLOAT"

gen() {
	local what=$1
	shift
	if capnp compile "$@" -o "$GEN:$TMP" >"$TMP/log" 2>&1; then
		echo "PASS capnpc_c_generates_$what"
	else
		echo "FAIL capnpc_c_generates_$what: $(grep -v 'warning' "$TMP/log" | head -c 300)"
	fi
}

gen installed_schemas --src-prefix=/usr/include/capnp /usr/include/capnp/*.capnp
gen test_schemas tests/capnp/schemas/*.capnp
[ -d schema ] && ls schema/*.capnp >/dev/null 2>&1 && gen capos_schemas schema/*.capnp
if [ -n "$UP" ]; then
	gen upstream_test -I "$UP" "$UP"/capnp/test.capnp "$UP"/capnp/test-import.capnp \
		"$UP"/capnp/test-import2.capnp
else
	echo "SKIP capnpc_c_generates_upstream_test: no upstream sources"
fi

for h in "$TMP"/*.h; do
	n=$(basename "$h" .capnp.h | tr -c 'a-zA-Z0-9\n' _)
	printf '#include "%s"\nint capnpc_c_tu(void);\nint capnpc_c_tu(void) { return 0; }\n' \
		"$(basename "$h")" >"$TMP/tu.c"
	for cc in gcc clang kernel; do
		if [ $cc = kernel ]; then
			cmd=(gcc $WARN $KFLAGS)
		else
			cmd=($cc $WARN -O1)
		fi
		if "${cmd[@]}" -Ilib -I"$TMP" -c "$TMP/tu.c" -o "$TMP/tu.o" 2>"$TMP/err"; then
			echo "PASS capnpc_c_header_compiles_${n}_$cc"
		else
			echo "FAIL capnpc_c_header_compiles_${n}_$cc: $(head -c 400 "$TMP/err")"
		fi
	done
done

# A group named like a generated tag must be refused with a message, not emitted.
printf '@0xd5a1f6bb3e8c2a02;\nstruct Foo { builder :group { x @0 :UInt8; } y @1 :UInt8; }\n' \
	>"$TMP/collide.capnp"
mkdir -p "$TMP/collide"
if capnp compile --src-prefix="$TMP" -o "$GEN:$TMP/collide" "$TMP/collide.capnp" 2>"$TMP/err"; then
	echo "FAIL capnpc_c_rejects_group_named_builder: accepted"
elif grep -q 'collides with the generated builder' "$TMP/err" && [ ! -e "$TMP/collide/collide.capnp.h" ]; then
	echo "PASS capnpc_c_rejects_group_named_builder"
else
	echo "FAIL capnpc_c_rejects_group_named_builder: $(head -c 300 "$TMP/err")"
fi
