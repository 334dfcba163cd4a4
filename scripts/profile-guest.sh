#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage: profile-guest.sh PROGRAM [TOP]
# Boots capOS with PROGRAM as init under -icount shift=0 with QEMU's
# in_asm/exec trace (about 1 GB for ipc-bench), then prints where the guest
# instructions went: translated-block sizes times executions, attributed to
# kernel symbols and to PROGRAM's user symbols (other user processes at the
# same addresses are attributed to PROGRAM's symbols too).
# With LINES=1 it prints kernel instructions per source line instead (the
# kernel is built with LTO, so symbols lump inlined code together); running
# it for two iteration counts and subtracting isolates one operation, which
# is how docs/performance.md splits the IPC round trip.
set -euo pipefail
cd "$(dirname "$0")/.."
prog=$1 top=${2:-40}
out=build/profile
mkdir -p "$out"
timeout 600 qemu-system-x86_64 -machine q35 -cpu max -m 128M -smp 1 -display none -no-reboot \
	-icount shift=0 -serial "file:$out/console.log" -serial "file:$out/kernel.log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel build/kernel/capos32.elf -initrd build/test.pkg -append "test=init init=$prog" \
	-d in_asm,exec,nochain -D "$out/trace.log" </dev/null || true
python3 - "$out/trace.log" "build/user/$prog.elf" "$top" <<'PY'
import bisect, collections, re, subprocess, sys
trace, user_elf, top = sys.argv[1], sys.argv[2], int(sys.argv[3])
size, execs, cur = {}, collections.Counter(), None
pc_re = re.compile(r'^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/')
# QEMU prints an instruction longer than 8 bytes on two lines; the second
# holds only the remaining bytes ("0x...:  00 00") and is no instruction.
more_bytes_re = re.compile(r'^0x[0-9a-f]+:\s+[0-9a-f]{2}( [0-9a-f]{2})*\s*$')
def insn_addr(line):
    """The address of the instruction this in_asm line starts, or None."""
    if not line.startswith('0x') or ':' not in line or more_bytes_re.match(line):
        return None
    return int(line.split(':')[0], 16)
with open(trace, errors='replace') as f:
    for line in f:
        if line.startswith('Trace'):
            m = pc_re.match(line)
            if m:
                execs[int(m.group(1), 16)] += 1
        elif line.startswith('IN:'):
            cur = None
        elif (addr := insn_addr(line)) is not None:
            if cur is None:
                cur, size[addr] = addr, 0
            size[cur] += 1
def symbols(path, tag):
    out = []
    for l in subprocess.run(['nm', '-n', path], capture_output=True, text=True).stdout.splitlines():
        p = l.split()
        if len(p) == 3 and p[1] in 'tTwW':
            out.append((int(p[0], 16), tag + p[2]))
    return out
ks, us = symbols('build/kernel/capos.elf', 'kernel '), symbols(user_elf, 'user ')
ka, ua = [a for a, _ in ks], [a for a, _ in us]
tot, kern, user = collections.Counter(), 0, 0
for pc, n in execs.items():
    ins = size.get(pc, 1) * n
    if pc >= 0xffff800000000000:
        tot[ks[bisect.bisect_right(ka, pc) - 1][1]] += ins
        kern += ins
    elif us and ua[0] <= pc < ua[-1] + 0x1000:	# the program's text (firmware runs elsewhere)
        tot[us[max(bisect.bisect_right(ua, pc) - 1, 0)][1]] += ins
        user += ins
import os
if os.environ.get('LINES'):
    ins, cur = {}, None	# second pass: every instruction of every block
    with open(trace, errors='replace') as f:
        for line in f:
            if line.startswith('IN:'):
                cur = None
            elif (a := insn_addr(line)) is not None:
                if cur is None:
                    cur, ins[a] = a, []
                ins[cur].append(a)
    cnt = collections.Counter()
    for pc, n in execs.items():
        if pc >= 0xffff800000000000:
            for a in ins.get(pc, [pc]):
                cnt[a] += n
    addrs = sorted(cnt)
    where = subprocess.run(['addr2line', '-e', 'build/kernel/capos.elf'] + [hex(a) for a in addrs],
                           capture_output=True, text=True).stdout.split('\n')
    per = collections.Counter()
    for a, l in zip(addrs, where):
        per[l.split(' ')[0].replace(os.getcwd() + '/', '')] += cnt[a]
    for l, n in per.most_common():
        print(f'{n:12d} {l}')
    sys.exit(0)
print(f'kernel {kern} user {user} (firmware and the boot loader excluded)')
for name, n in tot.most_common(top):
    print(f'{n:12d} {name}')
PY
