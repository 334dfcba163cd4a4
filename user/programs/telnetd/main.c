// SPDX-License-Identifier: MIT
/*
 * telnetd: the telnet gateway (docs/telnet.md). It listens on TCP port 23
 * through the NetworkManager granted as "net" and gives each connection
 * what COM1 has: a TerminalSession (the same terminal core as the serial
 * terminal's, behind the telnet protocol of lib/telnet) and a broker of
 * its own, spawned with that terminal and the login path's capabilities
 * the gateway holds for it (creds, sessions, audit, auditReader, spawner,
 * endpoints, caps, timer, boot), so a telnet client gets the same login
 * and shell. At most TELNETD_CONNS_MAX at once. When the listener ends
 * (accept fails: the network service closed it or is gone), no more
 * connections come: the gateway waits for the ones it has to end, then
 * exits 0. Exits 2 when a capability is missing or listening fails.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "client.h"
#include "credentials.capnp.h"
#include "rt.h"
#include "session.capnp.h"
#include "telnetd.h"

#define TELNETD_TICK_NS 500000000ull	/* how often brokers past their grace are looked for */

struct telnetd_caps tcaps;
struct server tsrv;
struct conn *conns[TELNETD_CONNS_MAX];
static capos_cap_t listener = CAPOS_CAP_INVALID;
static bool listening;

static bool take_caps(void)
{
	tcaps = (struct telnetd_caps){
		.net = rt_cap("net", net_NetworkManager_TYPE_ID),
		.creds = rt_cap("creds", credentials_CredentialStore_TYPE_ID),
		.sessions = rt_cap("sessions", session_SessionManager_TYPE_ID),
		.audit = rt_cap("audit", session_AuditLog_TYPE_ID),
		.audit_reader = rt_cap("auditReader", session_AuditReader_TYPE_ID),
		.spawner = rt_cap("spawner", CAPOS_IFACE_PROCESS_SPAWNER),
		.endpoints = rt_cap("endpoints", CAPOS_IFACE_ENDPOINT_FACTORY),
		.caps = rt_cap("caps", CAPOS_IFACE_CAPABILITY_MANAGER),
		.timer = rt_cap("timer", CAPOS_IFACE_TIMER),
		.boot = rt_cap("boot", CAPOS_IFACE_BOOT_PACKAGE),
	};
	const capos_cap_t *all = &tcaps.net;

	for (size_t i = 0; i < sizeof(tcaps) / sizeof(tcaps.net); i++)
		if (all[i] == CAPOS_CAP_INVALID)
			return false;
	return true;
}

static void accept_next(void)
{
	if (listening && net_accept_submit(listener)) {
		printf("telnetd: cannot queue an accept; no more connections\n");
		listening = false;
	}
}

void main_accept_done(const struct capos_cqe *cqe)
{
	capos_cap_t sock;
	int err = net_accept_read(cqe, &sock);

	if (err) {
		printf("telnetd: the listener ended (%s); no more connections\n",
		       capos_strerror(err));
		listening = false;
		return;
	}
	conn_accepted(sock);
	accept_next();
}

/*
 * Port 0 of the server is an endpoint nobody else holds: the gateway
 * serves only its connections' ports, which come and go.
 */
static int serve_init(void)
{
	capos_cap_t owner, facet;
	int err = endpoint_create(tcaps.endpoints, capos_TerminalSession_TYPE_ID, &owner, &facet);

	if (err)
		return err;
	(void)cap_release(facet);
	err = server_init(&tsrv, &rt.ring, owner, capos_TerminalSession_TYPE_ID,
			  capos_TerminalSession_dispatch_any, &session_impl);
	if (!err)
		server_set_other(&tsrv, conn_on_completion, NULL);
	return err;
}

/* Serves until the listener has ended and every connection is gone. */
static int serve(void)
{
	bool busy = true;

	while (busy || listening) {
		int err = server_serve_one(&tsrv, TELNETD_TICK_NS);

		if (err && err != SERVER_HELD && err != SERVER_STOP && err != CAPOS_ERR_TIMED_OUT)
			return err;
		busy = conn_tick();	/* every turn: a broker past its grace is killed */
	}
	return server_flush(&tsrv);
}

int main(void)
{
	int err;

	if (!take_caps()) {
		printf("telnetd: needs net, creds, sessions, audit, auditReader, spawner, "
		       "endpoints, caps, timer and boot\n");
		return 2;
	}
	err = serve_init();
	if (!err)
		err = net_tcp_listen(tcaps.net, TELNETD_TCP_PORT, 16, &listener);
	if (err) {
		printf("telnetd: cannot listen on port %u: %s\n", TELNETD_TCP_PORT,
		       capos_strerror(err));
		return 2;
	}
	printf("telnetd: listening on port %u\n", TELNETD_TCP_PORT);
	listening = true;
	accept_next();
	err = serve();
	(void)cap_release(listener);
	if (err) {
		printf("telnetd: serving failed: %s\n", capos_strerror(err));
		return 2;
	}
	printf("telnetd: done\n");
	return 0;
}
