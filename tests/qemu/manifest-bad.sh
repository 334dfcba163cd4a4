# SPDX-License-Identifier: MIT
# Shared by the manifest-bad-* scenarios (sourced by their scenario files,
# which set MANIFEST and WHY first). The real init boots the scenario's bad
# manifest: it must print exactly one line "init: manifest: WHY" (WHY: the
# field path and the reason, a regex) on the terminal (COM1, through the
# SerialPort, as contracts.md promises) and the same one line in the log
# (its Console), start nothing, and exit 1; the
# kernel's verdict must show no leak and init as the only process ever
# created. Under the harness init's exit 1 is isa-debug-exit's fail status.
CMDLINE="test=init"
QEMU_ARGS="-m 128M -cpu max"
EXPECT_EXIT=fail
EXPECT_ONCE_CONSOLE=("^init: manifest: " "^init: manifest: $WHY\$")
EXPECT_ONCE_LOG=("^init: manifest: " "^init: manifest: $WHY\$")
EXPECT=("init exited with code 1; 0 processes left; frames free before ([0-9]+) after \1; heap objects before ([0-9]+) after \2; .*; processes created 1\$")
REJECT=("^init: started [A-Za-z0-9_.-]+$" "services started" "Welcome")
TIMEOUT=60
