# The terminal's SerialPort as a kernel source: init holds it as "serial"
# and copies it to a service like any of its capabilities. `term` runs
# serial-term with the port granted as "serial".
@0xc9ac8d13b1b471c9;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "serial-term")],
  services = [
    (name = "term", binary = "serial-term",
     grants = [
       (name = "console", interfaceId = M.consoleIface, source = (kernel = console)),
       (name = "serial", interfaceId = M.serialPortIface, source = (kernel = serial))
     ])
  ]
);
