#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks that every ABI header in include/capos/ is self-contained and
# portable: each one, included alone, must compile as strict C11
# (-std=c11 -pedantic) with gcc and clang, as C++11 (host tools), with the
# freestanding kernel flags, and from assembly (constants only).
# One PASS/FAIL line per header and compiler. Run from the repository root.
set -u
cd "$(dirname "$0")/../../.."
strict="-Wall -Wextra -Werror -pedantic -Iinclude"
kernel="-std=gnu11 -Wall -Wextra -Werror -ffreestanding -nostdinc
	-isystem $(gcc -print-file-name=include) -mcmodel=kernel -mno-red-zone -mno-sse
	-mno-mmx -mno-80387 -mgeneral-regs-only -fno-pic -fno-pie -Iinclude"
status=0
check() {
	local name=$1 lang=$2 src=$3; shift 3
	local err
	if err=$(printf '%s\n' "$src" | "$@" -x "$lang" -c -o /dev/null - 2>&1); then
		echo "PASS $name"
	else
		echo "FAIL $name: $(echo "$err" | head -n 3 | tr '\n' ' ')"
		status=1
	fi
}
for h in include/capos/*.h; do
	b=$(basename "$h" .h)
	inc="#include <capos/$b.h>"
	check "abi_header_${b}_alone_gcc_c11" c "$inc" gcc -std=c11 $strict
	check "abi_header_${b}_alone_clang_c11" c "$inc" clang -std=c11 $strict
	check "abi_header_${b}_alone_cxx11" c++ "$inc" g++ -std=c++11 $strict
	check "abi_header_${b}_alone_kernel_flags" c "$inc" gcc $kernel
	check "abi_header_${b}_alone_assembly" assembler-with-cpp "$inc" \
		gcc -D__ASSEMBLY__ -Iinclude
done
exit $status
