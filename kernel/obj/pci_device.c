// SPDX-License-Identifier: MIT
/*
 * DeviceManager (list, open) and PciDevice's object, info, configRead and
 * configWrite (pci_device.h); the BARs and DMA are in pci_device_mem.c,
 * interrupts in pci_device_irq.c. Decode, then invoke: every method
 * builds its answer (and open reserves the caller's table slot) before
 * anything changes.
 */
#include <capos/errors.h>
#include <capos/interfaces.h>

#include "capos.capnp.h"
#include "mm/kmalloc.h"
#include "obj/pci_device_impl.h"
#include "ring/call.h"

static int invalid(struct call_ctx *ctx, const char *why)
{
	return call_raise(ctx, capos_CapException_Type_invalidArgument, why);
}

void pci_device_info_fill(struct device_PciDeviceInfo_builder b, const struct pci_func *f)
{
	device_PciDeviceInfo_set_bus(b, f->bus);
	device_PciDeviceInfo_set_device(b, f->dev);
	device_PciDeviceInfo_set_function(b, f->fn);
	device_PciDeviceInfo_set_vendorId(b, f->vendor_id);
	device_PciDeviceInfo_set_deviceId(b, f->device_id);
	device_PciDeviceInfo_set_classCode(b, f->class_code);
	device_PciDeviceInfo_set_subclass(b, f->subclass);
	device_PciDeviceInfo_set_progIf(b, f->prog_if);
	device_PciDeviceInfo_set_revision(b, f->revision);
	device_PciDeviceInfo_set_subsystemId(b, f->subsystem_id);
	device_PciDeviceInfo_set_interruptPin(b, f->interrupt_pin);
}

/* ---- PciDevice ---- */

static void pci_device_destroy(struct kobj *obj)
{
	struct pci_device *d = (struct pci_device *)obj;
	uint16_t cmd;

	pci_device_irq_release(d);	/* sets INTx disable: read the command after it */
	cmd = (uint16_t)pci_cfg_read(d->func, PCI_COMMAND, 2);
	/* No more DMA from the device before its memory may go. */
	pci_cfg_write(d->func, PCI_COMMAND, 2, cmd & ~PCI_CMD_MASTER);
	pci_device_mem_release(d);
	pci_unclaim(d->func);
	(void)kfree(d);
}

static int pci_info(struct pci_device *d, struct call_ctx *ctx)
{
	struct capnp_msg out;
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	pci_device_info_fill(device_PciDevice_info_Results_init_info(
				     device_PciDevice_info_Results_init_root(&out)),
			     d->func);
	return call_result_end(ctx, &out);
}

static int config_read(struct pci_device *d, struct call_ctx *ctx)
{
	struct capnp_msg in, out;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	struct device_PciDevice_configRead_Params p = device_PciDevice_configRead_Params_root(&in);
	uint16_t off = device_PciDevice_configRead_Params_get_offset(p);
	uint8_t width = device_PciDevice_configRead_Params_get_width(p);

	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	if (pci_filter_access(off, width, pci_cfg_size()) != PCI_FILTER_OK)
		return invalid(ctx, "configRead: width 1, 2 or 4, aligned, inside the space");
	err = call_result_begin(ctx, &out);
	if (err)
		return err;
	device_PciDevice_configRead_Results_set_value(
		device_PciDevice_configRead_Results_init_root(&out),
		pci_cfg_read(d->func, off, width));
	return call_result_end(ctx, &out);
}

/* The command register (offset 4, width 1 or 2): only I/O, memory and master change. */
static void command_write(struct pci_device *d, uint8_t width, uint32_t value)
{
	uint16_t old = (uint16_t)pci_cfg_read(d->func, PCI_COMMAND, 2);
	uint16_t wanted = width == 1 ? (uint16_t)((old & 0xff00) | (value & 0xff)) : (uint16_t)value;

	pci_cfg_write(d->func, PCI_COMMAND, 2, pci_filter_command(old, wanted));
}

static int config_write(struct pci_device *d, struct call_ctx *ctx)
{
	struct capnp_msg in, out;
	int verdict, err = call_params_open(ctx, &in);

	if (err)
		return err;
	struct device_PciDevice_configWrite_Params p =
		device_PciDevice_configWrite_Params_root(&in);
	uint16_t off = device_PciDevice_configWrite_Params_get_offset(p);
	uint8_t width = device_PciDevice_configWrite_Params_get_width(p);
	uint32_t value = device_PciDevice_configWrite_Params_get_value(p);

	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	if (pci_filter_access(off, width, pci_cfg_size()) != PCI_FILTER_OK)
		return invalid(ctx, "configWrite: width 1, 2 or 4, aligned, inside the space");
	verdict = pci_filter_write(&d->func->caps, off, width);
	if (verdict == PCI_FILTER_REFUSED)
		return call_raise(ctx, capos_CapException_Type_failed,
				  "configWrite: the header, BARs, MSI and MSI-X are the kernel's");
	err = call_result_begin(ctx, &out);
	if (err)
		return err;
	(void)device_PciDevice_configWrite_Results_init_root(&out);
	err = call_result_end(ctx, &out);
	if (err)
		return err;
	if (verdict == PCI_FILTER_COMMAND)
		command_write(d, width, value);
	else
		pci_cfg_write(d->func, off, width, value);
	return 0;
}

static int pci_device_call(struct kobj *obj, struct call_ctx *ctx)
{
	struct pci_device *d = (struct pci_device *)obj;

	switch (ctx->method_id) {
	case 0:
		return pci_info(d, ctx);
	case 1:
		return config_read(d, ctx);
	case 2:
		return config_write(d, ctx);
	case 3:
		return pci_device_map_bar(d, ctx);
	case 4:
		return pci_device_alloc_dma(d, ctx);
	case 5:
		return pci_device_free_dma(d, ctx);
	case 6:
		return pci_device_enable_interrupts(d, ctx);
	case 7:
		return pci_device_wait_interrupt(d, ctx);
	default:
		return CAPOS_ERR_UNKNOWN_METHOD;
	}
}

static const struct kobj_ops pci_device_ops = {
	.iface_id = CAPOS_IFACE_PCI_DEVICE,
	.name = "PciDevice",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = KOBJ_F_TRANSFERABLE,
	.call = pci_device_call,
	.destroy = pci_device_destroy,
};

/* A PciDevice for f (claimed by the caller), one reference; NULL if out of memory. */
static struct pci_device *pci_device_new(struct pci_func *f)
{
	struct pci_device *d = kzalloc(sizeof(*d));

	if (!d)
		return NULL;
	kobj_init(&d->obj, &pci_device_ops);
	d->func = f;
	spin_init_class(&d->lock, LOCK_RANK_KCALL_OBJ);
	d->irq_mode = device_InterruptMode_none;
	for (uint32_t i = 0; i < PCI_MSIX_MAX; i++)
		kcall_queue_init(&d->waits[i], &d->lock);
	return d;
}

/* ---- DeviceManager ---- */

static int dm_list(struct call_ctx *ctx)
{
	struct capnp_msg out;
	uint32_t n = pci_count();
	int err = call_result_begin(ctx, &out);

	if (err)
		return err;
	struct device_PciDeviceInfo__list_builder l = device_DeviceManager_list_Results_init_devices(
		device_DeviceManager_list_Results_init_root(&out), n);

	for (uint32_t i = 0; i < n; i++)
		pci_device_info_fill(device_PciDeviceInfo__list_build(l, i), pci_func_at(i));
	return call_result_end(ctx, &out);
}

/* The index-th function with that vendor and device id, or NULL. */
static struct pci_func *dm_find(uint16_t vendor, uint16_t device, uint16_t index)
{
	for (uint32_t i = 0; i < pci_count(); i++) {
		struct pci_func *f = pci_func_at(i);

		if (f->vendor_id == vendor && f->device_id == device && index-- == 0)
			return f;
	}
	return NULL;
}

static int dm_open(struct call_ctx *ctx)
{
	struct capnp_msg in, out;
	struct pci_device *d;
	struct pci_func *f;
	int err = call_params_open(ctx, &in);

	if (err)
		return err;
	struct device_DeviceManager_open_Params p = device_DeviceManager_open_Params_root(&in);
	uint16_t vendor = device_DeviceManager_open_Params_get_vendorId(p);
	uint16_t device = device_DeviceManager_open_Params_get_deviceId(p);
	uint16_t index = device_DeviceManager_open_Params_get_index(p);

	if (capnp_msg_error(&in))
		return CAPOS_ERR_MALFORMED_MESSAGE;
	f = dm_find(vendor, device, index);
	if (!f)
		return call_raise(ctx, capos_CapException_Type_failed, "open: no such PCI function");
	err = call_result_begin(ctx, &out);
	if (err)
		return err;
	device_DeviceManager_open_Results_set_deviceIndex(
		device_DeviceManager_open_Results_init_root(&out), 0);
	err = call_result_end(ctx, &out);
	if (!err)
		err = call_result_reserve(ctx, 1);
	if (err)
		return err;
	if (!pci_claim(f))
		return call_raise(ctx, capos_CapException_Type_failed,
				  "open: the function is open already");
	d = pci_device_new(f);
	if (!d) {
		pci_unclaim(f);
		return call_raise_no_memory(ctx, CAPOS_ERR_NO_MEMORY, "open");
	}
	return call_result_cap(ctx, &d->obj) == 0 ? 0 : CAPOS_ERR_INVALID_ARGUMENT;
}

static int dm_call(struct kobj *obj, struct call_ctx *ctx)
{
	(void)obj;
	switch (ctx->method_id) {
	case 0:
		return dm_list(ctx);
	case 1:
		return dm_open(ctx);
	default:
		return CAPOS_ERR_UNKNOWN_METHOD;
	}
}

static const struct kobj_ops dm_ops = {
	.iface_id = CAPOS_IFACE_DEVICE_MANAGER,
	.name = "DeviceManager",
	.result_max = KOBJ_RESULT_SMALL,
	.flags = KOBJ_F_TRANSFERABLE,
	.call = dm_call,
	.destroy = kobj_destroy_static,
};

static struct kobj dm_obj;

struct kobj *device_manager_object(void)
{
	return kobj_singleton(&dm_obj, &dm_ops);
}
