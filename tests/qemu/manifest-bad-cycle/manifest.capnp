# a imports b's endpoint and b imports a's: neither can start first.
@0xa736bc4583755a75;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "ipc-echo"), (name = "hello")],
  services = [
    (name = "hello", binary = "hello",
     grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))]),
    (name = "a", binary = "ipc-echo",
     grants = [(name = "peer", interfaceId = M.echoIface,
                source = (service = (service = "b", export = "service")))],
     exports = [(name = "service", interfaceId = M.echoIface)]),
    (name = "b", binary = "ipc-echo",
     grants = [(name = "peer", interfaceId = M.echoIface,
                source = (service = (service = "a", export = "service")))],
     exports = [(name = "service", interfaceId = M.echoIface)])
  ]
);
