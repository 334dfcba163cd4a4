# SPDX-License-Identifier: MIT
# Test schema for lib/capnp interoperability with the official capnp tool
# (tests/unit/capnp/interop.sh): every field kind, defaults, a union, a group, every list kind.
@0xd5a1c3e8b7f40921;

struct Inner {
  id @0 :UInt32;
  name @1 :Text;
}

struct Sample {
  b @0 :Bool;
  i8 @1 :Int8;
  i16 @2 :Int16 = -300;
  i32 @3 :Int32;
  i64 @4 :Int64 = 1000000;
  u8 @5 :UInt8;
  u16 @6 :UInt16;
  u32 @7 :UInt32;
  u64 @8 :UInt64;
  f32 @9 :Float32;
  f64 @10 :Float64 = 2.5;
  text @11 :Text;
  data @12 :Data;
  inner @13 :Inner;
  voids @14 :List(Void);
  bools @15 :List(Bool);
  shorts @16 :List(Int16);
  words @17 :List(UInt32);
  doubles @18 :List(Float64);
  texts @19 :List(Text);
  inners @20 :List(Inner);
  nested @21 :List(List(Int32));
  choice :union {
    none @22 :Void;
    num @23 :UInt64;
    str @24 :Text;
  }
  grp :group {
    x @25 :Int32;
    y @26 :Int32;
  }
}

const sample :Sample = (
  b = true, i8 = -8, i16 = 16, i32 = -32, i64 = -64, u8 = 200, u16 = 60000,
  u32 = 4000000000, u64 = 18000000000000000000, f32 = 1.5, f64 = -0.25,
  text = "hello, capOS", data = 0x"00 01 fe ff", inner = (id = 7, name = "seven"),
  voids = [void, void, void], bools = [true, false, true, true, false, false, false, false, true],
  shorts = [-1, 2, -3], words = [1, 2, 3000000000], doubles = [0.5, -1e100],
  texts = ["a", "", "ccc"], inners = [(id = 1, name = "one"), (id = 2)],
  nested = [[1, 2], [], [-3]], choice = (str = "picked"), grp = (x = -5, y = 6)
);
