#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Drives Debian's stock telnet client through a pty, as a person would.

Usage from a host script: telnet-drive.py PORT SCRIPT, where SCRIPT is a file of
lines "expect REGEX", "send TEXT" (a CR is added), "sendraw HEXBYTES",
"close" (drop the connection at once). Exit 0 when every expect matched
within its time (TELNET_TIMEOUT, default 30 s), else 1 with the transcript.
"""
import os, pty, re, select, sys, time

def main():
    port, script = sys.argv[1], sys.argv[2]
    timeout = float(os.environ.get("TELNET_TIMEOUT", "30"))
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp("telnet", ["telnet", "127.0.0.1", port])
    seen = b""
    def expect(pattern):
        nonlocal seen
        rx = re.compile(pattern.encode())
        end = time.time() + timeout
        while time.time() < end:
            m = rx.search(seen)
            if m:
                seen = seen[m.end():]
                return True
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                try:
                    seen += os.read(fd, 4096)
                except OSError:
                    break
        sys.stderr.write("telnet-drive.py: never saw /%s/; last output:\n%r\n" % (pattern, seen[-500:]))
        return False
    ok = True
    for line in open(script):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        verb, _, arg = line.partition(" ")
        if verb == "expect":
            ok = expect(arg)
        elif verb == "send":
            os.write(fd, arg.encode() + b"\r")
        elif verb == "sendraw":
            os.write(fd, bytes.fromhex(arg))
        elif verb == "close":
            break
        if not ok:
            break
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return 0 if ok else 1

sys.exit(main())
