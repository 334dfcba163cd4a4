# SPDX-License-Identifier: MIT
# Corner cases for capnpc-c server skeletons (tests/unit/server/test_skeleton.c).
@0xb7f0d1b7a53c9e11;

struct Point @0xd3e1b2a6c4f50011 {
  x @0 :Int32;
  y @1 :Int32;
}

interface Calc @0xe1a2b3c4d5e60011 {
  add @0 (a :Int32, b :Int32) -> (sum :Int32);
  default @1 () -> ();
  unused @2 () -> ();
  mirror @3 Point -> Point;

  interface Inner @0xe1a2b3c4d5e60012 {
    ping @0 (n :UInt8) -> (n :UInt8);
  }
}

interface Empty @0xe1a2b3c4d5e60013 {}

interface Child @0xe1a2b3c4d5e60014 extends(Calc) {
  own @0 () -> (v :UInt64);
}
