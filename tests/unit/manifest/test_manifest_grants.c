// SPDX-License-Identifier: MIT
/*
 * The manifest validator's grants (lib/manifest, docs/manifest.md): the
 * kernel sources init may grant and their interfaces, sources that must
 * exist, be held and match, and pciDevice grants (matched, bounded, never
 * two that could get one device). test_manifest.c has the other rules.
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

TEST(kernel_source_table_matches_the_schema)
{
	const struct capnpc_enum_desc *e = &manifest_SystemManifest_KernelSource_desc;

	CHECK_EQ(manifest_kernel_source_count, e->count);
	for (uint32_t k = 0; k < e->count; k++)
		CHECK_STR(manifest_kernel_sources[k].schema_name, e->enumerants[k]);
	CHECK_EQ(manifest_echoIface, echo_Echo_TYPE_ID);
	CHECK(manifest_kernel_source_name(e->count) == NULL);
}

/* The Timer and the EntropySource may be granted like any of init's capabilities. */
TEST(timer_and_entropy_are_kernel_sources)
{
	struct manifest_env env = *mb_default_env();
	struct mb_service *s;

	mb_base(&d);
	s = &d.services[0];
	s->grants[s->ngrants++] = MB_GRANT_KERNEL("timer", CAPOS_IFACE_TIMER,
						  manifest_SystemManifest_KernelSource_timer);
	s->grants[s->ngrants++] = MB_GRANT_KERNEL("entropy", CAPOS_IFACE_ENTROPY_SOURCE,
						  manifest_SystemManifest_KernelSource_entropy);
	CHECK_EQ(load(), 0);
	CHECK_EQ(plan.services[0].grants[1].kind, MANIFEST_SOURCE_KERNEL);
	CHECK_EQ(plan.services[0].grants[1].kernel, manifest_SystemManifest_KernelSource_timer);
	CHECK_EQ(plan.services[0].grants[1].iface, CAPOS_IFACE_TIMER);
	CHECK_EQ(plan.services[0].grants[2].kernel, manifest_SystemManifest_KernelSource_entropy);
	CHECK_STR(manifest_kernel_source_name(manifest_SystemManifest_KernelSource_timer), "timer");
	CHECK_STR(manifest_kernel_sources[manifest_SystemManifest_KernelSource_entropy].capset_name,
		  "entropy");
	s->grants[1].iface = CAPOS_IFACE_ENTROPY_SOURCE;
	CHECK_STR(verdict(), "services[0].grants[1].interfaceId: interface mismatch: the grant "
			     "asks for 0xd67aafc479b6f146, timer is 0x90d5338dff73675c");
	s->grants[1].iface = CAPOS_IFACE_TIMER;
	env.kernel_iface[manifest_SystemManifest_KernelSource_entropy] = 0;
	CHECK_EQ(load_env(&env), CAPOS_ERR_INVALID_ARGUMENT);
	CHECK_STR(line, "services[0].grants[2].source.kernel: init holds no entropy capability");
}

/* The terminal's SerialPort may be granted like any of init's capabilities. */
TEST(serial_port_is_a_kernel_source)
{
	struct manifest_env env = *mb_default_env();
	struct mb_service *s;

	mb_base(&d);
	s = &d.services[0];
	s->grants[s->ngrants++] = MB_GRANT_KERNEL("serial", CAPOS_IFACE_SERIAL_PORT,
						  manifest_SystemManifest_KernelSource_serial);
	CHECK_EQ(load(), 0);
	CHECK_EQ(plan.services[0].grants[1].kind, MANIFEST_SOURCE_KERNEL);
	CHECK_EQ(plan.services[0].grants[1].kernel, manifest_SystemManifest_KernelSource_serial);
	CHECK_EQ(plan.services[0].grants[1].iface, CAPOS_IFACE_SERIAL_PORT);
	CHECK_STR(manifest_kernel_source_name(manifest_SystemManifest_KernelSource_serial),
		  "serial");
	CHECK_STR(manifest_kernel_sources[manifest_SystemManifest_KernelSource_serial].capset_name,
		  "serial");
	s->grants[1].iface = CAPOS_IFACE_CONSOLE;
	CHECK_STR(verdict(), "services[0].grants[1].interfaceId: interface mismatch: the grant "
			     "asks for 0xb3a691ff67a3ccfe, serial is 0xd005d035c59d18e2");
	s->grants[1].iface = CAPOS_IFACE_SERIAL_PORT;
	env.kernel_iface[manifest_SystemManifest_KernelSource_serial] = 0;
	CHECK_EQ(load_env(&env), CAPOS_ERR_INVALID_ARGUMENT);
	CHECK_STR(line, "services[0].grants[1].source.kernel: init holds no serial capability");
}

TEST(names_are_checked_where_they_are)
{
	char n32[40], n31[40];

	name_of_len(32, n32);
	name_of_len(31, n31);
	mb_base(&d);
	d.services[1].name = n31;
	d.services[2].grants[1].service = n31;
	CHECK_STR(verdict(), "ok");
	d.services[1].name = n32;
	CHECK_STR(verdict(), "services[1].name: 32 bytes long, at most 31");
	mb_base(&d);
	d.services[0].name = NULL;
	CHECK_STR(verdict(), "services[0].name: missing");
	mb_base(&d);
	d.services[2].grants[0].name = "con sole";
	CHECK_STR(verdict(), "services[2].grants[0].name: byte 0x20 at offset 3 is not one of "
			     "[A-Za-z0-9_.-]");
	mb_base(&d);
	d.services[1].exports[0].name = "";
	CHECK_STR(verdict(), "services[1].exports[0].name: missing");
	mb_base(&d);
	d.services[2].grants[1].export = "x/y";
	CHECK_STR(verdict(), "services[2].grants[1].source.service.export: byte 0x2f at offset 1 "
			     "is not one of [A-Za-z0-9_.-]");
	mb_base(&d);
	d.services[0].binary = NULL;
	CHECK_STR(verdict(), "services[0].binary: missing");
}

TEST(duplicates_are_refused)
{
	mb_base(&d);
	d.binaries[d.nbinaries++] = "hello";
	CHECK_STR(verdict(), "binaries[3].name: \"hello\" is listed twice (binaries[0])");
	mb_base(&d);
	d.services[2].name = "echo";
	CHECK_STR(verdict(), "services[2].name: \"echo\" is also services[1]");
	mb_base(&d);
	d.services[2].grants[1].name = "console";
	CHECK_STR(verdict(), "services[2].grants[1].name: \"console\" is also grants[0]");
	mb_base(&d);
	d.services[1].exports[1] = d.services[1].exports[0];
	d.services[1].nexports = 2;
	CHECK_STR(verdict(), "services[1].exports[1].name: \"service\" is also exports[0]");
	mb_base(&d);
	d.services[1].grants[0] = MB_GRANT_KERNEL("service", manifest_consoleIface, 0);
	d.services[1].ngrants = 1;
	CHECK_STR(verdict(), "services[1].grants[0].name: \"service\" is also exports[0]");
}

TEST(binaries_must_be_listed_and_packaged)
{
	const char *only_hello[] = { "hello", "ipc-echo" };
	struct manifest_env env;

	mb_base(&d);
	d.services[0].binary = "ipc-echo2";
	CHECK_STR(verdict(), "services[0].binary: \"ipc-echo2\" is not one of the manifest's "
			     "binaries");
	mb_base(&d);
	mb_env(&env, only_hello, 2);
	CHECK_EQ(load_env(&env), CAPOS_ERR_INVALID_ARGUMENT);
	CHECK_STR(line, "binaries[2].name: no binary \"echo-demo\" in the boot package");
}

TEST(sources_must_exist_be_held_and_match)
{
	struct manifest_env env = *mb_default_env();
	char want[MANIFEST_REASON_MAX];

	mb_base(&d);
	d.services[0].grants[0].kind = MB_UNSET;
	CHECK_STR(verdict(), "services[0].grants[0].source: missing");
	mb_base(&d);
	d.services[0].grants[0].kind = MB_RAW_WHICH;
	d.services[0].grants[0].kernel = 7;
	CHECK_STR(verdict(), "services[0].grants[0].source: unknown kind of source 7");
	mb_base(&d);
	d.services[0].grants[0].kernel = (uint16_t)manifest_kernel_source_count;
	snprintf(want, sizeof(want),
		 "services[0].grants[0].source.kernel: unknown kernel source %u",
		 manifest_kernel_source_count);
	CHECK_STR(verdict(), want);
	mb_base(&d);
	d.services[0].grants[0].iface = 0;
	CHECK_STR(verdict(), "services[0].grants[0].interfaceId: missing");
	mb_base(&d);
	d.services[0].grants[0].iface = CAPOS_IFACE_BOOT_PACKAGE;
	CHECK_STR(verdict(), "services[0].grants[0].interfaceId: interface mismatch: the grant "
			     "asks for 0xe61b540dceb768f9, console is 0xb3a691ff67a3ccfe");
	mb_base(&d);
	env.kernel_iface[manifest_SystemManifest_KernelSource_console] = 0;
	CHECK_EQ(load_env(&env), CAPOS_ERR_INVALID_ARGUMENT);
	CHECK_STR(line, "services[0].grants[0].source.kernel: init holds no console capability");
}

TEST(a_service_may_be_granted_the_memory_object_factory)
{
	mb_base(&d);
	d.services[0].grants[d.services[0].ngrants++] = MB_GRANT_KERNEL(
		"memory", CAPOS_IFACE_MEMORY_OBJECT_FACTORY,
		manifest_SystemManifest_KernelSource_memoryObjectFactory);
	CHECK_EQ(load(), 0);
	CHECK_EQ(plan.services[0].grants[1].kind, MANIFEST_SOURCE_KERNEL);
	CHECK_EQ(plan.services[0].grants[1].kernel,
		 manifest_SystemManifest_KernelSource_memoryObjectFactory);
	CHECK_EQ(plan.services[0].grants[1].iface, CAPOS_IFACE_MEMORY_OBJECT_FACTORY);
	CHECK_STR(manifest_kernel_sources[manifest_SystemManifest_KernelSource_memoryObjectFactory]
			  .capset_name, "memory");
}

TEST(a_pci_device_grant_is_resolved)
{
	mb_base(&d);
	struct mb_grant *g = &d.services[0].grants[d.services[0].ngrants++];

	*g = MB_GRANT_PCI("nic", 0x1af4, 0x1041);
	g->pci_nids = 2;
	g->pci_ids[1] = 0x1000;
	CHECK_EQ(load(), 0);
	CHECK_EQ(plan.services[0].grants[1].kind, MANIFEST_SOURCE_PCI);
	CHECK_EQ(plan.services[0].grants[1].pci_vendor, 0x1af4);
	CHECK_EQ(plan.services[0].grants[1].pci_nids, 2);
	CHECK_EQ(plan.services[0].grants[1].pci_ids[0], 0x1041);
	CHECK_EQ(plan.services[0].grants[1].pci_ids[1], 0x1000);
}

TEST(pci_device_grants_are_checked)
{
	struct manifest_env env = *mb_default_env();

	mb_base(&d);
	d.services[0].grants[d.services[0].ngrants++] = MB_GRANT_PCI("nic", 0x1af4, 0x1041);
	d.services[0].grants[1].iface = CAPOS_IFACE_CONSOLE;
	CHECK_STR(verdict(), "services[0].grants[1].interfaceId: interface mismatch: the grant "
			     "asks for 0xb3a691ff67a3ccfe, a PCI device is 0xf0b84c91e890ee9a");
	d.services[0].grants[1].iface = CAPOS_IFACE_PCI_DEVICE;
	d.services[0].grants[1].pci_nids = 0;
	CHECK_STR(verdict(), "services[0].grants[1].source.pciDevice.deviceIds: 0 ids, 1..8 "
			     "allowed");
	d.services[0].grants[1].pci_nids = 9;
	CHECK_STR(verdict(), "services[0].grants[1].source.pciDevice.deviceIds: 9 ids, 1..8 "
			     "allowed");
	d.services[0].grants[1].pci_nids = 8;
	CHECK_STR(verdict(), "ok");
	d.services[0].grants[1].pci_nids = 1;
	env.pci_devices = false;
	CHECK_EQ(load_env(&env), CAPOS_ERR_INVALID_ARGUMENT);
	CHECK_STR(line, "services[0].grants[1].source.pciDevice: init holds no DeviceManager");
}

TEST(two_grants_that_could_get_one_device_are_refused)
{
	mb_base(&d);
	d.services[0].grants[d.services[0].ngrants++] = MB_GRANT_PCI("nic", 0x1af4, 0x1041);
	d.services[2].grants[d.services[2].ngrants++] = MB_GRANT_PCI("nic2", 0x1af4, 0x1000);
	CHECK_STR(verdict(), "ok");	/* another device id */
	d.services[2].grants[2].pci_nids = 2;
	d.services[2].grants[2].pci_ids[1] = 0x1041;
	CHECK_STR(verdict(), "services[2].grants[2].source.pciDevice: hello.grants[1] could be "
			     "given the same device");
	d.services[2].grants[2].pci_vendor = 0x8086;	/* another vendor */
	CHECK_STR(verdict(), "ok");
	mb_base(&d);
	d.services[0].grants[d.services[0].ngrants++] = MB_GRANT_PCI("a", 0x1af4, 0x1041);
	d.services[0].grants[d.services[0].ngrants++] = MB_GRANT_PCI("b", 0x1af4, 0x1041);
	CHECK_STR(verdict(), "services[0].grants[2].source.pciDevice: hello.grants[1] could be "
			     "given the same device");
}

TEST(at_most_8_pci_device_grants)
{
	static char names[9][4];

	mb_base(&d);
	for (uint16_t i = 0; i < 9; i++) {
		snprintf(names[i], sizeof(names[i]), "p%u", i);
		d.services[0].grants[d.services[0].ngrants++] = MB_GRANT_PCI(names[i], 0x1af4,
									    0x1000 + i);
		CHECK_STR(verdict(), i < 8 ? "ok" : "services[0].grants[9].source.pciDevice: "
						  "more than 8 pciDevice grants");
	}
}


int main(void)
{
	RUN(kernel_source_table_matches_the_schema);
	RUN(timer_and_entropy_are_kernel_sources);
	RUN(serial_port_is_a_kernel_source);
	RUN(names_are_checked_where_they_are);
	RUN(duplicates_are_refused);
	RUN(binaries_must_be_listed_and_packaged);
	RUN(sources_must_exist_be_held_and_match);
	RUN(a_service_may_be_granted_the_memory_object_factory);
	RUN(a_pci_device_grant_is_resolved);
	RUN(pci_device_grants_are_checked);
	RUN(two_grants_that_could_get_one_device_are_refused);
	RUN(at_most_8_pci_device_grants);
	TEST_EXIT();
}
