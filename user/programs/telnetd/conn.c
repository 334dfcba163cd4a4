// SPDX-License-Identifier: MIT
/*
 * A connection's life (telnetd.h). Accepted: a slot, an endpoint whose
 * owner side becomes a port of the gateway's server (the connection's
 * TerminalSession), the telnet offers, and a broker spawned with the
 * client facet as its `terminal` (the broker starts the shell and its
 * login). Past TELNETD_CONNS_MAX the client is told so and closed. A
 * hang-up (the socket's read answers end or fails) makes the terminal
 * answer end and interrupted, so the shell ends and the broker logs out
 * and exits; a broker still running TELNETD_BROKER_GRACE_NS later is
 * killed. When the broker has exited, the socket is closed and the port,
 * endpoint and handle released; a read still in flight keeps the slot
 * (its buffers) until it completes.
 */
#include <capos/errors.h>

#include "client.h"
#include "rt.h"
#include "telnetd.h"
#include "timer.h"

#define CONN_DRAINING 3u	/* freed, but a read's or write's completion is still to come */

static uint32_t accepted;

static uint64_t now_ns(void)
{
	uint64_t ns = 0;

	(void)timer_now(tcaps.timer, &ns);
	return ns;
}

uint32_t conn_count(void)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < TELNETD_CONNS_MAX; i++)
		n += conns[i] && conns[i]->state != CONN_FREE;
	return n;
}

/* A free slot's connection (allocated if the slot was never used), or NULL. */
static struct conn *free_slot(void)
{
	for (uint32_t i = 0; i < TELNETD_CONNS_MAX; i++) {
		if (!conns[i] && (conns[i] = malloc(sizeof(*conns[i]))) != NULL)
			conns[i]->state = CONN_FREE;
		if (conns[i] && conns[i]->state == CONN_FREE) {
			conns[i]->slot = (uint8_t)i;
			return conns[i];
		}
	}
	return NULL;
}

static void refuse(capos_cap_t sock)
{
	static const char busy[] = TELNETD_BUSY_TEXT;

	(void)tcp_write(sock, busy, sizeof(busy) - 1);	/* a fresh socket's buffer takes it */
	(void)tcp_close(sock);
	(void)cap_release(sock);
	printf("telnetd: connection refused: %u in use\n", TELNETD_CONNS_MAX);
}

/*
 * The broker, with the connection's terminal (facet, moved), the login
 * path's caps and the gateway's NetworkManager (for operators' bundles).
 */
static int spawn_broker(struct conn *c, capos_cap_t facet)
{
	const struct spawn_grant g[] = {
		{ "terminal", CAPOS_IFACE_TERMINAL_SESSION, facet, CAPOS_XFER_MOVE },
		{ "creds", 0, tcaps.creds, CAPOS_XFER_COPY },
		{ "sessions", 0, tcaps.sessions, CAPOS_XFER_COPY },
		{ "audit", 0, tcaps.audit, CAPOS_XFER_COPY },
		{ "auditReader", 0, tcaps.audit_reader, CAPOS_XFER_COPY },
		{ "spawner", CAPOS_IFACE_PROCESS_SPAWNER, tcaps.spawner, CAPOS_XFER_COPY },
		{ "endpoints", CAPOS_IFACE_ENDPOINT_FACTORY, tcaps.endpoints, CAPOS_XFER_COPY },
		{ "caps", CAPOS_IFACE_CAPABILITY_MANAGER, tcaps.caps, CAPOS_XFER_COPY },
		{ "timer", CAPOS_IFACE_TIMER, tcaps.timer, CAPOS_XFER_COPY },
		{ "boot", CAPOS_IFACE_BOOT_PACKAGE, tcaps.boot, CAPOS_XFER_COPY },
		{ "net", 0, tcaps.net, CAPOS_XFER_COPY },	/* an operator's bundle gets a copy */
		{ "vm", 0, TELNETD_BROKER_PAGES, SPAWN_VIRTUAL_MEMORY },
	};
	/* Its own CredentialStore terminal (1..): failed logins here do not throttle COM1's. */
	char terminal[4];
	const char *argv[] = { "--terminal", terminal };
	const struct spawn_args args = { argv, 2 };

	snprintf(terminal, sizeof(terminal), "%u", c->slot + 1u);
	int err = spawner_spawn_args(tcaps.spawner, "broker", "broker", &args, g,
				     sizeof(g) / sizeof(g[0]), &c->broker, NULL);

	if (err)
		return err;
	c->broker_running = true;
	return process_wait_submit(&rt.ring, c->broker, &c->broker_wait);
}

/* Gives everything of c back; the slot is free once no read or write of its is in flight. */
static void conn_free(struct conn *c)
{
	/* Closed even after a hang-up: the network service frees it now, not at release. */
	(void)tcp_close(c->sock);
	c->sock_done = true;
	(void)cap_release(c->sock);
	if (c->port > 0)
		(void)server_remove_port(&tsrv, c->port);
	(void)cap_release(c->owner);
	if (c->broker != CAPOS_CAP_INVALID)
		(void)cap_release(c->broker);
	if (c->facet != CAPOS_CAP_INVALID)
		(void)cap_release(c->facet);
	printf("telnetd: connection %u ended\n", c->number);
	c->state = io_busy(c) ? CONN_DRAINING : CONN_FREE;
}

/* Every slot taken: the connections silent for TELNETD_EVICT_NS go (their slots free soon). */
static void evict_silent(void)
{
	uint64_t now = now_ns();

	for (uint32_t i = 0; i < TELNETD_CONNS_MAX; i++) {
		struct conn *c = conns[i];

		if (!c || c->state != CONN_LIVE || c->heard ||
		    now - c->accepted_ns <= TELNETD_EVICT_NS)
			continue;
		printf("telnetd: connection %u: silent with every slot taken; evicted\n", c->number);
		(void)tcp_close(c->sock);	/* fails the read in flight */
		conn_hangup(c);
	}
}

/*
 * A new connection: its terminal endpoint and port, the telnet offers, a
 * read, and its broker (a client that waits for the prompt before it says
 * anything, like nc, must get one).
 */
void conn_accepted(capos_cap_t sock)
{
	struct conn *c = free_slot();
	uint8_t slot;
	int err;

	if (!c) {
		evict_silent();
		refuse(sock);
		return;
	}
	slot = c->slot;
	memset(c, 0, sizeof(*c));	/* in place: the struct is too big for a stack copy */
	c->slot = slot;
	c->state = CONN_LIVE;
	c->number = ++accepted;
	c->sock = sock;
	c->owner = c->facet = c->broker = CAPOS_CAP_INVALID;
	c->accepted_ns = now_ns();
	err = endpoint_create(tcaps.endpoints, capos_TerminalSession_TYPE_ID, &c->owner,
			      &c->facet);
	if (!err) {
		c->port = server_add_port(&tsrv, c->owner, capos_TerminalSession_TYPE_ID,
					  capos_TerminalSession_dispatch_any, &session_impl, c);
		err = c->port < 0 ? c->port : 0;
	}
	if (err) {
		printf("telnetd: connection %u: cannot serve its terminal: %s\n", c->number,
		       capos_strerror(err));
		conn_free(c);
		return;
	}
	termcore_init(&c->core, &tsrv, c->port, &conn_term_ops, c);
	io_start(c);
	err = spawn_broker(c, c->facet);
	if (err) {
		/* A refused spawn moved nothing: conn_free releases the facet. */
		printf("telnetd: connection %u: cannot start its broker: %s%s%s\n", c->number,
		       capos_strerror(err), err == CAPOS_ERR_APPLICATION_EXCEPTION ? ": " : "",
		       err == CAPOS_ERR_APPLICATION_EXCEPTION ? client_exception()->reason : "");
		conn_free(c);
		return;
	}
	c->facet = CAPOS_CAP_INVALID;	/* moved to the broker */
	printf("telnetd: connection %u accepted\n", c->number);
}

void conn_hangup(struct conn *c)
{
	if (c->state != CONN_LIVE)
		return;
	if (!c->broker_running) {	/* its broker never started: nothing to wait for */
		c->sock_done = true;
		conn_free(c);
		return;
	}
	c->sock_done = true;
	c->state = CONN_ENDING;
	c->hangup_ns = now_ns();
	termcore_hangup(&c->core);
}

static void broker_exited(struct conn *c, const struct capos_cqe *cqe)
{
	int64_t code = 0;

	c->broker_running = false;
	if (process_wait_decode(&c->broker_wait, cqe, &code))
		code = -1;
	printf("telnetd: connection %u: broker exited with %lld\n", c->number, (long long)code);
	conn_free(c);
}

/* A freed connection's last read or write came back: the slot is free when both have. */
static bool drained(struct conn *c, const struct capos_cqe *cqe)
{
	if (cqe->opcode != CAPOS_OP_CALL)
		return false;
	if (c->read_in_flight && cqe->user_data == c->read_user_data)
		c->read_in_flight = false;
	else if (c->write_in_flight && cqe->user_data == c->write_user_data)
		c->write_in_flight = false;
	else
		return false;
	if (!io_busy(c))
		c->state = CONN_FREE;
	return true;
}

void conn_on_completion(void *arg, const struct capos_cqe *cqe)
{
	(void)arg;
	if (net_accept_is(cqe)) {
		main_accept_done(cqe);
		return;
	}
	for (uint32_t i = 0; i < TELNETD_CONNS_MAX; i++) {
		struct conn *c = conns[i];

		if (!c || c->state == CONN_FREE)
			continue;
		if (c->broker_running && process_wait_is(&c->broker_wait, cqe)) {
			broker_exited(c, cqe);
			return;
		}
		if (c->state == CONN_DRAINING) {
			if (drained(c, cqe))
				return;
			continue;
		}
		if (io_on_completion(c, cqe))
			return;
	}
}

/* Drops c if its peer has said nothing since the accept (TELNETD_SILENT_NS). */
static void conn_check_silent(struct conn *c, uint64_t now)
{
	if (c->state != CONN_LIVE || c->heard || now - c->accepted_ns <= TELNETD_SILENT_NS)
		return;
	printf("telnetd: connection %u: nothing heard in %llu s; dropped\n", c->number,
	       (unsigned long long)(TELNETD_SILENT_NS / 1000000000ull));
	(void)tcp_close(c->sock);	/* fails the read in flight */
	conn_hangup(c);
}

bool conn_tick(void)
{
	uint64_t now = 0;

	for (uint32_t i = 0; i < TELNETD_CONNS_MAX; i++) {
		struct conn *c = conns[i];

		if (!c)
			continue;
		if (c->state == CONN_LIVE && !c->heard) {
			if (!now)
				now = now_ns();
			conn_check_silent(c, now);
		}
		if (c->state != CONN_ENDING || !c->broker_running || c->killed)
			continue;
		if (!now)
			now = now_ns();
		if (now - c->hangup_ns > TELNETD_BROKER_GRACE_NS) {
			printf("telnetd: connection %u: broker still running; killed\n", c->number);
			(void)process_kill(c->broker);
			c->killed = true;
		}
	}
	return conn_count() != 0;
}
