/* SPDX-License-Identifier: MIT */
/*
 * lwIP's configuration for the network service (docs/network.md): raw API
 * only (NO_SYS: one thread, one event loop, no locks), IPv4 with ARP, ICMP,
 * TCP and UDP. Sizes follow schema/net.capnp's limits: 64 KiB received and
 * not yet read per connection (the window: it only reopens when a client
 * reads), 64 KiB queued to send, at most NET_TCP_MAX connections.
 */
#ifndef CAPOS_NET_LWIP_CONFIG_H
#define CAPOS_NET_LWIP_CONFIG_H

#define NO_SYS 1
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_NETIF_API 0
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 1		/* ping's echo requests and replies (raw ICMP pcb) */
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 0
#define LWIP_AUTOIP 0
#define LWIP_IGMP 0
#define LWIP_DNS 0
#define LWIP_STATS 0
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_SINGLE_NETIF 1
#define LWIP_TIMERS 1
/* Traffic to the service's own address loops back (netif_poll each loop turn). */
#define LWIP_NETIF_LOOPBACK 1
#define LWIP_LOOPBACK_MAX_PBUFS 256
#define IP_REASSEMBLY 1
#define IP_FRAG 1

/* Memory: lwIP's heap (PBUF_RAM for everything sent) is the runtime's malloc. */
#define MEM_LIBC_MALLOC 1
#define mem_clib_malloc malloc
#define mem_clib_calloc calloc
#define mem_clib_free free
#define MEM_ALIGNMENT 8
#define MEMP_MEM_MALLOC 1	/* pools too: bounded by the service's quotas, not by bss */

/* Connections: the service's socket limit (net.h: NET_SOCKETS_MAX) plus listeners. */
#define MEMP_NUM_TCP_PCB 160
#define MEMP_NUM_TCP_PCB_LISTEN 80
#define MEMP_NUM_UDP_PCB 80
#define MEMP_NUM_RAW_PCB 2
#define MEMP_NUM_TCP_SEG 4096
#define MEMP_NUM_PBUF 1024
#define MEMP_NUM_REASSDATA 8
#define MEMP_NUM_ARP_QUEUE 64
#define PBUF_POOL_SIZE 512
#define PBUF_POOL_BUFSIZE 1536
#define ARP_TABLE_SIZE 16
#define ARP_QUEUEING 1
#define ETH_PAD_SIZE 0

/*
 * TCP: full-size segments, 64 KiB each way less one byte: the largest
 * window without scaling, and what one pbuf chain can hold (tot_len is
 * 16 bits): a connection's unread bytes are one chain (tcp_sock.c).
 */
#define TCP_MSS 1460
#define TCP_WND 65535u
#define TCP_SND_BUF 65535u
#define TCP_SND_QUEUELEN (4u * TCP_SND_BUF / TCP_MSS)
#define TCP_SNDLOWAT (TCP_SND_BUF / 2u)
#define TCP_OVERSIZE TCP_MSS
#define TCP_QUEUE_OOSEQ 1
#define TCP_LISTEN_BACKLOG 0	/* listener.c bounds what waits for accept */
#define TCP_DEFAULT_LISTEN_BACKLOG 8
#define LWIP_TCP_KEEPALIVE 0
#define TCP_MAXRTX 6		/* a connection that never answers fails in ~20 s */
#define TCP_SYNMAXRTX 4
#define LWIP_CALLBACK_API 1

#define LWIP_CHKSUM_ALGORITHM 3
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_TCP 1
#define CHECKSUM_CHECK_UDP 1

#define LWIP_NOASSERT 0
#define LWIP_DEBUG 0

#endif
