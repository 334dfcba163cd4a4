# SPDX-License-Identifier: MIT
#
# Sessions (M6): the services behind the shell's login (docs/sessions.md).
#   - AuthorityBroker: the one capability an anonymous shell holds besides
#     its terminal. It logs a person in (through the CredentialStore, which
#     only the broker holds) and answers with the session's bundle.
#   - Launcher: a session's right to run packaged programs (operator: any
#     of them, guest: an allow-list), with jobs it can wait for and kill.
#   - SessionManager: mints sessions (a random id that never leaves it) and
#     keeps the live ones.
#   - AuditLog / AuditReader: the append-only record of what sessions did,
#     written by the trusted services, read by operators.
# Every capability a bundle holds is a revocable copy (Revoker.wrap): the
# broker revokes the whole bundle at logout, terminal close or the shell's
# end. Conventions as in capos.capnp: "raises X" means a CapException of
# type X.

@0xe5d2b1c9a8f37460;

enum Profile @0xb7e143ab2b253a27 {
  anonymous @0;  # before login: help, setup, login, session
  operator @1;   # may run any packaged program and read the audit log
  guest @2;      # a narrow bundle: runs only the broker's allow-list
}

struct BundleCap @0x8c5956f68394fc99 {
  # One capability of a session's bundle, as the shell lists it in `caps`.
  name @0 :Text;         # 1..31 bytes of [A-Za-z0-9_.-]
  interfaceId @1 :UInt64;
  capIndex @2 :UInt16;   # its transfer result record
}

interface AuthorityBroker @0xa209dd96dc85996f {
  # One terminal's door to a session: held by the shell the broker started
  # on that terminal, and by nothing else. Holding it conveys the right to
  # ask for a login on that terminal (throttled by the credential store),
  # nothing more. One session at a time per terminal.

  hasOperator @0 () -> (present :Bool);
  # True once an operator account exists (first boot offers `setup`).

  setup @1 (user :Text, password :Data)
      -> (user :Text, profile :Profile, session :Text, caps :List(BundleCap));
  # Creates the first operator account (CredentialStore.setup) and logs it
  # in, answering as login does. Raises failed once an operator exists,
  # invalidArgument for a bad name or password (reason says which),
  # failed ("a session is open; logout first") while one is.

  login @2 (user :Text, password :Data)
      -> (user :Text, profile :Profile, session :Text, caps :List(BundleCap));
  # Checks the password (throttled: the answer may take seconds) and opens
  # a session: `session` is its tag (what the audit log shows, never the
  # session's id), `caps` the bundle of the profile, each a revocable copy.
  # Raises failed ("login failed") for an unknown user and a wrong password
  # alike; failed ("a session is open; logout first") while one is.

  logout @3 () -> ();
  # Ends the session: its jobs are killed, its bundle revoked (every copy,
  # wherever it was sent, fails from now on), the audit log told. Does
  # nothing when no session is open.
}

interface Launcher @0xaa36e5abb6aa18da {
  # A session's right to run programs from the boot package: which ones is
  # the profile's (docs/sessions.md). A child gets exactly the capabilities
  # the caller sends with spawn, under the names given, and its own
  # VirtualMemory; nothing of the broker's. Every spawn is audited.

  struct Grant @0x9e5486d615f56995 {
    name @0 :Text;   # the name in the child's CapSet: 1..31 bytes of [A-Za-z0-9_.-], not "vm"
    cap @1 :UInt16;  # index of the transfer descriptor sent with this CALL
    client @2 :Bool;
    # The child may use it but not send it on (in a message or to a child
    # of its own): the shell's `NAME: client @CAP`. The spawn grants it
    # with CAPOS_XFER_F_DROP_TRANSFER.
  }

  list @0 () -> (binaries :List(Text));
  # The binaries this session may run, in package order.

  spawn @1 (binary :Text, grants :List(Grant), args :List(Text)) -> (job :UInt32);
  # Starts `binary` with `grants` (at most 15), a VirtualMemory of 512
  # pages as "vm", and `args` as its program arguments (ProcessSpawner.spawn's
  # limits: at most 16, 896 bytes with a NUL after each, no NUL inside).
  # job numbers are 1..65535, given in order per session.
  # Raises failed ("not allowed in this session") for a binary outside the
  # profile's list, invalidArgument for an unknown binary, a bad or
  # duplicate name, a descriptor not used exactly once, args over the
  # limits (checked before anything is started); overloaded with 16
  # jobs not yet waited for, or when memory is short.

  wait @2 (job :UInt32) -> (exitCode :Int64);
  # Answers when job exits (at once if it has), with its exit code
  # (ProcessHandle.exitFault, exitKilled as there). The first wait that
  # answers forgets the job; others then raise invalidArgument.
  # Raises invalidArgument for a job this session does not have.

  kill @3 (job :UInt32) -> ();
  # Ends job (ProcessHandle.kill); its wait answers exitKilled.
  # Raises invalidArgument for a job this session does not have.
}

interface SessionManager @0xe3615666e79bc44e {
  # Mints and ends sessions; held by the broker only. A session's id is 128
  # random bits from EntropySource that never leave this service: others
  # see a handle (to end it) and a tag (to name it in the audit log),
  # neither of which reveals the id.

  open @0 (user :Text, profile :Profile) -> (handle :UInt64, tag :Text);
  # A new session. tag is "s-" and 8 hex digits derived from the id with a
  # secret key of this boot. Raises overloaded with 64 sessions open,
  # invalidArgument for a bad user name or an unknown profile.

  close @1 (handle :UInt64) -> ();
  # Ends the session. Raises invalidArgument for a handle not open.

  count @2 () -> (open :UInt32);
  # Sessions open now (the leak check of scenarios).
}

enum AuditEvent @0xe66a51198210703e {
  setup @0;        # the operator account was created
  loginOk @1;
  loginFailed @2;  # user is the name typed (never the password)
  logout @3;       # also a session ended by terminal close or the shell's end
  run @4;          # detail: the binary and the capability names granted
  refused @5;      # a session asked for what its profile lacks
}

interface AuditLog @0x900dafdf1fd492b6 {
  # Append-only: the right to add records, held by the trusted services
  # (broker). Nothing can change or remove a record. Records never hold a
  # password or a verifier: the writers never send one.

  append @0 (event :AuditEvent, user :Text, session :Text, detail :Text) -> ();
  # Adds a record stamped with Timer.now and the next sequence number.
  # user at most 32 bytes, session at most 16, detail at most 200 (longer
  # is cut; bytes outside printable ASCII are stored escaped as \xHH and a
  # backslash as \\, docs/audit.md). When the log is full (256 records)
  # the oldest is dropped and counted. Raises invalidArgument for an
  # unknown event.
}

interface AuditReader @0xc430a49054c9ee4f {
  # Reading the audit log: operators' bundles hold a revocable copy.

  struct Record @0x95c6347217069a0f {
    seq @0 :UInt64;     # 1, 2, ... over the boot; gaps are dropped records
    timeNs @1 :UInt64;  # Timer.now when appended
    event @2 :AuditEvent;
    user @3 :Text;
    session @4 :Text;
    detail @5 :Text;
  }

  read @0 (fromSeq :UInt64, max :UInt32) -> (records :List(Record), dropped :UInt64, nextSeq :UInt64);
  # Up to max (1..64) records with seq >= fromSeq, oldest first (fewer
  # when more would pass 8 KiB of answer: docs/audit.md); dropped
  # counts the records the bound has dropped since boot; nextSeq is where
  # to read on. Raises invalidArgument for max outside 1..64.
}
