# The Timer and the EntropySource as kernel sources: init holds both and
# copies them to services like any of its capabilities. `entropy` runs
# entropy-check with the EntropySource granted as "entropy"; `sleeper` runs
# timer-child with the Timer granted as "timer" (and a Console as "hold",
# which makes it sleep 30 times and check the order and the times).
@0xdc0b79efa66837fb;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "entropy-check"), (name = "timer-child")],
  services = [
    (name = "entropy", binary = "entropy-check",
     grants = [
       (name = "console", interfaceId = M.consoleIface, source = (kernel = console)),
       (name = "entropy", interfaceId = M.entropySourceIface, source = (kernel = entropy))
     ]),
    (name = "sleeper", binary = "timer-child",
     grants = [
       (name = "console", interfaceId = M.consoleIface, source = (kernel = console)),
       (name = "timer", interfaceId = M.timerIface, source = (kernel = timer)),
       (name = "hold", interfaceId = M.consoleIface, source = (kernel = console))
     ])
  ]
);
