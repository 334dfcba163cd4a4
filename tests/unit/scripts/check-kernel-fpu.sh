#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tests scripts/check-kernel-fpu.sh: it passes both built kernels (release
# and debug, LTO-inlined save/restore included), and it fails small ELFs
# that break its rule in each way: compiled SSE code, an FPU-state
# instruction outside fpu.c, a SIMD instruction inside fpu.c, x87 code in the
# 32-bit boot range, and an ELF with no save/restore at all. Run from the
# repository root. One PASS/FAIL line per case.
set -u
cd "$(dirname "$0")/../../.."
root=$PWD
check=$root/scripts/check-kernel-fpu.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; status=1; }

for k in build/kernel/capos.elf build/kernel-debug/capos.elf; do
	name=kernel_fpu_check_passes_$(basename "$(dirname "$k")" | tr - _)
	if out=$("$check" "$k" 2>&1); then
		pass "$name"
	else
		fail "$name" "$(echo "$out" | head -n 5 | tr '\n' ' ')"
	fi
	# Without the symbols the 32-bit boot code would go unchecked.
	if nm "$k" | grep -q ' __boot_text_start$' && nm "$k" | grep -q ' __boot_text_end$'; then
		pass "${name/passes/covers_boot_code}"
	else
		fail "${name/passes/covers_boot_code}" "no __boot_text_start/__boot_text_end in $k"
	fi
done

# The synthetic kernels: the save/restore functions in a file whose path ends
# like the real one's, and an entry that calls them.
mkdir -p "$tmp/kernel/arch/x86_64"
cat >"$tmp/kernel/arch/x86_64/fpu.c" <<'EOF'
void fpu_save(void *a)
{
	__asm__ volatile("xsave64 (%0)" : : "r"(a), "a"(-1), "d"(-1) : "memory");
#ifdef SIMD_IN_FPU_C
	__asm__ volatile("pxor %%xmm0, %%xmm0" : : : "xmm0");
#endif
}
void fpu_restore(const void *a)
{
	__asm__ volatile("fxrstor64 (%0)" : : "r"(a) : "memory");
}
EOF
cat >"$tmp/main.c" <<'EOF'
void fpu_save(void *a);
void fpu_restore(const void *a);
static char area[1024] __attribute__((aligned(64)));
void _start(void)
{
	fpu_save(area);
	fpu_restore(area);
	for (;;)
		;
}
EOF
cat >"$tmp/sse.c" <<'EOF'
double half(double x) { return x / 2; }
EOF
cat >"$tmp/sneaky.c" <<'EOF'
void sneaky_save(void *a) { __asm__ volatile("fxsave64 (%0)" : : "r"(a) : "memory"); }
EOF
cat >"$tmp/clean.c" <<'EOF'
void _start(void) { for (;;) ; }
EOF
boot() {	# $1: the 32-bit instruction in the boot range
	cat <<EOF
	.section .boot.text, "ax"
	.globl __boot_text_start, __boot_text_end
__boot_text_start:
	.code32
	movl \$1, %eax
	$1
	.code64
	movq \$2, %rax
__boot_text_end:
	.section .boot.rodata, "a"
	.ascii "d\x9b\x30"	/* data that decodes as fs fwait ...: outside the range */
	.section .note.GNU-stack, "", @progbits
EOF
}
boot "nop" >"$tmp/boot_clean.S"
boot "fninit" >"$tmp/boot_x87.S"

# link NAME FILE...: the synthetic kernel $tmp/NAME.elf, with -g like the real one.
link() {
	local name=$1; shift
	(cd "$tmp" && gcc -g -O2 -ffreestanding -nostdlib -static -fno-pie -no-pie \
		-Wl,-e,_start -o "$name.elf" "$@") >"$tmp/$name.log" 2>&1
}

# expect NAME pass|fail PATTERN FILE...: the checker's verdict on them, and
# (for fail) a pattern its report must contain.
expect() {
	local name=$1 want=$2 pattern=$3 out rc; shift 3
	if ! link "$name" "$@"; then
		fail "$name" "could not build: $(head -c 200 "$tmp/$name.log")"
		return
	fi
	out=$("$check" "$tmp/$name.elf" 2>&1)
	rc=$?
	if [ "$want" = pass ] && [ $rc -eq 0 ]; then
		pass "$name"
	elif [ "$want" = fail ] && [ $rc -ne 0 ] && grep -q -- "$pattern" <<<"$out"; then
		pass "$name"
	else
		fail "$name" "wanted $want ($pattern), got status $rc: $(echo "$out" | tr '\n' ' ' |
			head -c 300)"
	fi
}

expect kernel_fpu_check_accepts_save_restore_in_fpu_c pass "" \
	kernel/arch/x86_64/fpu.c main.c boot_clean.S
expect kernel_fpu_check_rejects_compiled_sse fail "xmm0.*in: half" \
	kernel/arch/x86_64/fpu.c main.c sse.c
expect kernel_fpu_check_rejects_state_insn_outside_fpu_c fail "fxsave64.*in: sneaky_save" \
	kernel/arch/x86_64/fpu.c main.c sneaky.c
expect kernel_fpu_check_rejects_simd_inside_fpu_c fail "pxor.*in: fpu_save" \
	-DSIMD_IN_FPU_C kernel/arch/x86_64/fpu.c main.c
expect kernel_fpu_check_rejects_x87_in_boot_code fail "fninit" \
	kernel/arch/x86_64/fpu.c main.c boot_x87.S
expect kernel_fpu_check_rejects_kernel_without_save_restore fail "no FPU save/restore" \
	clean.c
exit $status
