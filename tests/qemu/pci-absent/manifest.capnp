# A pciDevice grant on a machine without the device: `nic` is not started,
# nor `user`, which imports from it; `hello` runs as ever.
@0xe41f7c2a9b3d5806;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "pci-grant-check"), (name = "hello")],
  services = [
    (name = "nic", binary = "pci-grant-check",
     grants = [
       (name = "nic", interfaceId = M.pciDeviceIface,
        source = (pciDevice = (vendorId = 0x1af4, deviceIds = [0x1041])))
     ],
     exports = [(name = "net", interfaceId = M.echoIface)]),
    (name = "user", binary = "hello",
     grants = [
       (name = "console", interfaceId = M.consoleIface, source = (kernel = console)),
       (name = "net", interfaceId = M.echoIface, source = (service = (service = "nic", export = "net")))
     ]),
    (name = "hello", binary = "hello",
     grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))])
  ]
);
