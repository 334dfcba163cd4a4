# A message of the day that would send an escape sequence to the terminal.
@0xf97885a2fa814172;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "hello")],
  kernelParams = (motd = "Welcome \x1b[2J to capOS"),
  services = [
    (name = "hello", binary = "hello",
     grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))])
  ]
);
