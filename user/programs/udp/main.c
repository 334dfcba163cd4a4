// SPDX-License-Identifier: MIT
/*
 * udp: UDP datagrams through the NetworkManager granted as "net"
 * (schema/net.capnp UdpSocket; docs/network.md "UDP").
 *   udp send ADDR PORT TEXT...   one datagram per TEXT, from a free port
 *   udp fill ADDR PORT SIZE...   one datagram per SIZE (0..1472) of the
 *                                pattern byte i = i % 251
 *   udp echo PORT [COUNT]        binds PORT, says "udp: echoing on port
 *                                PORT", sends each of COUNT (default 1,
 *                                1..1000) datagrams back to its sender,
 *                                reporting "udp: N bytes from A.B.C.D:P"
 * Exit 0 when done, 1 on a network error, 2 for bad arguments or no network.
 */
#include "net.capnp.h"
#include "net.h"
#include "rt.h"

#define UDP_COUNT_MAX 1000u

static uint8_t buf[NET_UDP_SEND_MAX];

static int usage(void)
{
	printf("usage: udp send ADDR PORT TEXT... | udp fill ADDR PORT SIZE... |"
	       " udp echo PORT [COUNT]\n");
	return 2;
}

/* A decimal 0..max into *v; -1 when it is not one. */
static int parse_num(const char *s, uint32_t max, uint32_t *v)
{
	uint32_t n = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > max)
			return -1;
		n = n * 10 + (uint32_t)(*s - '0');
	}
	if (n > max)
		return -1;
	*v = n;
	return 0;
}

static int fail(const char *what, int err)
{
	printf("udp: %s failed (%d)\n", what, err);
	return 1;
}

/* send and fill: each argument from the 4th on is one datagram. */
static int send_all(capos_cap_t net, bool fill)
{
	const char *a = rt_argv(1);
	uint32_t addr, port, len;
	capos_cap_t sock;
	int err;

	if (rt_argc() < 4 || ipv4_parse(a, strlen(a), &addr) ||
	    parse_num(rt_argv(2), 65535, &port) || port == 0)
		return usage();
	for (int i = 3; i < rt_argc(); i++)
		if (fill ? parse_num(rt_argv(i), NET_UDP_SEND_MAX, &len) :
			   strlen(rt_argv(i)) > NET_UDP_SEND_MAX)
			return usage();
	if ((err = net_udp_bind(net, 0, &sock)))
		return fail("bind", err);
	for (int i = 3; i < rt_argc() && !err; i++) {
		if (fill) {
			(void)parse_num(rt_argv(i), NET_UDP_SEND_MAX, &len);
			for (uint32_t j = 0; j < len; j++)
				buf[j] = (uint8_t)(j % 251);
			err = udp_send_to(sock, addr, (uint16_t)port, buf, len);
		} else {
			err = udp_send_to(sock, addr, (uint16_t)port, rt_argv(i),
					  (uint32_t)strlen(rt_argv(i)));
		}
	}
	(void)udp_close(sock);
	(void)cap_release(sock);
	if (err)
		return fail("sendTo", err);
	printf("udp: sent %d datagrams\n", rt_argc() - 3);
	return 0;
}

static int echo(capos_cap_t net)
{
	uint32_t port, count = 1, from;
	char text[IPV4_TEXT_MAX];
	capos_cap_t sock;
	uint16_t fport;
	int err = 0, n;

	if (rt_argc() < 2 || rt_argc() > 3 || parse_num(rt_argv(1), 65535, &port) || port == 0 ||
	    (rt_argc() == 3 && (parse_num(rt_argv(2), UDP_COUNT_MAX, &count) || count == 0)))
		return usage();
	if ((err = net_udp_bind(net, (uint16_t)port, &sock)))
		return fail("bind", err);
	printf("udp: echoing on port %u\n", port);
	for (uint32_t i = 0; i < count && !err; i++) {
		n = udp_recv_from(sock, buf, sizeof(buf), &from, &fport);
		if (n < 0) {
			err = n;
			break;
		}
		ipv4_format(from, text);
		printf("udp: %d bytes from %s:%u\n", n, text, fport);
		err = udp_send_to(sock, from, fport, buf, (uint32_t)n);
	}
	(void)udp_close(sock);
	(void)cap_release(sock);
	return err ? fail("echo", err) : 0;
}

int main(void)
{
	capos_cap_t net = rt_cap("net", net_NetworkManager_TYPE_ID);
	const char *cmd = rt_argc() > 0 ? rt_argv(0) : "";

	if (net == CAPOS_CAP_INVALID) {
		printf("udp: no network (no \"net\" capability)\n");
		return 2;
	}
	if (strcmp(cmd, "send") == 0 || strcmp(cmd, "fill") == 0)
		return send_all(net, cmd[0] == 'f');
	if (strcmp(cmd, "echo") == 0)
		return echo(net);
	return usage();
}
