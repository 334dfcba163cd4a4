# SPDX-License-Identifier: MIT
#
# Devices as capabilities (M7, docs/devices.md). The kernel enumerates PCI
# at boot (ECAM from the ACPI MCFG table on q35, configuration port I/O
# otherwise) and keeps what it found. Init alone holds the DeviceManager
# ("devices"); a manifest grant with source `pciDevice` makes init open one
# device and give it to a driver service. A PciDevice is the whole right to
# drive one function: its configuration space (filtered), its memory BARs,
# DMA memory and its interrupts. Conventions as in capos.capnp: "raises X"
# means a CapException of type X.
#
# No IOMMU: a device that can master the bus reaches all of physical
# memory, so whoever holds a PciDevice can, through the device, read and
# write any memory. That is why only the network service gets one, and why
# the physical addresses of DMA memory are told to a PciDevice holder only.

@0x89ace45033a728f4;

struct PciDeviceInfo @0x81889df8b9da49fe {
  bus @0 :UInt8;
  device @1 :UInt8;      # 0..31
  function @2 :UInt8;    # 0..7
  vendorId @3 :UInt16;
  deviceId @4 :UInt16;
  classCode @5 :UInt8;   # base class (0x02: network)
  subclass @6 :UInt8;
  progIf @7 :UInt8;
  revision @8 :UInt8;
  subsystemId @9 :UInt16;
  interruptPin @10 :UInt8;  # 0: none, 1..4: INTA..INTD
}

interface DeviceManager @0xcb5f5fdeea1ff2bb {
  # Every PCI function the kernel found at boot (at most 64). Holding it
  # conveys the right to open any of them; the kernel gives it to init as
  # "devices" and init never passes it on (manifest source kernel
  # `deviceManager` is refused: docs/devices.md).

  list @0 () -> (devices :List(PciDeviceInfo));
  # Every function found, in bus/device/function order.

  open @1 (vendorId :UInt16, deviceId :UInt16, index :UInt16) -> (deviceIndex :UInt16);
  # The index-th (from 0, in list order) function with that vendor and
  # device id, as a PciDevice (transfer result record deviceIndex;
  # transferable, not copyable twice: see below).
  # A function has at most one PciDevice at a time: open raises failed
  # while one exists; when it is released (its holder exits), the kernel
  # disables the function's bus mastering and interrupts, frees its DMA
  # memory once no mapping holds it, and it may be opened again.
  # Raises failed when no such function exists or it is open.
}

enum InterruptMode @0xec9e731ccf86dacf {
  none @0;   # not enabled yet
  msix @1;   # MSI-X: one vector per table entry, edge
  intx @2;   # the legacy line through the I/O APIC, level: masked from the
             # interrupt until the next waitInterrupt
}

interface PciDevice @0xf0b84c91e890ee9a {
  # One PCI function, opened through the DeviceManager.

  info @0 () -> (info :PciDeviceInfo);
  # What the function is (read at boot; the header's ids cannot change).

  configRead @1 (offset :UInt16, width :UInt8) -> (value :UInt32);
  # Reads `width` bytes (1, 2 or 4, naturally aligned) of configuration
  # space at `offset` (< 4096 with ECAM, < 256 otherwise).
  # Raises invalidArgument for a bad width, alignment or offset.

  configWrite @2 (offset :UInt16, width :UInt8, value :UInt32) -> ();
  # Writes configuration space. Only what a driver needs: the command
  # register's I/O space, memory space and bus master bits (others are
  # kept), and the device-specific area past the standard header, except
  # the MSI and MSI-X capabilities, which are the kernel's (they decide
  # where interrupts go). The BARs, the header's other fields and the
  # expansion ROM are refused.
  # Raises invalidArgument for a bad width, alignment or offset, failed for
  # a refused field (nothing is written).

  mapBar @3 (bar :UInt8) -> (addr :UInt64, size :UInt64);
  # Maps memory BAR `bar` (0..5; the low index of a 64-bit BAR) whole,
  # uncached, read/write, never executable, into the caller's own address
  # space (the mapping area), once per BAR: a second mapBar of the same BAR
  # returns the same mapping. Page quota: the page tables only.
  # Raises invalidArgument for an I/O BAR, an absent BAR, a BAR that holds
  # the MSI-X table or pending bits (the kernel's), or one over 64 MiB;
  # overloaded when the address space or region limit is exhausted.

  allocDma @4 (size :UInt32) -> (addr :UInt64, deviceAddr :UInt64);
  # `size` bytes (a multiple of 4096, at most 262,144) of zeroed,
  # physically contiguous memory pinned for the device: mapped read/write
  # (write-back cached; x86 DMA is coherent) into the caller at `addr`;
  # `deviceAddr` is where the device reaches it. Charged to the caller's
  # VirtualMemory quota. At most 16 MiB per device in all.
  # Raises invalidArgument for a bad size; overloaded when the quota, the
  # per-device limit or contiguous memory is exhausted.

  freeDma @5 (addr :UInt64) -> ();
  # Unmaps and frees the DMA memory allocDma mapped at `addr`. The driver
  # must have stopped the device from using it (reset, or the queue
  # disabled) first. Raises invalidArgument if no allocation is there.

  enableInterrupts @6 (vectors :UInt16) -> (mode :InterruptMode, vectors :UInt16);
  # Routes the function's interrupts to this capability: MSI-X with
  # min(vectors, table size, 8) table entries when the function has MSI-X,
  # else its INTx line (one vector, 0). Once per PciDevice: a second call
  # answers the mode already set.
  # Raises failed when the function has neither, when the kernel cannot
  # tell where its INTx line goes (docs/devices.md), or vectors is 0;
  # overloaded when every vector or INTx line the kernel has is taken.

  waitInterrupt @7 (vector :UInt16) -> (count :UInt32);
  # Completes when interrupt `vector` has fired since the last
  # waitInterrupt on it answered (at once if it already has): `count` is
  # how many times (at least 1; MSI-X only, INTx counts 1). The CALL stays
  # pending without blocking the thread, so the driver waits for its
  # interrupts among its other calls. With INTx, the line is unmasked when
  # this call is taken, so the driver must have read the device's
  # interrupt status (which lowers the line) before calling again.
  # One wait per vector: a second raises failed. A process may have at
  # most 64 calls pending on kernel objects.
  # Raises invalidArgument for a vector not enabled.
}
