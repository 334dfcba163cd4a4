// SPDX-License-Identifier: MIT
/*
 * Host helper for tests/unit/capnp/interop.sh: reads and builds the `Sample` struct of
 * interop.capnp with lib/capnp, using the field offsets the official compiler reports
 * (`capnp compile -ocapnp`), so messages can be exchanged with the official tool.
 *   interop_check read < msg.bin          print every field, one "name=value" per line
 *   interop_check build [SEG_BYTES] > msg.bin  build the `sample` constant's value; with
 *                                         SEG_BYTES, in many small segments (far pointers);
 *                                         SEG_BYTES 0: root behind a double-far pointer
 *   interop_check pack|unpack < in > out  the packed codec
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capnp/capnp_float.h"

#define SAMPLE_DW 8
#define SAMPLE_PC 12
#define F64_DEF 0x4004000000000000ull /* 2.5 */
#define BUF_MAX (1 << 20)

static uint8_t in[BUF_MAX], out[BUF_MAX], seg_bufs[CAPNP_MAX_SEGMENTS][BUF_MAX / 32];

static void print_list(const char *name, struct capnp_list l, char kind)
{
	uint32_t i;

	printf("%s=[", name);
	for (i = 0; i < l.len; i++) {
		if (i)
			printf(",");
		if (kind == 'b')
			printf("%d", capnp_list_bool(l, i));
		else if (kind == 's')
			printf("%d", (int16_t)capnp_list_u16(l, i));
		else if (kind == 'w')
			printf("%u", capnp_list_u32(l, i));
		else if (kind == 'd')
			printf("%g", capnp_list_f64(l, i));
		else if (kind == 't')
			printf("\"%s\"", capnp_list_text(l, i).str);
		else if (kind == 'i')
			printf("%d", (int32_t)capnp_list_u32(l, i));
		else
			printf("v");
	}
	printf("]\n");
}

static void print_inner(const char *name, struct capnp_struct s)
{
	printf("%s=(%u,\"%s\")\n", name, capnp_get_u32(s, 0, 0),
	       capnp_get_text(s, 0, NULL, 0).str);
}

static int do_read(size_t len)
{
	struct capnp_msg msg;
	struct capnp_struct s;
	struct capnp_data d;
	struct capnp_list l;
	uint32_t i;

	if (capnp_msg_init_read(&msg, in, len))
		goto err;
	s = capnp_msg_root_struct(&msg);
	printf("b=%d\ni8=%d\ni16=%d\n", capnp_get_bool(s, 0, false), capnp_get_i8(s, 1, 0),
	       capnp_get_i16(s, 2, -300));
	printf("i32=%d\ni64=%lld\n", capnp_get_i32(s, 4, 0),
	       (long long)capnp_get_i64(s, 8, 1000000));
	printf("u8=%u\nu16=%u\nu32=%u\nu64=%llu\n", capnp_get_u8(s, 16, 0),
	       capnp_get_u16(s, 18, 0), capnp_get_u32(s, 20, 0),
	       (unsigned long long)capnp_get_u64(s, 24, 0));
	printf("f32=%g\nf64=%g\n", capnp_get_f32(s, 32, 0), capnp_get_f64(s, 40, F64_DEF));
	printf("text=\"%s\"\n", capnp_get_text(s, 0, NULL, 0).str);
	d = capnp_get_data(s, 1, NULL, 0);
	printf("data=");
	for (i = 0; i < d.len; i++)
		printf("%02x", d.ptr[i]);
	printf("\n");
	print_inner("inner", capnp_get_struct(s, 2, NULL));
	print_list("voids", capnp_get_list(s, 3, CAPNP_ELEM_VOID, NULL), 'v');
	print_list("bools", capnp_get_list(s, 4, CAPNP_ELEM_BIT, NULL), 'b');
	print_list("shorts", capnp_get_list(s, 5, CAPNP_ELEM_TWO, NULL), 's');
	print_list("words", capnp_get_list(s, 6, CAPNP_ELEM_FOUR, NULL), 'w');
	print_list("doubles", capnp_get_list(s, 7, CAPNP_ELEM_EIGHT, NULL), 'd');
	print_list("texts", capnp_get_list(s, 8, CAPNP_ELEM_POINTER, NULL), 't');
	l = capnp_get_list(s, 9, CAPNP_ELEM_COMPOSITE, NULL);
	for (i = 0; i < l.len; i++)
		print_inner("inners[]", capnp_list_struct(l, i));
	l = capnp_get_list(s, 10, CAPNP_ELEM_POINTER, NULL);
	for (i = 0; i < l.len; i++)
		print_list("nested[]", capnp_list_list(l, i, CAPNP_ELEM_FOUR), 'i');
	switch (capnp_get_u16(s, 36, 0)) {
	case 1:
		printf("choice.num=%llu\n", (unsigned long long)capnp_get_u64(s, 48, 0));
		break;
	case 2:
		printf("choice.str=\"%s\"\n", capnp_get_text(s, 11, NULL, 0).str);
		break;
	default:
		printf("choice.none\n");
	}
	printf("grp=(%d,%d)\n", capnp_get_i32(s, 56, 0), capnp_get_i32(s, 60, 0));
	if (capnp_msg_error(&msg))
		goto err;
	return 0;
err:
	fprintf(stderr, "interop_check: %s\n", capnp_strerror(capnp_msg_error(&msg)));
	return 1;
}

static void set_inner(struct capnp_builder b, uint32_t id, const char *name)
{
	capnp_set_u32(b, 0, id, 0);
	if (name)
		capnp_set_text(b, 0, name, (uint32_t)strlen(name));
}

static void build_lists(struct capnp_builder b)
{
	static const char *texts[] = { "a", "", "ccc" };
	struct capnp_list_builder l, n;
	uint32_t i;

	capnp_init_list(b, 3, CAPNP_ELEM_VOID, 3);
	l = capnp_init_list(b, 4, CAPNP_ELEM_BIT, 9);
	for (i = 0; i < 9; i++)
		capnp_list_set_bool(l, i, (0x10du >> i) & 1);
	l = capnp_init_list(b, 5, CAPNP_ELEM_TWO, 3);
	capnp_list_set_u16(l, 0, (uint16_t)-1);
	capnp_list_set_u16(l, 1, 2);
	capnp_list_set_u16(l, 2, (uint16_t)-3);
	l = capnp_init_list(b, 6, CAPNP_ELEM_FOUR, 3);
	capnp_list_set_u32(l, 0, 1);
	capnp_list_set_u32(l, 1, 2);
	capnp_list_set_u32(l, 2, 3000000000u);
	l = capnp_init_list(b, 7, CAPNP_ELEM_EIGHT, 2);
	capnp_list_set_f64(l, 0, 0.5);
	capnp_list_set_f64(l, 1, -1e100);
	l = capnp_init_list(b, 8, CAPNP_ELEM_POINTER, 3);
	for (i = 0; i < 3; i++)
		capnp_ptr_set_text(capnp_list_build_ptr(l, i), texts[i],
				   (uint32_t)strlen(texts[i]));
	l = capnp_init_struct_list(b, 9, 2, 1, 1);
	set_inner(capnp_list_build_struct(l, 0), 1, "one");
	set_inner(capnp_list_build_struct(l, 1), 2, NULL);
	l = capnp_init_list(b, 10, CAPNP_ELEM_POINTER, 3);
	n = capnp_ptr_init_list(capnp_list_build_ptr(l, 0), CAPNP_ELEM_FOUR, 2);
	capnp_list_set_u32(n, 0, 1);
	capnp_list_set_u32(n, 1, 2);
	capnp_ptr_init_list(capnp_list_build_ptr(l, 1), CAPNP_ELEM_FOUR, 0);
	n = capnp_ptr_init_list(capnp_list_build_ptr(l, 2), CAPNP_ELEM_FOUR, 1);
	capnp_list_set_u32(n, 0, (uint32_t)-3);
}

/*
 * seg_bytes > 0: every segment that size. seg_bytes == 0: the double-far layout: segment 0
 * holds only the root pointer, segment 1 exactly the root struct (no room for a landing pad),
 * the rest 128 bytes each (too small for the root), so the root is reached by a double-far
 * pointer and its children by single-far pointers.
 */
static int do_build(size_t seg_bytes)
{
	struct capnp_msg msg;
	struct capnp_builder b;
	size_t n;
	int i;

	if (seg_bytes == 0) {
		capnp_msg_init_build(&msg, seg_bufs[0], 8);
		capnp_msg_add_segment(&msg, seg_bufs[1], 8 * (SAMPLE_DW + SAMPLE_PC));
	} else {
		capnp_msg_init_build(&msg, seg_bufs[0], seg_bytes);
	}
	for (i = (int)msg.nseg; i < CAPNP_MAX_SEGMENTS; i++)
		capnp_msg_add_segment(&msg, seg_bufs[i], seg_bytes ? seg_bytes : 128);
	b = capnp_msg_init_root(&msg, SAMPLE_DW, SAMPLE_PC);
	capnp_set_bool(b, 0, true, false);
	capnp_set_i8(b, 1, -8, 0);
	capnp_set_i16(b, 2, 16, -300);
	capnp_set_i32(b, 4, -32, 0);
	capnp_set_i64(b, 8, -64, 1000000);
	capnp_set_u8(b, 16, 200, 0);
	capnp_set_u16(b, 18, 60000, 0);
	capnp_set_u32(b, 20, 4000000000u, 0);
	capnp_set_u64(b, 24, 18000000000000000000ull, 0);
	capnp_set_f32(b, 32, 1.5f, 0);
	capnp_set_f64(b, 40, -0.25, F64_DEF);
	capnp_set_text(b, 0, "hello, capOS", 12);
	capnp_set_data(b, 1, "\x00\x01\xfe\xff", 4);
	set_inner(capnp_init_struct(b, 2, 1, 1), 7, "seven");
	build_lists(b);
	capnp_set_u16(b, 36, 2, 0);
	capnp_set_text(b, 11, "picked", 6);
	capnp_set_i32(b, 56, -5, 0);
	capnp_set_i32(b, 60, 6, 0);
	if (capnp_msg_write(&msg, out, sizeof(out), &n)) {
		fprintf(stderr, "interop_check: %s\n", capnp_strerror(capnp_msg_error(&msg)));
		return 1;
	}
	fprintf(stderr, "interop_check: %u segments\n", msg.nseg);
	fwrite(out, 1, n, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	size_t len = fread(in, 1, sizeof(in), stdin), n;
	int err;

	if (argc >= 2 && strcmp(argv[1], "read") == 0)
		return do_read(len);
	if (argc >= 2 && strcmp(argv[1], "build") == 0)
		return do_build(argc > 2 ? (size_t)atoi(argv[2]) : sizeof(seg_bufs[0]));
	if (argc >= 2 && (strcmp(argv[1], "pack") == 0 || strcmp(argv[1], "unpack") == 0)) {
		err = argv[1][0] == 'p' ? capnp_pack(in, len, out, sizeof(out), &n)
					: capnp_unpack(in, len, out, sizeof(out), &n);
		if (err) {
			fprintf(stderr, "interop_check: %s\n", capnp_strerror(err));
			return 1;
		}
		fwrite(out, 1, n, stdout);
		return 0;
	}
	fprintf(stderr, "usage: interop_check read|build [SEG_BYTES]|pack|unpack\n");
	return 2;
}
