// SPDX-License-Identifier: MIT
/* Test manifests from C tables (mbuild.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.capnp.h"
#include "mbuild.h"

#define ECHO_IFACE manifest_echoIface
#define CONSOLE_IFACE manifest_consoleIface

void mb_base(struct mb_manifest *d)
{
	struct mb_service *s;

	memset(d, 0, sizeof(*d));
	d->binaries[d->nbinaries++] = "hello";
	d->binaries[d->nbinaries++] = "ipc-echo";
	d->binaries[d->nbinaries++] = "echo-demo";
	d->motd = "hello, world";
	s = mb_add_service(d, "hello", "hello");
	s->grants[s->ngrants++] = MB_GRANT_KERNEL("console", CONSOLE_IFACE, 0);
	s = mb_add_service(d, "echo", "ipc-echo");
	s->exports[s->nexports++] = (struct mb_export){ "service", ECHO_IFACE };
	s->has_restart = true;
	s->mode = manifest_SystemManifest_RestartPolicy_Mode_onFailure;
	s->max_restarts = 3;
	s->backoff_ms = 50;
	s->max_backoff_ms = 400;
	s = mb_add_service(d, "client", "echo-demo");
	s->grants[s->ngrants++] = MB_GRANT_KERNEL("console", CONSOLE_IFACE, 0);
	s->grants[s->ngrants++] =
		MB_GRANT_IMPORT("echo", ECHO_IFACE, "echo", "service");
}

struct mb_service *mb_add_service(struct mb_manifest *d, const char *name, const char *binary)
{
	struct mb_service *s = &d->services[d->nservices++];

	memset(s, 0, sizeof(*s));
	s->name = name;
	s->binary = binary;
	return s;
}

static uint32_t mb_len(const char *s)
{
	return (uint32_t)strlen(s);
}

static void mb_build_grant(const struct mb_grant *g, struct manifest_SystemManifest_Grant_builder b)
{
	struct manifest_SystemManifest_Grant_source_builder src;
	struct manifest_SystemManifest_Import_builder imp;

	if (g->name)
		manifest_SystemManifest_Grant_set_name(b, g->name, mb_len(g->name));
	manifest_SystemManifest_Grant_set_interfaceId(b, g->iface);
	src = manifest_SystemManifest_Grant_init_source(b);
	switch (g->kind) {
	case MB_UNSET:
		manifest_SystemManifest_Grant_source_set_unset(src);
		break;
	case MB_KERNEL:
		manifest_SystemManifest_Grant_source_set_kernel(src, g->kernel);
		break;
	case MB_SERVICE:
		imp = manifest_SystemManifest_Grant_source_init_service(src);
		if (g->service)
			manifest_SystemManifest_Import_set_service(imp, g->service,
								   mb_len(g->service));
		if (g->export)
			manifest_SystemManifest_Import_set_export(imp, g->export,
								  mb_len(g->export));
		break;
	case MB_PCI: {
		struct manifest_SystemManifest_PciMatch_builder pm =
			manifest_SystemManifest_Grant_source_init_pciDevice(src);
		struct capnp_list_builder ids =
			manifest_SystemManifest_PciMatch_init_deviceIds(pm, g->pci_nids);

		manifest_SystemManifest_PciMatch_set_vendorId(pm, g->pci_vendor);
		for (uint32_t i = 0; i < g->pci_nids; i++)
			capnp_list_set_u16(ids, i, g->pci_ids[i]);
		break;
	}
	case MB_RAW_WHICH:
		/* The union's discriminant (what source_which reads), any value. */
		capnp_set_u16(src.b, 8, g->kernel, 0);
		break;
	}
}

static void mb_build_service(const struct mb_service *s,
			     struct manifest_SystemManifest_Service_builder b)
{
	struct manifest_SystemManifest_Grant__list_builder gl;
	struct manifest_SystemManifest_Export__list_builder el;
	struct manifest_SystemManifest_RestartPolicy_builder r;

	if (s->name)
		manifest_SystemManifest_Service_set_name(b, s->name, mb_len(s->name));
	if (s->binary)
		manifest_SystemManifest_Service_set_binary(b, s->binary, mb_len(s->binary));
	gl = manifest_SystemManifest_Service_init_grants(b, s->ngrants);
	for (uint32_t j = 0; j < s->ngrants; j++)
		mb_build_grant(&s->grants[j], manifest_SystemManifest_Grant__list_build(gl, j));
	el = manifest_SystemManifest_Service_init_exports(b, s->nexports);
	for (uint32_t j = 0; j < s->nexports; j++) {
		struct manifest_SystemManifest_Export_builder e =
			manifest_SystemManifest_Export__list_build(el, j);

		if (s->exports[j].name)
			manifest_SystemManifest_Export_set_name(e, s->exports[j].name,
								mb_len(s->exports[j].name));
		manifest_SystemManifest_Export_set_interfaceId(e, s->exports[j].iface);
	}
	if (s->memory_pages)
		manifest_SystemManifest_Service_set_memoryPages(b, s->memory_pages);
	if (s->nargs) {
		struct capnp_list_builder al = manifest_SystemManifest_Service_init_args(b, s->nargs);

		for (uint32_t j = 0; j < s->nargs; j++)
			capnp_ptr_set_text(capnp_list_build_ptr(al, j), s->args[j],
					   s->arg_len[j] ? s->arg_len[j] : (uint32_t)strlen(s->args[j]));
	}
	if (!s->has_restart)
		return;
	r = manifest_SystemManifest_Service_init_restart(b);
	manifest_SystemManifest_RestartPolicy_set_mode(r, s->mode);
	manifest_SystemManifest_RestartPolicy_set_maxRestarts(r, s->max_restarts);
	manifest_SystemManifest_RestartPolicy_set_backoffMs(r, s->backoff_ms);
	manifest_SystemManifest_RestartPolicy_set_maxBackoffMs(r, s->max_backoff_ms);
}

size_t mb_build(const struct mb_manifest *d, uint8_t *out, size_t cap)
{
	static uint64_t arena[1 << 16];
	struct manifest_SystemManifest_Binary__list_builder bl;
	struct manifest_SystemManifest_Service__list_builder sl;
	struct manifest_SystemManifest_builder root;
	struct capnp_msg msg;
	size_t len;

	if (capnp_msg_init_build(&msg, arena, sizeof(arena)))
		return 0;
	root = manifest_SystemManifest_init_root(&msg);
	bl = manifest_SystemManifest_init_binaries(root, d->nbinaries);
	for (uint32_t i = 0; i < d->nbinaries; i++)
		manifest_SystemManifest_Binary_set_name(
			manifest_SystemManifest_Binary__list_build(bl, i), d->binaries[i],
			mb_len(d->binaries[i]));
	if (d->motd)
		manifest_SystemManifest_KernelParams_set_motd(
			manifest_SystemManifest_init_kernelParams(root), d->motd, mb_len(d->motd));
	sl = manifest_SystemManifest_init_services(root, d->nservices);
	for (uint32_t i = 0; i < d->nservices; i++)
		mb_build_service(&d->services[i],
				 manifest_SystemManifest_Service__list_build(sl, i));
	if (capnp_msg_error(&msg) || capnp_msg_write(&msg, out, cap, &len))
		return 0;
	return len;
}

static char mb_names[MB_LIST_MAX * 2][MANIFEST_NAME_MAX + 1];

void mb_env(struct manifest_env *env, const char *const *binaries, uint32_t n)
{
	memset(env, 0, sizeof(*env));
	for (uint32_t i = 0; i < n; i++)
		snprintf(mb_names[i], sizeof(mb_names[i]), "%s", binaries[i]);
	env->package = mb_names;
	env->npackage = n;
	for (uint32_t k = 0; k < manifest_kernel_source_count; k++)
		env->kernel_iface[k] = manifest_kernel_sources[k].iface;
	env->pci_devices = true;
}

const struct manifest_env *mb_default_env(void)
{
	static const char *names[MB_LIST_MAX + 5] = { "hello", "ipc-echo", "echo-demo", "fault-pf",
						      "exit0" };
	static char numbered[MB_LIST_MAX][8];
	static struct manifest_env env;

	for (uint32_t i = 0; i < MB_LIST_MAX; i++) {
		snprintf(numbered[i], sizeof(numbered[i]), "b%u", i);
		names[5 + i] = numbered[i];
	}
	mb_env(&env, names, MB_LIST_MAX + 5);
	return &env;
}
