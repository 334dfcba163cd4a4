#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks every schema in schema/: it compiles with the official capnp
# compiler, every interface and struct pins its id, and every method is
# documented (the line after a method declaration is a comment). Also
# round-trips a boot package through `capnp encode`/`capnp decode`, and
# generates C from every schema with our capnpc-c plugin when it is built.
# One PASS/FAIL line per check. Run from anywhere.
set -u
cd "$(dirname "$0")/../../.."
inc=-I/usr/include
status=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; status=1; }

for f in schema/*.capnp; do
	b=$(basename "$f" .capnp)
	if err=$(capnp compile $inc -o- "$f" 2>&1 >/dev/null); then
		pass "schema_${b}_compiles"
	else
		fail "schema_${b}_compiles" "$(echo "$err" | head -n 2 | tr '\n' ' ')"
	fi
	unpinned=$(grep -nE '^[[:space:]]*(struct|interface|enum) [[:alnum:]_]+ *\{' "$f" |
		head -n 1)
	if [ -z "$unpinned" ]; then
		pass "schema_${b}_pins_every_type_id"
	else
		fail "schema_${b}_pins_every_type_id" "no @0x id: $unpinned"
	fi
	# A method's declaration runs to its ';' (params and "-> (...)" may take
	# more lines); the line after it must be a comment.
	undoc=$(awk '
		m && FNR == m + 1 {
			if (!done) { m = FNR; done = $0 ~ /;[[:space:]]*$/; next }
			if ($0 !~ /^[[:space:]]*#/) { print m ": " s; exit }
			m = 0
		}
		/^[[:space:]]*[a-z][[:alnum:]_]* @[0-9]+ \(/ {
			m = FNR; s = $0; done = $0 ~ /;[[:space:]]*$/
		}' "$f")
	if [ -z "$undoc" ]; then
		pass "schema_${b}_documents_every_method"
	else
		fail "schema_${b}_documents_every_method" "$undoc"
	fi
done

# include/capos/interfaces.h must agree with the ids pinned in capos.capnp
# and device.capnp (the kernel's objects).
iface_schemas="schema/capos.capnp schema/device.capnp"
bad=
while read -r macro id; do
	name=$(echo "${macro#CAPOS_IFACE_}" | tr 'A-Z' 'a-z' | sed -E 's/(^|_)([a-z])/\U\2/g')
	grep -qhE "^interface $name @$id \{" $iface_schemas || bad="$bad $macro"
done < <(sed -nE 's/^#define (CAPOS_IFACE_[A-Z_]+)[[:space:]]+(0x[0-9a-f]+)ull.*/\1 \2/p' \
	include/capos/interfaces.h)
n=$(grep -c '^#define CAPOS_IFACE_' include/capos/interfaces.h)
m=$(cat $iface_schemas | grep -c '^interface ')
if [ -z "$bad" ] && [ "$n" -eq "$m" ]; then
	pass interface_ids_header_matches_schema
else
	fail interface_ids_header_matches_schema "mismatch:$bad ($n macros, $m interfaces)"
fi

text='(binaries = [(name = "init", data = 0x"7f454c46")], init = "init")'
out=$(echo "$text" | capnp encode $inc schema/boot.capnp BootPackage 2>&1 |
	capnp decode --short $inc schema/boot.capnp BootPackage 2>&1)
want='(binaries = [(name = "init", data = "\177ELF")], init = "init")'
if [ "$out" = "$want" ]; then
	pass boot_package_round_trips_through_capnp_tool
else
	fail boot_package_round_trips_through_capnp_tool "got: $out"
fi
# The schemas must also go through our own generator and compile as C.
gen=build/host/capnpc-c
if [ -x "$gen" ]; then
	out=$(mktemp -d)
	if err=$(capnp compile $inc -o "$gen:$out" schema/*.capnp 2>&1) &&
		err=$(for f in "$out"/*.h; do echo "#include \"$(basename "$f")\""; done |
			gcc -std=gnu11 -Wall -Wextra -Werror -Iinclude -Ilib -I"$out" \
				-x c -c -o /dev/null - 2>&1); then
		pass schemas_generate_compilable_c_with_capnpc_c
	else
		fail schemas_generate_compilable_c_with_capnpc_c \
			"$(echo "$err" | head -n 3 | tr '\n' ' ')"
	fi
	rm -rf "$out"
else
	echo "SKIP schemas_generate_compilable_c_with_capnpc_c: $gen not built"
fi
exit $status
