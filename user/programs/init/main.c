// SPDX-License-Identifier: MIT
/*
 * init: the first process. The kernel gives it Console, BootPackage,
 * ProcessSpawner, EndpointFactory, CapabilityManager, its VirtualMemory,
 * Timer, EntropySource, SerialPort and the DeviceManager; a manifest may
 * grant services copies of all but the VirtualMemory and the
 * DeviceManager (lib/manifest/sources.c), and PCI devices init opens
 * through the DeviceManager (devices.c). Init reads the boot
 * manifest from the boot package and validates all of it before anything
 * starts (load.c): an invalid manifest gets one line "init: manifest: PATH:
 * REASON", in the log and on the terminal, and init exits 1, having
 * started nothing. A valid one: init prints
 * the message of the day, starts the service graph and supervises it
 * (supervise.c) until no service is left to run, then exits 0, or 1 if it
 * had to give up on a service. docs/manifest.md.
 */
#include "init.h"

int main(void)
{
	/* About 50 KiB: on the heap, which is mapped already (see load.c). */
	struct manifest *manifest = malloc(sizeof(*manifest));
	uint32_t gave_up;

	printf("init: capOS init running (pid %llu)\n", (unsigned long long)rt.pid);
	if (!manifest) {
		init_refuse_manifest("$: no memory to hold it");
		return 1;
	}
	if (init_load_manifest(manifest))
		return 1;
	if (manifest->motd_len)
		printf("%s\n", manifest->motd);
	gave_up = init_supervise(manifest);
	if (gave_up) {
		printf("init: every service has ended; gave up on %u\n", gave_up);
		return 1;
	}
	printf("init: every service has ended\n");
	return 0;
}
