#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Crafts binary Cap'n Proto messages the text format cannot express, for the
capnp-print tests: far and double-far pointers, unknown enum values and union
members, capabilities, and invalid messages. Usage: craft.py OUTDIR. Writes
valid-TYPE-*.bin (must print like the official tool), cap-TYPE-*.bin (capabilities:
the official tool aborts, we print <external capability>) bad-*.bin
(must be rejected) and random-*.bin (must not crash)."""
import os
import random
import struct
import sys


def frame(*segs):
    out = struct.pack('<I', len(segs) - 1)
    out += b''.join(struct.pack('<I', len(s)) for s in segs)
    if len(segs) % 2 == 0:
        out += b'\0' * 4
    for s in segs:
        out += b''.join(struct.pack('<Q', w & (2**64 - 1)) for w in s)
    return out


def sp(off, dw, pw):
    return ((off << 2) & 0xffffffff) | (dw << 32) | (pw << 48)


def lp(off, size, count):
    return ((off << 2) & 0xffffffff) | 1 | (size << 32) | (count << 35)


def far(seg, off, double=False):
    return 2 | (4 if double else 0) | (off << 3) | (seg << 32)


def text_words(s):
    b = s.encode() + b'\0'
    b += b'\0' * (-len(b) % 8)
    return [struct.unpack('<Q', b[i:i + 8])[0] for i in range(0, len(b), 8)]


def main(out):
    files = {}
    rnd_f = random.Random(2)
    # Blobs (data 0 words, 5 ptrs; text is ptr 0).
    txt = text_words('far away')
    # Single far: root -> landing pad in segment 1 -> struct in segment 1.
    files['valid-Blobs-far-root'] = frame([far(1, 0)], [sp(0, 0, 5), lp(4, 2, 9), 0, 0, 0, 0] + txt)
    # Double far: root -> two-word pad in segment 2 -> content in segment 1.
    files['valid-Blobs-double-far'] = frame(
        [far(2, 0, True)], [0, lp(4, 2, 9), 0, 0, 0, 0] + txt, [far(1, 0), sp(0, 0, 5)])
    # Double far for the text inside a struct in segment 0.
    files['valid-Blobs-double-far-text'] = frame(
        [sp(0, 0, 5), far(2, 0, True), 0, 0, 0, 0], txt, [far(1, 0), lp(0, 2, 9)])
    # Shapes: 3 data words (color bits 0..16, outer's tag bits 16..32), 9 pointers.
    def shapes(d0, ptrs, extra=()):
        return frame([sp(0, 3, 9), d0, 0, 0] + (ptrs + [0] * 9)[:9] + list(extra))
    files['valid-Shapes-unknown-enum'] = shapes(9, [])
    files['valid-Shapes-unknown-union'] = shapes(0xffff0000, [])
    files['valid-Shapes-short-struct'] = frame([sp(0, 0, 0)])
    files['valid-Shapes-unknown-enum-list'] = shapes(0, [lp(8, 3, 3)], [0x0001_0007_0002])
    files['valid-Shapes-null-root'] = frame([0])
    # List(Color) encoded as a list of 2 structs (1 data word, 1 pointer): read as u16s.
    files['valid-Shapes-colors-as-structs'] = shapes(
        0, [lp(8, 7, 4)], [sp(2, 1, 1), 2, 0, 1, 0])
    # List(List(List(Int16))) whose inner lists are 32-bit lists: read as their low halves.
    files['valid-Shapes-wider-elements'] = shapes(
        0, [0, 0, 0, 0, lp(4, 6, 1)], [lp(0, 6, 1), lp(0, 4, 2), 0x0002000100050003])
    # Floats: 256 random float32 and float64 bit patterns (denormals, huge and tiny
    # exponents, NaNs with payloads) and values near powers of ten.
    f32 = [rnd_f.getrandbits(32) for _ in range(256)]
    f64 = [rnd_f.getrandbits(64) for _ in range(256)]
    f64 += [struct.unpack('<Q', struct.pack('<d', float('1e%d' % e) * m))[0]
            for e in range(-320, 309, 7) for m in (1, 1.5, 9.999999999999999)]
    f32 += [struct.unpack('<I', struct.pack('<f', float('1e%d' % e) * m))[0]
            for e in range(-44, 39) for m in (1, 3.3333333)]
    f32w = [f32[i] | (f32[i + 1] << 32) if i + 1 < len(f32) else f32[i]
            for i in range(0, len(f32), 2)]
    n32 = len(f32w)
    files['valid-Floats-random'] = frame(
        [sp(0, 3, 2), 0, 0, 0, lp(1, 4, len(f32)), lp(n32, 5, len(f64))]
        + f32w + f64)
    # Blobs: every byte value in Data, random bytes (invalid UTF-8 too) in Text.
    def blob_words(b):
        b = b + b'\0' * (-len(b) % 8)
        return [struct.unpack('<Q', b[i:i + 8])[0] for i in range(0, len(b), 8)]
    data = bytes(range(256))
    text = bytes(rnd_f.randrange(256) for _ in range(300)) + b'\0'
    dw = blob_words(data)
    files['valid-Blobs-all-bytes'] = frame(
        [sp(0, 0, 5), lp(4, 2, len(text)), lp(3 + len(blob_words(text)), 2, 256), 0, 0, 0]
        + blob_words(text) + dw)
    files['cap-Shapes-echo'] = shapes(0, [0, 0, 0, 3 | (5 << 32)])
    # Invalid messages.
    files['bad-truncated'] = frame([sp(0, 3, 8), 0])[:-4]
    files['bad-oob-struct'] = frame([sp(5, 1, 0)])
    files['bad-oob-list'] = frame([sp(0, 0, 5), lp(0, 2, 100)])
    files['bad-text-no-nul'] = frame([sp(0, 0, 5), lp(0, 2, 3), 0x636261])
    files['bad-far-missing-seg'] = frame([far(7, 0)])
    files['bad-self-cycle'] = frame([sp(0, 0, 14), sp(-1, 0, 14)] + [0] * 13)
    files['bad-struct-as-list'] = frame([sp(0, 0, 5), 0, 0, sp(0, 0, 0)])
    files['bad-segment-count'] = struct.pack('<II', 0x7fffffff, 1) + b'\0' * 8
    rnd = random.Random(1)
    for i in range(8):
        n = rnd.randrange(1, 12)
        words = [rnd.getrandbits(64) for _ in range(n)]
        files['random-%d' % i] = frame(words)
    for name, data in files.items():
        with open(os.path.join(out, name + '.bin'), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main(sys.argv[1])
