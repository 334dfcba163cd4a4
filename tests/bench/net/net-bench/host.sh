# One capOS round of the net benchmark (bench.sh): tx first (the host's curl
# of the guest httpd's /blob through the forward, timed by curl), then rx
# (the guest's fetch -q of 64 MiB from the host's http.server, timed by the
# guest's Timer), never both at once; the figures go to
# $SCENARIO_OUT/bench.txt; logout and exit end the system.
set -eu
for _ in $(seq 1 300); do
	cat "$KERNEL_LOG" "$CONSOLE_LOG" | tr -d '\r' | grep -q "httpd: listening on port 80" && break
	sleep 0.2
done
read -r size secs < <(curl -sS --noproxy '*' -o /dev/null --max-time 300 \
	-w '%{size_download} %{time_total}\n' "http://127.0.0.1:$HOSTFWD_80/blob")
[ "$size" = 67108864 ] || { echo "tx: curl got $size bytes"; exit 1; }
echo "tx $(awk -v b="$size" -v s="$secs" 'BEGIN { printf "%.2f", b / s / 1e6 }')" >"$SCENARIO_OUT/bench.txt"
printf 'run "fetch" "-q" "http://10.0.2.2:%s/blob" with { net: @net, timer: @timer }\r' \
	"$HOST_SERVER_PORT" >"$COM1_IN"
for _ in $(seq 1 1500); do
	line=$(tr -d '\r' <"$CONSOLE_LOG" | grep -E '^67108864 bytes in [0-9.]+ s, [0-9.]+ MB/s$' || true)
	[ -n "$line" ] && break
	sleep 0.2
done
[ -n "$line" ] || { echo "rx: no fetch -q line"; exit 1; }
echo "rx $(echo "$line" | sed 's/.*, \([0-9.]*\) MB\/s$/\1/')" >>"$SCENARIO_OUT/bench.txt"
printf 'logout\rexit\r' >"$COM1_IN"
