# SPDX-License-Identifier: MIT
#
# Echo: the M4 test service (user/programs/ipc-echo). It answers calls the way
# the IPC scenarios need: echo data, raise a chosen CapException, send a
# received capability back, keep calls unanswered and answer them later, and
# stop. Holding a client facet conveys only the right to call these methods
# on one echo server; the server learns nothing about its callers.
# Conventions as in capos.capnp: "raises X" means a CapException of type X;
# a "...Index" field is the index of a transfer record.

@0x8e8bf5f840d27f42;

using Capos = import "capos.capnp";

interface Echo @0xe9025c4457ba11f4 {
  echo @0 (data :Data) -> (data :Data);
  # Returns data unchanged. Limit: 8192 bytes.
  # Raises invalidArgument if data is longer.

  raise @1 (type :Capos.CapException.Type, reason :Text) -> ();
  # Raises a CapException of `type` with `reason` (at most 200 bytes).

  bounce @2 (capIndex :UInt16, mode :UInt8) -> (capIndex :UInt16, interfaceId :UInt64);
  # Sends the capability the caller sent (transfer record capIndex) back,
  # copied (mode 1) or moved (mode 2); a copy the server kept is released
  # once the answer is delivered, so the server holds nothing afterwards.
  # interfaceId is what the server saw in the record.
  # Raises invalidArgument if no capability came with record capIndex, or if
  # mode is not 1 or 2.

  hold @3 () -> ();
  # Leaves the call unanswered until answerHeld (at most 64 held calls).
  # Raises overloaded if 64 calls are held already.

  answerHeld @4 () -> (answered :UInt32, delivered :UInt32, firstError :Int32);
  # Answers every held call. answered: how many; delivered: how many RETURNs
  # completed with 0; firstError: the first failed RETURN's error code (0 if
  # none), e.g. CAPOS_ERR_DISCONNECTED for a caller that is gone.

  heldCount @5 () -> (count :UInt32);
  # Calls held right now.

  exit @6 (code :Int32) -> ();
  # Exits the server process at once with `code`, without answering this or
  # any other call (the kernel then fails them with disconnected).

  stop @7 () -> (calls :UInt64);
  # Answers, then ends the serve loop (the server exits 0). calls: calls
  # served before this one.

  keep @8 () -> (kept :UInt32);
  # Keeps every capability sent with the call (at most 256 in all); kept:
  # how many the server keeps now. Raises overloaded when it keeps 256.

  dropKept @9 () -> (dropped :UInt32);
  # Releases every kept capability; dropped: how many.

  floats @10 (f64 :Float64, f32 :Float32, scale :Float64 = 2.5,
              f64s :List(Float64), f32s :List(Float32))
      -> (f64 :Float64, f32 :Float32, scale :Float64 = 2.5,
          f64s :List(Float64), f32s :List(Float32), sum :Float64, scaled :Float64);
  # Floating-point fields through a real call (M5): returns f64, f32, scale
  # and both lists as they came, bit for bit (NaN payloads, signed zeros,
  # infinities and denormals included); sum is the elements of f64s and then
  # of f32s added in order in double precision, and scaled is f64 * scale,
  # both computed by the server. Limit: 64 elements in each list.
  # Raises invalidArgument if a list is longer.
  note @11 (value :UInt64) -> (values :List(UInt64));
  # Appends value to the server's notes and returns every note, oldest
  # first: memory that outlives its callers (the restart scenario keeps its
  # start times here). Raises overloaded when 64 notes are kept.
}
