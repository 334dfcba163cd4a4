// SPDX-License-Identifier: MIT
/*
 * fetch [-s|-q] URL: an HTTP/1.1 GET of http://A.B.C.D[:PORT]/PATH through
 * the NetworkManager granted as "net" (Host, Connection: close). The body
 * goes to the terminal; -s prints "N bytes sha256 HEX" instead, -q
 * discards it and prints "N bytes in T s, R MB/s" by the Timer granted as
 * "timer" (bytes only without one). A non-2xx status is an error reported
 * with its status line. Throughput: FETCH_READS reads stay in flight on
 * the socket (the schema allows 4), so the service always has one to
 * answer while fetch digests the last. Exit 0 on success, 1 on a failed
 * transfer, 2 for bad arguments or no network.
 */
#include "fetch.h"
#include "net.capnp.h"
#include "net.h"
#include "rt.h"

#define FETCH_READS NET_PENDING_MAX
#define READ_TIMEOUT_NS (30ull * 1000000000ull)	/* a silent peer: give up */

static struct fetch state;
static struct tcp_read_req reads[FETCH_READS];

static int parse_args(struct http_url *u)
{
	int argc = rt_argc(), i = 0;
	const char *a = argc > 0 ? rt_argv(0) : "";

	state.mode = FETCH_PRINT;
	if (strcmp(a, "-s") == 0 || strcmp(a, "-q") == 0) {
		state.mode = a[1] == 's' ? FETCH_SHA256 : FETCH_QUIET;
		i = 1;
	}
	if (argc != i + 1 || http_parse_url(rt_argv(i), u)) {
		printf("usage: fetch [-s|-q] http://A.B.C.D[:PORT][/PATH]\n");
		return -1;
	}
	return 0;
}

static int send_request(capos_cap_t sock, const struct http_url *u)
{
	char req[HTTP_PATH_MAX + 128];
	int n = snprintf(req, sizeof(req),
			 "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: capOS-fetch\r\n"
			 "Connection: close\r\n\r\n", u->path, u->host);

	return tcp_write(sock, req, (size_t)n);
}

/*
 * Reads until the body ends or the peer closes, FETCH_READS reads in
 * flight; they are answered in order, so the oldest is always next.
 */
static int transfer(capos_cap_t sock)
{
	uint32_t next = 0, pending = 0;
	bool closed = false;
	int ret = 0, got;

	for (; pending < FETCH_READS; pending++)
		if (tcp_read_submit(client_ring, sock, NET_IO_CHUNK, &reads[pending]))
			return -1;
	while (pending) {
		got = tcp_read_wait(client_ring, &reads[next], READ_TIMEOUT_NS);
		pending--;
		if (got < 0 && !ret) {
			printf("fetch: read failed (%d)\n", got);
			ret = -1;
		} else if (got == 0 && !ret) {
			ret = fetch_end(&state) ? -1 : 1;
		} else if (got > 0 && !ret && fetch_take(&state, (uint8_t *)reads[next].data,
							 (uint32_t)got)) {
			ret = -1;
		}
		if (state.done && !ret)
			ret = 1;
		if (!ret && !tcp_read_submit(client_ring, sock, NET_IO_CHUNK, &reads[next]))
			pending++;
		if (ret && !closed) {
			tcp_close(sock);	/* what is still pending answers disconnected */
			closed = true;
		}
		next = (next + 1) % FETCH_READS;
	}
	return ret < 0 ? -1 : 0;
}

static void report(uint64_t t0, capos_cap_t timer)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	uint64_t t1 = 0, us, rate;

	if (state.mode == FETCH_SHA256) {
		sha256_final(&state.sha, d);
		printf("%llu bytes sha256 ", (unsigned long long)state.body_bytes);
		for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
			printf("%02x", d[i]);
		printf("\n");
	} else if (state.mode == FETCH_QUIET) {
		if (timer == CAPOS_CAP_INVALID || timer_now(timer, &t1) || t1 <= t0) {
			printf("%llu bytes\n", (unsigned long long)state.body_bytes);
			return;
		}
		us = (t1 - t0) / 1000 + 1;
		rate = state.body_bytes * 1000 / us;	/* kB/s, as bytes per ms */
		printf("%llu bytes in %llu.%03llu s, %llu.%02llu MB/s\n",
		       (unsigned long long)state.body_bytes, (unsigned long long)(us / 1000000),
		       (unsigned long long)(us / 1000 % 1000), (unsigned long long)(rate / 1000),
		       (unsigned long long)(rate % 1000 / 10));
	}
}

int main(void)
{
	capos_cap_t net = rt_cap("net", net_NetworkManager_TYPE_ID);
	capos_cap_t timer = rt_cap("timer", CAPOS_IFACE_TIMER);
	struct http_url u;
	capos_cap_t sock;
	uint64_t t0 = 0;
	int err;

	if (parse_args(&u))
		return 2;
	if (net == CAPOS_CAP_INVALID) {
		printf("fetch: no network (no \"net\" capability)\n");
		return 2;
	}
	sha256_init(&state.sha);
	if (timer != CAPOS_CAP_INVALID)
		timer_now(timer, &t0);
	err = net_tcp_connect(net, u.address, u.port, &sock);
	if (err) {
		printf("fetch: cannot connect to %s (%d)\n", u.host, err);
		return 1;
	}
	err = send_request(sock, &u);
	if (err) {
		printf("fetch: sending the request failed (%d)\n", err);
	} else if (transfer(sock) == 0) {
		report(t0, timer);
	} else {
		err = -1;
	}
	tcp_close(sock);
	cap_release(sock);
	return err ? 1 : 0;
}
