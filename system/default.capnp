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
# that endpoint (so it starts after `echo`), calls it once and stops it.
# The echo service is restarted if it fails (not when stopped: it then
# exits 0). `terminal` holds COM1's SerialPort, runs the line discipline and
# exports one TerminalSession; `shell` holds only that session and shows
# the prompt `anonymous@capos> ` on COM1 (docs/terminal.md, docs/shell.md).
# `exit` or Ctrl-D at the prompt ends the shell, which closes the session,
# so the terminal ends too. When every service has ended, init exits.

@0xe27052781214a5de;

using M = import "/manifest.capnp";

const manifest :M.SystemManifest = (
  binaries = [(name = "hello"), (name = "ipc-echo"), (name = "echo-demo"),
              (name = "terminal"), (name = "shell")],

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

    ( name = "shell",
      binary = "shell",
      grants = [
        (name = "terminal", interfaceId = M.terminalSessionIface,
         source = (service = (service = "terminal", export = "session")))
      ] )
  ]
);
