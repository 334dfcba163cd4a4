# SPDX-License-Identifier: MIT
#
# The system of the session scenarios on the real services (shell-login-failed,
# shell-cycles): the services of system/default.capnp without the demos,
# and a package with the test programs the shell runs: hello (exits 42),
# lscaps (lists its own CapSet), spin (loops), readline (reads one line) and
# fault-pf (faults). `broker` starts the shell on the terminal; when it ends,
# init stops the servers and exits.
@0xc1f0a5e3d2b49787;

using M = import "/manifest.capnp";

const manifest :M.SystemManifest = (
  binaries = [(name = "terminal"), (name = "credstore"), (name = "sessions"),
              (name = "audit"), (name = "broker"), (name = "shell"),
              (name = "hello"), (name = "lscaps"), (name = "spin"),
              (name = "readline"), (name = "fault-pf")],

  services = [
    ( name = "terminal",
      binary = "terminal",
      grants = [(name = "serial", interfaceId = M.serialPortIface, source = (kernel = serial))],
      exports = [(name = "session", interfaceId = M.terminalSessionIface)] ),

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

    ( name = "broker",
      binary = "broker",
      grants = [
        (name = "terminal", interfaceId = M.terminalSessionIface,
         source = (service = (service = "terminal", export = "session"))),
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
      memoryPages = 11264 )
  ]
);
