# SPDX-License-Identifier: MIT
#
# capOS core interfaces: the contract of every kernel object a process can
# hold in M3-M5. Method ordinals are the method ids on the ring
# (capos_sqe.method_id); the interface id is what the CapSet page and the
# transfer result records carry. Ids are pinned explicitly so that renaming a
# type never changes the ABI.
#
# Conventions for every method below:
# - Params and results are Cap'n Proto messages of at most 64 KiB
#   (CAPOS_PARAMS_MAX / CAPOS_RESULT_MAX in <capos/ring.h>).
# - Transport failures (bad SQE, stale cap, result buffer too small, ...) are
#   negative CQE results from <capos/errors.h> and are not repeated here.
# - "Raises X" means the call completes with CAPOS_ERR_APPLICATION_EXCEPTION
#   and a serialised CapException of type X in the result buffer.
# - Capabilities returned by a method travel as transfer result records after
#   the result message; a result field "...Index" is the index of its record.

@0xa0dcecc7417527d9;

struct CapException @0xc10eb259be357aa6 {
  # What a capability raises when a call reached a live target and failed.
  # The taxonomy follows Cap'n Proto RPC, plus invalidArgument.

  enum Type @0xcfa48f33c958c03b {
    failed @0;           # the target could not do it; retrying will not help
    overloaded @1;       # out of a resource (memory, quota); may succeed later
    disconnected @2;     # the object or its server is gone; the cap is now useless
    unimplemented @3;    # the method (or this use of it) is not implemented
    invalidArgument @4;  # the params break the method's documented contract
  }

  type @0 :Type;
  reason @1 :Text;
  # Diagnostic only, at most 256 bytes; never contains kernel addresses,
  # secrets or another process's state.
}

interface Console @0xb3a691ff67a3ccfe {
  # A byte sink (the system log: the kernel log's port, COM2, beside the
  # kernel's own lines; never the terminal, docs/terminal.md). Holding it
  # conveys only the right to append output; it cannot read input or learn
  # who else writes.

  write @0 (data :Data) -> ();
  # Writes data as-is. Limit: 4096 bytes per call.
  # Raises invalidArgument if data is longer than 4096 bytes;
  # overloaded if the console is rate-limiting this caller (M6).

  writeLine @1 (text :Text) -> ();
  # Writes text followed by "\n". Limit: 4095 bytes of text per call.
  # Raises invalidArgument if text is longer than 4095 bytes.
}

interface BootPackage @0xe61b540dceb768f9 {
  # Read-only access to the binaries shipped in the boot package. Holding it
  # conveys the right to read every packaged binary, nothing else: it cannot
  # run them (that is ProcessSpawner) or change them.

  struct BinaryInfo @0xc509d8c6b8092189 {
    name @0 :Text;    # 1..31 bytes, unique within the package
    size @1 :UInt64;  # bytes
  }

  list @0 () -> (binaries :List(BinaryInfo));
  # Names and sizes of all binaries, in package order. Limit: the package
  # holds at most 256 binaries. Raises nothing beyond transport errors.

  read @1 (name :Text, offset :UInt64, maxBytes :UInt32) -> (data :Data);
  # Returns up to maxBytes bytes of binary `name` from offset; fewer at the
  # end of the binary, none when offset == size. Limit: maxBytes <= 32768.
  # Raises invalidArgument if no binary has this name, if offset > size, or
  # if maxBytes > 32768.

  readManifest @2 (offset :UInt64, maxBytes :UInt32) -> (data :Data, size :UInt64);
  # Returns up to maxBytes bytes of the boot manifest (boot.capnp,
  # BootPackage.manifest: a framed SystemManifest message) from offset, and
  # its whole size in bytes (0 when the package holds none); fewer bytes at
  # the end, none when offset == size. The bytes are as packed: the kernel
  # has not checked them, the reader must. Limit: maxBytes <= 32768.
  # Raises invalidArgument if offset > size or maxBytes > 32768.
}

struct CapGrant @0xcbd008821108428f {
  # One capability given to a new process, and the name it appears under in
  # the child's CapSet (<capos/startup.h>).

  name @0 :Text;
  # 1..31 bytes of [A-Za-z0-9_.-], unique among the grants of one spawn.

  interfaceId @1 :UInt64;
  # Expected interface of the granted capability; 0 accepts any. A mismatch
  # raises invalidArgument, so a typo in a manifest cannot grant the wrong cap.

  source :union {
    transfer @2 :UInt16;
    # Index of a transfer descriptor sent with this spawn CALL (struct
    # capos_xfer): the caller's capability, copied or moved per the
    # descriptor's mode. Each descriptor must be used by exactly one grant.

    newEndpoint @3 :Void;
    # A new Endpoint owned by the child (it may RECV and RETURN on it); the
    # parent receives a client facet that can only CALL it (M4).

    virtualMemory @4 :UInt64;
    # The child's own VirtualMemory, with a quota of this many pages (its
    # heap and every mapping it makes). The quota is taken from the
    # caller's own VirtualMemory quota while the child lives and comes back
    # when it exits (donation: nobody can hand out memory it was not
    # given). At most one such grant per spawn; interfaceId must be 0 or
    # VirtualMemory's. A child without one has a quota of 0 (no heap).
  }
}

interface ProcessSpawner @0xc6867ab9b72fd686 {
  # Creates processes from binaries in the boot package. Holding it conveys
  # the right to start any packaged binary with any capabilities the caller
  # itself holds (never more: grants are the caller's own caps).

  struct EndpointClient @0xe9fbee8addcb85a0 {
    grantName @0 :Text;      # the CapGrant (newEndpoint) this facet belongs to
    clientIndex @1 :UInt16;  # transfer result record of the client facet
  }

  spawn @0 (name :Text, binary :Text, grants :List(CapGrant), args :List(Text))
      -> (handleIndex :UInt16, endpoints :List(EndpointClient));
  # Loads boot package binary `binary`, gives the new process exactly
  # `grants` (in this order in its CapSet) and starts it. `name` (1..31
  # bytes of [A-Za-z0-9_.-]) labels the process in diagnostics only.
  # `args` are the program's arguments (rt_argc/rt_argv), written in this
  # order on its CapSet page (include/capos/startup.h): at most 16, at most
  # 896 bytes in all counting one NUL after each; an argument may hold any
  # bytes except NUL, and may be empty. Null or empty: no arguments.
  # Result: handleIndex is the transfer result record of a ProcessHandle for
  # the child (not transferable); endpoints lists the client facet of each
  # newEndpoint grant, in grant order. On any error nothing was created: no
  # process was started, no capability was given, and no moved capability
  # left the caller. Everything the answer needs is checked first.
  # Limits: at most 16 grants and 16 transfer descriptors (CAPOS_XFER_MAX);
  # at most 15 newEndpoint grants (the handle and the facets are result
  # capabilities, at most 16).
  # Transport errors: RESULT_TOO_SMALL if the result buffer cannot hold the
  # answer and its transfer records; CAP_TABLE_FULL if the caller's table has
  # no slot for each result capability.
  # Transport errors also: MALFORMED_MESSAGE if the params are not a valid
  # message of this struct (truncated, pointers out of bounds, a name that is
  # not Text); the ring's own checks of the descriptors (INVALID_CAP,
  # STALE_CAP, NOT_TRANSFERABLE, INVALID_XFER, DUPLICATE_XFER) and buffers
  # (BAD_ADDRESS, TOO_LARGE).
  # Raises invalidArgument for an unknown binary, a bad name, a bad or
  # duplicate grant name, a grant source this schema does not know, a
  # transfer index out of range or used twice, a descriptor sent that no
  # grant uses, an interfaceId mismatch, too many grants or newEndpoint
  # grants, more than 16 args, args over 896 bytes or an arg with a NUL;
  # failed if the binary is not a valid capOS executable (reason
  # names the ELF check that failed), checked before anything is created;
  # overloaded if memory or the caller's process quota is exhausted,
  # including kernel memory for a newEndpoint grant.
}

interface ProcessHandle @0xfdc15827159fbde4 {
  # The parent's view of one child process. Holding it conveys the right to
  # learn the child's exit code and to end the child; it grants no access to
  # the child's capabilities or memory. Not transferable: only the process
  # that spawned the child holds it.

  const exitFault :Int64 = -1;
  # The exit code of a child the kernel ended after a fault or a broken rule.
  const exitKilled :Int64 = -2;
  # The exit code of a child ended by kill().

  wait @0 () -> (exitCode :Int64);
  # Completes when the child has exited (at once if it already has) with the
  # code it passed to exit, exitFault if the kernel ended it after a fault,
  # or exitKilled if it was killed.
  # The call does not block the caller: it stays pending, holding one of its
  # ring's CQ credits, until the child exits, so one process may wait on
  # many children, or many times on one, at once; any number of holders may
  # wait. The pending call holds the handle (releasing the capability does
  # not end the wait). A caller that exits first has its waits withdrawn.
  # Limits: a process may have at most 64 calls pending on kernel objects.
  # Transport errors: RESULT_TOO_SMALL if the result buffer cannot hold the
  # answer (checked before the call is queued).
  # Raises overloaded if the caller already has 64 calls pending on kernel
  # objects, or kernel memory is exhausted.

  kill @1 () -> ();
  # Ends the child, whatever it is doing: running, preempted, not yet run,
  # or blocked (waiting for completions, with a CALL queued or in a
  # server's hands, in RECV, claimed for a direct hand-off). Returns once
  # the end is certain; the child's thread runs no more user code and
  # releases everything it held exactly as at exit (its calls in flight
  # fail, its endpoints' callers get disconnected, its own pending calls
  # are withdrawn) the next time the kernel schedules it, and then every
  # wait() completes with exitKilled. Killing a child that has exited, or
  # was killed already, does nothing and succeeds (wait() tells how it
  # ended). The child's own children live on.
  # Raises nothing beyond transport errors.

  capUsage @2 () -> (used :UInt32, quota :UInt32);
  # How full the child's capability table is: `used` slots hold a
  # capability (or are reserved for one a transfer is installing), `quota`
  # is how many it may hold at most. A snapshot: the child may change it
  # the moment after. Conveys these two counts only, never which caps.
  # Raises disconnected once the child has exited (its table is gone).
}

interface CapabilityManager @0xdeb17611c7048ec5 {
  # The caller's own capability table. One object serves every holder, and
  # each call acts on the table of the process that makes it, so holding it
  # conveys no authority over anyone else's capabilities. Given to init as
  # `caps`. Revocation: newRevoker (M5).

  usage @0 () -> (used :UInt32, quota :UInt32);
  # How full the caller's table is: `used` slots hold a capability
  # (this one included), `quota` is how many it may hold at most; the same
  # counts as ProcessHandle.capUsage. Raises nothing beyond transport errors.

  newRevoker @1 () -> (revokerIndex :UInt16);
  # A new Revoker (below), with no capability under it yet. revokerIndex
  # is its transfer result record. The Revoker is transferable: whoever
  # holds it may wrap more capabilities under it and revoke them all.
  # Raises overloaded if kernel memory is exhausted.
}

interface Revoker @0xed358216224b6e96 {
  # The authority to revoke a set of capabilities at once (docs/revocation.md):
  # a parent's grant to a child, or a session's whole bundle (M9).
  # wrap() makes a revocable copy of a capability; every copy of that copy
  # (IPC transfers, spawn grants, wraps under other revokers) names the
  # same kernel object, so revoke() ends them all together: the next use of
  # any of them, in any process, fails with the transport error
  # DISCONNECTED. Calls already accepted by the target before the revoke are
  # not withdrawn (an endpoint whose last client facet went with the revoke
  # cancels its calls, as at release). Releasing the last reference to a
  # Revoker revokes its set: a bundle never outlives its authority.

  wrap @0 (cap :UInt16, dropTransfer :Bool) -> (capIndex :UInt16);
  # A revocable copy of capability `cap` (index of a transfer descriptor
  # sent with this CALL; moving it leaves the caller only the revocable
  # copy). The copy reports the same interface and carries the rights the
  # caller's slot had, less the right to send it on when dropTransfer is
  # set (it can then neither be transferred nor granted at spawn). capIndex
  # is its transfer result record.
  # Limits: 64 live copies per Revoker; wrapping a revocable copy nests
  # (revoking the inner set ends the outer copy too) at most 4 deep.
  # Transport errors: DISCONNECTED if `cap` is itself revoked, and the
  # ring's own checks of the descriptor.
  # Raises invalidArgument if `cap` is not the one descriptor sent, is a
  # Revoker (revoking is not itself revocable: a chain of Revokers each held
  # by the last would be destroyed by one nested release), or would nest
  # more than 4 deep; overloaded if the Revoker already has 64
  # live copies or kernel memory is exhausted; failed if it was revoked.

  revoke @1 () -> ();
  # Ends every copy made with wrap(), at once and for good: the targets'
  # references are dropped now. Later wraps raise failed. Idempotent: a
  # second revoke does nothing and succeeds.
}

interface VirtualMemory @0xbf947e75a1ddb11f {
  # One process's address space: the right to map, unmap and protect memory
  # in it, within its page quota. A process's own is granted at spawn
  # (CapGrant.source.virtualMemory) and named "vm" by the runtime; it may be
  # passed on (a debugger, a loader), and acts on that process, never on the
  # holder's. Memory is demand-zero: pages get their (zeroed) frames at the
  # first touch, but the whole mapping is charged to the quota when it is
  # made, so a touch never fails for want of quota.
  #
  # prot: bit 0 read (required: x86 pages are always readable), bit 1 write,
  # bit 2 execute; write and execute together are refused (W^X).
  # Addresses and sizes are in bytes, multiples of 4096. Mappings live in
  # the heap area [0x1000_0000_0000, 0x1100_0000_0000) and the mapping area
  # [0x2000_0000_0000, 0x7000_0000_0000) (include/capos/layout.h); the
  # image, stack, CapSet page, TLS and rings are not VirtualMemory's.
  # Limits: 256 regions per process (adjacent mappings with the same prot
  # count as one). Every method raises disconnected once the process has
  # exited.

  map @0 (hint :UInt64, size :UInt64, prot :UInt32) -> (addr :UInt64);
  # Maps `size` bytes of zeroed memory at `hint` when that range is free and
  # inside one of the two areas; otherwise at the lowest free range of the
  # area `hint` lies in (the mapping area when hint is 0 or outside both).
  # Raises invalidArgument for a size of 0 or not a page multiple, or a bad
  # prot; overloaded when the quota, the region limit or the area is
  # exhausted. Nothing is mapped on failure.

  unmap @1 (addr :UInt64, size :UInt64) -> ();
  # Unmaps [addr, addr + size), which must lie wholly in mappings made by
  # map (several, or part of one); its pages return to the quota and their
  # contents are gone. Raises invalidArgument if any page of the range is
  # not mapped or the range is not page aligned; overloaded if cutting a
  # mapping in two would exceed the region limit. Nothing changes on
  # failure.

  protect @2 (addr :UInt64, size :UInt64, prot :UInt32) -> ();
  # Gives [addr, addr + size), which must lie wholly in mappings, protection
  # prot. Errors as unmap, and invalidArgument for a bad prot.

  usage @3 () -> (quotaPages :UInt64, usedPages :UInt64);
  # The quota and the pages charged to it now: mapped pages, and the quotas
  # of children it gave memory to.
}

interface Endpoint @0xa51dd1e4307dc907 {
  # The owner side of an IPC endpoint. It has no methods: its holder serves
  # calls with the ring operations RECV (take the next call: header, params,
  # transferred capabilities) and RETURN (answer a call by its call id, with a
  # result message or, with CAPOS_SQE_F_EXCEPTION, a CapException). Holding it
  # conveys the right to receive every call made through the endpoint's client
  # facets. Not transferable: a service is the process it was granted to.
  # Limits: 128 calls waiting for a RECV (further CALLs raise overloaded), 128
  # calls received and not yet answered, 16 RECVs waiting for calls.
  # When it is released (or its process exits) every waiting and unanswered
  # call completes with a disconnected CapException, and so does every later
  # CALL on a client facet.
}

interface EndpointFactory @0xd1ca976f14f00215 {
  # Creates endpoints. Given to init, which wires services to clients.

  create @0 (interfaceId :UInt64) -> (ownerIndex :UInt16, clientIndex :UInt16);
  # A new endpoint serving `interfaceId` (the schema interface its clients
  # will call). Result: ownerIndex is the transfer result record of the owner
  # (Endpoint, not transferable), clientIndex that of a client facet, which
  # can only CALL, reports `interfaceId` as its interface and may be copied
  # or moved to other processes.
  # Raises overloaded if kernel memory or the caller's table is exhausted.
}

interface Timer @0x90d5338dff73675c {
  # The monotonic clock and waiting on it. Holding it conveys the right to
  # read the clock and to have calls completed after a delay, nothing else:
  # no wall-clock time, no way to wake or time anyone else. One kernel object
  # serves every holder; each sleep counts against the caller's own bound of
  # calls pending on kernel objects.

  now @0 () -> (ns :UInt64);
  # Nanoseconds since the kernel started, from the time-stamp counter (its
  # rate measured against the PIT at boot): never decreases, never wraps in
  # practice (584 years). Resolution 1 ns; accuracy that of the boot-time
  # calibration (exact under QEMU -icount, else within about 100 ppm).
  # Params are ignored. Raises nothing beyond transport errors.

  sleep @1 (ns :UInt64) -> ();
  # Completes no earlier than `ns` nanoseconds (by `now`) after the kernel
  # took the CALL, and at most one 10 ms tick plus scheduling later. The
  # calling thread does not block: the CALL stays pending on the ring and its
  # CQE arrives when the time has passed, so a process may have several
  # sleeps (and other calls) in flight; sleeps complete in deadline order,
  # equal deadlines in the order they were taken. ns = 0 completes at once;
  # a deadline past 2^64 - 1 ns (any ns near 2^64) never completes.
  # Limit: a process may have at most 64 calls pending on kernel objects
  # (sleeps and ProcessHandle.waits together). A sleep still pending when
  # its process exits or is killed is withdrawn (no completion).
  # Transport errors: RESULT_TOO_SMALL if the result buffer cannot hold the
  # empty answer (16 bytes); nothing is then pending.
  # Raises overloaded when the process already has 64 calls pending on
  # kernel objects, or kernel memory is exhausted; it may sleep again once
  # one completes.
}

interface ThreadSpawner @0xe810da2adcdbbdb9 {
  # Starts threads in the caller's own process (docs/threads.md). It acts on
  # whichever process calls it, never on another: holding it conveys the
  # right to run more threads in yourself, within your thread quota. The
  # kernel keeps one such object; init is granted it as "threads", and a
  # parent passes it on to a child like any other grant.

  spawn @0 (entry :UInt64, stack :UInt64, arg :UInt64, tp :UInt64)
      -> (handleIndex :UInt16, threadId :UInt32);
  # Starts a thread of the caller's process at user address `entry` with
  # rsp = `stack` (16-byte aligned, as at _start), FS base = `tp` (0: none),
  # rdi = its own ring's user address, rsi = its thread id, rdx = `arg`, the
  # other general registers zero, rflags 0x202 and the FPU in the reset
  # state (include/capos/startup.h). The thread shares the address space and
  # capability table; it has its own kernel stack, FS base, FPU state and
  # ring (the kernel maps ring i at CAPOS_RING_VADDR + i * CAPOS_RING_STRIDE;
  # its header's ring_id and owner_thread say which). cap_enter consumes the
  # calling thread's ring only, and every completion goes to the ring of the
  # thread that submitted the SQE.
  # Result: handleIndex is the transfer result record of a ThreadHandle (not
  # transferable); threadId is the new thread's id (the first thread's is
  # 0; ids are not reused within a process).
  # Nothing is checked about the addresses beyond being user addresses: a
  # bad entry or stack faults the thread, which ends the whole process.
  # Limits: at most 16 threads per process, the first one included; the
  # thread's kernel stack, ring and records are charged to the process's
  # kernel-memory account.
  # Transport errors: RESULT_TOO_SMALL, CAP_TABLE_FULL (no slot for the
  # handle), MALFORMED_MESSAGE.
  # Raises invalidArgument if entry or stack is not a user address or the
  # stack is misaligned; overloaded if the thread quota, the kernel-memory
  # quota or memory is exhausted; disconnected if the process is exiting.
}

interface ThreadHandle @0x99145c9d3e14ee60 {
  # One thread of the holder's process. Releasing every handle detaches the
  # thread: it runs on, and its exit value is dropped. Not transferable.

  const exitKilled :Int64 = -2;
  # The join value of a thread ended because its process exited or was killed.

  join @0 () -> (value :Int64);
  # Completes when the thread has ended (at once if it has) with the value
  # it passed to thread exit (CAPOS_SYS_THREAD_EXIT, or its start routine's
  # return through the runtime), or exitKilled. Pending calls do not block
  # the caller, as ProcessHandle.wait; any number may wait.
  # Transport errors: RESULT_TOO_SMALL. Raises overloaded if the caller
  # already has 64 calls pending on kernel objects or memory is exhausted.
}

interface EntropySource @0xd67aafc479b6f146 {
  # Random bytes from the kernel's cryptographic random number generator
  # (ChaCha20 with fast key erasure, seeded at boot from RDSEED/RDRAND and
  # timing jitter; docs/entropy.md). Holding it conveys only the right to
  # draw bytes; draws of different holders are independent, and no holder
  # learns anything about another's bytes or the generator's state.

  getBytes @0 (n :UInt32) -> (data :Data);
  # Exactly n fresh random bytes. Limit: n <= 256 per call (a 32-byte key
  # needs one call; more bytes take more calls). n = 0 returns no bytes.
  # Transport errors: RESULT_TOO_SMALL if the result buffer cannot hold the
  # answer (n rounded up to 8, plus 24 bytes); nothing is drawn then.
  # Raises invalidArgument if n > 256.
}

interface MemoryObjectFactory @0xbb3e5d1736f864d9 {
  # Creates MemoryObjects: memory that several processes can map at once.
  # Holding it conveys the right to turn the caller's own VirtualMemory
  # quota into shared pages, nothing else. Given to init as "memory"; the
  # manifest grants it as the kernel source memoryObjectFactory.

  create @0 (size :UInt64) -> (objectIndex :UInt16);
  # A new MemoryObject of `size` bytes (a multiple of 4096, at most 64 MiB)
  # of zeroed pages. The whole size is charged once, now, to the quota of
  # the caller's own VirtualMemory (the process making the call), and stays
  # charged until the object dies: when its last capability and its last
  # mapping are gone, in any process. So a creator that exits keeps paying
  # (its quota is not given back to its parent) until then. Result:
  # objectIndex is the transfer result record of the object (full rights:
  # maps may be writable).
  # Raises invalidArgument for a size of 0, not a page multiple, or above
  # 64 MiB; overloaded when the caller's quota (a process without a
  # VirtualMemory has none) or memory is exhausted. Transport errors:
  # RESULT_TOO_SMALL, CAP_TABLE_FULL (no slot for the object), checked
  # before anything is created.
}

interface MemoryObject @0x85fb8009a2721871 {
  # Pages shared by whoever maps them. Holding it conveys the right to map
  # all of its pages into an address space one holds a VirtualMemory for;
  # transferable like any capability, so two processes share pages by
  # passing it. A mapping holds the pages as a capability does: unmapping
  # (VirtualMemory.unmap of any part of it) or releasing in one process
  # never touches another's mapping, and the pages live until the last
  # capability and the last mapping are gone. The mapper pays nothing for
  # the pages (the creator paid), only for the page tables its own address
  # space needs for the range (VirtualMemory.map's rule). Shared pages are
  # never executable.

  map @0 (vm :UInt16, hint :UInt64, prot :UInt32) -> (addr :UInt64);
  # Maps the whole object into the address space of VirtualMemory `vm`, a
  # transfer descriptor sent with this call (the only one), at `hint` when
  # that range is free and inside one of VirtualMemory's areas, else where
  # VirtualMemory.map would place it (hint 0: the mapping area). prot as
  # VirtualMemory's: read required; write only through a capability with
  # full rights (not readOnly's); execute never. The mapping is one region
  # of the VirtualMemory's 256 and is never merged with another; unmap and
  # protect act on it as on any mapping (protect cannot give it more than
  # map could).
  # Raises invalidArgument for a bad prot, a hint not page aligned, `vm`
  # not naming the one descriptor sent, or a capability there that is not a
  # VirtualMemory; overloaded when the region limit or the area is
  # exhausted; disconnected if the VirtualMemory's process has exited.

  size @1 () -> (size :UInt64);
  # The object's size in bytes.

  readOnly @2 () -> (objectIndex :UInt16);
  # A read-only facet of the same pages (transfer result record
  # objectIndex): its maps are never writable, nor can protect make them
  # so. Facets of a facet are read-only too.
  # Raises overloaded when kernel memory is exhausted. Transport errors:
  # RESULT_TOO_SMALL, CAP_TABLE_FULL (no slot for the facet).
}

interface SerialPort @0xd005d035c59d18e2 {
  # The terminal's serial line (COM1): bytes typed in, bytes shown
  # (docs/terminal.md). Holding it conveys the right to take every byte
  # that arrives and to write to the line, nothing else: no line settings,
  # no other port. The kernel log and Console are on COM2 and never reach
  # it (unless the machine has no COM2: docs/terminal.md). The
  # kernel gives one to init as `serial`; it is transferable. One kernel
  # object serves every holder, and a byte goes to exactly one reader: the
  # one whose read is oldest.

  read @0 (max :UInt32) -> (data :Data);
  # Between 1 and `max` bytes, the oldest received, as they came (no line
  # discipline: that is user space's, user/lib/linedisc.h). When none is
  # buffered the CALL stays pending, without blocking the thread, until at
  # least one arrives; reads complete in the order the kernel took them.
  # Limit: 1 <= max <= 256. The kernel buffers 4,096 bytes; while that is
  # full it stops taking bytes from the line, which waits (flow control):
  # nothing is dropped.
  # A process may have at most 64 calls pending on kernel objects (reads,
  # sleeps and waits together); a read still pending when its process
  # exits is withdrawn, and no byte is lost to it.
  # Transport errors: RESULT_TOO_SMALL if the result buffer cannot hold the
  # answer for `max` bytes (max rounded up to 8, plus 24); nothing is read.
  # Raises invalidArgument if max is 0 or over 256; overloaded when the
  # process has 64 calls pending on kernel objects or kernel memory is out.

  write @1 (data :Data) -> ();
  # Sends the bytes to the line as they are (no newline translation; a
  # terminal sends "\r\n"). Limit: the ring's params limit per call.

  status @2 () -> (dropped :UInt64, buffered :UInt32);
  # Bytes the kernel could not keep since boot (0 while flow control holds
  # the line, as on COM1), and bytes buffered now (a snapshot). Params are
  # ignored.
}

enum TerminalEvent @0x9f3bd3d7ea581377 {
  # What ended a TerminalSession.readLine.
  line @0;       # a line was typed (Enter); `line` holds it
  interrupt @1;  # Ctrl-C: the line being typed was discarded
  end @2;        # Ctrl-D on an empty line, or the terminal closed: no more input
  tooLong @3;    # the line went over the terminal's bound and was discarded whole
}

interface TerminalSession @0x83916005a50493a2 {
  # The foreground of one terminal (docs/terminal.md): lines typed by a
  # person and the text shown to them. Holding it conveys the right to read
  # the lines typed on that terminal and to write to it, nothing else: no
  # raw bytes, no line settings, nothing about what carries the terminal
  # (COM1 today, a TCP socket behind M7's telnet gateway). The server runs
  # the line discipline (echo, editing, Ctrl-C, Ctrl-D, the line bound);
  # its client sees only lines and events.

  readLine @0 (echo :Bool, history :Bool) -> (line :Data, event :TerminalEvent);
  # Waits until a line is typed or an event ends it. `line` is the line
  # without its end (CR, LF or CRLF), as typed (UTF-8 passed through), at
  # most 1,024 bytes; empty unless event is `line`. With echo false the
  # line is not shown as it is typed (a password); only its end is.
  # After `end`, every later readLine answers `end` again.
  # With history true the up and down arrow keys browse the lines earlier
  # readLines with history true returned (the terminal keeps the last 32),
  # and this line, unless blank, joins them; a password is read with
  # history false, so it never enters the history.
  # One readLine at a time: one arriving while another waits raises failed.
  # Raises failed if the terminal cannot be read.

  write @1 (data :Data) -> ();
  # Shows the bytes; each "\n" is sent as "\r\n" (the terminal's newline),
  # other bytes as they are. Limit: 4,096 bytes per call.
  # Raises invalidArgument if data is longer; failed if the line is gone.

  close @2 () -> ();
  # Ends the session: answered, and then the server serves no more calls
  # (the serial terminal exits; a socket terminal closes its connection).
  # What the holder does after `end` or when it leaves the terminal.

  waitInterrupt @3 () -> (interrupted :Bool);
  # Waits until Ctrl-C is typed (then interrupted is true) or until
  # cancelInterrupt (false). What the shell holds while a foreground
  # program runs, so Ctrl-C reaches it whatever the program does; a
  # readLine waiting at the same time answers `interrupt` too. Bytes typed
  # meanwhile stay buffered for the next readLine. At most 4 waiting; one
  # more raises overloaded.

  cancelInterrupt @4 () -> ();
  # Answers every waiting waitInterrupt with interrupted false.
}
