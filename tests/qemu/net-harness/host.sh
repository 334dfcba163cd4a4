# Host side of net-harness: the host server answers with the file the setup
# made, each forwarded port is a QEMU listener on 127.0.0.1, the typed port
# is the server's; then `exit` ends the system.
set -eu
body=$(curl -sS --max-time 10 "http://127.0.0.1:$HOST_SERVER_PORT/check.txt")
[ "$body" = "capOS harness check" ] || { echo "host server answered '$body'"; exit 1; }
for p in "$HOSTFWD_80" "$HOSTFWD_23"; do
	python3 -c "import socket; socket.create_connection(('127.0.0.1', $p), 5).close()" ||
		{ echo "no listener on forwarded port $p"; exit 1; }
done
[ "$HOSTFWD_80" != "$HOSTFWD_23" ] || { echo "one port for two forwards"; exit 1; }
grep -q "^port $HOST_SERVER_PORT" <(tr -d '\r' <"$CONSOLE_LOG") ||
	{ echo "the typed port is not the server's"; exit 1; }
python3 -c "import socket; socket.socket(type=socket.SOCK_DGRAM).sendto(b'\xff' * 60, ('127.0.0.1', $NET_INJECT_PORT))"
printf 'exit\n' >"$COM1_IN"
echo "host: server, forwards and typed port checked"
