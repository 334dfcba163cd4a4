# Servers without clients are stopped: echo (restarted on failure) serves
# an endpoint nobody imports and would run for ever; hello, the one client
# service, prints its line and exits. `daemon` (spin, which never ends)
# exports nothing but is marked daemon, so it is no client: it does not
# keep the system up. Init then stops echo and the daemon, neither is
# restarted, and exits.
@0xd0c2d1a7e93b4f55;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "ipc-echo"), (name = "hello"), (name = "spin")],
  services = [
    (name = "echo", binary = "ipc-echo",
     grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))],
     exports = [(name = "service", interfaceId = M.echoIface)],
     restart = (mode = onFailure, maxRestarts = 3, backoffMs = 10, maxBackoffMs = 100)),
    (name = "daemon", binary = "spin", daemon = true),
    (name = "hello", binary = "hello",
     grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))])
  ]
);
