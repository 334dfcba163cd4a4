# SPDX-License-Identifier: MIT
#
# The default capOS system: what `make run` and `make iso` boot (another one
# with MANIFEST=FILE.capnp). The build compiles it with the official tool,
#   capnp eval -b -Ischema system/default.capnp manifest
# and packs the result with init and the binaries it names into the boot
# package; init checks it and starts the graph. docs/manifest.md explains
# every field and rule.
#
# The graph: `hello` prints a line and exits 42 (init reports it); `echo`
# serves the Echo interface on an endpoint it exports; `echo-demo` imports
# that endpoint, calls it once and stops it. `terminal` holds COM1 and
# exports one TerminalSession. `credstore` keeps the accounts (docs/credentials.md),
# `sessions` mints sessions, `audit` keeps the audit log and exports its
# writing side ("log") and its reading side ("reader"). `broker` holds all
# of them and is the only holder of the CredentialStore and the
# SessionManager; it starts the shell itself, with the terminal, its
# AuthorityBroker and nothing else of weight (docs/sessions.md says why
# the broker, not init, starts the shell). There is no `shell` service.
# When the shell ends (`exit` as anonymous, Ctrl-D), the broker closes the
# terminal and exits; with no client service left, init stops the servers
# (docs/manifest.md, "Supervision") and exits.
#
# The network (M7, docs/network.md): `net` drives the virtio-net device
# (a `pciDevice` grant: on a machine without one, `net` is not started, nor
# are `httpd` and `telnetd`, which import from it) and exports the
# NetworkManager. `httpd` serves a fixed document on port 80; `telnetd`
# gives each telnet connection on port 23 its own terminal, broker and
# shell, the same login as COM1. Both are daemons: they serve the network,
# not the graph, so `exit` at COM1 still ends the system. The broker and
# the gateway's brokers hold the NetworkManager only to put a copy in an
# operator's bundle (`net`).

@0xe27052781214a5de;

using M = import "/manifest.capnp";

const manifest :M.SystemManifest = (
  binaries = [(name = "hello"), (name = "ipc-echo"), (name = "echo-demo"),
              (name = "terminal"), (name = "credstore"), (name = "sessions"),
              (name = "audit"), (name = "broker"), (name = "shell"),
              (name = "lscaps"), (name = "net"), (name = "httpd"), (name = "telnetd"),
              (name = "ping"), (name = "fetch"), (name = "udp")],

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
        (name = "boot", interfaceId = M.bootPackageIface, source = (kernel = bootPackage)),
        (name = "net", interfaceId = M.networkManagerIface,
         source = (service = (service = "net", export = "manager", optional = true)))
      ],
      memoryPages = 11264 ),

    ( name = "net",
      binary = "net",
      grants = [
        (name = "nic", interfaceId = M.pciDeviceIface,
         source = (pciDevice = (vendorId = 0x1af4, deviceIds = [0x1041, 0x1000]))),
        (name = "endpoints", interfaceId = M.endpointFactoryIface,
         source = (kernel = endpointFactory)),
        (name = "timer", interfaceId = M.timerIface, source = (kernel = timer)),
        (name = "entropy", interfaceId = M.entropySourceIface, source = (kernel = entropy))
      ],
      exports = [(name = "manager", interfaceId = M.networkManagerIface)],
      memoryPages = 4096 ),

    ( name = "httpd",
      binary = "httpd",
      daemon = true,
      grants = [
        (name = "console", interfaceId = M.consoleIface, source = (kernel = console)),
        (name = "net", interfaceId = M.networkManagerIface,
         source = (service = (service = "net", export = "manager")))
      ] ),

    ( name = "telnetd",
      binary = "telnetd",
      daemon = true,
      grants = [
        (name = "console", interfaceId = M.consoleIface, source = (kernel = console)),
        (name = "net", interfaceId = M.networkManagerIface,
         source = (service = (service = "net", export = "manager"))),
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
