# SPDX-License-Identifier: MIT
# Network support of scripts/qemu-run-scenario.sh (sourced; see its header
# for the scenario variables NET, HOSTFWD, HOST_SERVER, HOST_SERVER_SETUP,
# HOST_SCRIPT, HOST_AFTER). Everything binds 127.0.0.1; every process
# started here is stopped by net_stop.

# A free TCP (or, with $1 = udp, UDP) port on 127.0.0.1: the kernel picks it.
net_free_port() {
	python3 -c 'import socket, sys
s = socket.socket(type=socket.SOCK_DGRAM if sys.argv[1:] == ["udp"] else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "$@"
}

# Starts the host HTTP server (HOST_SERVER) in $1/www after HOST_SERVER_SETUP
# ($2: the scenario folder) made its files; exports HOST_SERVER_PORT and
# HOST_WWW. Prints why on failure.
net_start_server() {
	local out=$1 dir i
	[ -n "$HOST_SERVER" ] || return 0
	dir=$(cd "$2" && pwd)
	HOST_WWW=$out/www
	mkdir -p "$HOST_WWW"
	export HOST_WWW
	if [ -n "$HOST_SERVER_SETUP" ]; then
		(cd "$HOST_WWW" && bash "$dir/$HOST_SERVER_SETUP") >"$out/host-setup.log" 2>&1 ||
			{ echo "HOST_SERVER_SETUP failed: $(tail -c 200 "$out/host-setup.log")"; return 1; }
	fi
	HOST_SERVER_PORT=$(net_free_port)
	export HOST_SERVER_PORT
	[ "$HOST_SERVER" = http ] && HOST_SERVER="python3 -m http.server --bind 127.0.0.1 \$HOST_SERVER_PORT"
	(cd "$HOST_WWW" && exec bash -c "exec $HOST_SERVER") >"$out/host-server.log" 2>&1 &
	NET_SERVER_PID=$!
	for ((i = 0; i < 50; i++)); do	# serving before the guest may ask
		python3 -c "import socket; socket.create_connection(('127.0.0.1', $HOST_SERVER_PORT), 1)" \
			2>/dev/null && return 0
		sleep 0.1
	done
	echo "HOST_SERVER did not listen on 127.0.0.1:$HOST_SERVER_PORT"
	return 1
}

# The QEMU options of NET=1 (in the array NET_QEMU_ARGS): the virtio-net
# device on QEMU's user network, each HOSTFWD guest port forwarded from a
# free 127.0.0.1 port, exported as HOSTFWD_<guestport>; each HOSTFWD_UDP
# guest port from a free 127.0.0.1 UDP port, exported as HOSTFWD_UDP_<port>;
# NET_DEVICE_OPTS (",vectors=0": no MSI-X) appended to the device's options.
net_qemu_args() {
	local netdev="user,id=n0" p host
	for p in "${HOSTFWD[@]}"; do
		host=$(net_free_port)
		export "HOSTFWD_$p=$host"
		netdev+=",hostfwd=tcp:127.0.0.1:$host-:$p"
	done
	for p in "${HOSTFWD_UDP[@]}"; do
		host=$(net_free_port udp)
		export "HOSTFWD_UDP_$p=$host"
		netdev+=",hostfwd=udp:127.0.0.1:$host-:$p"
	done
	NET_QEMU_ARGS=(-device "virtio-net-pci,netdev=n0,disable-legacy=on$NET_DEVICE_OPTS" -netdev "$netdev")
	[ -n "$NET_INJECT" ] || return 0
	# NET_INJECT: the device on a hub with the user network and a UDP socket
	# netdev; each datagram sent to 127.0.0.1:NET_INJECT_PORT is one raw
	# Ethernet frame on the guest's wire (what slirp would never send).
	local inject peer
	inject=$(net_free_port udp)
	peer=$(net_free_port udp)
	export NET_INJECT_PORT=$inject
	NET_QEMU_ARGS=(-device "virtio-net-pci,netdev=hp0,disable-legacy=on$NET_DEVICE_OPTS"
		-netdev hubport,id=hp0,hubid=0 -netdev "$netdev" -netdev hubport,id=hp1,hubid=0,netdev=n0
		-netdev "socket,id=s0,udp=127.0.0.1:$peer,localaddr=127.0.0.1:$inject"
		-netdev hubport,id=hp2,hubid=0,netdev=s0)
}

# Replaces @NAME@ in a file to type ($1) by the exported variables above
# (the host server's port, the forwarded ports); prints the result's path.
net_expand_input() {
	local in=$1 out=$2
	python3 - "$in" "$out" <<'PY'
import os, re, sys
data = open(sys.argv[1], 'rb').read()
def sub(m):
    v = os.environ.get(m.group(1).decode())
    return v.encode() if v is not None else m.group(0)
data = re.sub(rb'@(HOST_SERVER_PORT|HOSTFWD_[0-9]+|HOSTFWD_UDP_[0-9]+)@', sub, data)
open(sys.argv[2], 'wb').write(data)
PY
	echo "$out"
}

# Runs HOST_SCRIPT ($2/$HOST_SCRIPT) once HOST_AFTER is on the console or
# the log, while QEMU ($3) runs; its output goes to $1/host.log and its exit
# status to $1/host.status. When it fails, QEMU is stopped (the run fails
# anyway, and sooner).
net_host_script() {
	local out=$1 dir=$2 qemu=$3 st
	while kill -0 "$qemu" 2>/dev/null; do
		if cat "$out/console.log" "$out/kernel.log" 2>/dev/null | tr -d '\r' |
			grep -Eq -- "$HOST_AFTER"; then
			SCENARIO_OUT=$out CONSOLE_LOG=$out/console.log KERNEL_LOG=$out/kernel.log \
				COM1_IN=$out/com1.in SCENARIO_DIR=$dir \
				timeout "$HOST_TIMEOUT" bash "$dir/$HOST_SCRIPT" >"$out/host.log" 2>&1
			st=$?
			echo "$st" >"$out/host.status"
			[ "$st" = 0 ] || kill "$qemu" 2>/dev/null
			return
		fi
		sleep 0.2
	done
	echo "never started: /$HOST_AFTER/ did not appear" >"$out/host.status"
}

# Stops what net_start_server started.
net_stop() {
	if [ -n "${NET_SERVER_PID:-}" ]; then
		kill "$NET_SERVER_PID" 2>/dev/null
		wait "$NET_SERVER_PID" 2>/dev/null
		NET_SERVER_PID=""
	fi
}
