// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for init's manifest validator (lib/manifest). Besides
 * "no crash, no out-of-bounds read" (ASan/UBSan), every outcome must keep
 * the validator's promises. A refusal has a path and a reason, both
 * printable (init prints them as its one line). An accepted manifest is a
 * plan init follows without checking again: counts within their limits,
 * names 1..31 bytes of [A-Za-z0-9_.-] and unique, each service's binary one
 * of the manifest's binaries and in the package, each grant resolved to a
 * kernel source init holds or to an existing export of another service, of
 * the interface the grant asks for, and a start order that is a permutation
 * placing every exporter before its importers. A broken promise aborts, so
 * the fuzzer reports it as a crash.
 *
 * The environment: init holds every kernel source; the package has hello,
 * ipc-echo, echo-demo, flaky, fault-pf and exit0 (the binaries the seed
 * manifests name). The same file is linked with tests/fuzz/replay.c into a
 * host test that replays the committed corpus on every make test.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <capos/interfaces.h>

#include "manifest.capnp.h"
#include "manifest/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_package[][MANIFEST_NAME_MAX + 1] = {
	"init", "hello", "ipc-echo", "echo-demo", "flaky", "fault-pf", "exit0",
};

static void fuzz_require(bool cond)
{
	if (!cond)
		abort();
}

static bool fuzz_printable(const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
			return false;
	return n > 0 && n < max;
}

static bool fuzz_name_ok(const char *s)
{
	size_t n = strnlen(s, MANIFEST_NAME_MAX + 1);

	if (n == 0 || n > MANIFEST_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-",
			    s[i]))
			return false;
	return true;
}

static bool fuzz_listed(const struct manifest *m, const char *name)
{
	for (uint32_t i = 0; i < m->nbinaries; i++)
		if (!strcmp(m->binaries[i], name))
			return true;
	return false;
}

static void fuzz_check_grant(const struct manifest *m, uint32_t i, const struct manifest_grant *g,
			     const uint32_t *position)
{
	fuzz_require(fuzz_name_ok(g->name) && g->iface != 0);
	if (g->kind == MANIFEST_SOURCE_KERNEL) {
		fuzz_require(g->service == 0 && g->export == 0);	/* unused, and zero */
		fuzz_require(g->kernel < manifest_kernel_source_count);
		fuzz_require(g->iface == manifest_kernel_sources[g->kernel].iface);
		return;
	}
	if (g->kind == MANIFEST_SOURCE_PCI) {
		fuzz_require(g->iface == CAPOS_IFACE_PCI_DEVICE);
		fuzz_require(g->pci_nids >= 1 && g->pci_nids <= MANIFEST_PCI_IDS_MAX);
		return;
	}
	fuzz_require(g->kind == MANIFEST_SOURCE_SERVICE);
	fuzz_require(g->service < m->nservices && g->service != i);
	fuzz_require(g->export < m->services[g->service].nexports);
	fuzz_require(g->iface == m->services[g->service].exports[g->export].iface);
	fuzz_require(position[g->service] < position[i]);
}

static void fuzz_check_service(const struct manifest *m, uint32_t i, const uint32_t *position)
{
	const struct manifest_service *s = &m->services[i];
	const struct manifest_restart *r = &s->restart;

	fuzz_require(fuzz_name_ok(s->name) && fuzz_listed(m, s->binary));
	for (uint32_t k = 0; k < i; k++)
		fuzz_require(strcmp(m->services[k].name, s->name) != 0);
	fuzz_require(s->nexports <= MANIFEST_EXPORTS_MAX &&
		     s->ngrants + s->nexports <= MANIFEST_GRANTS_MAX);
	for (uint32_t e = 0; e < s->nexports; e++)
		fuzz_require(fuzz_name_ok(s->exports[e].name) && s->exports[e].iface != 0);
	for (uint32_t j = 0; j < s->ngrants; j++)
		fuzz_check_grant(m, i, &s->grants[j], position);
	fuzz_require(r->mode <= manifest_SystemManifest_RestartPolicy_Mode_always);
	fuzz_require(r->max_restarts <= MANIFEST_RESTARTS_MAX &&
		     r->backoff_ms <= MANIFEST_BACKOFF_MAX_MS &&
		     r->backoff_ms <= r->max_backoff_ms &&
		     r->max_backoff_ms <= MANIFEST_MAX_BACKOFF_MAX_MS);
}

static void fuzz_check_plan(const struct manifest *m)
{
	uint32_t position[MANIFEST_SERVICES_MAX], exports = 0;
	bool seen[MANIFEST_SERVICES_MAX] = { false };

	fuzz_require(m->nservices >= 1 && m->nservices <= MANIFEST_SERVICES_MAX);
	fuzz_require(m->nbinaries <= MANIFEST_BINARIES_MAX && m->motd_len <= MANIFEST_MOTD_MAX);
	fuzz_require(strlen(m->motd) == m->motd_len);
	for (uint32_t i = 0; i < m->nbinaries; i++)
		fuzz_require(fuzz_name_ok(m->binaries[i]));
	for (uint32_t k = 0; k < m->nservices; k++) {
		fuzz_require(m->order[k] < m->nservices && !seen[m->order[k]]);
		seen[m->order[k]] = true;
		position[m->order[k]] = k;
	}
	for (uint32_t i = 0; i < m->nservices; i++) {
		fuzz_check_service(m, i, position);
		exports += m->services[i].nexports;
	}
	fuzz_require(exports <= MANIFEST_GRAPH_EXPORTS_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct manifest m;
	struct manifest_env env = {
		.package = fuzz_package,
		.npackage = sizeof(fuzz_package) / sizeof(fuzz_package[0]),
	};
	struct manifest_error err;
	/* An exact-size copy, so a read past the end is caught. */
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	env.pci_devices = true;
	for (uint32_t k = 0; k < manifest_kernel_source_count; k++)
		env.kernel_iface[k] = manifest_kernel_sources[k].iface;
	if (manifest_load(&m, copy, size, &env, &err) == 0) {
		fuzz_check_plan(&m);
	} else {
		fuzz_require(fuzz_printable(err.path, sizeof(err.path)));
		fuzz_require(fuzz_printable(err.reason, sizeof(err.reason)));
	}
	free(copy);
	return 0;
}
