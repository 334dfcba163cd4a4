# SPDX-License-Identifier: MIT
#
# The boot manifest: what a capOS system is. A SystemManifest names the
# binaries the boot package carries, the parameters of the system as a
# whole, and the service graph init starts and supervises: each service's
# binary, the capabilities it is given (from init's own capabilities or from
# another service's exports), the endpoints it serves, and what init does
# when it exits. docs/manifest.md explains the format and its rules.
#
# A manifest is written as a constant `manifest` in a .capnp file
# (system/default.capnp is the default), checked and turned into a binary
# message by the official compiler (`capnp eval -b -Ischema FILE manifest`),
# and carried in the boot package (boot.capnp, BootPackage.manifest) as
# those bytes. Init reads it through BootPackage.readManifest and checks all
# of it before it starts anything: it is untrusted input like any message.
# Limits below are init's (lib/manifest/manifest.h); a manifest over one is
# refused as a whole.

@0xfd4c5c0351c58533;

struct SystemManifest @0xfa8399efbdb951c2 {
  binaries @0 :List(Binary);
  # The programs this system ships besides init (the build packs exactly
  # these and init). A service may run only one of them. At most 64.

  kernelParams @1 :KernelParams;
  # Parameters of the system as a whole (none of one service).

  services @2 :List(Service);
  # The service graph: 1..32 services. Init starts them in dependency
  # order (a service after every service it imports from); the list order
  # breaks ties. The graph must be acyclic.

  struct Binary @0xa49be540a4f31c2c {
    name @0 :Text;
    # 1..31 bytes of [A-Za-z0-9_.-], unique in the list; a binary of that
    # name must be in the boot package.
  }

  struct KernelParams @0xec7951842688002a {
    motd @0 :Text;
    # Message of the day: printed through init's Console (the system log)
    # once the whole manifest is valid, before any service starts. At most
    # 1024 bytes of printable text (newlines and tabs allowed; no other
    # control bytes).
  }

  struct Service @0xe662a3f3f48c7a6d {
    name @0 :Text;
    # 1..31 bytes of [A-Za-z0-9_.-], unique among the services. Names the
    # service in init's lines and in other services' imports.

    binary @1 :Text;
    # The program it runs: one of `binaries`.

    grants @2 :List(Grant);
    # Exactly the capabilities it starts with, in this order in its CapSet,
    # followed by its exports. Nothing else is given (no ambient authority).

    exports @3 :List(Export);
    # Endpoints it serves: each is a new endpoint the service owns (CapSet
    # entry `name`, interface Endpoint); init keeps a client facet of each to
    # give to the services that import it. At most 15, and grants plus
    # exports at most 15 (ProcessSpawner.spawn's 16, less the service's own
    # `vm`); at most 64 exports in the whole graph (init holds a facet of
    # each).

    restart @4 :RestartPolicy;
    # What init does when the service exits. Absent: never restart.

    memoryPages @5 :UInt32;
    # The page quota of its own VirtualMemory, which it holds as `vm` after
    # its exports (so no grant or export may be named "vm"): everything it
    # maps, and the kernel memory it makes the kernel hold, must fit. Paid
    # out of init's quota while the service runs. 0: 512 pages (2 MiB, the
    # runtime's default for a child); at most 262,144 (1 GiB).

    args @6 :List(Text);
    # The program's arguments (rt_argc/rt_argv), passed to ProcessSpawner.spawn
    # as they are: at most 16, at most 896 bytes in all counting one NUL
    # after each; any bytes but NUL, empty ones allowed. Absent: none.

    daemon @7 :Bool;
    # A service that exports nothing but serves people from outside the
    # graph (a telnet gateway, an HTTP server): init counts it with the
    # servers, not the clients, so it is stopped with them once every other
    # service that exports nothing has ended (docs/manifest.md,
    # "Supervision"). False: a service that exports nothing is a client.
  }

  struct Grant @0x9f2716048eeed1a8 {
    name @0 :Text;
    # The name in the service's CapSet: 1..31 bytes of [A-Za-z0-9_.-],
    # unique among the service's grants and exports.

    interfaceId @1 :UInt64;
    # The interface the service expects (see the *Iface constants below).
    # Required; it must be the interface of the source, so a manifest cannot
    # hand a service the wrong kind of capability.

    source :union {
      unset @2 :Void;
      # No source: the manifest is refused ("missing").

      kernel @3 :KernelSource;
      # A copy of one of init's own capabilities.

      service @4 :Import;
      # A client facet of another service's export. The exporter starts
      # first; a cycle of imports is refused.

      pciDevice @5 :PciMatch;
      # A PciDevice (schema/device.capnp) that init opens through its
      # DeviceManager: the first function found whose vendor id is
      # `vendorId` and whose device id is one of `deviceIds`, tried in
      # order. interfaceId must be pciDeviceIface. A device is given to
      # one service only: two grants that could match the same function
      # are refused. When the machine has no such device, the service is
      # not started, nor is any service that imports from it (each gets one
      # line `init: NAME: not started: ...` on the log); the rest of the
      # graph runs (docs/devices.md).
    }
  }

  struct PciMatch @0xd1e0ab2900c5b748 {
    vendorId @0 :UInt16;
    deviceIds @1 :List(UInt16);  # 1..8 ids
  }

  enum KernelSource @0xa7227e3a4ad2d174 {
    # The capabilities the kernel gives init, by the name init holds each
    # under. A source init does not hold is refused.
    console @0;            # "console", Console
    bootPackage @1;        # "boot", BootPackage (read-only)
    spawner @2;            # "spawner", ProcessSpawner
    endpointFactory @3;    # "endpoints", EndpointFactory
    capabilityManager @4;  # "caps", CapabilityManager (acts on its holder's own table)
    timer @5;              # "timer", Timer (the monotonic clock, sleeps)
    entropy @6;            # "entropy", EntropySource
    memoryObjectFactory @7;  # "memory", MemoryObjectFactory (pays from its holder's own quota)
    serial @8;             # "serial", SerialPort (the terminal's line, COM1)
  }

  struct Import @0xdba2f8aa9ac295c6 {
    service @0 :Text;  # the exporting service's name
    export @1 :Text;   # the name of one of its exports

    optional @2 :Bool;
    # When the exporter is not started (its PCI device is missing, or it
    # imports from one that is not started), the importer starts without
    # this grant instead of not starting (docs/manifest.md): the broker
    # holds the NetworkManager only where there is a network.
  }

  struct Export @0xad19d87ac66fa0fe {
    name @0 :Text;
    # The owner side's name in the exporting service's CapSet; importers name
    # the export by it. Same rules as a grant name.

    interfaceId @1 :UInt64;
    # The interface the service serves on it (required, not 0); importers
    # must ask for this interface.
  }

  struct RestartPolicy @0x92e67cda916c3f76 {
    mode @0 :Mode;

    maxRestarts @1 :UInt32 = 3;
    # Restarts allowed over the life of the system (0..100); when the
    # service exits again after the last one, init gives up on it and says
    # so.

    backoffMs @2 :UInt32 = 100;
    # Delay before the first restart (0..60000 ms); it doubles with each
    # further restart, up to maxBackoffMs.

    maxBackoffMs @3 :UInt32 = 5000;
    # The longest delay (backoffMs..600000 ms).

    enum Mode @0xdca4781158f97cc2 {
      never @0;      # the service runs once
      onFailure @1;  # restarted when it exits with a code other than 0 (a fault is -1)
      always @2;     # restarted whenever it exits
    }
  }
}

# Interface ids a manifest names in interfaceId (the ids pinned in
# capos.capnp and echo.capnp; lib/manifest checks them at compile time).
const consoleIface :UInt64 = 0xb3a691ff67a3ccfe;
const bootPackageIface :UInt64 = 0xe61b540dceb768f9;
const processSpawnerIface :UInt64 = 0xc6867ab9b72fd686;
const endpointFactoryIface :UInt64 = 0xd1ca976f14f00215;
const capabilityManagerIface :UInt64 = 0xdeb17611c7048ec5;
const timerIface :UInt64 = 0x90d5338dff73675c;
const entropySourceIface :UInt64 = 0xd67aafc479b6f146;
const memoryObjectFactoryIface :UInt64 = 0xbb3e5d1736f864d9;
const serialPortIface :UInt64 = 0xd005d035c59d18e2;
const terminalSessionIface :UInt64 = 0x83916005a50493a2;
const echoIface :UInt64 = 0xe9025c4457ba11f4;
const credentialStoreIface :UInt64 = 0xd4b8e25f7a3c9e61;
const authorityBrokerIface :UInt64 = 0xa209dd96dc85996f;
const launcherIface :UInt64 = 0xaa36e5abb6aa18da;
const sessionManagerIface :UInt64 = 0xe3615666e79bc44e;
const auditLogIface :UInt64 = 0x900dafdf1fd492b6;
const auditReaderIface :UInt64 = 0xc430a49054c9ee4f;
const pciDeviceIface :UInt64 = 0xf0b84c91e890ee9a;
const networkManagerIface :UInt64 = 0xd5bb6f0f0ed8be06;
const tcpListenerIface :UInt64 = 0xe51616b506616486;
