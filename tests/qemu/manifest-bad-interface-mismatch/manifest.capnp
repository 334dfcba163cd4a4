# client asks for an Echo endpoint as "echo" but is given init's Console.
@0xbb84839d365f216b;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "echo-demo")],
  services = [
    (name = "client", binary = "echo-demo",
     grants = [(name = "echo", interfaceId = M.echoIface, source = (kernel = console))])
  ]
);
