# SPDX-License-Identifier: MIT
#
# Networking (M7, docs/network.md). The network service ("net") drives the
# virtio-net device through its PciDevice and runs lwIP; everything else
# reaches the network only through the capabilities below, each a separate
# endpoint of that service:
#   - NetworkManager: the interface's state and statistics, and the right
#     to open sockets (within its quota);
#   - TcpListener: connections arriving on one port, nothing else;
#   - TcpSocket: one connection's bytes, nothing else;
#   - UdpSocket: datagrams on one local port.
# A process holding a TcpSocket can do nothing else on the network. Every
# method is a CALL on the ring, answered when it is done, so a process can
# keep many sockets' reads and writes in flight at once.
# Addresses are IPv4, a.b.c.d as (a << 24) | (b << 16) | (c << 8) | d.
# Conventions as in capos.capnp: "raises X" means a CapException of type X.
# When the last capability to a socket or listener is released (its holder
# exits), the service closes it as `close` would.

@0xf3ce3ff52886fa54;

struct NetStatus @0xf5ea1389b1daa5d1 {
  up @0 :Bool;           # the link is up and the address configured
  mac @1 :Data;          # 6 bytes
  address @2 :UInt32;    # 10.0.2.15 under QEMU's user network
  netmask @3 :UInt32;
  gateway @4 :UInt32;
  mtu @5 :UInt16;
  rxPackets @6 :UInt64;
  rxBytes @7 :UInt64;
  txPackets @8 :UInt64;
  txBytes @9 :UInt64;
  rxDropped @10 :UInt64; # frames the service could not take (no buffer, malformed)
  txDropped @11 :UInt64;
  tcpSockets @12 :UInt32;   # open now, in the whole service
  tcpListeners @13 :UInt32;
  udpSockets @14 :UInt32;
}

interface NetworkManager @0xd5bb6f0f0ed8be06 {
  # The network, for whoever the manifest gives it to. Each NetworkManager
  # has a quota of sockets and listeners open at once (the service's
  # default for the one it exports; `restrict` makes narrower ones), so one
  # holder cannot take every connection of the service.

  status @0 () -> (status :NetStatus);
  # The interface's state and address (NetStatus).

  tcpListen @1 (port :UInt16, backlog :UInt16) -> (listenerIndex :UInt16);
  # Listens on TCP `port` (1..65535) of the service's address. `backlog`
  # (1..64; 0 means 8) bounds the connections established and not yet
  # accepted; more are refused (reset) until one is accepted.
  # Raises failed when the port is taken, invalidArgument for port 0 or a
  # bad backlog, overloaded when the quota is used up.

  tcpConnect @2 (address :UInt32, port :UInt16) -> (socketIndex :UInt16);
  # Connects to address:port; answered once the connection is established
  # (the CALL stays pending meanwhile), with a TcpSocket.
  # Raises failed when the peer refuses or does not answer (about 20 s),
  # invalidArgument for port 0, overloaded when the quota is used up.

  udpBind @3 (port :UInt16) -> (socketIndex :UInt16);
  # A UdpSocket on local `port` (0: any free port).
  # Raises failed when the port is taken, overloaded when the quota is used up.

  ping @4 (address :UInt32, size :UInt16, timeoutMs :UInt32) -> (rttNs :UInt64, ttl :UInt8);
  # Sends one ICMP echo request with `size` bytes of payload (0..1472) and
  # answers when its reply arrives: rttNs is the round trip by the Timer.
  # Raises failed when no reply comes within timeoutMs (1..60000),
  # invalidArgument for a bad size or timeout, overloaded when 16 pings are
  # already in flight in the service.

  restrict @5 (maxSockets :UInt16) -> (managerIndex :UInt16);
  # A NetworkManager whose sockets and listeners count against both its own
  # `maxSockets` and this one's quota. Raises invalidArgument when
  # maxSockets is 0 or above this one's quota; overloaded when the service
  # is out of memory.
}

interface TcpListener @0xe51616b506616486 {
  # The connections arriving on one TCP port.

  accept @0 () -> (socketIndex :UInt16, remoteAddress :UInt32, remotePort :UInt16);
  # The oldest established connection not yet accepted, as a TcpSocket;
  # pending until one arrives. At most 16 accepts pending (one more raises
  # overloaded). A connection accepted counts against the quota of the
  # NetworkManager the listener came from; when that is used up, the
  # connection is refused (reset) and accept stays pending.

  close @1 () -> ();
  # Stops listening: pending accepts raise disconnected, connections not yet
  # accepted are reset, and the port is free again.

  port @2 () -> (port :UInt16);
  # The port it listens on.
}

interface TcpSocket @0xd5e26685281e4bdf {
  # One TCP connection. Bounded: the service keeps at most 64 KiB received
  # and not yet read (the window closes when it is full) and 64 KiB to send.

  read @0 (max :UInt32) -> (data :Data);
  # Between 1 and `max` (1..32768) bytes, the oldest received; pending until
  # at least one has arrived. Empty data: the peer has finished sending
  # (every later read answers empty too). At most 4 reads pending, answered
  # in order. Raises disconnected when the connection was reset or closed,
  # invalidArgument for a bad max.

  write @1 (data :Data) -> ();
  # Queues the bytes (at most 32,768) to send, and answers once they are all
  # in the send buffer (backpressure: a writer that outpaces the network
  # waits here). Writes are sent in the order they were taken; at most 4
  # pending. Raises disconnected when the connection was reset or closed, or
  # after shutdown; invalidArgument for too much data.

  shutdown @2 () -> ();
  # No more writes: the peer is told (FIN) once everything queued is sent.
  # Reads go on until the peer finishes too.

  close @3 () -> ();
  # Ends the connection (FIN after queued data; reset if unread data is
  # left); pending reads and writes raise disconnected; the capability is
  # useless from then on.

  info @4 () -> (localAddress :UInt32, localPort :UInt16,
                 remoteAddress :UInt32, remotePort :UInt16);
  # The connection's two ends.
}

interface UdpSocket @0xf43a40660d2ef4d4 {
  # One local UDP port.

  sendTo @0 (address :UInt32, port :UInt16, data :Data) -> ();
  # Sends one datagram of at most 1,472 bytes. Raises invalidArgument for a
  # larger one or port 0, overloaded when the service has no buffer.

  recvFrom @1 (max :UInt32) -> (address :UInt32, port :UInt16, data :Data);
  # The oldest datagram received (cut to `max`, 1..65507, if longer);
  # pending until one arrives. The service keeps at most 16 unread
  # datagrams; more are dropped. At most 4 pending.

  close @2 () -> ();
  # Closes the socket.
}
