/* SPDX-License-Identifier: MIT */
/*
 * Interface ids of the schema/capos.capnp (and device.capnp) interfaces, for code that must
 * name an interface before (or without) generated bindings: the kernel
 * filling CapSet entries and transfer result records, the runtime checking
 * a CapSet entry's type, tools printing a tap. The schema is the source of
 * truth; tests/unit/abi/check-schemas.sh fails if a value here differs from
 * the id pinned in the schema.
 */
#ifndef CAPOS_INTERFACES_H
#define CAPOS_INTERFACES_H

#include <capos/types.h>

#define CAPOS_IFACE_CONSOLE		0xb3a691ff67a3ccfeull
#define CAPOS_IFACE_BOOT_PACKAGE	0xe61b540dceb768f9ull
#define CAPOS_IFACE_PROCESS_SPAWNER	0xc6867ab9b72fd686ull
#define CAPOS_IFACE_PROCESS_HANDLE	0xfdc15827159fbde4ull
#define CAPOS_IFACE_ENDPOINT		0xa51dd1e4307dc907ull
#define CAPOS_IFACE_ENDPOINT_FACTORY	0xd1ca976f14f00215ull
#define CAPOS_IFACE_CAPABILITY_MANAGER	0xdeb17611c7048ec5ull
#define CAPOS_IFACE_VIRTUAL_MEMORY	0xbf947e75a1ddb11full
#define CAPOS_IFACE_TIMER		0x90d5338dff73675cull
#define CAPOS_IFACE_ENTROPY_SOURCE	0xd67aafc479b6f146ull
#define CAPOS_IFACE_REVOKER		0xed358216224b6e96ull
#define CAPOS_IFACE_MEMORY_OBJECT_FACTORY 0xbb3e5d1736f864d9ull
#define CAPOS_IFACE_MEMORY_OBJECT	0x85fb8009a2721871ull
#define CAPOS_IFACE_SERIAL_PORT		0xd005d035c59d18e2ull
#define CAPOS_IFACE_TERMINAL_SESSION	0x83916005a50493a2ull
#define CAPOS_IFACE_DEVICE_MANAGER	0xcb5f5fdeea1ff2bbull	/* schema/device.capnp */
#define CAPOS_IFACE_THREAD_SPAWNER	0xe810da2adcdbbdb9ull
#define CAPOS_IFACE_THREAD_HANDLE	0x99145c9d3e14ee60ull
#define CAPOS_IFACE_PCI_DEVICE		0xf0b84c91e890ee9aull

#endif /* CAPOS_INTERFACES_H */
