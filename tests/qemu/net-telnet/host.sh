# Host side of net-telnet: one login through Debian's telnet, a failed
# login audited with the connection's terminal number, then 8 at
# once, then clients that leave mid-login and mid-run, then one more login
# (the gateway still serves); then logout/exit on COM1 end the system.
set -eu
# The gateway may come up after COM1's session (a loaded host): wait for it.
"$SCENARIO_DIR/../../../scripts/wait-for-log.sh" "$KERNEL_LOG" "telnetd: listening on port 23"
drive="python3 $SCENARIO_DIR/../../../scripts/telnet-drive.py $HOSTFWD_23"
$drive "$SCENARIO_DIR/login.txt"
$drive "$SCENARIO_DIR/failed-login.txt"
pids=()
for i in 1 2 3 4 5 6 7 8; do
	TELNET_TIMEOUT=120 $drive "$SCENARIO_DIR/login.txt" >"$SCENARIO_OUT/telnet-$i.log" 2>&1 &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || { echo "a concurrent session failed"; exit 1; }; done
$drive "$SCENARIO_DIR/mid-login.txt"
$drive "$SCENARIO_DIR/mid-run.txt"
sleep 2
$drive "$SCENARIO_DIR/login.txt"
printf 'exit\r' >"$COM1_IN"
echo "host: 1 + 1 failed + 8 concurrent + 1 logins, two clients gone mid-way"
