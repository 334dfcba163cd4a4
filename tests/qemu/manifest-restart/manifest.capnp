# The restart scenario: flaky fails (faults) on its first two runs and is
# restarted each time after its backoff (20 ms, then 40 ms); its third run
# checks the gaps between its starts, which it keeps in the echo service,
# and stops that service. echo runs once (restart never).
@0xb7836bc867f7e8ce;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "ipc-echo"), (name = "flaky")],
  services = [
    (name = "echo", binary = "ipc-echo",
     exports = [(name = "service", interfaceId = M.echoIface)]),
    (name = "flaky", binary = "flaky",
     grants = [
       (name = "console", interfaceId = M.consoleIface, source = (kernel = console)),
       (name = "echo", interfaceId = M.echoIface,
        source = (service = (service = "echo", export = "service")))
     ],
     restart = (mode = onFailure, maxRestarts = 5, backoffMs = 20, maxBackoffMs = 1000))
  ]
);
