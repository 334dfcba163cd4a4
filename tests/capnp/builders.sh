#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Generated builders produce exactly the intended message: tests/capnp/build_msgs.c
# fills upstream test.capnp structs through capnpc-c's generated header; the
# official `capnp convert binary:text` must print the same text as for the intended
# value (given below as a text literal, normalised by the official tool). Each case
# is built in one segment and in small segments (far pointers). Also checks the
# generated readers on upstream's testdata/binary.
set -u
cd "$(dirname "$0")/../.."
GEN=${CAPNPC_C:-build/host/capnpc-c}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
if ! scripts/fetch-sources.sh capnproto >/dev/null 2>&1; then
	echo "SKIP capnpc_c_builders: cannot fetch capnproto sources"
	exit 0
fi
UP=$(ls -d third_party/capnproto-*/src 2>/dev/null | head -n1)
if ! capnp compile --src-prefix=/usr/include/capnp -o "$GEN:$TMP" /usr/include/capnp/*.capnp \
	2>"$TMP/log" || ! capnp compile -I "$UP" -o "$GEN:$TMP" "$UP/capnp/test.capnp" 2>"$TMP/log"; then
	echo "FAIL capnpc_c_builders: capnpc-c failed: $(head -c 300 "$TMP/log")"
	exit 1
fi
if ! gcc -std=gnu11 -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined \
	-fno-sanitize-recover=all -Ilib -I"$TMP" tests/capnp/build_msgs.c lib/capnp/*.c \
	-o "$TMP/build_msgs" 2>"$TMP/log"; then
	echo "FAIL capnpc_c_builders: build_msgs does not compile: $(head -c 600 "$TMP/log")"
	exit 1
fi

"$TMP/build_msgs" read "$UP/capnp/testdata/binary"

# Descriptors: the generic walk prints the root's scalar and text fields exactly as the
# official tool does (its top-level "name = value" lines, floats and pointers aside).
"$TMP/build_msgs" desc "$UP/capnp/testdata/binary" >"$TMP/desc.got"
capnp convert -I "$UP" binary:text "$UP/capnp/test.capnp" TestAllTypes <"$UP/capnp/testdata/binary" |
	grep -E '^(\( |  )[A-Za-z0-9]+ = ("[^"]*"|[-A-Za-z0-9]+)( \))?,?$' |
	sed -E 's/^(\( |  )//; s/( \))?,?$//' | grep -vE '^(voidField|float|interfaceField)' \
	>"$TMP/desc.want"
if [ -s "$TMP/desc.want" ] && cmp -s "$TMP/desc.want" "$TMP/desc.got"; then
	echo "PASS capnpc_c_descriptors_walk_like_official"
else
	echo "FAIL capnpc_c_descriptors_walk_like_official"
	diff "$TMP/desc.want" "$TMP/desc.got" | head -n 10
fi

# Constants: struct constants as word arrays decode like `capnp eval`; scalars match.
for c in structConst:TestConstants.structConst derivedConstant:derivedConstant; do
	capnp eval -I "$UP" -b "$UP/capnp/test.capnp" "${c#*:}" |
		capnp convert -I "$UP" --quiet binary:text "$UP/capnp/test.capnp" TestAllTypes \
		>"$TMP/want"
	if "$TMP/build_msgs" "const_${c%%:*}" >"$TMP/c.bin" &&
		capnp convert -I "$UP" --quiet binary:text "$UP/capnp/test.capnp" TestAllTypes \
			<"$TMP/c.bin" >"$TMP/got" 2>&1 && cmp -s "$TMP/want" "$TMP/got"; then
		echo "PASS capnpc_c_const_${c%%:*}_matches_capnp_eval"
	else
		echo "FAIL capnpc_c_const_${c%%:*}_matches_capnp_eval"
	fi
done
if "$TMP/build_msgs" pointer_defaults; then
	echo "PASS capnpc_c_pointer_field_defaults_read_from_constant_segments"
else
	echo "FAIL capnpc_c_pointer_field_defaults_read_from_constant_segments"
fi
if "$TMP/build_msgs" const_scalars; then
	echo "PASS capnpc_c_scalar_text_data_constants"
else
	echo "FAIL capnpc_c_scalar_text_data_constants"
fi

check() {
	local name=$1 type=$2 text=$3 size
	printf '%s' "$text" | capnp convert -I "$UP" text:binary "$UP/capnp/test.capnp" "$type" |
		capnp convert -I "$UP" --quiet binary:text "$UP/capnp/test.capnp" "$type" >"$TMP/want"
	for size in one small; do
		if ! "$TMP/build_msgs" "$name" $size >"$TMP/m.bin" 2>"$TMP/err"; then
			echo "FAIL capnpc_c_builds_${name}_$size: build_msgs failed: $(head -c 300 "$TMP/err")"
			continue
		fi
		capnp convert -I "$UP" --quiet binary:text "$UP/capnp/test.capnp" "$type" \
			<"$TMP/m.bin" >"$TMP/got" 2>&1
		if cmp -s "$TMP/want" "$TMP/got"; then
			echo "PASS capnpc_c_builds_${name}_$size"
		else
			echo "FAIL capnpc_c_builds_${name}_$size: decodes differently"
			diff "$TMP/want" "$TMP/got" | head -n 12
		fi
	done
}

check all_types TestAllTypes '(boolField = true, int8Field = -123, int16Field = -12345,
 int32Field = -12345678, int64Field = -123456789012345, uInt8Field = 234, uInt16Field = 45678,
 uInt32Field = 3456789012, uInt64Field = 12345678901234567890, float32Field = 1234.5,
 float64Field = -123e45, textField = "foo", dataField = "b\x00r",
 structField = (textField = "nested", structField = (int8Field = 1)), enumField = corge,
 voidList = [void, void, void],
 boolList = [true, false, false, false, false, false, false, false, false, true],
 int8List = [-128, 127], int16List = [-2], int32List = [0, -2147483648], int64List = [-1],
 uInt64List = [18446744073709551615], float32List = [0.1, -1e30], float64List = [0.1],
 textList = ["plugh", "", "thud"], dataList = ["\x01\xff"],
 structList = [(textField = "x"), (int32Field = 7)], enumList = [garply, foo])'
check defaults TestDefaults '(boolField = false, int8Field = -123, int16Field = 0,
 uInt32Field = 1, float32Field = 1234.5, float64Field = 0, enumField = foo, textField = "")'
check unions TestUnion '(union0 = (u0f0s8 = -3), union1 = (u1f1sp = "text"),
 union2 = (u2f0s1 = true), union3 = (u3f0s64 = 12345), bit0 = true, byte0 = 42)'
check groups TestInterleavedGroups '(group1 = (foo = 1, bar = 2,
 corge = (grault = 3, plugh = "a")), group2 = (qux = 6))'
check lists TestLists '(list8 = [(f = 0), (f = 9)], int32ListList = [[1, 2], []],
 textListList = [["t"]])'
