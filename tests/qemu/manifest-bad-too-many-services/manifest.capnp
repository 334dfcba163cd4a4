# 33 services (at most 32), each a valid hello: only the count is wrong.
@0xaf5e9968353d7cee;
using M = import "/manifest.capnp";
const manifest :M.SystemManifest = (
  binaries = [(name = "hello")],
  services = [
    (name = "hello0", binary = "hello"),
    (name = "hello1", binary = "hello"),
    (name = "hello2", binary = "hello"),
    (name = "hello3", binary = "hello"),
    (name = "hello4", binary = "hello"),
    (name = "hello5", binary = "hello"),
    (name = "hello6", binary = "hello"),
    (name = "hello7", binary = "hello"),
    (name = "hello8", binary = "hello"),
    (name = "hello9", binary = "hello"),
    (name = "hello10", binary = "hello"),
    (name = "hello11", binary = "hello"),
    (name = "hello12", binary = "hello"),
    (name = "hello13", binary = "hello"),
    (name = "hello14", binary = "hello"),
    (name = "hello15", binary = "hello"),
    (name = "hello16", binary = "hello"),
    (name = "hello17", binary = "hello"),
    (name = "hello18", binary = "hello"),
    (name = "hello19", binary = "hello"),
    (name = "hello20", binary = "hello"),
    (name = "hello21", binary = "hello"),
    (name = "hello22", binary = "hello"),
    (name = "hello23", binary = "hello"),
    (name = "hello24", binary = "hello"),
    (name = "hello25", binary = "hello"),
    (name = "hello26", binary = "hello"),
    (name = "hello27", binary = "hello"),
    (name = "hello28", binary = "hello"),
    (name = "hello29", binary = "hello"),
    (name = "hello30", binary = "hello"),
    (name = "hello31", binary = "hello"),
    (name = "hello32", binary = "hello")
  ]
);
