# SPDX-License-Identifier: MIT
#
# CredentialStore: accounts and password verification (M6), served by the
# user-space service user/programs/credstore (docs/credentials.md). It keeps
# Argon2id verifiers, never passwords. Conventions as in capos.capnp:
# "raises X" means a CapException of type X.
#
# Who may hold it: the login path only (the terminal service / broker, one
# facet per terminal it serves), never a shell or a program it runs. A
# holder can try passwords, so every failure is throttled: per account and
# per terminal, a growing delay before the answer (the call stays pending;
# the service answers others meanwhile). A correct password is accepted
# once its delay has passed, never refused for being throttled.

@0xfad09fa5b8deb305;

using Capos = import "capos.capnp";

interface CredentialStore @0xd4b8e25f7a3c9e61 {
  enum Profile @0xe3c1a7b95d2f4a08 {
    operator @0;   # may run any packaged program, reads the audit log
    guest @1;      # a narrow bundle (M6 broker)
  }

  hasOperator @0 () -> (present :Bool);
  # True once an operator account exists (first boot offers `setup` while
  # it is false).

  setup @1 (user :Text, password :Data) -> ();
  # Creates the first operator account: user 1..32 bytes of [a-z0-9_-],
  # starting with a letter; password 1..128 bytes (any bytes). Its verifier
  # is Argon2id at the shipped parameters (docs/passwords.md) with a fresh
  # 16-byte salt from EntropySource.
  # Raises failed ("an operator exists already") once one exists;
  # invalidArgument for a bad user name or password length; overloaded if
  # the store is full or the service lacks the memory to hash.

  verify @2 (user :Text, password :Data, terminal :UInt32) -> (profile :Profile);
  # Checks a login. terminal names the terminal the attempt comes from
  # (0..63), for per-terminal throttling; it is assigned by the holder of
  # this facet, the trusted login path (docs/credentials.md says why it is
  # a parameter today). The answer comes after the throttle delay of the
  # account and of the terminal.
  # Raises failed ("login failed") for an unknown user, a malformed user
  # name and a wrong password alike, after the same Argon2id work;
  # invalidArgument for a password length outside 1..128 or a terminal
  # outside 0..63; overloaded if 16 answers are already waiting out their
  # delays.
}
