#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Host side of net-httpd, against the guest httpd through 127.0.0.1:HOSTFWD_80."""
import os, socket, subprocess, sys

port = int(os.environ["HOSTFWD_80"])

def request(raw, limit=1 << 20):
    s = socket.create_connection(("127.0.0.1", port), 20)
    s.settimeout(20)
    s.sendall(raw)
    data = b""
    while len(data) < limit:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data

def fail(why):
    print("host: " + why)
    sys.exit(1)

body = subprocess.run(["curl", "-sS", "--max-time", "30", "http://127.0.0.1:%d/" % port],
                      capture_output=True, check=False).stdout
if b"<h1>capOS httpd</h1>" not in body:
    fail("curl / gave %r" % body[:200])
code = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "30",
                       "http://127.0.0.1:%d/nope" % port], capture_output=True).stdout
if code != b"404":
    fail("/nope gave %r" % code)
for bad in (b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nno colon here\r\n\r\n", b"A" * 9000):
    r = request(bad)
    if not r.startswith(b"HTTP/1.1 400 "):
        fail("malformed request %r... gave %r" % (bad[:20], r[:60]))
head = request(b"HEAD /blob HTTP/1.1\r\nHost: x\r\n\r\n")
if b"Content-Length: 67108864" not in head or head.endswith(b"\x00"):
    fail("HEAD /blob gave %r" % head[:200])
# The first MiB of /blob is the pattern (byte i is i % 251); then the client
# leaves mid-transfer (httpd's writes then fail: it must not mind).
r = request(b"GET /blob HTTP/1.1\r\nHost: x\r\n\r\n", limit=1 << 20)
start = r.index(b"\r\n\r\n") + 4
got = r[start:start + 500000]
want = (bytes(range(251)) * (len(got) // 251 + 1))[:len(got)]
if got != want:
    fail("/blob is not the pattern")
for i in range(1000):
    r = request(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    if not r.startswith(b"HTTP/1.1 200 ") or b"capOS httpd" not in r:
        fail("connection %d gave %r" % (i, r[:80]))
print("host: /, 404, 400 x3, HEAD, /blob pattern, 1000 connections checked")
