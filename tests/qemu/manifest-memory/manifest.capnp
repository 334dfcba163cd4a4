# Service.memoryPages: `big` gets a 16 MiB VirtualMemory, `small` the
# default (512 pages, 2 MiB); both run memory-report, which prints its quota
# and maps all of it.
@0xca89daeb044a7306;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "memory-report")],
  services = [
    (name = "big", binary = "memory-report", memoryPages = 4096,
     grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))]),
    (name = "small", binary = "memory-report",
     grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))])
  ]
);
