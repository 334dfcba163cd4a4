// SPDX-License-Identifier: MIT
/* PciDevice and DeviceManager calls (pci.h). Not reentrant but for the waits. */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "client.h"
#include "device.capnp.h"
#include "pci.h"

#define PCI_RESULT_WORDS 160	/* list's 64 entries, or a CapException, and records */
#define WAIT_RESULT_WORDS 48	/* the answer, or a CapException */

static uint64_t pc_arena[16], pc_params[16], pc_result[PCI_RESULT_WORDS];
static struct capnp_msg pc_msg, pc_reply;
static struct capos_cqe pc_cqe;

static struct pci_wait {
	uint64_t user_data;	/* 0: free */
	uint64_t params[4];
	uint64_t result[WAIT_RESULT_WORDS];
} waits[PCI_WAITS_MAX];

static void pc_begin(void)
{
	capnp_msg_init_build(&pc_msg, pc_arena, sizeof(pc_arena));
}

/* Calls method of cap with the params in pc_msg; the answer opens in pc_reply. */
static int pc_call(capos_cap_t cap, uint16_t method)
{
	size_t len;
	int ret;

	if (!client_ring || capnp_msg_write(&pc_msg, pc_params, sizeof(pc_params), &len))
		return CAPOS_ERR_INVALID_ARGUMENT;
	ret = uring_call(client_ring, cap, method, pc_params, (uint32_t)len, pc_result,
			 sizeof(pc_result), NULL, 0, &pc_cqe);
	pc_cqe.result = ret;
	return client_open_answer(&pc_cqe, pc_result, sizeof(pc_result), &pc_reply);
}

static void info_read(struct device_PciDeviceInfo i, struct pci_info *out)
{
	out->bus = device_PciDeviceInfo_get_bus(i);
	out->device = device_PciDeviceInfo_get_device(i);
	out->function = device_PciDeviceInfo_get_function(i);
	out->vendor_id = device_PciDeviceInfo_get_vendorId(i);
	out->device_id = device_PciDeviceInfo_get_deviceId(i);
	out->class_code = device_PciDeviceInfo_get_classCode(i);
	out->subclass = device_PciDeviceInfo_get_subclass(i);
	out->prog_if = device_PciDeviceInfo_get_progIf(i);
	out->revision = device_PciDeviceInfo_get_revision(i);
	out->subsystem_id = device_PciDeviceInfo_get_subsystemId(i);
	out->interrupt_pin = device_PciDeviceInfo_get_interruptPin(i);
}

int pci_info(capos_cap_t dev, struct pci_info *out)
{
	pc_begin();
	(void)device_PciDevice_info_Params_init_root(&pc_msg);
	int err = pc_call(dev, device_PciDevice_info);

	if (err)
		return err;
	info_read(device_PciDevice_info_Results_get_info(device_PciDevice_info_Results_root(&pc_reply)),
		  out);
	return capnp_msg_error(&pc_reply) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
}

int pci_config_read(capos_cap_t dev, uint16_t off, uint8_t width, uint32_t *val)
{
	pc_begin();
	struct device_PciDevice_configRead_Params_builder p =
		device_PciDevice_configRead_Params_init_root(&pc_msg);

	device_PciDevice_configRead_Params_set_offset(p, off);
	device_PciDevice_configRead_Params_set_width(p, width);
	int err = pc_call(dev, device_PciDevice_configRead);

	if (err)
		return err;
	uint32_t v = device_PciDevice_configRead_Results_get_value(
		device_PciDevice_configRead_Results_root(&pc_reply));
	if (capnp_msg_error(&pc_reply))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*val = v;
	return 0;
}

int pci_config_write(capos_cap_t dev, uint16_t off, uint8_t width, uint32_t val)
{
	pc_begin();
	struct device_PciDevice_configWrite_Params_builder p =
		device_PciDevice_configWrite_Params_init_root(&pc_msg);

	device_PciDevice_configWrite_Params_set_offset(p, off);
	device_PciDevice_configWrite_Params_set_width(p, width);
	device_PciDevice_configWrite_Params_set_value(p, val);
	return pc_call(dev, device_PciDevice_configWrite);
}

int pci_map_bar(capos_cap_t dev, uint8_t bar, volatile void **addr, uint64_t *size)
{
	pc_begin();
	device_PciDevice_mapBar_Params_set_bar(device_PciDevice_mapBar_Params_init_root(&pc_msg),
					       bar);
	int err = pc_call(dev, device_PciDevice_mapBar);

	if (err)
		return err;
	struct device_PciDevice_mapBar_Results r = device_PciDevice_mapBar_Results_root(&pc_reply);
	uint64_t a = device_PciDevice_mapBar_Results_get_addr(r);
	uint64_t s = device_PciDevice_mapBar_Results_get_size(r);

	if (capnp_msg_error(&pc_reply))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*addr = (volatile void *)(uintptr_t)a;
	*size = s;
	return 0;
}

int pci_alloc_dma(capos_cap_t dev, uint32_t size, void **addr, uint64_t *dev_addr)
{
	pc_begin();
	device_PciDevice_allocDma_Params_set_size(
		device_PciDevice_allocDma_Params_init_root(&pc_msg), size);
	int err = pc_call(dev, device_PciDevice_allocDma);

	if (err)
		return err;
	struct device_PciDevice_allocDma_Results r =
		device_PciDevice_allocDma_Results_root(&pc_reply);
	uint64_t a = device_PciDevice_allocDma_Results_get_addr(r);
	uint64_t d = device_PciDevice_allocDma_Results_get_deviceAddr(r);

	if (capnp_msg_error(&pc_reply))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*addr = (void *)(uintptr_t)a;
	*dev_addr = d;
	return 0;
}

int pci_free_dma(capos_cap_t dev, void *addr)
{
	pc_begin();
	device_PciDevice_freeDma_Params_set_addr(device_PciDevice_freeDma_Params_init_root(&pc_msg),
						 (uint64_t)(uintptr_t)addr);
	return pc_call(dev, device_PciDevice_freeDma);
}

int pci_enable_interrupts(capos_cap_t dev, uint16_t want, int *mode, uint16_t *got)
{
	pc_begin();
	device_PciDevice_enableInterrupts_Params_set_vectors(
		device_PciDevice_enableInterrupts_Params_init_root(&pc_msg), want);
	int err = pc_call(dev, device_PciDevice_enableInterrupts);

	if (err)
		return err;
	struct device_PciDevice_enableInterrupts_Results r =
		device_PciDevice_enableInterrupts_Results_root(&pc_reply);
	uint16_t m = device_PciDevice_enableInterrupts_Results_get_mode(r);
	uint16_t n = device_PciDevice_enableInterrupts_Results_get_vectors(r);

	if (capnp_msg_error(&pc_reply))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*mode = m == device_InterruptMode_msix ? PCI_INTERRUPT_MSIX
		: m == device_InterruptMode_intx ? PCI_INTERRUPT_INTX : 0;
	*got = n;
	return 0;
}

static struct pci_wait *wait_find(uint64_t user_data)
{
	for (uint32_t i = 0; i < PCI_WAITS_MAX; i++)
		if (waits[i].user_data == user_data)
			return &waits[i];
	return NULL;
}

int pci_wait_interrupt_submit(struct uring *r, capos_cap_t dev, uint16_t vector,
			      uint64_t user_data)
{
	struct pci_wait *w;
	uint64_t arena[4];
	struct capnp_msg m;
	size_t plen;
	struct capos_sqe *sqe;

	if (!user_data || wait_find(user_data))
		return CAPOS_ERR_INVALID_ARGUMENT;
	w = wait_find(0);
	if (!w)
		return CAPOS_ERR_QUOTA_EXCEEDED;
	capnp_msg_init_build(&m, arena, sizeof(arena));
	device_PciDevice_waitInterrupt_Params_set_vector(
		device_PciDevice_waitInterrupt_Params_init_root(&m), vector);
	if (capnp_msg_write(&m, w->params, sizeof(w->params), &plen))
		return CAPOS_ERR_TOO_LARGE;
	sqe = uring_get_sqe(r);
	if (!sqe) {
		(void)uring_enter(r, 0, 0);	/* let the kernel consume once */
		sqe = uring_get_sqe(r);
	}
	if (!sqe)
		return CAPOS_ERR_CQ_FULL;
	*sqe = (struct capos_sqe){
		.opcode = CAPOS_OP_CALL,
		.cap_id = dev,
		.params_addr = (uint64_t)(uintptr_t)w->params,
		.params_len = (uint32_t)plen,
		.result_addr = (uint64_t)(uintptr_t)w->result,
		.result_len = sizeof(w->result),
		.method_id = device_PciDevice_waitInterrupt,
		.user_data = user_data,
	};
	w->user_data = user_data;
	return 0;
}

int pci_wait_interrupt_result(const struct capos_cqe *cqe, uint32_t *count)
{
	struct pci_wait *w = cqe->user_data ? wait_find(cqe->user_data) : NULL;
	struct capnp_msg m;
	int err;

	if (!w)
		return CAPOS_ERR_INVALID_ARGUMENT;
	err = client_open_answer(cqe, w->result, sizeof(w->result), &m);
	if (!err) {
		uint32_t c = device_PciDevice_waitInterrupt_Results_get_count(
			device_PciDevice_waitInterrupt_Results_root(&m));

		err = capnp_msg_error(&m) ? CAPOS_ERR_MALFORMED_MESSAGE : 0;
		if (!err)
			*count = c;
	}
	w->user_data = 0;
	return err;
}

int pci_list(capos_cap_t devices, struct pci_info *out, uint32_t max, uint32_t *n)
{
	pc_begin();
	(void)device_DeviceManager_list_Params_init_root(&pc_msg);
	int err = pc_call(devices, device_DeviceManager_list);

	if (err)
		return err;
	struct device_PciDeviceInfo__list l = device_DeviceManager_list_Results_get_devices(
		device_DeviceManager_list_Results_root(&pc_reply));
	uint32_t count = device_PciDeviceInfo__list_len(l);

	for (uint32_t i = 0; i < count && i < max; i++)
		info_read(device_PciDeviceInfo__list_get(l, i), &out[i]);
	if (capnp_msg_error(&pc_reply))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	*n = count;
	return 0;
}

int pci_open(capos_cap_t devices, uint16_t vendor, uint16_t device, uint16_t index,
	     capos_cap_t *dev)
{
	pc_begin();
	struct device_DeviceManager_open_Params_builder p =
		device_DeviceManager_open_Params_init_root(&pc_msg);

	device_DeviceManager_open_Params_set_vendorId(p, vendor);
	device_DeviceManager_open_Params_set_deviceId(p, device);
	device_DeviceManager_open_Params_set_index(p, index);
	int err = pc_call(devices, device_DeviceManager_open);

	if (err)
		return err;
	uint16_t i = device_DeviceManager_open_Results_get_deviceIndex(
		device_DeviceManager_open_Results_root(&pc_reply));
	uint32_t off = (pc_cqe.written + 7u) & ~7u;
	const struct capos_xfer_result *rec;

	if (capnp_msg_error(&pc_reply) || !(pc_cqe.flags & CAPOS_CQE_F_XFER) ||
	    i >= pc_cqe.xfer_count || off + (uint64_t)(i + 1) * sizeof(*rec) > sizeof(pc_result))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	rec = (const struct capos_xfer_result *)((const uint8_t *)pc_result + off) + i;
	if (rec->interface_id != CAPOS_IFACE_PCI_DEVICE)
		return CAPOS_ERR_WRONG_INTERFACE;
	*dev = rec->cap_id;
	return 0;
}
