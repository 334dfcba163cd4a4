#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: ksyms.sh [kernel.elf] > ksyms.S
# Emits the kernel symbol table (text symbols, sorted) as assembly for the
# second link. Without an argument it emits an empty table for the first link.
set -euo pipefail
echo '	.section .rodata.ksyms, "a"'
echo '	.balign 8'
echo '	.globl ksym_table, ksym_count, ksym_names'
if [ $# -eq 0 ]; then
	echo 'ksym_count: .quad 0'
	echo 'ksym_table:'
	echo 'ksym_names: .byte 0'
	exit 0
fi
nm -n --defined-only "$1" | awk '
	$2 ~ /^[tTwW]$/ && $1 ~ /^ffffffff8/ { addr[n] = $1; name[n] = $3; n++ }
	END {
		printf "ksym_count: .quad %d\nksym_table:\n", n
		off = 0
		for (i = 0; i < n; i++) { printf "\t.quad 0x%s, %d\n", addr[i], off; off += length(name[i]) + 1 }
		printf "ksym_names:\n"
		for (i = 0; i < n; i++) printf "\t.asciz \"%s\"\n", name[i]
	}'
