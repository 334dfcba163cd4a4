# client imports from "echoes", a service nobody defines.
@0x84f2060f6e190f3f;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "ipc-echo"), (name = "echo-demo")],
  services = [
    (name = "echo", binary = "ipc-echo",
     exports = [(name = "service", interfaceId = M.echoIface)]),
    (name = "client", binary = "echo-demo",
     grants = [(name = "echo", interfaceId = M.echoIface,
                source = (service = (service = "echoes", export = "service")))])
  ]
);
