# SPDX-License-Identifier: MIT
# The message both benchmark programs read and build: a struct with scalars,
# text, lists of primitives, of text and of structs.
@0xe4a7c2f5b1d3e901;

struct Item {
  a @0 :UInt32;
  b @1 :Int64;
  label @2 :Text;
}

struct Bench {
  id @0 :UInt64;
  name @1 :Text;
  score @2 :Float64;
  flags @3 :UInt32;
  ok @4 :Bool;
  tags @5 :List(Text);
  values @6 :List(Int32);
  items @7 :List(Item);
}
