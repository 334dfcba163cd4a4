# SPDX-License-Identifier: MIT
# The telnet gateway without a network (tests/qemu/telnetd/scenario):
# fake-net stands in for the network service and exports a NetworkManager;
# telnetd gets it as `net` with everything its brokers need, as the
# default system's broker has it.

@0xc7f41e0a5b2d9a63;

using M = import "/manifest.capnp";

const manifest :M.SystemManifest = (
  binaries = [(name = "fake-net"), (name = "telnetd"), (name = "credstore"),
              (name = "sessions"), (name = "audit"), (name = "broker"), (name = "shell"),
              (name = "hello"), (name = "spin")],

  services = [
    ( name = "fake-net",
      binary = "fake-net",
      grants = [
        (name = "console", interfaceId = M.consoleIface, source = (kernel = console)),
        (name = "endpoints", interfaceId = M.endpointFactoryIface,
         source = (kernel = endpointFactory))
      ],
      exports = [(name = "net", interfaceId = M.networkManagerIface)] ),

    ( name = "credstore",
      binary = "credstore",
      grants = [
        (name = "timer", interfaceId = M.timerIface, source = (kernel = timer)),
        (name = "entropy", interfaceId = M.entropySourceIface, source = (kernel = entropy))
      ],
      exports = [(name = "service", interfaceId = M.credentialStoreIface)],
      memoryPages = 6400 ),

    ( name = "sessions",
      binary = "sessions",
      grants = [(name = "entropy", interfaceId = M.entropySourceIface, source = (kernel = entropy))],
      exports = [(name = "service", interfaceId = M.sessionManagerIface)] ),

    ( name = "audit",
      binary = "audit",
      grants = [(name = "timer", interfaceId = M.timerIface, source = (kernel = timer))],
      exports = [(name = "log", interfaceId = M.auditLogIface),
                 (name = "reader", interfaceId = M.auditReaderIface)] ),

    ( name = "telnetd",
      binary = "telnetd",
      grants = [
        (name = "console", interfaceId = M.consoleIface, source = (kernel = console)),
        (name = "net", interfaceId = M.networkManagerIface,
         source = (service = (service = "fake-net", export = "net"))),
        (name = "creds", interfaceId = M.credentialStoreIface,
         source = (service = (service = "credstore", export = "service"))),
        (name = "sessions", interfaceId = M.sessionManagerIface,
         source = (service = (service = "sessions", export = "service"))),
        (name = "audit", interfaceId = M.auditLogIface,
         source = (service = (service = "audit", export = "log"))),
        (name = "auditReader", interfaceId = M.auditReaderIface,
         source = (service = (service = "audit", export = "reader"))),
        (name = "spawner", interfaceId = M.processSpawnerIface, source = (kernel = spawner)),
        (name = "endpoints", interfaceId = M.endpointFactoryIface,
         source = (kernel = endpointFactory)),
        (name = "caps", interfaceId = M.capabilityManagerIface,
         source = (kernel = capabilityManager)),
        (name = "timer", interfaceId = M.timerIface, source = (kernel = timer)),
        (name = "boot", interfaceId = M.bootPackageIface, source = (kernel = bootPackage))
      ],
      memoryPages = 45056 )
  ]
);
