# Host side of net-hostile (hostile.py), then exit on COM1 ends the system.
set -eu
python3 "$SCENARIO_DIR/hostile.py"
printf 'exit\r' >"$COM1_IN"
