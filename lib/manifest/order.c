// SPDX-License-Identifier: MIT
/*
 * The start order of a manifest's services: a service starts after every
 * service it imports from (it is given their client facets, which exist
 * once they have started). Kahn's algorithm, taking at each step the first
 * ready service in list order, so the order is the list's wherever the
 * imports allow. At most 32 services: quadratic work is nothing here, and
 * nothing recurses.
 *
 * When services are left that cannot start, each of them imports from
 * another of them: following imports from any of them must come back to a
 * service already seen, and that loop is the cycle reported.
 */
#include "fmt/fmt.h"
#include "manifest/internal.h"

/* True if every service svc imports from is placed already. */
static bool mf_ready(const struct manifest_service *svc, const bool *placed)
{
	for (uint32_t j = 0; j < svc->ngrants; j++)
		if (svc->grants[j].kind == MANIFEST_SOURCE_SERVICE &&
		    !placed[svc->grants[j].service])
			return false;
	return true;
}

/* The first grant of service i importing from a service not placed: its index. */
static uint32_t mf_blocking_grant(const struct manifest *m, uint32_t i, const bool *placed)
{
	const struct manifest_service *svc = &m->services[i];
	uint32_t j;

	for (j = 0; j < svc->ngrants; j++)
		if (svc->grants[j].kind == MANIFEST_SOURCE_SERVICE &&
		    !placed[svc->grants[j].service])
			break;
	return j;
}

/*
 * Reports the cycle found by following blocking imports from service
 * `start` (not placed): "services[i].grants[j].source: dependency cycle:
 * a -> b -> a", where grants[j] of services[i] is the cycle's first import.
 */
static int mf_report_cycle(struct mf *c, uint32_t start, const bool *placed)
{
	const struct manifest *m = c->m;
	uint32_t walk[MANIFEST_SERVICES_MAX + 1], n = 0, first = 0, i = start;
	char path[MANIFEST_PATH_MAX], cycle[MANIFEST_REASON_MAX];
	size_t used = 0;
	bool seen = false;

	/* Each step follows an import to a service not placed; n + 1 steps must repeat one. */
	while (!seen && n <= MANIFEST_SERVICES_MAX) {
		for (first = 0; first < n && walk[first] != i; first++)
			;
		seen = first < n;
		if (!seen) {
			walk[n++] = i;
			i = m->services[i].grants[mf_blocking_grant(m, i, placed)].service;
		}
	}
	cycle[0] = '\0';
	for (uint32_t k = first; k < n && used < sizeof(cycle); k++)
		used += (size_t)fmt_snprintf(cycle + used, sizeof(cycle) - used, "%s -> ",
					     m->services[walk[k]].name);
	if (used < sizeof(cycle))
		fmt_snprintf(cycle + used, sizeof(cycle) - used, "%s", m->services[i].name);
	mf_path(path, "services[%u].grants[%u]", walk[first],
		mf_blocking_grant(m, walk[first], placed));
	return mf_fail(c, path, "source", "dependency cycle: %s", cycle);
}

int mf_order(struct mf *c)
{
	struct manifest *m = c->m;
	bool placed[MANIFEST_SERVICES_MAX] = { false };
	uint32_t n = 0;

	while (n < m->nservices) {
		uint32_t i;

		for (i = 0; i < m->nservices; i++)
			if (!placed[i] && mf_ready(&m->services[i], placed))
				break;
		if (i == m->nservices)
			break;
		placed[i] = true;
		m->order[n++] = (uint8_t)i;
	}
	for (uint32_t i = 0; n < m->nservices && i < m->nservices; i++)
		if (!placed[i])
			return mf_report_cycle(c, i, placed);
	return 0;
}
