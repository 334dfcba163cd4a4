# SPDX-License-Identifier: MIT
#
# The boot package: one Cap'n Proto message (unpacked, framed) loaded next
# to the kernel by the boot loader. A host tool packs it; the kernel reads it
# with the bounds-checked reader before any process exists, and then serves
# its binaries through the BootPackage capability (capos.capnp). It is a
# file format, not an interface, so it has its own file.

@0xe0fbddf3bc71894c;

struct BootPackage @0xb2788eb13880cb8d {
  binaries @0 :List(Binary);
  # Every program the system can start without storage, at most 256, names
  # unique. In M3 the kernel starts the binary named by `init`.

  init @1 :Text = "init";
  # Name of the first process; it receives the capabilities listed in
  # kernel/proc/init.c (Console, BootPackage, ProcessSpawner, ...).

  manifest @2 :Data;
  # The boot manifest (manifest.capnp, SystemManifest): one framed,
  # unpacked Cap'n Proto message, the bytes `capnp eval -b` wrote, kept as
  # bytes so that what init reads is exactly what was authored (or, for
  # tests, exactly the malformed message a test packed). The kernel does not
  # parse it: it serves it to init through BootPackage.readManifest, and
  # init validates it. Empty when the package has none. At most 65536 bytes.

  struct Binary @0xf93239029c738c3c {
    name @0 :Text;  # 1..31 bytes of [A-Za-z0-9_.-]
    data @1 :Data;  # a static x86_64 ELF executable (lib/elf/elf64.h)
  }
}
