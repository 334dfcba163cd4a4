# SPDX-License-Identifier: MIT
# Schema for capnp-print agreement tests: shapes test.capnp does not cover
# (floats at the edges, every escape, unknown enums and union members,
# capabilities, AnyPointer, deep list nesting, unions in groups in unions).
@0xd5a1f6bb3e8c2a01;

interface Echo {
  echo @0 (text :Text) -> (text :Text);
  sub @1 () -> (echo :Echo);
}

enum Color { red @0; green @1; blue @2; }

struct Floats {
  f32 @0 :Float32;
  f64 @1 :Float64;
  f32s @2 :List(Float32);
  f64s @3 :List(Float64);
  d32 @4 :Float32 = 1.5;
  d64 @5 :Float64 = -2.25e100;
}

struct Blobs {
  text @0 :Text;
  data @1 :Data;
  texts @2 :List(Text);
  datas @3 :List(Data);
  dtext @4 :Text = "default";
}

struct Shapes {
  color @0 :Color;
  colors @1 :List(Color);
  any @2 :AnyPointer;
  anys @3 :List(Echo);
  echo @4 :Echo;
  deep @5 :List(List(List(Int16)));
  bools @6 :List(Bool);
  voids @7 :List(Void);
  outer :union {
    none @8 :Void;
    inner :group {
      x @9 :Int8 = -5;
      choice :union {
        left @10 :Text;
        right @11 :List(Shapes);
      }
    }
    num @12 :UInt64 = 77;
  }
  self @13 :Shapes;
  last @14 :Bool = true;
}

struct Empty {}

struct Wide {
  a @0 :Text;
  b @1 :Text;
  c @2 :Text;
  d @3 :Text;
  e @4 :Text;
  n @5 :List(Int64);
  s @6 :List(Wide);
}
