# Host side of net-httpd (host.py does the checking), then `exit` at the
# anonymous prompt ends the system through init's leak check.
set -eu
python3 "$SCENARIO_DIR/host.py"
printf 'exit\r' >"$COM1_IN"
