# SPDX-License-Identifier: MIT
#
# The default capOS system once the session services are merged (M6): this
# file replaces system/default.capnp when the `sessions` and `audit`
# programs (branch m6-audit) are on main; until then `make run` keeps the
# old default, which cannot boot without them (init refuses a manifest that
# names a binary the package lacks). Compiled and packed like the default:
#   make run MANIFEST=system/default-m6.capnp
#
# The graph: `hello`, `echo` and `echo-demo` are the demos of
# system/default.capnp, unchanged. `terminal` holds COM1 and exports one
# TerminalSession. `credstore` keeps the accounts (docs/credentials.md),
# `sessions` mints sessions, `audit` keeps the audit log and exports its
# writing side ("log") and its reading side ("reader"). `broker` holds all
# of them and is the only holder of the CredentialStore and the
# SessionManager; it starts the shell itself, with the terminal, its
# AuthorityBroker and nothing else of weight (docs/sessions.md says why
# the broker, not init, starts the shell). There is no `shell` service.

@0xe27052781214a5de;

using M = import "/manifest.capnp";

const manifest :M.SystemManifest = (
  binaries = [(name = "hello"), (name = "ipc-echo"), (name = "echo-demo"),
              (name = "terminal"), (name = "credstore"), (name = "sessions"),
              (name = "audit"), (name = "broker"), (name = "shell")],

  kernelParams = (
    motd = "Welcome to capOS. This boot is system/default.capnp: init starts its services."
  ),

  services = [
    ( name = "hello",
      binary = "hello",
      grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))] ),

    ( name = "echo",
      binary = "ipc-echo",
      grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))],
      exports = [(name = "service", interfaceId = M.echoIface)],
      restart = (mode = onFailure, maxRestarts = 3, backoffMs = 50, maxBackoffMs = 400) ),

    ( name = "echo-demo",
      binary = "echo-demo",
      grants = [
        (name = "console", interfaceId = M.consoleIface, source = (kernel = console)),
        (name = "echo", interfaceId = M.echoIface,
         source = (service = (service = "echo", export = "service")))
      ] ),

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
