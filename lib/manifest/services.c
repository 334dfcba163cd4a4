// SPDX-License-Identifier: MIT
/*
 * The services of a manifest, read in two passes over the list: first what
 * each service is (name, binary, exports, args, restart policy), then what it is
 * given (grants), so that an import can be resolved against every service's
 * exports whatever their order in the list. Each grant leaves here resolved:
 * a kernel source init holds, or an (exporter, export) pair, with the
 * interface the grant asks for equal to the one its source provides.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "manifest/internal.h"

typedef struct manifest_SystemManifest_Service mf_service_t;
typedef struct manifest_SystemManifest_Grant mf_grant_t;

static int mf_services_list(struct mf *c, struct manifest_SystemManifest_Service__list *l)
{
	uint32_t n;
	int err;

	*l = manifest_SystemManifest_get_services(c->root);
	n = manifest_SystemManifest_Service__list_len(*l);
	err = mf_check(c, "services", "");
	if (err)
		return err;
	if (n == 0)
		return mf_fail(c, "services", "", "missing (a system has at least one service)");
	if (n > MANIFEST_SERVICES_MAX)
		return mf_fail(c, "services", "", "%u services, at most %u", n,
			       MANIFEST_SERVICES_MAX);
	c->m->nservices = n;
	return 0;
}

static bool mf_binary_listed(const struct manifest *m, const char *name)
{
	for (uint32_t i = 0; i < m->nbinaries; i++)
		if (mf_streq(m->binaries[i], name))
			return true;
	return false;
}

/* "vm" names the service's own VirtualMemory, which init adds after its exports. */
static int mf_name_not_vm(struct mf *c, const char *path, const char *name)
{
	if (mf_streq(name, MANIFEST_VM_NAME))
		return mf_fail(c, path, "name", "\"%s\" is the service's own VirtualMemory "
				"(memoryPages)", name);
	return 0;
}

static int mf_read_exports(struct mf *c, const char *base, mf_service_t s,
			   struct manifest_service *svc)
{
	struct manifest_SystemManifest_Export__list l =
		manifest_SystemManifest_Service_get_exports(s);
	uint32_t n = manifest_SystemManifest_Export__list_len(l);
	char path[MANIFEST_PATH_MAX];
	int err = mf_check(c, base, "exports");

	if (err)
		return err;
	if (n > MANIFEST_EXPORTS_MAX)
		return mf_fail(c, base, "exports", "%u exports, at most %u", n,
			       MANIFEST_EXPORTS_MAX);
	for (uint32_t j = 0; j < n; j++) {
		struct manifest_SystemManifest_Export e =
			manifest_SystemManifest_Export__list_get(l, j);
		struct manifest_export *x = &svc->exports[j];

		mf_path(path, "%s.exports[%u]", base, j);
		err = mf_name(c, path, "name", manifest_SystemManifest_Export_get_name(e), x->name);
		if (!err)
			err = mf_name_not_vm(c, path, x->name);
		if (err)
			return err;
		for (uint32_t k = 0; k < j; k++)
			if (mf_streq(svc->exports[k].name, x->name))
				return mf_fail(c, path, "name", "\"%s\" is also exports[%u]",
					       x->name, k);
		x->iface = manifest_SystemManifest_Export_get_interfaceId(e);
		err = mf_check(c, path, "interfaceId");
		if (err)
			return err;
		if (x->iface == 0)
			return mf_fail(c, path, "interfaceId", "missing");
	}
	svc->nexports = n;
	return 0;
}

static int mf_read_restart(struct mf *c, const char *base, mf_service_t s,
			   struct manifest_restart *r)
{
	struct manifest_SystemManifest_RestartPolicy p =
		manifest_SystemManifest_Service_get_restart(s);
	char path[MANIFEST_PATH_MAX];
	int err = mf_check(c, base, "restart");

	if (err)
		return err;
	mf_path(path, "%s.restart", base);
	r->mode = manifest_SystemManifest_RestartPolicy_get_mode(p);
	r->max_restarts = manifest_SystemManifest_RestartPolicy_get_maxRestarts(p);
	r->backoff_ms = manifest_SystemManifest_RestartPolicy_get_backoffMs(p);
	r->max_backoff_ms = manifest_SystemManifest_RestartPolicy_get_maxBackoffMs(p);
	err = mf_check(c, path, "");
	if (err)
		return err;
	if (r->mode > manifest_SystemManifest_RestartPolicy_Mode_always)
		return mf_fail(c, path, "mode", "unknown mode %u", r->mode);
	if (r->max_restarts > MANIFEST_RESTARTS_MAX)
		return mf_fail(c, path, "maxRestarts", "%u, at most %u", r->max_restarts,
			       MANIFEST_RESTARTS_MAX);
	if (r->backoff_ms > MANIFEST_BACKOFF_MAX_MS)
		return mf_fail(c, path, "backoffMs", "%u ms, at most %u", r->backoff_ms,
			       MANIFEST_BACKOFF_MAX_MS);
	if (r->max_backoff_ms < r->backoff_ms || r->max_backoff_ms > MANIFEST_MAX_BACKOFF_MAX_MS)
		return mf_fail(c, path, "maxBackoffMs", "%u ms, not in backoffMs..%u",
			       r->max_backoff_ms, MANIFEST_MAX_BACKOFF_MAX_MS);
	return 0;
}

/* Pass 1 for service i: everything but its grants. */
/* The args, packed into svc->args: at most 16, 896 bytes with their NULs, none holding a NUL. */
static int mf_read_args(struct mf *c, const char *base, mf_service_t s,
			struct manifest_service *svc)
{
	struct capnp_list l = manifest_SystemManifest_Service_get_args(s);
	uint32_t n = capnp_list_len(l), at = 0;
	int err = mf_check(c, base, "args");

	if (err)
		return err;
	if (n > MANIFEST_ARGS_MAX)
		return mf_fail(c, base, "args", "%u args, at most %u", n, MANIFEST_ARGS_MAX);
	for (uint32_t j = 0; j < n; j++) {
		struct capnp_text t = capnp_list_text(l, j);

		err = mf_check(c, base, "args");
		if (err)
			return err;
		if (t.len >= MANIFEST_ARGS_BYTES - at)
			return mf_fail(c, base, "args", "more than %u bytes with a NUL after each",
				       MANIFEST_ARGS_BYTES);
		for (uint32_t k = 0; k < t.len; k++) {
			if (t.str[k] == 0)
				return mf_fail(c, base, "args", "args[%u] holds a NUL", j);
			svc->args[at++] = t.str[k];
		}
		svc->args[at++] = 0;
	}
	svc->argc = n;
	return 0;
}

uint32_t manifest_service_argv(const struct manifest_service *svc,
			       const char *argv[MANIFEST_ARGS_MAX])
{
	uint32_t at = 0;

	for (uint32_t i = 0; i < svc->argc && i < MANIFEST_ARGS_MAX; i++) {
		argv[i] = &svc->args[at];
		at += (uint32_t)mf_strlen(argv[i]) + 1;
	}
	return svc->argc;
}

static int mf_read_service(struct mf *c, uint32_t i, mf_service_t s, uint32_t *graph_exports)
{
	struct manifest_service *svc = &c->m->services[i];
	char base[MANIFEST_PATH_MAX];
	int err;

	mf_path(base, "services[%u]", i);
	svc->ngrants = 0;
	err = mf_name(c, base, "name", manifest_SystemManifest_Service_get_name(s), svc->name);
	if (err)
		return err;
	for (uint32_t k = 0; k < i; k++)
		if (mf_streq(c->m->services[k].name, svc->name))
			return mf_fail(c, base, "name", "\"%s\" is also services[%u]", svc->name,
				       k);
	err = mf_name(c, base, "binary", manifest_SystemManifest_Service_get_binary(s),
		      svc->binary);
	if (err)
		return err;
	if (!mf_binary_listed(c->m, svc->binary))
		return mf_fail(c, base, "binary", "\"%s\" is not one of the manifest's binaries",
			       svc->binary);
	err = mf_read_exports(c, base, s, svc);
	if (err)
		return err;
	*graph_exports += svc->nexports;
	if (*graph_exports > MANIFEST_GRAPH_EXPORTS_MAX)
		return mf_fail(c, base, "exports", "%u exports in the graph so far, at most %u",
			       *graph_exports, MANIFEST_GRAPH_EXPORTS_MAX);
	svc->memory_pages = manifest_SystemManifest_Service_get_memoryPages(s);
	svc->daemon = manifest_SystemManifest_Service_get_daemon(s);
	err = mf_check(c, base, "memoryPages");
	if (err)
		return err;
	if (svc->memory_pages > MANIFEST_MEMORY_PAGES_MAX)
		return mf_fail(c, base, "memoryPages", "%u, at most %u", svc->memory_pages,
			       MANIFEST_MEMORY_PAGES_MAX);
	if (svc->memory_pages == 0)
		svc->memory_pages = MANIFEST_MEMORY_PAGES_DEFAULT;
	err = mf_read_args(c, base, s, svc);
	if (err)
		return err;
	return mf_read_restart(c, base, s, &svc->restart);
}

int mf_read_services(struct mf *c)
{
	struct manifest_SystemManifest_Service__list l;
	uint32_t graph_exports = 0;
	int err = mf_services_list(c, &l);

	for (uint32_t i = 0; !err && i < c->m->nservices; i++)
		err = mf_read_service(c, i, manifest_SystemManifest_Service__list_get(l, i),
				      &graph_exports);
	return err;
}

/* A copy of one of init's capabilities: a KernelSource init holds, of the grant's interface. */
static int mf_resolve_kernel(struct mf *c, const char *path,
			     struct manifest_SystemManifest_Grant_source src,
			     struct manifest_grant *g)
{
	uint16_t k = manifest_SystemManifest_Grant_source_get_kernel(src);
	const char *name = manifest_kernel_source_name(k);
	int err = mf_check(c, path, "source.kernel");

	if (err)
		return err;
	if (!name || k >= MANIFEST_KERNEL_SOURCES_MAX)
		return mf_fail(c, path, "source.kernel", "unknown kernel source %u", k);
	if (c->env->kernel_iface[k] == 0)
		return mf_fail(c, path, "source.kernel", "init holds no %s capability", name);
	if (c->env->kernel_iface[k] != g->iface)
		return mf_fail(c, path, "interfaceId",
			       "interface mismatch: the grant asks for 0x%016llx, %s is 0x%016llx",
			       (unsigned long long)g->iface, name,
			       (unsigned long long)c->env->kernel_iface[k]);
	g->kind = MANIFEST_SOURCE_KERNEL;
	g->kernel = (uint8_t)k;
	return 0;
}

/* A client facet of an export: the service exists, exports that name, of the grant's interface. */
static int mf_resolve_import(struct mf *c, const char *path,
			     struct manifest_SystemManifest_Grant_source src,
			     struct manifest_grant *g)
{
	struct manifest_SystemManifest_Import imp =
		manifest_SystemManifest_Grant_source_get_service(src);
	char sname[MANIFEST_NAME_MAX + 1], ename[MANIFEST_NAME_MAX + 1];
	const struct manifest_service *from;
	int s, err = mf_check(c, path, "source.service");

	if (!err)
		err = mf_name(c, path, "source.service.service",
			      manifest_SystemManifest_Import_get_service(imp), sname);
	if (!err)
		err = mf_name(c, path, "source.service.export",
			      manifest_SystemManifest_Import_get_export(imp), ename);
	if (err)
		return err;
	s = manifest_find_service(c->m, sname, mf_strlen(sname));
	if (s < 0)
		return mf_fail(c, path, "source.service.service", "no service named \"%s\"", sname);
	from = &c->m->services[s];
	for (uint32_t e = 0; e < from->nexports; e++) {
		if (!mf_streq(from->exports[e].name, ename))
			continue;
		if (from->exports[e].iface != g->iface)
			return mf_fail(c, path, "interfaceId",
				       "interface mismatch: the grant asks for 0x%016llx, "
				       "%s.%s serves 0x%016llx",
				       (unsigned long long)g->iface, from->name, ename,
				       (unsigned long long)from->exports[e].iface);
		g->kind = MANIFEST_SOURCE_SERVICE;
		g->service = (uint8_t)s;
		g->export = (uint8_t)e;
		g->optional = manifest_SystemManifest_Import_get_optional(imp);
		return 0;
	}
	return mf_fail(c, path, "source.service.export", "service \"%s\" exports no \"%s\"",
		       from->name, ename);
}

/* True if two pciDevice grants could be given the same function. */
static bool mf_pci_overlap(const struct manifest_grant *a, const struct manifest_grant *b)
{
	if (a->pci_vendor != b->pci_vendor)
		return false;
	for (uint32_t i = 0; i < a->pci_nids; i++)
		for (uint32_t k = 0; k < b->pci_nids; k++)
			if (a->pci_ids[i] == b->pci_ids[k])
				return true;
	return false;
}

/*
 * g (a pciDevice grant of service si, its grant j) against the pciDevice
 * grants before it in the graph: none may match the same function, and
 * there are at most MANIFEST_PCI_GRANTS_MAX (which bounds this walk).
 */
static int mf_pci_unique(struct mf *c, const char *path, uint32_t si, uint32_t j,
			 const struct manifest_grant *g)
{
	uint32_t seen = 0;

	for (uint32_t s = 0; s <= si; s++) {
		const struct manifest_service *o = &c->m->services[s];
		uint32_t n = s == si ? j : o->ngrants;

		for (uint32_t k = 0; k < n; k++) {
			if (o->grants[k].kind != MANIFEST_SOURCE_PCI)
				continue;
			if (mf_pci_overlap(&o->grants[k], g))
				return mf_fail(c, path, "source.pciDevice",
					       "%s.grants[%u] could be given the same device",
					       o->name, k);
			seen++;
		}
	}
	if (seen >= MANIFEST_PCI_GRANTS_MAX)
		return mf_fail(c, path, "source.pciDevice", "more than %u pciDevice grants",
			       MANIFEST_PCI_GRANTS_MAX);
	return 0;
}

/* A PciDevice init opens: init holds a DeviceManager, 1..8 ids, no other grant's device. */
static int mf_resolve_pci(struct mf *c, const char *path,
			  struct manifest_SystemManifest_Grant_source src, uint32_t si, uint32_t j,
			  struct manifest_grant *g)
{
	struct manifest_SystemManifest_PciMatch pm =
		manifest_SystemManifest_Grant_source_get_pciDevice(src);
	struct capnp_list ids;
	uint32_t n;
	int err = mf_check(c, path, "source.pciDevice");

	if (err)
		return err;
	g->pci_vendor = manifest_SystemManifest_PciMatch_get_vendorId(pm);
	ids = manifest_SystemManifest_PciMatch_get_deviceIds(pm);
	err = mf_check(c, path, "source.pciDevice.deviceIds");
	if (err)
		return err;
	n = capnp_list_len(ids);
	if (n == 0 || n > MANIFEST_PCI_IDS_MAX)
		return mf_fail(c, path, "source.pciDevice.deviceIds", "%u ids, 1..%u allowed", n,
			       MANIFEST_PCI_IDS_MAX);
	for (uint32_t i = 0; i < n; i++)
		g->pci_ids[i] = capnp_list_u16(ids, i);
	err = mf_check(c, path, "source.pciDevice.deviceIds");
	if (err)
		return err;
	g->pci_nids = (uint8_t)n;
	if (!c->env->pci_devices)
		return mf_fail(c, path, "source.pciDevice", "init holds no DeviceManager");
	if (g->iface != CAPOS_IFACE_PCI_DEVICE)
		return mf_fail(c, path, "interfaceId",
			       "interface mismatch: the grant asks for 0x%016llx, a PCI device is "
			       "0x%016llx", (unsigned long long)g->iface,
			       (unsigned long long)CAPOS_IFACE_PCI_DEVICE);
	err = mf_pci_unique(c, path, si, j, g);
	if (!err)
		g->kind = MANIFEST_SOURCE_PCI;
	return err;
}

/* A grant name must differ from every earlier grant's and from every export's. */
static int mf_grant_name_unique(struct mf *c, const char *path, const struct manifest_service *svc,
				uint32_t j)
{
	const char *name = svc->grants[j].name;

	int err = mf_name_not_vm(c, path, name);

	if (err)
		return err;
	for (uint32_t k = 0; k < j; k++)
		if (mf_streq(svc->grants[k].name, name))
			return mf_fail(c, path, "name", "\"%s\" is also grants[%u]", name, k);
	for (uint32_t k = 0; k < svc->nexports; k++)
		if (mf_streq(svc->exports[k].name, name))
			return mf_fail(c, path, "name", "\"%s\" is also exports[%u]", name, k);
	return 0;
}

static int mf_read_grant(struct mf *c, const char *path, mf_grant_t gr,
			 struct manifest_service *svc, uint32_t j)
{
	struct manifest_grant *g = &svc->grants[j];
	struct manifest_SystemManifest_Grant_source src;
	uint16_t which;
	int err;

	*g = (struct manifest_grant){ .kind = 0 };	/* the fields a source leaves unset are 0 */
	err = mf_name(c, path, "name", manifest_SystemManifest_Grant_get_name(gr), g->name);

	if (!err)
		err = mf_grant_name_unique(c, path, svc, j);
	if (err)
		return err;
	g->iface = manifest_SystemManifest_Grant_get_interfaceId(gr);
	err = mf_check(c, path, "interfaceId");
	if (err)
		return err;
	if (g->iface == 0)
		return mf_fail(c, path, "interfaceId", "missing");
	src = manifest_SystemManifest_Grant_get_source(gr);
	which = manifest_SystemManifest_Grant_source_which(src);
	err = mf_check(c, path, "source");
	if (err)
		return err;
	switch (which) {
	case manifest_SystemManifest_Grant_source_which_kernel:
		return mf_resolve_kernel(c, path, src, g);
	case manifest_SystemManifest_Grant_source_which_service:
		return mf_resolve_import(c, path, src, g);
	case manifest_SystemManifest_Grant_source_which_pciDevice:
		return mf_resolve_pci(c, path, src, (uint32_t)(svc - c->m->services), j, g);
	case manifest_SystemManifest_Grant_source_which_unset:
		return mf_fail(c, path, "source", "missing");
	default:
		return mf_fail(c, path, "source", "unknown kind of source %u", which);
	}
}

/* Pass 2 for service i: its grants. */
static int mf_read_service_grants(struct mf *c, uint32_t i, mf_service_t s)
{
	struct manifest_service *svc = &c->m->services[i];
	struct manifest_SystemManifest_Grant__list l =
		manifest_SystemManifest_Service_get_grants(s);
	uint32_t n = manifest_SystemManifest_Grant__list_len(l);
	char base[MANIFEST_PATH_MAX], path[MANIFEST_PATH_MAX];
	int err;

	mf_path(base, "services[%u]", i);
	err = mf_check(c, base, "grants");
	if (err)
		return err;
	if (n > MANIFEST_GRANTS_MAX - svc->nexports)
		return mf_fail(c, base, "grants", "%u grants and %u exports, at most %u in all", n,
			       svc->nexports, MANIFEST_GRANTS_MAX);
	for (uint32_t j = 0; j < n; j++) {
		mf_path(path, "%s.grants[%u]", base, j);
		err = mf_read_grant(c, path, manifest_SystemManifest_Grant__list_get(l, j), svc, j);
		if (err)
			return err;
	}
	svc->ngrants = n;
	return 0;
}

int mf_read_grants(struct mf *c)
{
	struct manifest_SystemManifest_Service__list l =
		manifest_SystemManifest_get_services(c->root);
	int err = mf_check(c, "services", "");

	for (uint32_t i = 0; !err && i < c->m->nservices; i++)
		err = mf_read_service_grants(c, i, manifest_SystemManifest_Service__list_get(l, i));
	return err;
}
