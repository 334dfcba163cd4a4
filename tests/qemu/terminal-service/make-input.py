#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes what qemu/terminal-service types into COM1 (committed; run again
# only to change it), one file per phase of terminal-check.
UP, DOWN, SS3_UP, SS3_DOWN = b"\x1b[A", b"\x1b[B", b"\x1bOA", b"\x1bOB"
files = {
    # history: two lines, up up (the line before last); other escape
    # sequences (right, left, Home, Ctrl-Up, F1, F5, paste start) around
    # "x" and "y"; SS3 up up up down; a line read without history (its up
    # arrow dropped); up (the newest line, not that one).
    "history.bin": b"abc\rdef\r" + UP + UP + b"\r"
    + b"x\x1b[C\x1b[D\x1b[H\x1b[1;5A\x1bOP\x1b[15~\x1b[200~y\r"
    + SS3_UP + SS3_UP + SS3_UP + SS3_DOWN + b"\r"
    + b"secretish" + UP + b"\r"
    + UP + b"\r",
    "held.bin": b"typing\x03",                  # Ctrl-C with a readLine held
    "idle.bin": b"partial\x03next\r",           # Ctrl-C with none: "partial" goes
    "flood.bin": b"z" * 5000 + b"\x03after flood\r",  # past the 4,096 kept
    "password.bin": b"hunter2-typed-ahead\r" + UP + b"\r",
}
for name, data in files.items():
    with open(name, "wb") as f:
        f.write(data)
