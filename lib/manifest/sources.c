// SPDX-License-Identifier: MIT
/*
 * The kernel sources a manifest may name (schema/manifest.capnp
 * KernelSource) and the capability init holds for each: the grants
 * kernel/proc/init.c gives init, by CapSet name and interface. Init fills
 * its struct manifest_env from this table and its CapSet; the host tools
 * assume every source is held.
 */
#include <capos/interfaces.h>

#include "manifest/internal.h"

const struct manifest_kernel_source manifest_kernel_sources[] = {
	[manifest_SystemManifest_KernelSource_console] =
		{ "console", "console", CAPOS_IFACE_CONSOLE },
	[manifest_SystemManifest_KernelSource_bootPackage] =
		{ "bootPackage", "boot", CAPOS_IFACE_BOOT_PACKAGE },
	[manifest_SystemManifest_KernelSource_spawner] =
		{ "spawner", "spawner", CAPOS_IFACE_PROCESS_SPAWNER },
	[manifest_SystemManifest_KernelSource_endpointFactory] =
		{ "endpointFactory", "endpoints", CAPOS_IFACE_ENDPOINT_FACTORY },
	[manifest_SystemManifest_KernelSource_capabilityManager] =
		{ "capabilityManager", "caps", CAPOS_IFACE_CAPABILITY_MANAGER },
	[manifest_SystemManifest_KernelSource_timer] = { "timer", "timer", CAPOS_IFACE_TIMER },
	[manifest_SystemManifest_KernelSource_entropy] =
		{ "entropy", "entropy", CAPOS_IFACE_ENTROPY_SOURCE },
	[manifest_SystemManifest_KernelSource_memoryObjectFactory] =
		{ "memoryObjectFactory", "memory", CAPOS_IFACE_MEMORY_OBJECT_FACTORY },
	[manifest_SystemManifest_KernelSource_serial] =
		{ "serial", "serial", CAPOS_IFACE_SERIAL_PORT },
};

const uint32_t manifest_kernel_source_count =
	sizeof(manifest_kernel_sources) / sizeof(manifest_kernel_sources[0]);

_Static_assert(sizeof(manifest_kernel_sources) / sizeof(manifest_kernel_sources[0]) <=
		       MANIFEST_KERNEL_SOURCES_MAX,
	       "MANIFEST_KERNEL_SOURCES_MAX holds every kernel source");

/* The interface ids manifest.capnp offers its authors are the pinned ones. */
_Static_assert(manifest_consoleIface == CAPOS_IFACE_CONSOLE, "manifest.capnp consoleIface");
_Static_assert(manifest_bootPackageIface == CAPOS_IFACE_BOOT_PACKAGE,
	       "manifest.capnp bootPackageIface");
_Static_assert(manifest_processSpawnerIface == CAPOS_IFACE_PROCESS_SPAWNER,
	       "manifest.capnp processSpawnerIface");
_Static_assert(manifest_endpointFactoryIface == CAPOS_IFACE_ENDPOINT_FACTORY,
	       "manifest.capnp endpointFactoryIface");
_Static_assert(manifest_capabilityManagerIface == CAPOS_IFACE_CAPABILITY_MANAGER,
	       "manifest.capnp capabilityManagerIface");
_Static_assert(manifest_timerIface == CAPOS_IFACE_TIMER, "manifest.capnp timerIface");
_Static_assert(manifest_entropySourceIface == CAPOS_IFACE_ENTROPY_SOURCE,
	       "manifest.capnp entropySourceIface");
_Static_assert(manifest_memoryObjectFactoryIface == CAPOS_IFACE_MEMORY_OBJECT_FACTORY,
	       "manifest.capnp memoryObjectFactoryIface");
_Static_assert(manifest_serialPortIface == CAPOS_IFACE_SERIAL_PORT,
	       "manifest.capnp serialPortIface");
_Static_assert(manifest_pciDeviceIface == CAPOS_IFACE_PCI_DEVICE, "manifest.capnp pciDeviceIface");

const char *manifest_kernel_source_name(uint32_t k)
{
	return k < manifest_kernel_source_count ? manifest_kernel_sources[k].schema_name : NULL;
}
