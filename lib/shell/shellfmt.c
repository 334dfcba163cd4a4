// SPDX-License-Identifier: MIT
/*
 * The shell's answer texts (shellfmt.h). Everything goes through one small
 * writer that never overruns the buffer and keeps counting past its end,
 * so each function returns the whole length like snprintf, and text from
 * outside the shell is escaped in one place (sf_put_untrusted).
 */
#include <capos/interfaces.h>

#include "shell/shellfmt.h"

struct sf_out {
	char *buf;
	size_t size;
	size_t len;	/* the length the whole text has; may exceed size */
};

static size_t sf_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void sf_put_byte(struct sf_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void sf_put(struct sf_out *o, const char *s)
{
	while (*s)
		sf_put_byte(o, *s++);
}

static void sf_put_hex(struct sf_out *o, uint64_t v, int digits)
{
	static const char hex[] = "0123456789abcdef";

	while (digits-- > 0)
		sf_put_byte(o, hex[(v >> (4 * digits)) & 15]);
}

/* s with control bytes as \xNN; returns the number of bytes put. */
static size_t sf_put_untrusted(struct sf_out *o, const char *s)
{
	size_t start = o->len;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f) {
			sf_put(o, "\\x");
			sf_put_hex(o, c, 2);
		} else {
			sf_put_byte(o, (char)c);
		}
	}
	return o->len - start;
}

static void sf_pad(struct sf_out *o, size_t used, size_t column)
{
	do
		sf_put_byte(o, ' ');
	while (++used < column);
}

static int sf_end(struct sf_out *o)
{
	if (o->size > 0)
		o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
	return (int)o->len;
}

int shellfmt_prompt(char *buf, size_t size, const char *user)
{
	struct sf_out o = { buf, size, 0 };

	sf_put_untrusted(&o, user && *user ? user : "anonymous");
	sf_put(&o, "@capos> ");
	return sf_end(&o);
}

const char *shellfmt_profile_name(enum shellfmt_profile profile)
{
	switch (profile) {
	case SHELLFMT_PROFILE_ANONYMOUS: return "anonymous";
	case SHELLFMT_PROFILE_GUEST: return "guest";
	case SHELLFMT_PROFILE_OPERATOR: return "operator";
	}
	return 0;
}

int shellfmt_session(char *buf, size_t size, const char *user, enum shellfmt_profile profile)
{
	struct sf_out o = { buf, size, 0 };
	const char *p = shellfmt_profile_name(profile);

	sf_put(&o, "user ");
	sf_put_untrusted(&o, user && *user ? user : "anonymous");
	sf_put(&o, "\nprofile ");
	sf_put(&o, p ? p : "unknown");
	sf_put(&o, "\n");
	return sf_end(&o);
}

static const struct {
	uint64_t iface;
	const char *name;
} sf_interfaces[] = {
	{ CAPOS_IFACE_CONSOLE, "Console" },
	{ CAPOS_IFACE_BOOT_PACKAGE, "BootPackage" },
	{ CAPOS_IFACE_PROCESS_SPAWNER, "ProcessSpawner" },
	{ CAPOS_IFACE_PROCESS_HANDLE, "ProcessHandle" },
	{ CAPOS_IFACE_ENDPOINT, "Endpoint" },
	{ CAPOS_IFACE_ENDPOINT_FACTORY, "EndpointFactory" },
	{ CAPOS_IFACE_CAPABILITY_MANAGER, "CapabilityManager" },
	{ CAPOS_IFACE_VIRTUAL_MEMORY, "VirtualMemory" },
	{ CAPOS_IFACE_TIMER, "Timer" },
	{ CAPOS_IFACE_ENTROPY_SOURCE, "EntropySource" },
	{ CAPOS_IFACE_REVOKER, "Revoker" },
	{ CAPOS_IFACE_MEMORY_OBJECT_FACTORY, "MemoryObjectFactory" },
	{ CAPOS_IFACE_MEMORY_OBJECT, "MemoryObject" },
	{ CAPOS_IFACE_SERIAL_PORT, "SerialPort" },
	{ CAPOS_IFACE_TERMINAL_SESSION, "TerminalSession" },
	/* schema/session.capnp (tests/unit/shell checks them against its ids) */
	{ SHELLFMT_IFACE_AUTHORITY_BROKER, "AuthorityBroker" },
	{ SHELLFMT_IFACE_LAUNCHER, "Launcher" },
	{ SHELLFMT_IFACE_SESSION_MANAGER, "SessionManager" },
	{ SHELLFMT_IFACE_AUDIT_LOG, "AuditLog" },
	{ SHELLFMT_IFACE_AUDIT_READER, "AuditReader" },
};

const char *shellfmt_interface_name(uint64_t iface)
{
	for (size_t i = 0; i < sizeof(sf_interfaces) / sizeof(sf_interfaces[0]); i++)
		if (sf_interfaces[i].iface == iface)
			return sf_interfaces[i].name;
	return 0;
}

int shellfmt_cap_line(char *buf, size_t size, const char *name, uint64_t iface)
{
	struct sf_out o = { buf, size, 0 };
	const char *iname = shellfmt_interface_name(iface);

	sf_pad(&o, sf_put_untrusted(&o, name), SHELLFMT_NAME_COLUMN);
	if (iname) {
		sf_put(&o, iname);
	} else {
		sf_put(&o, "0x");
		sf_put_hex(&o, iface, 16);
	}
	sf_put(&o, "\n");
	return sf_end(&o);
}

int shellfmt_help_line(char *buf, size_t size, enum shellcmd_kind kind)
{
	struct sf_out o = { buf, size, 0 };
	const struct shellcmd_info *info = shellcmd_info(kind);

	if (info) {
		sf_put(&o, "  ");
		sf_put(&o, info->name);
		sf_pad(&o, 2 + sf_strlen(info->name), 10);
		sf_put(&o, info->summary);
		sf_put(&o, "\n");
	}
	return sf_end(&o);
}

int shellfmt_help_topic(char *buf, size_t size, enum shellcmd_kind kind)
{
	struct sf_out o = { buf, size, 0 };
	const struct shellcmd_info *info = shellcmd_info(kind);

	if (info) {
		sf_put(&o, "usage: ");
		sf_put(&o, info->usage);
		sf_put(&o, "\n");
		sf_put(&o, info->summary);
		sf_put(&o, "\n");
	}
	return sf_end(&o);
}

static void sf_put_dec(struct sf_out *o, uint64_t v, int min_digits)
{
	char d[20];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < 20);
	while (n < min_digits)
		d[n++] = '0';
	while (n)
		sf_put_byte(o, d[--n]);
}

int shellfmt_job_end(char *buf, size_t size, uint32_t job, const char *binary, int64_t code)
{
	struct sf_out o = { buf, size, 0 };

	sf_put(&o, "[job ");
	sf_put_dec(&o, job, 1);
	sf_put(&o, "] ");
	sf_put_untrusted(&o, binary);
	if (code == SHELLFMT_EXIT_KILLED) {
		sf_put(&o, ": killed");
	} else if (code == SHELLFMT_EXIT_FAULT) {
		sf_put(&o, ": ended by a fault");
	} else {
		sf_put(&o, ": exit code ");
		if (code < 0)
			sf_put_byte(&o, '-');
		sf_put_dec(&o, code < 0 ? 0 - (uint64_t)code : (uint64_t)code, 1);
	}
	sf_put(&o, "\n");
	return sf_end(&o);
}

const char *shellfmt_audit_event_name(uint16_t event)
{
	static const char *const names[] = {
		"setup", "loginOk", "loginFailed", "logout", "run", "refused",
	};

	return event < sizeof(names) / sizeof(names[0]) ? names[event] : 0;
}

static void sf_put_field(struct sf_out *o, const char *s)
{
	sf_put_byte(o, ' ');
	if (!s || !*s)
		sf_put_byte(o, '-');
	else
		sf_put_untrusted(o, s);
}

int shellfmt_audit_line(char *buf, size_t size, uint64_t seq, uint64_t time_ns, uint16_t event,
			const char *user, const char *session, const char *detail)
{
	struct sf_out o = { buf, size, 0 };
	const char *name = shellfmt_audit_event_name(event);

	sf_put_dec(&o, seq, 1);
	sf_put_byte(&o, ' ');
	sf_put_dec(&o, time_ns / 1000000000u, 1);
	sf_put_byte(&o, '.');
	sf_put_dec(&o, time_ns / 1000000u % 1000u, 3);
	sf_put_byte(&o, 's');
	if (name) {
		sf_put_field(&o, name);
	} else {
		sf_put(&o, " event");
		sf_put_dec(&o, event, 1);
	}
	sf_put_field(&o, user);
	sf_put_field(&o, session);
	sf_put_field(&o, detail);
	sf_put(&o, "\n");
	return sf_end(&o);
}
