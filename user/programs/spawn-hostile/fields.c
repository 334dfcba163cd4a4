// SPDX-License-Identifier: MIT
/*
 * Well-formed messages with bad fields: names, binaries and grants that
 * break the rules of schema/capos.capnp (ProcessSpawner.spawn, CapGrant).
 * Every one must raise the exception the schema documents and change
 * nothing.
 */
#include <capos/interfaces.h>

#include "hostile.h"

#define PROBE_BINARY TXT("spawn-hostile")
#define IFACE_ANY 0

static struct spawn_req probe_named(struct txt name)
{
	return req_simple(name, PROBE_BINARY);
}

void hostile_names(void)
{
	struct spawn_req q;

	q = req_simple(TXT("probe"), TXT("no-such-binary"));
	hostile_run("unknown_binary", &q, WANT_EXC(invalidArgument, "no such binary"));
	q = req_simple(TXT("probe"), TXT(""));
	hostile_run("empty_binary_name", &q, WANT_EXC(invalidArgument, "no such binary"));
	q = req_simple(TXT("probe"), TXT("spawn-hostile-spawn-hostile-spawn-hostile-spawn-hostile"));
	hostile_run("too_long_binary_name", &q, WANT_EXC(invalidArgument, "no such binary"));
	/* A NUL inside must not cut the name down to one that exists. */
	q = req_simple(TXT("probe"), TXT("spawn-hostile\0x"));
	hostile_run("binary_name_with_nul", &q, WANT_EXC(invalidArgument, "no such binary"));

	q = probe_named(TXT(""));
	hostile_run("empty_name", &q, WANT_EXC(invalidArgument, "the name must be"));
	q = probe_named(TXT("abcdefghijklmnopqrstuvwxyz012345"));	/* 32 bytes */
	hostile_run("name_of_32_bytes", &q, WANT_EXC(invalidArgument, "the name must be"));
	q = probe_named(TXT("x\ninit exited with code 0"));
	hostile_run("name_with_newline", &q, WANT_EXC(invalidArgument, "the name must be"));
	q = probe_named(TXT("probe\0evil"));
	hostile_run("name_with_nul", &q, WANT_EXC(invalidArgument, "the name must be"));
	q = probe_named(TXT("a b"));
	hostile_run("name_with_space", &q, WANT_EXC(invalidArgument, "the name must be"));
}

/* The probe request with one grant of the console (descriptor 0, copied) named `name`. */
static struct spawn_req console_grant(const struct hostile_caps *c, struct txt name)
{
	struct spawn_req q = hostile_probe_req();

	req_grant(&q, name, CAPOS_IFACE_CONSOLE, SRC_TRANSFER, 0);
	req_xfer(&q, c->console, CAPOS_XFER_COPY);
	return q;
}

static void grant_names(const struct hostile_caps *c)
{
	struct spawn_req q;

	q = console_grant(c, TXT(""));
	hostile_run("grant_name_empty", &q, WANT_EXC(invalidArgument, "grant names"));
	q = console_grant(c, TXT("abcdefghijklmnopqrstuvwxyz012345"));
	hostile_run("grant_name_of_32_bytes", &q, WANT_EXC(invalidArgument, "grant names"));
	q = console_grant(c, TXT("con/sole"));
	hostile_run("grant_name_with_slash", &q, WANT_EXC(invalidArgument, "grant names"));
	q = console_grant(c, TXT("console\0x"));
	hostile_run("grant_name_with_nul", &q, WANT_EXC(invalidArgument, "grant names"));
	q = console_grant(c, TXT("caf\xc3\xa9"));
	hostile_run("grant_name_not_ascii", &q, WANT_EXC(invalidArgument, "grant names"));

	q = console_grant(c, TXT("console"));
	req_grant(&q, TXT("console"), IFACE_ANY, SRC_TRANSFER, 1);
	req_xfer(&q, c->console, CAPOS_XFER_COPY);
	hostile_run("grant_names_twice", &q, WANT_EXC(invalidArgument, "same name"));
	q = console_grant(c, TXT("ep"));
	req_grant(&q, TXT("ep"), 0x1234, SRC_NEW_ENDPOINT, 0);
	hostile_run("grant_name_of_transfer_and_endpoint", &q,
		    WANT_EXC(invalidArgument, "same name"));
}

static void transfer_indices(const struct hostile_caps *c)
{
	struct spawn_req q;

	q = console_grant(c, TXT("console"));
	q.grants[0].index = 1;
	hostile_run("transfer_index_past_descriptors", &q, WANT_EXC(invalidArgument, "not sent"));
	q.grants[0].index = 0xffff;
	hostile_run("transfer_index_65535", &q, WANT_EXC(invalidArgument, "not sent"));
	q = hostile_probe_req();
	req_grant(&q, TXT("console"), IFACE_ANY, SRC_TRANSFER, 0);
	hostile_run("transfer_index_without_descriptors", &q,
		    WANT_EXC(invalidArgument, "not sent"));

	q = console_grant(c, TXT("console"));
	req_grant(&q, TXT("again"), IFACE_ANY, SRC_TRANSFER, 0);
	hostile_run("transfer_index_used_twice", &q, WANT_EXC(invalidArgument, "granted twice"));
	q = hostile_probe_req();
	req_xfer(&q, c->console, CAPOS_XFER_COPY);
	hostile_run("copied_descriptor_no_grant_uses", &q,
		    WANT_EXC(invalidArgument, "no grant uses"));
	q = console_grant(c, TXT("console"));
	req_xfer(&q, c->facet, CAPOS_XFER_MOVE);
	hostile_run("moved_descriptor_no_grant_uses", &q,
		    WANT_EXC(invalidArgument, "no grant uses"));
}

static void grant_kinds(const struct hostile_caps *c)
{
	static char names[REQ_GRANTS_MAX][4];
	struct spawn_req q;

	q = console_grant(c, TXT("console"));
	q.grants[0].iface = CAPOS_IFACE_PROCESS_SPAWNER;
	hostile_run("grant_interface_mismatch", &q,
		    WANT_EXC(invalidArgument, "another interface"));
	q = console_grant(c, TXT("console"));
	q.grants[0].source = SRC_UNKNOWN;
	q.grants[0].index = 5;	/* 0 transfer, 3 newEndpoint, 4 virtualMemory: 5 is nobody's */
	hostile_run("grant_source_unknown", &q, WANT_EXC(invalidArgument, "unknown grant source"));
	q.grants[0].index = 0xffff;
	hostile_run("grant_source_65535", &q, WANT_EXC(invalidArgument, "unknown grant source"));

	q = hostile_probe_req();
	for (uint32_t i = 0; i < CAPOS_XFER_MAX + 1; i++) {
		snprintf(names[i], sizeof(names[i]), "e%u", i);
		req_grant(&q, (struct txt){ names[i], (uint32_t)strlen(names[i]) }, 0x1234,
			  SRC_NEW_ENDPOINT, 0);
	}
	hostile_run("seventeen_grants", &q, WANT_EXC(invalidArgument, "at most 16 grants"));
	/* Fifteen endpoints are made before the sixteenth grant fails: all must go again. */
	q.ngrants = CAPOS_XFER_MAX;
	q.grants[CAPOS_XFER_MAX - 1].name = TXT("bad name");
	hostile_run("endpoints_made_then_bad_grant", &q, WANT_EXC(invalidArgument, "grant names"));
}

void hostile_grants(const struct hostile_caps *c)
{
	grant_names(c);
	transfer_indices(c);
	grant_kinds(c);
}

/* Binaries that are not valid capOS executables (tests/qemu/rules.mk makes them). */
void hostile_binaries(void)
{
	struct spawn_req q;

	q = req_simple(TXT("probe"), TXT("not-elf"));
	hostile_run("binary_not_elf", &q, WANT_EXC(failed, "bad magic"));
	q = req_simple(TXT("probe"), TXT("elf-truncated"));
	hostile_run("binary_truncated", &q, WANT_EXC(failed, "program header table"));
	q = req_simple(TXT("probe"), TXT("elf32"));
	hostile_run("binary_elf32", &q, WANT_EXC(failed, "not a 64-bit"));
	q = req_simple(TXT("probe"), TXT("elf-wx"));
	hostile_run("binary_writable_and_executable", &q,
		    WANT_EXC(failed, "both writable and executable"));
}
