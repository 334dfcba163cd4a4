# A service name of 32 bytes (at most 31).
@0x9d9b64c3bd9d9d2b;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "hello")],
  services = [
    (name = "hello-hello-hello-hello-hello-32", binary = "hello",
     grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))])
  ]
);
