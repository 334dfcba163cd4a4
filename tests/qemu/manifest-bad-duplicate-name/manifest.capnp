# Two services are called "hello".
@0xb46d95f8786eff49;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "hello")],
  services = [
    (name = "hello", binary = "hello",
     grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))]),
    (name = "hello", binary = "hello")
  ]
);
