// SPDX-License-Identifier: MIT
/*
 * Builds messages with capnpc-c's generated builders for upstream test.capnp
 * and writes them (framed) to stdout: `build_msgs CASE`. tests/capnp/builders.sh
 * decodes them with the official tool and compares with the text each case
 * is meant to produce (the matching CASE.txt). `build_msgs read FILE` reads
 * upstream's testdata/binary through the generated readers and checks known
 * values, printing PASS/FAIL lines. `build_msgs desc FILE` walks the root of
 * FILE (a TestAllTypes) with the generated type descriptors alone and prints
 * its integer, bool, enum and text fields as "name = value" lines, which
 * builders.sh compares with the official tool's output. `build_msgs const_X`
 * writes generated struct constant X as a message (compared with `capnp
 * eval`); `const_scalars` checks scalar, text and data constants.
 */
#include "test.capnp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t build_arena[1 << 16];
static uint8_t build_more[16][512];	/* small extra segments force far pointers */

static void build_text(struct capnp_list_builder l, uint32_t i, const char *s)
{
	capnp_ptr_set_text(capnp_list_build_ptr(l, i), s, (uint32_t)strlen(s));
}

static void build_all_scalars(struct test_TestAllTypes_builder b)
{
	test_TestAllTypes_set_boolField(b, true);
	test_TestAllTypes_set_int8Field(b, -123);
	test_TestAllTypes_set_int16Field(b, -12345);
	test_TestAllTypes_set_int32Field(b, -12345678);
	test_TestAllTypes_set_int64Field(b, -123456789012345ll);
	test_TestAllTypes_set_uInt8Field(b, 234);
	test_TestAllTypes_set_uInt16Field(b, 45678);
	test_TestAllTypes_set_uInt32Field(b, 3456789012u);
	test_TestAllTypes_set_uInt64Field(b, 12345678901234567890ull);
	test_TestAllTypes_set_float32Field(b, 1234.5f);
	test_TestAllTypes_set_float64Field(b, -123e45);
	test_TestAllTypes_set_textField(b, "foo", 3);
	test_TestAllTypes_set_dataField(b, "b\0r", 3);
	test_TestAllTypes_set_enumField(b, test_TestEnum_corge);
}

static void build_all_lists(struct test_TestAllTypes_builder b)
{
	struct capnp_list_builder l;
	struct test_TestAllTypes__list_builder sl;

	test_TestAllTypes_init_voidList(b, 3);
	l = test_TestAllTypes_init_boolList(b, 10);
	capnp_list_set_bool(l, 0, true);
	capnp_list_set_bool(l, 9, true);
	l = test_TestAllTypes_init_int8List(b, 2);
	capnp_list_set_u8(l, 0, (uint8_t)-128);
	capnp_list_set_u8(l, 1, 127);
	l = test_TestAllTypes_init_int16List(b, 1);
	capnp_list_set_u16(l, 0, (uint16_t)-2);
	l = test_TestAllTypes_init_int32List(b, 2);
	capnp_list_set_u32(l, 1, 0x80000000u);
	l = test_TestAllTypes_init_int64List(b, 1);
	capnp_list_set_u64(l, 0, (uint64_t)-1);
	l = test_TestAllTypes_init_uInt64List(b, 1);
	capnp_list_set_u64(l, 0, (uint64_t)-1);
	l = test_TestAllTypes_init_float32List(b, 2);
	capnp_list_set_f32(l, 0, 0.1f);
	capnp_list_set_f32(l, 1, -1e30f);
	l = test_TestAllTypes_init_float64List(b, 1);
	capnp_list_set_f64(l, 0, 0.1);
	l = test_TestAllTypes_init_textList(b, 3);
	build_text(l, 0, "plugh");
	build_text(l, 2, "thud");
	l = test_TestAllTypes_init_dataList(b, 1);
	capnp_ptr_set_data(capnp_list_build_ptr(l, 0), "\x01\xff", 2);
	sl = test_TestAllTypes_init_structList(b, 2);
	test_TestAllTypes_set_textField(test_TestAllTypes__list_build(sl, 0), "x", 1);
	test_TestAllTypes_set_int32Field(test_TestAllTypes__list_build(sl, 1), 7);
	l = test_TestAllTypes_init_enumList(b, 2);
	capnp_list_set_u16(l, 0, test_TestEnum_garply);
	capnp_list_set_u16(l, 1, test_TestEnum_foo);
}

static void build_all_types(struct capnp_msg *m)
{
	struct test_TestAllTypes_builder b = test_TestAllTypes_init_root(m);
	struct test_TestAllTypes_builder inner;

	build_all_scalars(b);
	inner = test_TestAllTypes_init_structField(b);
	test_TestAllTypes_set_textField(inner, "nested", 6);
	test_TestAllTypes_set_int8Field(test_TestAllTypes_init_structField(inner), 1);
	build_all_lists(b);
}

/* Sets fields to values equal to and different from their defaults (XOR rule). */
static void build_defaults(struct capnp_msg *m)
{
	struct test_TestDefaults_builder b = test_TestDefaults_init_root(m);

	test_TestDefaults_set_boolField(b, false);
	test_TestDefaults_set_int8Field(b, -123);
	test_TestDefaults_set_int16Field(b, 0);
	test_TestDefaults_set_uInt32Field(b, 1);
	test_TestDefaults_set_float32Field(b, 1234.5f);
	test_TestDefaults_set_float64Field(b, 0);
	test_TestDefaults_set_enumField(b, test_TestEnum_foo);
	test_TestDefaults_set_textField(b, "", 0);
}

static void build_unions(struct capnp_msg *m)
{
	struct test_TestUnion_builder b = test_TestUnion_init_root(m);

	test_TestUnion_union0_set_u0f0s8(test_TestUnion_init_union0(b), -3);
	test_TestUnion_union1_set_u1f1sp(test_TestUnion_init_union1(b), "text", 4);
	test_TestUnion_union2_set_u2f0s1(test_TestUnion_init_union2(b), true);
	test_TestUnion_union3_set_u3f0s64(test_TestUnion_init_union3(b), 12345);
	test_TestUnion_set_bit0(b, true);
	test_TestUnion_set_byte0(b, 42);
}

static void build_groups(struct capnp_msg *m)
{
	struct test_TestInterleavedGroups_builder b = test_TestInterleavedGroups_init_root(m);
	struct test_TestInterleavedGroups_group1_builder g1 =
		test_TestInterleavedGroups_init_group1(b);
	struct test_TestInterleavedGroups_group1_corge_builder c =
		test_TestInterleavedGroups_group1_init_corge(g1);

	test_TestInterleavedGroups_group1_set_foo(g1, 1);
	test_TestInterleavedGroups_group1_set_bar(g1, 2);
	test_TestInterleavedGroups_group1_corge_set_grault(c, 3);
	test_TestInterleavedGroups_group1_corge_set_plugh(c, "a", 1);
	test_TestInterleavedGroups_group2_set_qux(test_TestInterleavedGroups_init_group2(b), 6);
}

static void build_lists(struct capnp_msg *m)
{
	struct test_TestLists_builder b = test_TestLists_init_root(m);
	struct capnp_list_builder outer = test_TestLists_init_int32ListList(b, 2);
	struct capnp_list_builder inner = capnp_ptr_init_list(capnp_list_build_ptr(outer, 0),
							      CAPNP_ELEM_FOUR, 2);
	struct test_TestLists_Struct8__list_builder l8 = test_TestLists_init_list8(b, 2);

	capnp_list_set_u32(inner, 0, 1);
	capnp_list_set_u32(inner, 1, 2);
	test_TestLists_Struct8_set_f(test_TestLists_Struct8__list_build(l8, 1), 9);
	outer = test_TestLists_init_textListList(b, 1);
	build_text(capnp_ptr_init_list(capnp_list_build_ptr(outer, 0), CAPNP_ELEM_POINTER, 1), 0,
		   "t");
}

static int build_read_check(const char *path)
{
	static uint8_t buf[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
	struct capnp_msg m;
	struct test_TestAllTypes r, s;
	struct capnp_text t;
	int bad = 0;

	if (f)
		fclose(f);
	if (capnp_msg_init_read(&m, buf, n) != 0) {
		printf("FAIL capnpc_c_reads_upstream_binary: cannot read %s\n", path);
		return 1;
	}
	r = test_TestAllTypes_root(&m);
	s = test_TestAllTypes_get_structField(r);
	t = test_TestAllTypes_get_textField(s);
	bad |= test_TestAllTypes_get_int32Field(r) != -12345678;
	bad |= test_TestAllTypes_get_uInt64Field(r) != 12345678901234567890ull;
	bad |= test_TestAllTypes_get_float32Field(r) != 1234.5f;
	bad |= test_TestAllTypes_get_float64Field(r) != -123e45;
	bad |= test_TestAllTypes_get_enumField(r) != test_TestEnum_corge;
	bad |= t.len != 3 || strcmp(t.str, "baz") != 0;
	bad |= test_TestAllTypes__list_len(test_TestAllTypes_get_structList(r)) != 3;
	bad |= capnp_list_len(test_TestAllTypes_get_textList(r)) != 3;
	bad |= test_TestAllTypes_get_int8Field(s) != -12;
	bad |= capnp_msg_error(&m) != 0;
	printf("%s capnpc_c_reads_upstream_binary\n", bad ? "FAIL" : "PASS");
	return bad;
}

/* A field read through its descriptor only: the generic path a walker takes. */
static void build_desc_field(struct capnp_struct s, const struct capnpc_field_desc *f)
{
	const struct capnpc_type_desc *t = f->type;
	uint64_t v = 0;

	switch (t->kind) {
	case CAPNPC_BOOL:
		printf("%s = %s\n", f->name,
		       capnp_get_bool(s, f->offset, f->default_bits & 1) ? "true" : "false");
		return;
	case CAPNPC_INT8: case CAPNPC_UINT8:
		v = capnp_get_u8(s, f->offset, (uint8_t)f->default_bits);
		break;
	case CAPNPC_INT16: case CAPNPC_UINT16: case CAPNPC_ENUM:
		v = capnp_get_u16(s, f->offset, (uint16_t)f->default_bits);
		break;
	case CAPNPC_INT32: case CAPNPC_UINT32:
		v = capnp_get_u32(s, f->offset, (uint32_t)f->default_bits);
		break;
	case CAPNPC_INT64: case CAPNPC_UINT64:
		v = capnp_get_u64(s, f->offset, f->default_bits);
		break;
	case CAPNPC_TEXT:
	case CAPNPC_DATA:
		if (capnp_has_ptr(s, (uint16_t)f->offset)) {
			struct capnp_data d = capnp_get_data(s, (uint16_t)f->offset, NULL, 0);

			printf("%s = \"%.*s\"\n", f->name, (int)(d.len - (t->kind == CAPNPC_TEXT)),
			       (const char *)d.ptr);
		}
		return;
	default:
		return;
	}
	if (t->kind == CAPNPC_ENUM && v < t->enum_type->count)
		printf("%s = %s\n", f->name, t->enum_type->enumerants[v]);
	else if (t->kind == CAPNPC_INT8)
		printf("%s = %d\n", f->name, (int8_t)v);
	else if (t->kind == CAPNPC_INT16)
		printf("%s = %d\n", f->name, (int16_t)v);
	else if (t->kind == CAPNPC_INT32)
		printf("%s = %d\n", f->name, (int32_t)v);
	else if (t->kind == CAPNPC_INT64)
		printf("%s = %lld\n", f->name, (long long)(int64_t)v);
	else
		printf("%s = %llu\n", f->name, (unsigned long long)v);
}

static int build_desc_dump(const char *path)
{
	static uint8_t buf[1 << 16];
	const struct capnpc_struct_desc *d = &test_TestAllTypes_desc;
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
	struct capnp_msg m;
	struct capnp_struct root;

	if (f)
		fclose(f);
	if (capnp_msg_init_read(&m, buf, n) != 0)
		return 1;
	root = capnp_msg_root_struct(&m);
	if (d->data_words != test_TestAllTypes_DATA_WORDS ||
	    d->ptr_count != test_TestAllTypes_PTR_COUNT)
		return 1;
	for (uint32_t i = 0; i < d->nfields; i++)
		build_desc_field(root, &d->fields[i]);
	return capnp_msg_error(&m) != 0;
}

/*
 * Writes a generated struct constant (root pointer at word 0, then its
 * content) as a one-segment framed message, after checking that the runtime
 * reads it as a default value the same way.
 */
static int build_const(const uint64_t *words, uint32_t nwords, const struct capnp_seg *seg)
{
	uint32_t head[2] = { 0, nwords };
	struct capnp_msg m;
	struct test_TestAllTypes d;
	uint8_t empty[16] = { 0, 0, 0, 0, 1, 0, 0, 0 };

	capnp_msg_init_read(&m, empty, sizeof(empty));
	d.r = capnp_ptr_struct(capnp_msg_root(&m), seg);
	if (capnp_msg_error(&m) != 0 || d.r.data_bytes == 0)
		return 1;
	fwrite(head, sizeof(head), 1, stdout);
	return fwrite(words, 8, nwords, stdout) == nwords ? 0 : 1;
}

/*
 * An empty TestDefaults (root: a struct with no data and no pointers) reads
 * every pointer field as its schema default.
 */
static int build_pointer_defaults(void)
{
	uint8_t empty[16] = { 0, 0, 0, 0, 1, 0, 0, 0, 0xfc, 0xff, 0xff, 0xff, 0, 0, 0, 0 };
	struct capnp_msg m;
	struct test_TestDefaults r;
	struct test_TestAllTypes s;
	struct capnp_text t, st;
	struct capnp_data d;
	struct capnp_list l;
	int bad = 0;

	capnp_msg_init_read(&m, empty, sizeof(empty));
	r = test_TestDefaults_root(&m);
	t = test_TestDefaults_get_textField(r);
	d = test_TestDefaults_get_dataField(r);
	s = test_TestDefaults_get_structField(r);
	st = test_TestAllTypes_get_textField(s);
	l = test_TestDefaults_get_int32List(r);
	bad |= test_TestDefaults_get_int32Field(r) != -12345678;
	bad |= t.len != 3 || strcmp(t.str, "foo") != 0;
	bad |= d.len != 3 || memcmp(d.ptr, "bar", 3) != 0;
	bad |= test_TestAllTypes_get_int32Field(s) != -78901234;
	bad |= st.len != 3 || strcmp(st.str, "baz") != 0;
	bad |= capnp_list_len(l) != 2 || (int32_t)capnp_list_u32(l, 1) != -111111111;
	bad |= capnp_list_len(test_TestAllTypes_get_textList(s)) != 3;
	bad |= test_TestDefaults_has_structField(r);
	return bad | (capnp_msg_error(&m) != 0);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*build)(struct capnp_msg *m);
	} cases[] = {
		{ "all_types", build_all_types }, { "defaults", build_defaults },
		{ "unions", build_unions },	  { "groups", build_groups },
		{ "lists", build_lists },
	};
	static uint8_t out[1 << 16];
	struct capnp_msg m;
	size_t n;

	if (argc == 3 && !strcmp(argv[1], "read"))
		return build_read_check(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "desc"))
		return build_desc_dump(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "const_structConst"))
		return build_const(test_TestConstants_structConst_words,
				   sizeof(test_TestConstants_structConst_words) / 8,
				   &test_TestConstants_structConst_seg);
	if (argc == 2 && !strcmp(argv[1], "const_derivedConstant"))
		return build_const(test_derivedConstant_words,
				   sizeof(test_derivedConstant_words) / 8, &test_derivedConstant_seg);
	if (argc == 2 && !strcmp(argv[1], "pointer_defaults"))
		return build_pointer_defaults();
	if (argc == 2 && !strcmp(argv[1], "const_scalars"))
		return !(test_TestConstants_int64Const == -123456789012345ll &&
			 test_TestConstants_uint64Const == 12345678901234567890ull &&
			 test_TestConstants_int8Const == -123 &&
			 test_TestConstants_float64Const == -123e45 &&
			 test_TestConstants_enumConst == test_TestEnum_corge &&
			 !strcmp(test_globalText, "foobar") && test_globalText_LEN == 6 &&
			 test_TestConstants_dataConst_LEN == 3 &&
			 !memcmp(test_TestConstants_dataConst, "bar", 3));
	for (size_t i = 0; argc == 3 && i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(argv[1], cases[i].name))
			continue;
		capnp_msg_init_build(&m, build_arena,
				     !strcmp(argv[2], "small") ? 256 : sizeof(build_arena));
		for (int j = 0; j < 16 && !strcmp(argv[2], "small"); j++)
			capnp_msg_add_segment(&m, build_more[j], sizeof(build_more[j]));
		cases[i].build(&m);
		if (capnp_msg_write(&m, out, sizeof(out), &n) != 0) {
			fprintf(stderr, "build_msgs: %s\n", capnp_strerror(capnp_msg_error(&m)));
			return 1;
		}
		return fwrite(out, 1, n, stdout) == n ? 0 : 1;
	}
	fprintf(stderr, "usage: build_msgs CASE one|small | build_msgs read FILE\n");
	return 2;
}
