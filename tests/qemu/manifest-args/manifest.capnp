# Service.args: `echo` runs echo-args with three arguments (one empty, one
# with a space), `plain` runs it with none; each prints what it got and
# exits with the count.
@0xd3c1f0a4b2e69a17;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "echo-args")],
  services = [
    (name = "echo", binary = "echo-args", args = ["10.0.2.2", "", "a b"],
     grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))]),
    (name = "plain", binary = "echo-args",
     grants = [(name = "console", interfaceId = M.consoleIface, source = (kernel = console))])
  ]
);
