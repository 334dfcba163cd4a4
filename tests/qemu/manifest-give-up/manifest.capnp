# The give-up scenario: crashy faults on every run (fault-pf writes to
# address 0) and may be restarted twice; again exits 0 every time but is
# restarted always, once; hello runs once. Init gives up on crashy and on
# again, and exits 1 (it gave up on services) once nothing is left to run.
@0xae1cd8edb1bf793f;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "fault-pf"), (name = "exit0"), (name = "hello")],
  services = [
    (name = "crashy", binary = "fault-pf",
     grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))],
     restart = (mode = onFailure, maxRestarts = 2, backoffMs = 10, maxBackoffMs = 15)),
    (name = "again", binary = "exit0",
     restart = (mode = always, maxRestarts = 1, backoffMs = 0, maxBackoffMs = 0)),
    (name = "hello", binary = "hello",
     grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))])
  ]
);
