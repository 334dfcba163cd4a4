#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes input.bin, what qemu/serial-terminal types into COM1 (committed;
# run again only to change it): lines with editing, a 4,000-character line,
# binary garbage, a password read without echo, then Ctrl-D.
import random

rng = random.Random(20261207)
garbage = bytes(b for b in (rng.randrange(256) for _ in range(3000)) if b != 0x04)
parts = [
    b"hello world\r",
    b"abcX\x7fd\n",                     # DEL erases X
    b"junk\x15clean\r\n",               # Ctrl-U kills "junk"
    b"caf\xc3\xa9\x7fe \xc3\xa9t\xc3\xa9\r",  # DEL erases the 2-byte e-acute
    b"back\x08\x08ck\r",                # backspace
    b"partial\x03",                     # Ctrl-C
    b"a" * 4000 + b"\r",                # refused: over 1,024 bytes
    b"after long\r",
    b"\x1b[A\x1b[1;5Cesc\x1bOP seq\r",  # escape sequences dropped
    garbage,
    b"\x15after garbage\r",
    b"password\r",
    b"hunter2-secret\r",                # read with echo off
    b"echo on again\r",
    b"\x04",                            # Ctrl-D on an empty line: end of input
]
with open("input.bin", "wb") as f:
    f.write(b"".join(parts))
