#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interoperability of lib/capnp with the official capnp tool, on interop.capnp's `sample`:
# official encoding read by us; our encoding byte-identical to the official one and printed
# identically by `capnp convert`; multi-segment (far pointer) builds read by the official tool;
# packed encoding byte-identical both ways. One PASS/FAIL line per check.
set -u
here=tests/unit/capnp
bin=${CAPNP_INTEROP_CHECK:-build/host/tests/capnp_interop_check}
schema=$here/interop.capnp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v capnp >/dev/null; then
	echo "SKIP capnp_interop: official capnp tool not installed"
	exit 0
fi

check() { # name, command...
	local name=$1; shift
	if "$@" >"$tmp/log" 2>&1; then echo "PASS $name"; else
		echo "FAIL $name: $(tail -n 3 "$tmp/log" | tr '\n' ' ')"; fi
}

capnp eval -b "$schema" sample >"$tmp/official.bin" || { echo "FAIL capnp_interop: eval"; exit 1; }
capnp convert binary:text "$schema" Sample <"$tmp/official.bin" >"$tmp/official.txt"

cat >"$tmp/expect" <<'END'
b=1
i8=-8
i16=16
i32=-32
i64=-64
u8=200
u16=60000
u32=4000000000
u64=18000000000000000000
f32=1.5
f64=-0.25
text="hello, capOS"
data=0001feff
inner=(7,"seven")
voids=[v,v,v]
bools=[1,0,1,1,0,0,0,0,1]
shorts=[-1,2,-3]
words=[1,2,3000000000]
doubles=[0.5,-1e+100]
texts=["a","","ccc"]
inners[]=(1,"one")
inners[]=(2,"")
nested[]=[1,2]
nested[]=[]
nested[]=[-3]
choice.str="picked"
grp=(-5,6)
END

reads_official() { "$bin" read <"$tmp/official.bin" >"$tmp/read.txt" && diff "$tmp/expect" "$tmp/read.txt"; }
check capnp_interop_reads_official_encoding reads_official

# A Sample with every field at its default must read as the schema defaults (XOR rule).
defaults() {
	echo '()' | capnp convert text:binary "$schema" Sample >"$tmp/empty.bin" &&
	"$bin" read <"$tmp/empty.bin" | grep -qx 'i16=-300' &&
	"$bin" read <"$tmp/empty.bin" | grep -qx 'i64=1000000' &&
	"$bin" read <"$tmp/empty.bin" | grep -qx 'f64=2.5'
}
check capnp_interop_reads_schema_defaults defaults

builds_identical() { "$bin" build >"$tmp/ours.bin" && cmp "$tmp/ours.bin" "$tmp/official.bin"; }
check capnp_interop_build_is_byte_identical builds_identical

multi_segment() {
	local s
	for s in 168 176 200 256 320 512; do
		"$bin" build $s >"$tmp/seg.bin" || return 1
		capnp convert binary:text "$schema" Sample <"$tmp/seg.bin" >"$tmp/seg.txt" || return 1
		diff "$tmp/official.txt" "$tmp/seg.txt" || { echo "segment size $s"; return 1; }
		"$bin" read <"$tmp/seg.bin" | diff "$tmp/expect" - || return 1
	done
}
check capnp_interop_multi_segment_build_read_by_official multi_segment

double_far() {
	"$bin" build 0 >"$tmp/dfar.bin" || return 1
	# Root pointer (first word after the segment table): far (2) with the double-far bit (4).
	local n off
	n=$(od -An -tu4 -N4 "$tmp/dfar.bin" | tr -d ' ')
	off=$(( (4 + 4 * (n + 1) + 7) / 8 * 8 ))
	[ $(( 0x$(od -An -tx1 -j$off -N1 "$tmp/dfar.bin" | tr -d ' ') & 7 )) = 6 ] ||
		{ echo "root is not a double-far pointer"; return 1; }
	capnp convert binary:text "$schema" Sample <"$tmp/dfar.bin" | diff "$tmp/official.txt" - &&
	"$bin" read <"$tmp/dfar.bin" | diff "$tmp/expect" -
}
check capnp_interop_double_far_build_read_by_official double_far

# Schema evolution against official encodings: an Inner (1 data word, 1 pointer) read as the
# bigger Sample shows Inner's bytes where they overlap (XORed with Sample's defaults: i16 is
# 0x0102 ^ 0xfed4 = -42) and defaults elsewhere.
smaller_struct() {
	echo '(id = 0x01020304, name = "old")' |
		capnp convert text:binary "$schema" Inner >"$tmp/inner.bin" &&
	"$bin" read <"$tmp/inner.bin" >"$tmp/inner.txt" &&
	grep -qx 'i32=0' "$tmp/inner.txt" && grep -qx 'i16=-42' "$tmp/inner.txt" &&
	grep -qx 'i8=3' "$tmp/inner.txt" &&
	grep -qx 'text="old"' "$tmp/inner.txt" && grep -qx 'i64=1000000' "$tmp/inner.txt" &&
	grep -qx 'f64=2.5' "$tmp/inner.txt" && grep -qx 'texts=\[\]' "$tmp/inner.txt" &&
	grep -qx 'choice.none' "$tmp/inner.txt"
}
check capnp_interop_reads_smaller_struct_with_defaults smaller_struct

packs_identical() {
	capnp convert binary:packed <"$tmp/official.bin" >"$tmp/official.packed" &&
	"$bin" pack <"$tmp/official.bin" | cmp - "$tmp/official.packed" &&
	"$bin" unpack <"$tmp/official.packed" | cmp - "$tmp/official.bin"
}
check capnp_interop_packed_is_byte_identical packs_identical
