/* SPDX-License-Identifier: MIT */
/*
 * Floating-point fields and list elements for the Cap'n Proto runtime. Kept apart from capnp.h
 * because the kernel is built with -mgeneral-regs-only and must not see float code; userspace
 * and host code include this header as well. Defaults are given as IEEE-754 bit patterns (the
 * XOR rule works on bits), e.g. capnp_get_f64(s, 8, 0x3ff0000000000000ull) for default 1.0.
 */
#ifndef CAPOS_LIB_CAPNP_CAPNP_FLOAT_H
#define CAPOS_LIB_CAPNP_CAPNP_FLOAT_H

#include "capnp/capnp.h"

static inline float capnp_bits_f32(uint32_t bits)
{
	float f;
	__builtin_memcpy(&f, &bits, sizeof(f));
	return f;
}

static inline double capnp_bits_f64(uint64_t bits)
{
	double d;
	__builtin_memcpy(&d, &bits, sizeof(d));
	return d;
}

static inline uint32_t capnp_f32_bits(float f)
{
	uint32_t bits;
	__builtin_memcpy(&bits, &f, sizeof(bits));
	return bits;
}

static inline uint64_t capnp_f64_bits(double d)
{
	uint64_t bits;
	__builtin_memcpy(&bits, &d, sizeof(bits));
	return bits;
}

static inline float capnp_get_f32(struct capnp_struct s, uint32_t byte_off, uint32_t def_bits)
{
	return capnp_bits_f32(capnp_get_u32(s, byte_off, def_bits));
}

static inline double capnp_get_f64(struct capnp_struct s, uint32_t byte_off, uint64_t def_bits)
{
	return capnp_bits_f64(capnp_get_u64(s, byte_off, def_bits));
}

static inline void capnp_set_f32(struct capnp_builder b, uint32_t byte_off, float v,
				 uint32_t def_bits)
{
	capnp_set_u32(b, byte_off, capnp_f32_bits(v), def_bits);
}

static inline void capnp_set_f64(struct capnp_builder b, uint32_t byte_off, double v,
				 uint64_t def_bits)
{
	capnp_set_u64(b, byte_off, capnp_f64_bits(v), def_bits);
}

static inline float capnp_list_f32(struct capnp_list l, uint32_t i)
{
	return capnp_bits_f32(capnp_list_u32(l, i));
}

static inline double capnp_list_f64(struct capnp_list l, uint32_t i)
{
	return capnp_bits_f64(capnp_list_u64(l, i));
}

static inline void capnp_list_set_f32(struct capnp_list_builder l, uint32_t i, float v)
{
	capnp_list_set_u32(l, i, capnp_f32_bits(v));
}

static inline void capnp_list_set_f64(struct capnp_list_builder l, uint32_t i, double v)
{
	capnp_list_set_u64(l, i, capnp_f64_bits(v));
}

#endif
