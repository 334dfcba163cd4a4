// SPDX-License-Identifier: MIT
/*
 * The manifest validator (lib/manifest): every rule of docs/manifest.md
 * refused with its path and reason, each limit taken at its edge (the
 * largest valid value passes, one more fails), the plan of a valid manifest
 * (names, resolved grants, start order), and hostile bytes: every single-bit
 * flip and every truncation of the default manifest ends in a plan or in an
 * error line, never in a crash (ASan/UBSan watch every read).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capos/errors.h>
#include <capos/interfaces.h>

#include "echo.capnp.h"
#include "manifest.capnp.h"
#include "mload.h"
#include "test.h"

TEST(the_base_manifest_loads_with_every_reference_resolved)
{
	mb_base(&d);
	CHECK_EQ(load(), 0);
	CHECK_EQ(plan.nservices, 3);
	CHECK_EQ(plan.nbinaries, 3);
	CHECK(strcmp(plan.motd, "hello, world") == 0);
	CHECK_STR(plan.services[2].name, "client");
	CHECK_EQ(plan.services[2].grants[1].kind, MANIFEST_SOURCE_SERVICE);
	CHECK_EQ(plan.services[2].grants[1].service, 1);
	CHECK_EQ(plan.services[2].grants[1].export, 0);
	CHECK_EQ(plan.services[2].grants[1].iface, echo_Echo_TYPE_ID);
	CHECK_EQ(plan.services[0].grants[0].kind, MANIFEST_SOURCE_KERNEL);
	CHECK_EQ(plan.services[0].grants[0].kernel, manifest_SystemManifest_KernelSource_console);
	CHECK_EQ(plan.services[1].restart.mode, MODE(onFailure));
	CHECK_EQ(plan.services[1].restart.max_backoff_ms, 400);
	CHECK_EQ(plan.services[0].restart.mode, MODE(never));
}

TEST(start_order_puts_exporters_first_and_keeps_list_order_otherwise)
{
	struct mb_service *s;

	mb_base(&d);
	/* A client listed before its exporter, and a chain c3 -> c2 -> echo. */
	d.services[0] = d.services[2];
	d.services[0].name = "first-client";
	s = mb_add_service(&d, "c3", "echo-demo");
	s->grants[s->ngrants++] =
		MB_GRANT_IMPORT("up", manifest_echoIface, "c2", "service");
	s = mb_add_service(&d, "c2", "ipc-echo");
	s->grants[s->ngrants++] =
		MB_GRANT_IMPORT("up", manifest_echoIface, "echo", "service");
	s->exports[s->nexports++] = (struct mb_export){ "service", manifest_echoIface };
	CHECK_EQ(load(), 0);
	/* services: 0 first-client, 1 echo, 2 client, 3 c3, 4 c2 */
	CHECK_EQ(plan.order[0], 1);
	CHECK_EQ(plan.order[1], 0);
	CHECK_EQ(plan.order[2], 2);
	CHECK_EQ(plan.order[3], 4);
	CHECK_EQ(plan.order[4], 3);
}

TEST(service_args_are_packed_in_order_with_empty_ones)
{
	const char *argv[MANIFEST_ARGS_MAX];

	mb_base(&d);
	CHECK_EQ(load(), 0);
	CHECK_EQ(plan.services[0].argc, 0);	/* absent: none */
	d.services[1].nargs = 3;
	d.services[1].args[0] = "10.0.2.2";
	d.services[1].args[1] = "";
	d.services[1].args[2] = "a b";
	CHECK_EQ(load(), 0);
	CHECK_EQ(manifest_service_argv(&plan.services[1], argv), 3);
	CHECK_STR(argv[0], "10.0.2.2");
	CHECK_STR(argv[1], "");
	CHECK_STR(argv[2], "a b");
}

TEST(service_args_limits_hold_exactly)
{
	static char big[MANIFEST_ARGS_BYTES + 1];
	struct mb_service *s;

	mb_base(&d);
	s = &d.services[1];
	s->nargs = MANIFEST_ARGS_MAX;
	for (uint32_t j = 0; j < MANIFEST_ARGS_MAX; j++)
		s->args[j] = "";
	CHECK_STR(verdict(), "ok");
	s->nargs = MANIFEST_ARGS_MAX + 1;
	s->args[MANIFEST_ARGS_MAX] = "";
	CHECK_STR(verdict(), "services[1].args: 17 args, at most 16");
	memset(big, 'x', MANIFEST_ARGS_BYTES - 1);	/* 895 bytes + NUL = 896 */
	s->nargs = 1;
	s->args[0] = big;
	CHECK_STR(verdict(), "ok");
	CHECK_EQ(strlen(plan.services[1].args), MANIFEST_ARGS_BYTES - 1);
	big[MANIFEST_ARGS_BYTES - 1] = 'x';		/* 897 */
	CHECK_STR(verdict(), "services[1].args: more than 896 bytes with a NUL after each");
	big[MANIFEST_ARGS_BYTES - 1] = 0;
	big[100] = 0;				/* 101 + 794: 896 in two */
	s->nargs = 2;
	s->args[1] = big + 101;
	CHECK_STR(verdict(), "ok");
	s->args[1] = big + 100;			/* the same size, starting at the NUL */
	s->arg_len[1] = MANIFEST_ARGS_BYTES - 102;
	CHECK_STR(verdict(), "services[1].args: args[1] holds a NUL");
}

TEST(imports_must_name_an_export_of_the_right_interface)
{
	mb_base(&d);
	d.services[2].grants[1].service = "echoes";
	CHECK_STR(verdict(), "services[2].grants[1].source.service.service: no service named "
			     "\"echoes\"");
	mb_base(&d);
	d.services[2].grants[1].export = NULL;
	CHECK_STR(verdict(), "services[2].grants[1].source.service.export: missing");
	mb_base(&d);
	d.services[2].grants[1].export = "services";
	CHECK_STR(verdict(), "services[2].grants[1].source.service.export: service \"echo\" "
			     "exports no \"services\"");
	mb_base(&d);
	d.services[2].grants[1].iface = CAPOS_IFACE_CONSOLE;
	CHECK_STR(verdict(), "services[2].grants[1].interfaceId: interface mismatch: the grant "
			     "asks for 0xb3a691ff67a3ccfe, echo.service serves 0xe9025c4457ba11f4");
	mb_base(&d);
	d.services[1].exports[0].iface = 0;
	CHECK_STR(verdict(), "services[1].exports[0].interfaceId: missing");
}

TEST(cycles_are_refused_and_named)
{
	struct mb_grant up = MB_GRANT_IMPORT("up", manifest_echoIface, "echo", "service");

	mb_base(&d);
	d.services[1].grants[0] = up;	/* echo imports itself */
	d.services[1].ngrants = 1;
	CHECK_STR(verdict(), "services[1].grants[0].source: dependency cycle: echo -> echo");
	mb_base(&d);
	/* echo imports client's export; client imports echo's; hello is not in the cycle. */
	d.services[2].exports[d.services[2].nexports++] = (struct mb_export){ "back",
									      manifest_echoIface };
	up.service = "client";
	up.export = "back";
	d.services[1].grants[0] = up;
	d.services[1].ngrants = 1;
	CHECK_STR(verdict(), "services[1].grants[0].source: dependency cycle: echo -> client -> "
			     "echo");
}

TEST(a_service_blocked_behind_a_cycle_reports_the_cycle_itself)
{
	struct mb_service *s;

	mb_base(&d);
	/* tail imports from echo; echo and client import each other. */
	s = &d.services[0];
	s->grants[s->ngrants++] =
		MB_GRANT_IMPORT("up", manifest_echoIface, "echo", "service");
	d.services[2].exports[d.services[2].nexports++] = (struct mb_export){ "back",
									      manifest_echoIface };
	d.services[1].grants[0] =
		MB_GRANT_IMPORT("up", manifest_echoIface, "client", "back");
	d.services[1].ngrants = 1;
	CHECK_STR(verdict(), "services[1].grants[0].source: dependency cycle: echo -> client -> "
			     "echo");
}

TEST(restart_policy_limits)
{
	mb_base(&d);
	d.services[1].max_restarts = MANIFEST_RESTARTS_MAX;
	d.services[1].backoff_ms = MANIFEST_BACKOFF_MAX_MS;
	d.services[1].max_backoff_ms = MANIFEST_MAX_BACKOFF_MAX_MS;
	CHECK_STR(verdict(), "ok");
	d.services[1].max_restarts++;
	CHECK_STR(verdict(), "services[1].restart.maxRestarts: 101, at most 100");
	mb_base(&d);
	d.services[1].backoff_ms = MANIFEST_BACKOFF_MAX_MS + 1;
	CHECK_STR(verdict(), "services[1].restart.backoffMs: 60001 ms, at most 60000");
	mb_base(&d);
	d.services[1].max_backoff_ms = d.services[1].backoff_ms - 1;
	CHECK_STR(verdict(), "services[1].restart.maxBackoffMs: 49 ms, not in backoffMs..600000");
	mb_base(&d);
	d.services[1].max_backoff_ms = MANIFEST_MAX_BACKOFF_MAX_MS + 1;
	CHECK_STR(verdict(), "services[1].restart.maxBackoffMs: 600001 ms, not in "
			     "backoffMs..600000");
	mb_base(&d);
	d.services[1].mode = 3;
	CHECK_STR(verdict(), "services[1].restart.mode: unknown mode 3");
}

TEST(memory_pages_default_limit_and_the_reserved_vm_name)
{
	mb_base(&d);
	CHECK_STR(verdict(), "ok");
	CHECK_EQ(plan.services[0].memory_pages, MANIFEST_MEMORY_PAGES_DEFAULT);
	d.services[1].memory_pages = MANIFEST_MEMORY_PAGES_MAX;
	CHECK_STR(verdict(), "ok");
	CHECK_EQ(plan.services[1].memory_pages, MANIFEST_MEMORY_PAGES_MAX);
	d.services[1].memory_pages++;
	CHECK_STR(verdict(), "services[1].memoryPages: 262145, at most 262144");
	mb_base(&d);
	d.services[0].grants[0].name = "vm";
	CHECK_STR(verdict(),
		  "services[0].grants[0].name: \"vm\" is the service's own VirtualMemory (memoryPages)");
	mb_base(&d);
	d.services[1].exports[0].name = "vm";
	CHECK_STR(verdict(),
		  "services[1].exports[0].name: \"vm\" is the service's own VirtualMemory (memoryPages)");
}

TEST(list_limits_hold_at_their_edges)
{
	static char names[MB_LIST_MAX][8];
	struct mb_service *s;

	mb_base(&d);
	for (uint32_t i = d.nbinaries; i < MANIFEST_BINARIES_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "b%u", i);
		d.binaries[d.nbinaries++] = names[i];
	}
	CHECK_STR(verdict(), "ok");
	d.binaries[d.nbinaries++] = "b69";
	CHECK_STR(verdict(), "binaries: 65 entries, at most 64");
	mb_base(&d);
	s = &d.services[1];
	for (uint32_t i = s->nexports; i < MANIFEST_EXPORTS_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "e%u", i);
		s->exports[s->nexports++] = (struct mb_export){ names[i], manifest_echoIface };
	}
	CHECK_STR(verdict(), "ok");
	s->grants[s->ngrants++] = MB_GRANT_KERNEL("console", manifest_consoleIface, 0);
	CHECK_STR(verdict(), "services[1].grants: 1 grants and 15 exports, at most 15 in all");
	s->ngrants = 0;
	s->exports[s->nexports++] = (struct mb_export){ "e15", manifest_echoIface };
	CHECK_STR(verdict(), "services[1].exports: 16 exports, at most 15");
}

TEST(thirty_two_services_and_sixty_four_exports_fit)
{
	static char names[MB_LIST_MAX][8];
	struct mb_service *s;

	mb_base(&d);
	d.nservices = 0;
	for (uint32_t i = 0; i < MANIFEST_SERVICES_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "s%u", i);
		s = mb_add_service(&d, names[i], "ipc-echo");
		s->exports[s->nexports++] = (struct mb_export){ "a", manifest_echoIface };
		s->exports[s->nexports++] = (struct mb_export){ "b", manifest_echoIface };
		if (i)	/* a chain: each imports from the one before */
			s->grants[s->ngrants++] =
				MB_GRANT_IMPORT("up", manifest_echoIface, names[i - 1], "b");
	}
	CHECK_STR(verdict(), "ok");
	CHECK_EQ(plan.order[31], 31);
	d.services[31].exports[d.services[31].nexports++] =
		(struct mb_export){ "c", manifest_echoIface };
	CHECK_STR(verdict(), "services[31].exports: 65 exports in the graph so far, at most 64");
	d.services[31].nexports = 2;
	mb_add_service(&d, "one-more", "hello");
	CHECK_STR(verdict(), "services: 33 services, at most 32");
	d.nservices = 0;
	CHECK_STR(verdict(), "services: missing (a system has at least one service)");
}

TEST(motd_is_bounded_and_printable)
{
	static char motd[MANIFEST_MOTD_MAX + 2];

	mb_base(&d);
	memset(motd, 'm', MANIFEST_MOTD_MAX);
	motd[5] = '\n';
	motd[6] = '\t';
	motd[7] = (char)0xc3;	/* UTF-8 is fine */
	d.motd = motd;
	CHECK_STR(verdict(), "ok");
	CHECK_EQ(plan.motd_len, MANIFEST_MOTD_MAX);
	motd[MANIFEST_MOTD_MAX] = 'm';
	CHECK_STR(verdict(), "kernelParams.motd: 1025 bytes long, at most 1024");
	motd[MANIFEST_MOTD_MAX] = '\0';
	motd[9] = 0x7f;
	CHECK_STR(verdict(), "kernelParams.motd: control byte 0x7f at offset 9");
	mb_base(&d);
	d.motd = NULL;
	CHECK_STR(verdict(), "ok");
	CHECK_EQ(plan.motd_len, 0);
}

TEST(framing_is_checked_first)
{
	size_t len;

	mb_base(&d);
	len = mb_build(&d, buf, sizeof(buf));
	CHECK(len > 16);
	CHECK_EQ(manifest_load(&plan, buf, 0, mb_default_env(), &err), CAPOS_ERR_INVALID_ARGUMENT);
	CHECK_STR(err.path, "$");
	CHECK_STR(err.reason, "the boot package holds no manifest");
	memset(buf + len, 0, 8);
	CHECK_EQ(manifest_load(&plan, buf, len + 8, mb_default_env(), &err),
		 CAPOS_ERR_INVALID_ARGUMENT);
	CHECK_STR(err.reason, "8 bytes follow the message");
	CHECK_EQ(manifest_load(&plan, buf, MANIFEST_BYTES_MAX + 1, mb_default_env(), &err),
		 CAPOS_ERR_INVALID_ARGUMENT);
	CHECK_STR(err.reason, "65537 bytes, at most 65536");
	memset(buf + 8, 0, 8);	/* a null root pointer */
	CHECK_EQ(manifest_load(&plan, buf, len, mb_default_env(), &err),
		 CAPOS_ERR_INVALID_ARGUMENT);
	CHECK_STR(err.reason, "the root is not a struct");
}

/* A refusal always has a path and a reason, printable, for the one line init prints. */
static int line_is_printable(void)
{
	const char *p;

	if (!err.path[0] || !err.reason[0])
		return 0;
	for (p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
			return 0;
	return 1;
}

TEST(every_bit_flip_and_truncation_ends_in_a_plan_or_one_clean_error)
{
	static uint8_t orig[4096], copy[4096];
	size_t len;
	uint32_t refused = 0;

	mb_base(&d);
	len = mb_build(&d, orig, sizeof(orig));
	CHECK(len > 0);
	for (size_t bit = 0; bit < len * 8; bit++) {
		memcpy(copy, orig, len);
		copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		if (manifest_load(&plan, copy, len, mb_default_env(), &err) == 0)
			continue;
		snprintf(line, sizeof(line), "%s: %s", err.path, err.reason);
		CHECK(line_is_printable());
		refused++;
	}
	CHECK(refused > len);	/* most flips break something that is checked */
	for (size_t n = 0; n < len; n++) {
		memcpy(copy, orig, n);
		CHECK_EQ(manifest_load(&plan, copy, n, mb_default_env(), &err),
			 CAPOS_ERR_INVALID_ARGUMENT);
		snprintf(line, sizeof(line), "%s: %s", err.path, err.reason);
		CHECK(line_is_printable());
	}
}

TEST(the_largest_manifest_stays_within_the_traversal_limit)
{
	static char names[MB_LIST_MAX][MANIFEST_NAME_MAX + 1];
	struct mb_service *s;

	/* 32 services of 15 grants with 31-byte names: far more than any real graph reads. */
	mb_base(&d);
	d.nservices = 0;
	for (uint32_t i = 0; i < MANIFEST_SERVICES_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "service-%023u", i);
		s = mb_add_service(&d, names[i], "hello");
		for (uint32_t j = 0; j < MANIFEST_GRANTS_MAX; j++) {
			snprintf(names[32 + j], sizeof(names[32 + j]), "grant-%025u", j);
			s->grants[s->ngrants++] =
				MB_GRANT_KERNEL(names[32 + j], manifest_consoleIface, 0);
		}
	}
	CHECK_STR(verdict(), "ok");
}

int main(void)
{
	RUN(the_base_manifest_loads_with_every_reference_resolved);
	RUN(service_args_are_packed_in_order_with_empty_ones);
	RUN(service_args_limits_hold_exactly);
	RUN(start_order_puts_exporters_first_and_keeps_list_order_otherwise);
	RUN(imports_must_name_an_export_of_the_right_interface);
	RUN(cycles_are_refused_and_named);
	RUN(a_service_blocked_behind_a_cycle_reports_the_cycle_itself);
	RUN(restart_policy_limits);
	RUN(memory_pages_default_limit_and_the_reserved_vm_name);
	RUN(list_limits_hold_at_their_edges);
	RUN(thirty_two_services_and_sixty_four_exports_fit);
	RUN(motd_is_bounded_and_printable);
	RUN(framing_is_checked_first);
	RUN(every_bit_flip_and_truncation_ends_in_a_plan_or_one_clean_error);
	RUN(the_largest_manifest_stays_within_the_traversal_limit);
	TEST_EXIT();
}
