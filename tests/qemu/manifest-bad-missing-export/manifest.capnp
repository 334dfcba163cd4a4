# client imports echo's "nope", which echo does not export.
@0xdf0304a23700fa02;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "ipc-echo"), (name = "echo-demo")],
  services = [
    (name = "echo", binary = "ipc-echo",
     exports = [(name = "service", interfaceId = M.echoIface)]),
    (name = "client", binary = "echo-demo",
     grants = [(name = "echo", interfaceId = M.echoIface,
                source = (service = (service = "echo", export = "nope")))])
  ]
);
