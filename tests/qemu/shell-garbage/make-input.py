#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# input.bin for qemu/shell-garbage: a 4,000-character line, a line after it,
# 3,000 bytes of seeded garbage (every byte value but Ctrl-D, which would end
# the input early), Ctrl-U and a line after it, `session`, then Ctrl-D.
import os
import random

r = random.Random(13)
garbage = bytes(b for b in (r.randrange(256) for _ in range(3000)) if b != 0x04)
data = (b'x' * 4000 + b'\n' + b'echo after long\n' + garbage + b'\x15\n' +
        b'\x15echo after garbage\n' + b'session\n' + b'\x04')
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'input.bin'), 'wb') as f:
    f.write(data)
