# A pciDevice grant: init opens the virtio-net through its DeviceManager
# and moves it to `nic`, which exits 1 on its first run holding MSI-X, DMA
# memory and the BAR; init restarts it (a new open: the first PciDevice was
# released at the exit) and the second run exits 0.
@0xd2b8a6f3c4e51a07;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "pci-grant-check")],
  services = [
    (name = "nic", binary = "pci-grant-check",
     grants = [
       (name = "console", interfaceId = M.consoleIface, source = (kernel = console)),
       (name = "nic", interfaceId = M.pciDeviceIface,
        source = (pciDevice = (vendorId = 0x1af4, deviceIds = [0x1000, 0x1041])))
     ],
     restart = (mode = onFailure, maxRestarts = 1, backoffMs = 10))
  ]
);
