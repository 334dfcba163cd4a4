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
  # Name of the first process; it receives Console, BootPackage and
  # ProcessSpawner capabilities.

  manifest @2 :AnyPointer;
  # Reserved for the M5 service graph (a SystemManifest struct: services,
  # their binaries and the grants between them). Null until then; readers
  # must ignore it.

  struct Binary @0xf93239029c738c3c {
    name @0 :Text;  # 1..31 bytes of [A-Za-z0-9_.-]
    data @1 :Data;  # a static x86_64 ELF executable (lib/elf/elf64.h)
  }
}
