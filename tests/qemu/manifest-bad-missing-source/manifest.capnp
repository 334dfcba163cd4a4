# hello's grant says what it is called and what it expects, not where it comes from.
@0xb7eaadae658cbb47;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "hello")],
  services = [
    (name = "hello", binary = "hello",
     grants = [(name = "console", interfaceId = M.consoleIface)])
  ]
);
