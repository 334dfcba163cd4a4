#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# capnp-print agreement tests: every message is printed by build/host/capnp-print
# and by the official `capnp convert binary:text`; the outputs must be identical
# (PASS capnp_print_<case>). Messages come from cases.tsv (text -> binary, one
# segment and small segments with far pointers), from upstream's test data and
# constants (`capnp eval -b`), from CodeGeneratorRequests of real schemas, and
# from craft.py (far/double-far pointers, unknown enums and union members).
# Invalid messages must be rejected with exit 1 and a message, never a crash.
set -u
cd "$(dirname "$0")/../.."
PRINT=${CAPNP_PRINT:-build/host/capnp-print}
HERE=tests/capnp
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

if ! scripts/fetch-sources.sh capnproto >"$TMP/fetch.log" 2>&1; then
	echo "SKIP capnp_print_upstream: cannot fetch capnproto sources"
	UP=
else
	UP=$(ls -d third_party/capnproto-*/src/capnp 2>/dev/null | head -n1)
	[ -d "$UP/../kj" ] || UP=$(ls -d third_party/capnproto-*/c++/src/capnp 2>/dev/null | head -n1)
fi

# Upstream's test.capnp imports its own c++.capnp; -I makes it the same file
# as the installed one, or `capnp compile` reports a duplicate ID.
INC=()
[ -n "$UP" ] && INC=(-I "$UP/..")

resolve() {
	case $1 in
	@up/*) [ -n "$UP" ] && echo "$UP/${1#@up/}" ;;
	@our/*) echo "$HERE/schemas/${1#@our/}" ;;
	*) echo "$1" ;;
	esac
}

nsegs() {
	echo $(( $(od -An -t u4 -N4 "$1") + 1 ))
}

# compare NAME SCHEMA TYPE BIN [IMPORTS...]
compare() {
	local name=$1 schema=$2 type=$3 bin=$4
	shift 4
	if ! capnp convert --quiet "$@" binary:text "$schema" "$type" <"$bin" >"$TMP/want" 2>"$TMP/want.err"; then
		echo "FAIL capnp_print_$name: official tool rejected the message"
		return
	fi
	if ! "$PRINT" "$@" "$schema" "$type" <"$bin" >"$TMP/got" 2>"$TMP/got.err"; then
		echo "FAIL capnp_print_$name: capnp-print failed: $(head -c 300 "$TMP/got.err")"
		return
	fi
	if cmp -s "$TMP/want" "$TMP/got"; then
		echo "PASS capnp_print_$name"
	else
		echo "FAIL capnp_print_$name: output differs"
		diff "$TMP/want" "$TMP/got" | head -n 10
	fi
}

# Text cases, each in one segment and again with small segments (far pointers).
while IFS=$'\t' read -r name schema type text; do
	case $name in '#'* | '') continue ;; esac
	path=$(resolve "$schema")
	if [ -z "$path" ]; then
		echo "SKIP capnp_print_$name: no upstream sources"
		continue
	fi
	if ! printf '%s' "$text" | capnp convert text:binary "$path" "$type" >"$TMP/m.bin"; then
		echo "FAIL capnp_print_$name: bad test case (capnp convert text:binary)"
		continue
	fi
	compare "$name" "$path" "$type" "$TMP/m.bin" "${INC[@]}"
	for size in 2 4 8 16 64; do
		printf '%s' "$text" | capnp convert --segment-size=$size text:binary "$path" "$type" \
			>"$TMP/s.bin"
		[ "$(nsegs "$TMP/s.bin")" -le 32 ] && break
	done
	if [ "$(nsegs "$TMP/s.bin")" -gt 1 ] && [ "$(nsegs "$TMP/s.bin")" -le 32 ]; then
		compare "${name}_segments" "$path" "$type" "$TMP/s.bin" "${INC[@]}"
	fi
done <"$HERE/cases.tsv"

# Several messages in one stream.
W="$HERE/schemas/print.capnp"
printf '(a = "one")' | capnp convert text:binary "$W" Wide >"$TMP/w1.bin"
printf '(s = [(a = "two")])' | capnp convert --segment-size=2 text:binary "$W" Wide >"$TMP/w2.bin"
cat "$TMP/w1.bin" "$TMP/w2.bin" "$TMP/w1.bin" >"$TMP/stream.bin"
compare stream_of_messages "$HERE/schemas/print.capnp" Wide "$TMP/stream.bin"
: >"$TMP/empty.bin"
if "$PRINT" "$HERE/schemas/print.capnp" Wide <"$TMP/empty.bin" >/dev/null 2>&1; then
	echo "FAIL capnp_print_rejects_empty_input: exit status 0"
else
	echo "PASS capnp_print_rejects_empty_input"
fi

if [ -n "$UP" ]; then
	compare upstream_binary "$UP/test.capnp" TestAllTypes "$UP/testdata/binary" "${INC[@]}"
	compare upstream_lists "$UP/test.capnp" TestLists "$UP/testdata/lists.binary" "${INC[@]}"
	compare upstream_segmented "$UP/test.capnp" TestAllTypes "$UP/testdata/segmented" "${INC[@]}"
	for c in globalStruct:TestAllTypes derivedConstant:TestAllTypes \
		embeddedStruct:TestAllTypes globalPrintableStruct:TestPrintInlineStructs \
		TestConstants.structConst:TestAllTypes anyPointerConstants:TestAnyPointerConstants \
		genericConstant:TestGenerics; do
		capnp eval "${INC[@]}" -b "$UP/test.capnp" "${c%%:*}" >"$TMP/c.bin"
		compare "const_${c%%:*}" "$UP/test.capnp" "${c##*:}" "$TMP/c.bin" "${INC[@]}"
	done
fi

# CodeGeneratorRequests of real schemas, printed as CodeGeneratorRequest.
reqs=(/usr/include/capnp/*.capnp "$HERE"/schemas/*.capnp)
[ -n "$UP" ] && reqs+=("$UP/test.capnp" "$UP/test-import.capnp" "$UP/test-import2.capnp")
[ -d schema ] && reqs+=(schema/*.capnp)
for f in "${reqs[@]}"; do
	[ -f "$f" ] || continue
	if capnp compile -I "${UP:-.}/../" -o- "$f" >"$TMP/req.bin" 2>/dev/null; then
		compare "request_$(basename "$f" .capnp | tr -c 'a-zA-Z0-9\n' _)" \
			/usr/include/capnp/schema.capnp CodeGeneratorRequest "$TMP/req.bin"
	else
		echo "FAIL capnp_print_request_$(basename "$f"): capnp compile failed"
	fi
done

# Crafted messages.
mkdir -p "$TMP/craft"
python3 "$HERE/craft.py" "$TMP/craft"
for f in "$TMP"/craft/valid-*.bin; do
	n=$(basename "$f" .bin)
	t=${n#valid-}
	compare "crafted_${n#valid-}" "$HERE/schemas/print.capnp" "${t%%-*}" "$f"
done
out=$("$PRINT" "$HERE/schemas/print.capnp" Shapes <"$TMP/craft/cap-Shapes-echo.bin" 2>&1)
want='( color = red,
  echo = <external capability>,
  outer = (none = void),
  last = true )'
if [ "$out" = "$want" ]; then
	echo "PASS capnp_print_capability_prints_external_capability"
else
	echo "FAIL capnp_print_capability_prints_external_capability: got '$out'"
fi
for f in "$TMP"/craft/random-*.bin; do
	n=$(basename "$f" .bin)
	"$PRINT" "$HERE/schemas/print.capnp" Shapes <"$f" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc -le 1 ] && ! grep -qE 'Sanitizer|runtime error' "$TMP/err"; then
		echo "PASS capnp_print_survives_${n}"
	else
		echo "FAIL capnp_print_survives_${n}: exit $rc: $(head -c 300 "$TMP/err")"
	fi
done
for f in "$TMP"/craft/bad-*.bin; do
	n=$(basename "$f" .bin)
	"$PRINT" "$HERE/schemas/print.capnp" Shapes <"$f" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc -eq 1 ] && grep -q '^capnp-print: invalid message' "$TMP/err" &&
		! grep -qE 'Sanitizer|runtime error' "$TMP/err"; then
		echo "PASS capnp_print_rejects_${n#bad-}"
	else
		echo "FAIL capnp_print_rejects_${n#bad-}: exit $rc: $(head -c 300 "$TMP/err")"
	fi
done
