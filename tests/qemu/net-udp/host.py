#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Host side of net-udp: echoes through 127.0.0.1:HOSTFWD_UDP_7, then datagrams from the guest."""
import os, socket, sys, time

def fail(why):
    print("host: " + why)
    sys.exit(1)

def pattern(n):
    return (bytes(range(251)) * (n // 251 + 1))[:n]

# 1. The guest's `udp echo 7 6` sends each datagram back.
fwd = ("127.0.0.1", int(os.environ["HOSTFWD_UDP_7"]))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.settimeout(30)
for i, size in enumerate((1, 100, 1000, 1472, 5, 1472)):
    data = bytes((i * 31 + j * 7) % 256 for j in range(size))
    s.sendto(data, fwd)
    try:
        back, _ = s.recvfrom(65536)
    except socket.timeout:
        fail("no echo of datagram %d (%d bytes)" % (i, size))
    if back != data:
        fail("echo of datagram %d: %d bytes, not the %d sent" % (i, len(back), size))
s.close()
print("host: 6 datagrams echoed (1..1472 bytes)")

# 2. The guest sends to 10.0.2.2:PORT, which slirp hands to our 127.0.0.1:PORT.
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r.bind(("127.0.0.1", 0))
r.settimeout(60)
port = r.getsockname()[1]
time.sleep(2)	# the echo has exited and the shell reads again
with open(os.environ["COM1_IN"], "wb", buffering=0) as com1:
    com1.write(('run "udp" "send" "10.0.2.2" "%d" "hello" "capOS" with { net: @net }\r'
                'run "udp" "fill" "10.0.2.2" "%d" "1" "1000" "1472" with { net: @net }\r'
                % (port, port)).encode())
want = [b"hello", b"capOS", pattern(1), pattern(1000), pattern(1472)]
for i, w in enumerate(want):
    try:
        got, src = r.recvfrom(65536)
    except socket.timeout:
        fail("datagram %d from the guest never came" % i)
    if got != w:
        fail("datagram %d from the guest: %r..., %d bytes, wanted %d" % (i, got[:16], len(got), len(w)))
print("host: 5 datagrams from the guest checked (texts, 1, 1000, 1472 bytes)")
