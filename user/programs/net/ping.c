// SPDX-License-Identifier: MIT
/*
 * Pings (ping.h) through a raw ICMP pcb: each request carries the service's
 * identifier and its own sequence number, so a reply finds its call. Echo
 * requests to the service, and replies that are not ours, go on to lwIP
 * (the raw callback does not eat them): lwIP answers pings to us itself.
 */
#include "ping.h"

#include "capos.capnp.h"
#include "lwip/icmp.h"
#include "lwip/inet_chksum.h"
#include "lwip/ip.h"
#include "lwip/prot/ip4.h"
#include "lwip/raw.h"
#include "net.h"
#include "ustring.h"

#define PING_ID 0xca05u

struct ping {
	bool used;
	int port;
	uint32_t call_id;
	uint16_t seq;
	uint64_t sent_ns, deadline_ns;
};

static struct ping pings[PING_INFLIGHT_MAX];
static struct raw_pcb *icmp_pcb;
static uint16_t next_seq;

static void answer_reply(struct ping *pg, uint64_t rtt, uint8_t ttl)
{
	static uint64_t arena[16], out[16];
	struct net_NetworkManager_ping_Results_builder r;
	struct capnp_msg m;
	size_t len = 0;

	capnp_msg_init_build(&m, arena, sizeof(arena));
	r = net_NetworkManager_ping_Results_init_root(&m);
	net_NetworkManager_ping_Results_set_rttNs(r, rtt);
	net_NetworkManager_ping_Results_set_ttl(r, ttl);
	pg->used = false;
	if (!capnp_msg_error(&m) && !capnp_msg_write(&m, out, sizeof(out), &len))
		(void)server_return_port(&net_srv, pg->port, pg->call_id, 0, out, (uint32_t)len,
					 NULL, 0);
}

static u8_t on_icmp(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *addr)
{
	struct ip_hdr iph;
	struct icmp_echo_hdr echo;
	uint16_t hlen;

	(void)arg;
	(void)pcb;
	(void)addr;
	if (pbuf_copy_partial(p, &iph, sizeof(iph), 0) != sizeof(iph))
		return 0;
	hlen = (uint16_t)(IPH_HL(&iph) * 4u);
	if (pbuf_copy_partial(p, &echo, sizeof(echo), hlen) != sizeof(echo) ||
	    echo.type != ICMP_ER || lwip_ntohs(echo.id) != PING_ID)
		return 0;
	for (uint32_t i = 0; i < PING_INFLIGHT_MAX; i++) {
		struct ping *pg = &pings[i];

		if (pg->used && pg->seq == lwip_ntohs(echo.seqno)) {
			answer_reply(pg, net_clock_now() - pg->sent_ns, IPH_TTL(&iph));
			pbuf_free(p);
			return 1;
		}
	}
	return 0;
}

void ping_init(void)
{
	icmp_pcb = raw_new(IP_PROTO_ICMP);
	if (icmp_pcb) {
		raw_recv(icmp_pcb, on_icmp, NULL);
		(void)raw_bind(icmp_pcb, IP4_ADDR_ANY);
	}
}

static struct ping *ping_slot(void)
{
	for (uint32_t i = 0; i < PING_INFLIGHT_MAX; i++)
		if (!pings[i].used)
			return &pings[i];
	return NULL;
}

int ping_start(struct server_call *c, uint32_t address, uint16_t size, uint32_t timeout_ms)
{
	struct ping *pg = ping_slot();
	struct icmp_echo_hdr *echo;
	struct pbuf *p;
	ip_addr_t to;
	uint64_t now;

	if (!pg)
		return server_raise(c, capos_CapException_Type_overloaded,
				    "16 pings are in flight already");
	if (!icmp_pcb || !(p = pbuf_alloc(PBUF_IP, (u16_t)(sizeof(*echo) + size), PBUF_RAM)))
		return server_raise(c, capos_CapException_Type_overloaded, "out of buffers");
	echo = p->payload;
	echo->type = ICMP_ECHO;
	echo->code = 0;
	echo->id = lwip_htons(PING_ID);
	echo->seqno = lwip_htons(++next_seq);
	echo->chksum = 0;
	for (uint16_t i = 0; i < size; i++)
		((uint8_t *)(echo + 1))[i] = (uint8_t)i;
	echo->chksum = inet_chksum(echo, (u16_t)(sizeof(*echo) + size));
	ip_addr_set_ip4_u32(&to, lwip_htonl(address));
	/* Not the turn's clock: that was read before the loop waited for this call. */
	now = net_clock_now();
	*pg = (struct ping){ .used = true, .port = c->port, .call_id = c->call_id,
			     .seq = next_seq, .sent_ns = now,
			     .deadline_ns = now + (uint64_t)timeout_ms * 1000000u };
	err_t err = raw_sendto(icmp_pcb, p, &to);
	pbuf_free(p);
	if (err != ERR_OK) {
		pg->used = false;
		return server_raise(c, capos_CapException_Type_failed, "no route to the address");
	}
	return SERVER_HELD;
}

uint64_t ping_expire(uint64_t now_ns)
{
	uint64_t next = UINT64_MAX;

	for (uint32_t i = 0; i < PING_INFLIGHT_MAX; i++) {
		struct ping *pg = &pings[i];

		if (!pg->used)
			continue;
		if (pg->deadline_ns <= now_ns) {
			pg->used = false;
			answer_raise(pg->port, pg->call_id, capos_CapException_Type_failed,
				     "no reply within the timeout");
		} else if (pg->deadline_ns - now_ns < next) {
			next = pg->deadline_ns - now_ns;
		}
	}
	return next;
}
