// SPDX-License-Identifier: MIT
/*
 * ping [-c N] ADDR: N (default 4) ICMP echoes of 56 bytes through the
 * NetworkManager granted as "net", one a second, each reported as Linux's
 * ping does ("64 bytes from 10.0.2.2: icmp_seq=1 ttl=255 time=0.512 ms"),
 * then a summary (transmitted, received, loss, min/avg/max). The round trip
 * is the service's, by its Timer. Exit 0 when every echo came back, 1 when
 * some did not, 2 for bad arguments or no network.
 */
#include "net.capnp.h"
#include "net.h"
#include "rt.h"

#define PING_SIZE 56		/* payload bytes, as Linux's default */
#define PING_TIMEOUT_MS 2000
#define PING_INTERVAL_NS 1000000000ull
#define PING_COUNT_MAX 1000

struct ping_opts {
	uint32_t address;
	uint32_t count;
};

static int usage(void)
{
	printf("usage: ping [-c COUNT] ADDRESS (COUNT 1..%u, ADDRESS a.b.c.d)\n", PING_COUNT_MAX);
	return 2;
}

/* A decimal 1..PING_COUNT_MAX, or 0. */
static uint32_t parse_count(const char *s)
{
	uint32_t v = 0;

	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > PING_COUNT_MAX)
			return 0;
		v = v * 10 + (uint32_t)(*s - '0');
	}
	return v <= PING_COUNT_MAX ? v : 0;
}

static int parse_args(struct ping_opts *o)
{
	int argc = rt_argc(), i = 0;
	const char *a;

	o->count = 4;
	if (argc >= 2 && strcmp(rt_argv(0), "-c") == 0) {
		o->count = parse_count(rt_argv(1));
		i = 2;
	}
	if (o->count == 0 || argc != i + 1)
		return -1;
	a = rt_argv(i);
	return ipv4_parse(a, strlen(a), &o->address);
}

/* ns as milliseconds with 3 decimals ("0.512"), into out. */
static void format_ms(uint64_t ns, char *out, size_t n)
{
	uint64_t us = ns / 1000;

	snprintf(out, n, "%llu.%03llu", (unsigned long long)(us / 1000),
		 (unsigned long long)(us % 1000));
}

int main(void)
{
	capos_cap_t net = rt_cap("net", net_NetworkManager_TYPE_ID);
	capos_cap_t timer = rt_cap("timer", CAPOS_IFACE_TIMER);
	uint64_t rtt, min = UINT64_MAX, max = 0, sum = 0;
	char addr[IPV4_TEXT_MAX], t1[24], t2[24], t3[24];
	struct ping_opts o;
	uint32_t got = 0;
	uint8_t ttl;

	if (parse_args(&o))
		return usage();
	if (net == CAPOS_CAP_INVALID) {
		printf("ping: no network (no \"net\" capability)\n");
		return 2;
	}
	ipv4_format(o.address, addr);
	printf("PING %s %u(%u) bytes of data.\n", addr, PING_SIZE, PING_SIZE + 28);
	for (uint32_t seq = 1; seq <= o.count; seq++) {
		int err = net_ping(net, o.address, PING_SIZE, PING_TIMEOUT_MS, &rtt, &ttl);

		if (err) {
			printf("no answer from %s: icmp_seq=%u (%d)\n", addr, seq, err);
		} else {
			got++;
			sum += rtt;
			min = rtt < min ? rtt : min;
			max = rtt > max ? rtt : max;
			format_ms(rtt, t1, sizeof(t1));
			printf("%u bytes from %s: icmp_seq=%u ttl=%u time=%s ms\n", PING_SIZE + 8, addr,
			       seq, ttl, t1);
		}
		/* One a second, as Linux: the wait is what is left of it after the reply. */
		if (seq < o.count && timer != CAPOS_CAP_INVALID && (err || rtt < PING_INTERVAL_NS))
			timer_sleep(timer, err ? PING_INTERVAL_NS / 2 : PING_INTERVAL_NS - rtt);
	}
	printf("--- %s ping statistics ---\n", addr);
	printf("%u packets transmitted, %u received, %u%% packet loss\n", o.count, got,
	       (o.count - got) * 100 / o.count);
	if (got) {
		format_ms(min, t1, sizeof(t1));
		format_ms(sum / got, t2, sizeof(t2));
		format_ms(max, t3, sizeof(t3));
		printf("rtt min/avg/max = %s/%s/%s ms\n", t1, t2, t3);
	}
	return got == o.count ? 0 : 1;
}
