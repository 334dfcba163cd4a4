/* SPDX-License-Identifier: MIT */
/*
 * What memobj-check asks of memobj-peer over the peer's endpoint ("ep"):
 * raw calls whose method id is a command and whose params and answers are
 * words (no schema: the kernel does not read endpoint messages). Every
 * answer starts with an error code (0 or a negative CAPOS_ERR_*).
 */
#ifndef MEMOBJ_PEER_H
#define MEMOBJ_PEER_H

enum peer_cmd {
	PEER_MAP = 1,		/* object sent; {prot} -> {err, addr}: mapped in slot 0.. */
	PEER_READ = 2,		/* {slot, word} -> {err, value} */
	PEER_WRITE = 3,		/* {slot, word, value} -> {err} */
	PEER_UNMAP = 4,		/* {slot} -> {err}: unmapped, its capability released */
	PEER_CYCLE = 5,		/* object sent -> {err, word 0}: map, word 1 = 2 * word 0 + 1, unmap, release */
	PEER_CREATE = 6,	/* {size, value} -> {err}, object returned (moved): word 0 = value, kept mapped */
	PEER_EXIT = 7,		/* {code}: answers, then exits with code */
	PEER_SPIN = 8,		/* {slot, word, stop} -> {0}: answers, then counts in word until stop is set */
};

#define PEER_SLOTS 8

#endif
