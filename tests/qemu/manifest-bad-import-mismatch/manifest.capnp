# client imports echo's endpoint as a Console: echo serves Echo.
@0xd6ae488c79cbb8bf;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "ipc-echo"), (name = "echo-demo")],
  services = [
    (name = "echo", binary = "ipc-echo",
     exports = [(name = "service", interfaceId = M.echoIface)]),
    (name = "client", binary = "echo-demo",
     grants = [(name = "echo", interfaceId = M.consoleIface,
                source = (service = (service = "echo", export = "service")))])
  ]
);
