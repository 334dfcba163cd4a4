#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the input of shell-cycles: input.txt (setup, logout), then
# cycles-01.txt .. cycles-10.txt, ten cycles of login, run "hello", logout
# each and a line `echo cycles NN done`, typed one file at a time once the
# previous file's echo has answered (INPUT_MORE), so what waits in the
# kernel's 4 KiB COM1 buffer stays far below it; then end.txt (a last
# login, audit, and Ctrl-D: the broker ends that session when the shell
# ends).
CHUNKS = 10


def write(name, lines):
    with open(name, 'w') as f:
        f.write('\r'.join(lines) + '\r')

write('input.txt', ['setup', 'carol', 'cycle-pass-77', 'cycle-pass-77', 'logout'])
for n in range(1, CHUNKS + 1):
    write('cycles-%02d.txt' % n,
          ['login', 'carol', 'cycle-pass-77', 'run "hello"', 'logout'] * 10 +
          ['echo cycles %02d done' % n])
with open('end.txt', 'w') as f:	# a last login, the audit log, then Ctrl-D
    f.write('\r'.join(['login', 'carol', 'cycle-pass-77', 'audit']) + '\r\x04')
