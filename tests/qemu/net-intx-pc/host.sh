# Host side of net-intx and net-intx-pc: the guest's SHA-256 of the 2 MiB file must be the
# host's; then the shell's logout and exit end the system.
set -eu
want=$(cat "$HOST_WWW/file.sha256")
got=$(tr -d '\r' <"$CONSOLE_LOG" | sed -n 's/^2097152 bytes sha256 \([0-9a-f]\{64\}\)$/\1/p' | head -n1)
[ "$got" = "$want" ] || { echo "guest sha256 '$got', host '$want'"; exit 1; }
printf 'logout\rexit\r' >"$COM1_IN"
echo "host: sha256 $got matches"
