# hello granted a TerminalSession as "terminal" and no Console: the runtime
# points printf at the terminal (user/lib/rt.c), so its line shows on COM1
# through TerminalSession.write, as a program the shell runs would.
@0xd4b7c2e91a3f5608;

using M = import "/manifest.capnp";

const manifest :M.SystemManifest = (
  binaries = [(name = "hello"), (name = "terminal"), (name = "shell")],

  services = [
    ( name = "terminal",
      binary = "terminal",
      grants = [(name = "serial", interfaceId = M.serialPortIface, source = (kernel = serial))],
      exports = [(name = "session", interfaceId = M.terminalSessionIface)] ),

    ( name = "hello",
      binary = "hello",
      grants = [
        (name = "terminal", interfaceId = M.terminalSessionIface,
         source = (service = (service = "terminal", export = "session")))
      ] ),

    ( name = "shell",
      binary = "shell",
      grants = [
        (name = "terminal", interfaceId = M.terminalSessionIface,
         source = (service = (service = "terminal", export = "session")))
      ] )
  ]
);
