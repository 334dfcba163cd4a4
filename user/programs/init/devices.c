// SPDX-License-Identifier: MIT
/*
 * The pciDevice grant source (docs/devices.md): init opens the device a
 * grant names through the DeviceManager the kernel gave it ("devices")
 * and moves it to the service; init never grants the DeviceManager
 * itself. Absent hardware is not an error: the service is not started.
 */
#include <capos/errors.h>

#include "init.h"
#include "pci.h"

#define INIT_PCI_LIST_MAX 64	/* the kernel keeps at most 64 functions */

static bool pci_has(const struct pci_info *all, uint32_t n, uint16_t vendor, uint16_t id)
{
	for (uint32_t i = 0; i < n; i++)
		if (all[i].vendor_id == vendor && all[i].device_id == id)
			return true;
	return false;
}

void init_pci_name(const struct manifest_grant *g, char *out, size_t size)
{
	size_t n = (size_t)snprintf(out, size, "%04x:%04x", g->pci_vendor, g->pci_ids[0]);

	for (uint32_t i = 1; i < g->pci_nids && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "/%04x", g->pci_ids[i]);
}

int init_pci_open(const struct manifest_grant *g, capos_cap_t *dev)
{
	capos_cap_t devices = rt_cap("devices", CAPOS_IFACE_DEVICE_MANAGER);
	struct pci_info *all = malloc(INIT_PCI_LIST_MAX * sizeof(*all));
	uint32_t n = 0;
	int err;

	if (devices == CAPOS_CAP_INVALID)
		return CAPOS_ERR_INVALID_CAP;
	if (!all)
		return CAPOS_ERR_NO_MEMORY;
	err = pci_list(devices, all, INIT_PCI_LIST_MAX, &n);
	if (n > INIT_PCI_LIST_MAX)
		n = INIT_PCI_LIST_MAX;
	for (uint32_t i = 0; !err && i < g->pci_nids; i++) {
		if (!pci_has(all, n, g->pci_vendor, g->pci_ids[i]))
			continue;
		free(all);
		return pci_open(devices, g->pci_vendor, g->pci_ids[i], 0, dev);
	}
	free(all);
	return err ? err : INIT_PCI_ABSENT;
}
