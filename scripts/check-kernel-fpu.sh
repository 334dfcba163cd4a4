#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: check-kernel-fpu.sh KERNEL.elf...
#
# The kernel must never execute an x87, MMX, SSE or AVX instruction of its
# own: while it runs, the registers still hold the interrupted thread's user
# values, which the kernel saves only at a switch (docs/fpu.md). gcc keeps to
# that under -mgeneral-regs-only, but a flag dropped from one file, an inline
# asm or a builtin could break it silently. This disassembles each kernel
# and fails on any instruction that names an x87/MMX/SSE/AVX/AVX-512
# register or is an FPU-state instruction, unless it is one of the state
# instructions below, inlined from the FPU code of kernel/arch/x86_64/fpu.c
# (the kernel is built with LTO, so they sit wherever fpu_save and
# fpu_restore were inlined: addr2line -i names the function they came from).
#
# Checked: .text (64-bit), and .boot.text between the linker symbols
# __boot_text_start and __boot_text_end (when present): as 32-bit code up to
# long_mode_entry, where boot.S switches to 64-bit, and as 64-bit code from
# there (32-bit code decoded as 64-bit can show SSE opcodes that are not
# there: the bytes of an address). Without long_mode_entry, the whole range
# both ways. The boot section's data is outside those symbols. Memory fences, prefetches and
# other instructions that leave the FPU state alone are not FPU instructions.
# Prints "PASS kernel_fpu_free: ELF ..." or "FAIL kernel_fpu_free: ELF: ..." per
# kernel; exits non-zero if any failed.
set -u

# Where FPU-state instructions may come from, and which ones.
ALLOWED_FILE='kernel/arch/x86_64/fpu.c'
ALLOWED_FUNCS='^(fpu_save|fpu_restore|fpu_cpu_init)$'
ALLOWED_MNEMONICS='^(xsave64|xrstor64|fxsave64|fxrstor64|xsetbv)$'
# FPU instructions without FPU register operands (x87 ones all begin with f).
FPU_MNEMONICS='^(f[a-z0-9]+|emms|femms|v?ldmxcsr|v?stmxcsr|xsave[a-z0-9]*|xrstor[a-z0-9]*|xsetbv|xgetbv|vzeroupper|vzeroall)$'
FPU_REGISTERS='%(st|mm[0-7]|[xyz]mm[0-9]+|k[0-7])([^0-9a-z]|$)'
# Words objdump prints before a mnemonic (prefixes), which are not one.
PREFIXES='^(fs|gs|cs|ds|es|ss|rep|repz|repnz|repe|repne|lock|data16|data32|addr16|addr32|notrack|bnd|xacquire|xrelease|rex(\.[a-z]+)?)$'

# Disassembly of one range as "ADDR<TAB>MNEMONIC<TAB>OPERANDS", FPU instructions only.
fpu_insns() {
	objdump -d --no-show-raw-insn -w "$@" 2>/dev/null | awk -F'\t' \
		-v fm="$FPU_MNEMONICS" -v fr="$FPU_REGISTERS" -v px="$PREFIXES" '
		/^ *[0-9a-f]+:\t/ {
			addr = $1; sub(/^ */, "", addr); sub(/:$/, "", addr)
			n = split($2, w, / +/); i = 1
			while (i < n && w[i] ~ px) i++
			mnem = w[i]; ops = ""
			for (j = i + 1; j <= n; j++) ops = ops " " w[j]
			if (mnem ~ fm || $2 ~ fr) print addr "\t" mnem "\t" ops
		}'
}

symbol_addr() {	# ELF NAME -> hex address, or nothing
	nm "$1" 2>/dev/null | awk -v s="$2" '$3 == s { print $1; exit }'
}

# Every FPU instruction of ELF as "ADDR<TAB>MNEMONIC<TAB>OPERANDS".
all_fpu_insns() {
	local elf=$1 start stop split
	fpu_insns -j .text "$elf"
	start=$(symbol_addr "$elf" __boot_text_start)
	stop=$(symbol_addr "$elf" __boot_text_end)
	split=$(symbol_addr "$elf" long_mode_entry)
	if [ -n "$start" ] && [ -n "$stop" ]; then
		fpu_insns --start-address=0x"$start" --stop-address=0x"${split:-$stop}" -m i386 "$elf"
		fpu_insns --start-address=0x"${split:-$start}" --stop-address=0x"$stop" "$elf"
	fi
}

# Reads "ADDR<TAB>MNEMONIC<TAB>OPERANDS" lines; prints those not allowed, with the
# inline chain they came from. One addr2line run for all of them: -a starts
# each address's record with the address, then function/location pairs.
judge() {
	local elf=$1 insns
	insns=$(cat)
	[ -n "$insns" ] || return 0
	printf '%s\n' "$insns" | cut -f1 | sed 's/^/0x/' | addr2line -a -i -f -e "$elf" |
		awk -v insns="$insns" -v am="$ALLOWED_MNEMONICS" -v af="$ALLOWED_FUNCS" \
			-v file="$ALLOWED_FILE" '
		BEGIN {
			n = split(insns, line, "\n")
			for (i = 1; i <= n; i++) { split(line[i], f, "\t"); mnem[i] = f[2]; text[i] = line[i] }
			k = 0
		}
		/^0x[0-9a-f]+$/ { k++; fn = ""; next }
		fn == "" { fn = $0; next }
		{
			loc = $0; sub(/:.*/, "", loc)
			chain[k] = chain[k] " " fn
			if (fn ~ af && substr(loc, length(loc) - length(file) + 1) == file)
				ok[k] = 1
			fn = ""
		}
		END {
			for (i = 1; i <= n; i++)
				if (!(mnem[i] ~ am && ok[i])) {
					t = text[i]; gsub(/\t/, " ", t)
					print t " (in:" chain[i] ")"
				}
		}'
}

status=0
for elf in "$@"; do
	if ! insns=$(all_fpu_insns "$elf") || ! objdump -h "$elf" >/dev/null 2>&1; then
		echo "FAIL kernel_fpu_free: $elf: cannot disassemble it"
		status=1
		continue
	fi
	bad=$(printf '%s\n' "$insns" | grep -v '^$' | judge "$elf")
	total=$(printf '%s\n' "$insns" | grep -c .)
	if [ -n "$bad" ]; then
		echo "FAIL kernel_fpu_free: $elf: FPU/SIMD instructions outside $ALLOWED_FILE's" \
			"save/restore code:"
		printf '%s\n' "$bad" | head -n 20 | sed 's/^/    /'
		status=1
	elif [ "$total" -eq 0 ]; then
		# Every kernel saves and restores user state: finding none means the
		# disassembly was not read right, not that the kernel is clean.
		echo "FAIL kernel_fpu_free: $elf: no FPU save/restore instruction found at all"
		status=1
	else
		echo "PASS kernel_fpu_free: $elf ($total FPU-state instructions, all in $ALLOWED_FILE)"
	fi
done
exit $status
