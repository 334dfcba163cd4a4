# services[1] runs "ghost", which is not among the manifest's binaries.
@0x80d693a47c76bfb0;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "hello")],
  services = [
    (name = "hello", binary = "hello",
     grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))]),
    (name = "ghost", binary = "ghost")
  ]
);
