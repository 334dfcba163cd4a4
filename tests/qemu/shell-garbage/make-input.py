#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# input.bin for qemu/shell-garbage: 3,000 bytes of seeded garbage (every
# byte value but Ctrl-D, which would end the input early), Ctrl-U and a line
# after it, `session`, then Ctrl-D. Under 4,096 bytes in all: the kernel's
# COM1 buffer holds everything even if the terminal has read nothing yet.
import os
import random

r = random.Random(13)
garbage = bytes(b for b in (r.randrange(256) for _ in range(3000)) if b != 0x04)
data = garbage + b'\x15\n' + b'\x15echo after garbage\n' + b'session\n' + b'\x04'
assert len(data) < 4096
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'input.bin'), 'wb') as f:
    f.write(data)
