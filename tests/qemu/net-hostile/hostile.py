#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile input from the host for net-hostile; each step is followed by a
telnet login (login.txt, through scripts/telnet-drive.py) proving the guest still serves."""
import os, random, socket, struct, subprocess, sys, time

here = os.path.dirname(os.path.abspath(__file__))
port = int(os.environ["HOSTFWD_23"])
inject = int(os.environ["NET_INJECT_PORT"])
rng = random.Random(7)

def still_serves(after, within=0):
    """A telnet login works, at once or (within > 0) once the gateway has
    dropped the silent connections of a flood (TELNETD_SILENT_NS, 30 s)."""
    end = time.time() + within
    while True:
        r = subprocess.run([sys.executable, os.path.join(here, "..", "..", "..", "scripts", "telnet-drive.py"), str(port),
                            os.path.join(here, "login.txt")])
        if r.returncode == 0:
            break
        if time.time() > end:
            print("host: no login after " + after)
            sys.exit(1)
        time.sleep(5)
    print("host: login works after " + after)

def raw(data, hold=0.5):
    s = socket.create_connection(("127.0.0.1", port), 10)
    try:
        s.sendall(data)
        time.sleep(hold)
    except OSError:
        pass
    s.close()

# Malformed and oversized IAC sequences: an endless subnegotiation, IAC at
# the very end, unknown commands and options, a flood of WILL/DO, stray SE.
IAC, SB, SE, WILL, DO, DONT, WONT = 255, 250, 240, 251, 253, 254, 252
raw(bytes([IAC, SB, 24]) + b"x" * 70000)
raw(bytes([IAC]))
raw(bytes([IAC, 0x01, IAC, 0xf0, IAC, SE, IAC, IAC, IAC, 200]) * 1000)
raw(bytes([IAC, WILL, 1, IAC, DO, 3, IAC, DONT, 31, IAC, WONT, 24]) * 5000)
raw(bytes(rng.randrange(256) for _ in range(100000)))
still_serves("malformed IAC")

# 1,000 connections opened and dropped at once (as far as slirp lets a host flood).
socks = []
for _ in range(1000):
    try:
        socks.append(socket.create_connection(("127.0.0.1", port), 5))
    except OSError:
        pass
for s in socks:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))	# RST
    s.close()
time.sleep(3)
still_serves("1000 connections dropped", within=120)

# Raw frames on the wire: runts, giants, bad EtherTypes, IPv4 with lying
# lengths and options, truncated TCP, broadcast junk.
mac = bytes.fromhex("525400123456")
src = bytes.fromhex("020000000001")
def eth(t, payload):
    return mac + src + struct.pack("!H", t) + payload
frames = [b"", b"\x00", eth(0x0800, b""), eth(0x0800, b"\x45" + b"\x00" * 10),
          eth(0x0800, b"\x4f" + b"\xff" * 60), eth(0x0806, b"\x00" * 3),
          eth(0x86dd, b"\x60" + b"\x00" * 50), eth(0x0800, b"\x45\x00\xff\xff" + b"\x00" * 16),
          eth(0x0800, b"\x45\x00\x00\x28" + b"\x00" * 5 + b"\x06" + b"\x00" * 10 + b"\x00\x17"),
          b"\xff" * 1600, b"\xff" * 9000, b"\xff" * 65000]
for _ in range(2000):
    frames.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 1600))))
u = socket.socket(type=socket.SOCK_DGRAM)
for f in frames:
    try:
        u.sendto(f, ("127.0.0.1", inject))
    except OSError:
        pass
time.sleep(3)
still_serves("raw frames")

# A SYN flood on the wire: 3,000 well-formed SYNs to port 23 from spoofed
# addresses and ports that never answer the SYN-ACK (more than the service
# has connections: lwIP reuses the oldest half-open ones), then a login.
def csum(b):
    if len(b) % 2:
        b += b"\0"
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while t >> 16:
        t = (t & 0xffff) + (t >> 16)
    return ~t & 0xffff
def syn(src, sport, seq):
    dst = bytes([10, 0, 2, 15])
    tcp = struct.pack("!HHIIBBHHH", sport, 23, seq, 0, 5 << 4, 0x02, 65535, 0, 0)
    tcp = tcp[:16] + struct.pack("!H", csum(src + dst + struct.pack("!BBH", 0, 6, len(tcp)) + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), rng.randrange(65536), 0, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return eth(0x0800, ip + tcp)
for i in range(3000):
    src = bytes([198, 51, 100, rng.randrange(1, 255)])
    try:
        u.sendto(syn(src, rng.randrange(1024, 65536), rng.randrange(1 << 32)), ("127.0.0.1", inject))
    except OSError:
        pass
time.sleep(3)
still_serves("a SYN flood", within=120)

# A client that never reads: it types help (about 800 bytes of output) over
# and over until the guest stops taking its input for 5 s, which happens
# once the shell's output has filled every buffer on the way and the shell
# waits in a write. That must stall this terminal only, never the gateway:
# logins go on meanwhile, and the client's end frees everything.
slow = socket.socket()
slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
slow.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
slow.connect(("127.0.0.1", port))
slow.setblocking(False)
typed, last_taken, end = 0, time.time(), time.time() + 180
while time.time() - last_taken < 5:
    if time.time() > end:
        print("host: the guest kept taking input for 180 s (%d bytes)" % typed)
        sys.exit(1)
    try:
        typed += slow.send(b"help\r\n" * 64)
        last_taken = time.time()
    except BlockingIOError:
        time.sleep(0.2)
print("host: a client typed %d bytes and reads nothing; its terminal is stalled" % typed)
still_serves("a client that does not read")
slow.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
slow.close()
time.sleep(3)
still_serves("the client that did not read is gone")
