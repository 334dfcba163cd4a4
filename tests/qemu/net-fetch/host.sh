# Host side of net-fetch: the guest's SHA-256 of the 10 MiB file must be the
# host's; then the shell's logout and exit end the system.
set -eu
want=$(cat "$HOST_WWW/file.sha256")
for _ in $(seq 1 600); do	# -q runs last: wait for its line
	grep -Eq '^10485760 bytes in [0-9.]+ s, [0-9.]+ MB/s' <(tr -d '\r' <"$CONSOLE_LOG") && break
	sleep 0.5
done
got=$(tr -d '\r' <"$CONSOLE_LOG" | sed -n 's/^10485760 bytes sha256 \([0-9a-f]\{64\}\)$/\1/p' | head -n1)
[ "$got" = "$want" ] || { echo "guest sha256 '$got', host '$want'"; exit 1; }
printf 'logout\rexit\r' >"$COM1_IN"
echo "host: sha256 $got matches"
