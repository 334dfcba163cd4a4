# binaries[1] names "nosuch": no program of that name is built, so the packer
# leaves it out (with a warning) and the boot package has no such binary.
@0x9697c8f70bed9bfc;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "hello"), (name = "nosuch")],
  services = [
    (name = "hello", binary = "hello",
     grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))])
  ]
);
