# Host side of net-udp (host.py does the checking), then logout and exit
# end the system through init's leak check.
set -eu
python3 "$SCENARIO_DIR/host.py"
printf 'logout\rexit\r' >"$COM1_IN"
