# Host side of net-hostile (hostile.py), then exit on COM1 ends the system.
set -eu
# The gateway may come up after COM1's session (a loaded host): wait for it.
"$SCENARIO_DIR/../../../scripts/wait-for-log.sh" "$KERNEL_LOG" "telnetd: listening on port 23"
python3 "$SCENARIO_DIR/hostile.py"
printf 'exit\r' >"$COM1_IN"
