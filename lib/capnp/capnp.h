/* SPDX-License-Identifier: MIT */
/*
 * Cap'n Proto runtime for capOS: a bounds-checked, allocation-free reader and builder of the
 * Cap'n Proto encoding, built unchanged for the kernel (freestanding, no floating point), for
 * userspace and for host tools. docs/capnp.md explains the design; in short:
 *
 * Segments. A message (struct capnp_msg) is up to CAPNP_MAX_SEGMENTS segments (a reader given
 * a bigger table by the caller: up to CAPNP_READ_MAX_SEGMENTS), each a span of caller-owned
 * memory (struct capnp_seg). Reading parses the framed format (segment table) and
 * points the segments into the caller's buffer, which must outlive the message; nothing is
 * copied. Building uses caller-provided buffers: one arena, plus more with
 * capnp_msg_add_segment(); when an object does not fit in the pointer's segment it goes to the
 * next with room, behind a far pointer (and landing pad, or double-far when needed).
 * Data may be at any alignment: every load and store goes through memcpy of a constant size.
 *
 * Readers are small values passed by copy. struct capnp_struct describes one struct (data section
 * and pointer section), struct capnp_list one list (start, length, stride, per-element data bits
 * and pointer count), struct capnp_ptr one pointer slot (not yet followed). Following a pointer
 * checks it against its segment, resolves far pointers, charges the traversal limit and
 * decrements the nesting counter carried in the reader, so the depth of any walk is bounded by
 * the message's nesting limit (default 64) and its total work by the traversal limit (default
 * 8 Mi words; zero-sized list elements count one word each against amplification).
 *
 * Errors are sticky: the first failure is recorded in the message (capnp_msg_error()) and the
 * failing accessor returns a harmless value (0, a null/empty reader, a default). Every later
 * accessor works and returns defaults, so generated code reads straight down and checks
 * capnp_msg_error() once at the end. A caller that crosses a trust boundary MUST check it.
 *
 * Primitive fields follow the XOR rule: the stored bits are value ^ default; a field beyond the
 * data section of a smaller (older) struct reads as its default, and extra data and pointers of
 * a bigger (newer) struct are ignored. Offsets of primitive fields are in BYTES (bool: in BITS);
 * schema slot offsets are in units of the field size, so the generator multiplies.
 *
 * Floating point lives in capnp_float.h so that this header is usable with -mgeneral-regs-only.
 */
#ifndef CAPOS_LIB_CAPNP_CAPNP_H
#define CAPOS_LIB_CAPNP_CAPNP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits. */
#define CAPNP_MAX_SEGMENTS 32			  /* segments held in struct capnp_msg itself */
#define CAPNP_READ_MAX_SEGMENTS 511		  /* with a caller's table (official limit) */
#define CAPNP_DEFAULT_TRAVERSAL_WORDS (8u << 20)  /* words followed per message (64 MiB) */
#define CAPNP_DEFAULT_NESTING 64		  /* pointer depth from the root */
#define CAPNP_MAX_LIST_LEN ((1u << 29) - 1)	  /* encoding limit on element count */

/* Error codes: 0 is success, every error is negative. capnp_strerror() names them. */
enum capnp_err {
	CAPNP_OK = 0,
	CAPNP_ERR_OUT_OF_BOUNDS = -1,	  /* pointer target/index outside its segment or list */
	CAPNP_ERR_TRAVERSAL_LIMIT = -2,	  /* more words followed than the traversal limit */
	CAPNP_ERR_NESTING_LIMIT = -3,	  /* pointers nested deeper than the nesting limit */
	CAPNP_ERR_BAD_POINTER = -4,	  /* malformed pointer: bad far pad, bad tag, ... */
	CAPNP_ERR_BAD_SEGMENT_TABLE = -5, /* segment table malformed or too many segments */
	CAPNP_ERR_TRUNCATED = -6,	  /* input shorter than its framing says */
	CAPNP_ERR_WRONG_TYPE = -7,	  /* pointer kind/list encoding not the schema's */
	CAPNP_ERR_NOT_TEXT = -8,	  /* text not NUL-terminated */
	CAPNP_ERR_NO_SPACE = -9,	  /* builder segments or output buffer full */
	CAPNP_ERR_BAD_PACKED = -10,	  /* malformed packed input */
	CAPNP_ERR_INVALID = -11,	  /* bad argument from the caller (a bug, not bad input) */
};

/* capnp_strerror: a short constant English phrase for an error code; never NULL. */
const char *capnp_strerror(int err);

/* List element encodings: the 3-bit size field of a list pointer, plus ANY for readers. */
enum capnp_elem {
	CAPNP_ELEM_VOID = 0,
	CAPNP_ELEM_BIT = 1,
	CAPNP_ELEM_BYTE = 2,
	CAPNP_ELEM_TWO = 3,
	CAPNP_ELEM_FOUR = 4,
	CAPNP_ELEM_EIGHT = 5,
	CAPNP_ELEM_POINTER = 6,
	CAPNP_ELEM_COMPOSITE = 7, /* inline composite: a list of structs */
	CAPNP_ELEM_ANY = 8,	  /* reader only: accept any encoding (generic walkers) */
};

/* What a pointer slot holds, after resolving far pointers. */
enum capnp_kind {
	CAPNP_KIND_NULL = 0,
	CAPNP_KIND_STRUCT = 1,
	CAPNP_KIND_LIST = 2,
	CAPNP_KIND_CAP = 3,
	CAPNP_KIND_INVALID = 4, /* malformed (error recorded) */
};

/*
 * One segment. Readers bound every access by [start, start + words*8). Builders allocate by
 * growing `words` up to `cap`, so a message being built can also be read. `id` is the index in
 * the message's table, or CAPNP_SEG_CONST for a constant segment (pointer-field defaults emitted
 * by the generator), in which far pointers are rejected.
 */
struct capnp_seg {
	uint8_t *start;	 /* first byte; any alignment */
	uint32_t words;	 /* valid words (reader bound; builder: allocated so far) */
	uint32_t cap;	 /* builder: capacity in words; reader: == words */
	uint32_t id;	 /* index in capnp_msg.seg, or CAPNP_SEG_CONST */
};
#define CAPNP_SEG_CONST 0xffffffffu

/*
 * Constant segment over a word array holding a root pointer at word 0 followed by its content
 * (what `capnp eval -b` without the segment table would give). Used for pointer-field defaults:
 *	static const uint64_t foo_bar_words[] = { ... };
 *	static const struct capnp_seg foo_bar_def = CAPNP_CONST_SEG(foo_bar_words);
 */
#define CAPNP_CONST_SEG(words_array)                                                           \
	{ (uint8_t *)(words_array), sizeof(words_array) / 8, sizeof(words_array) / 8,            \
	  CAPNP_SEG_CONST }

/*
 * A message: the segment table plus reading state. Lives wherever the caller likes (about 800
 * bytes); initialise with capnp_msg_init_read() or capnp_msg_init_build(). Not thread-safe:
 * readers record errors and charge the traversal limit here. Segment i is seg[i] for
 * i < CAPNP_MAX_SEGMENTS, else more[i - CAPNP_MAX_SEGMENTS] (capnp_msg_init_read_segs());
 * capnp_msg_seg() picks the right one.
 */
struct capnp_msg {
	struct capnp_seg seg[CAPNP_MAX_SEGMENTS];
	struct capnp_seg *more;	 /* reader: caller's table for further segments, or NULL */
	uint32_t more_cap;	 /* entries in `more` */
	uint32_t nseg;		 /* segments in use */
	int err;		 /* first error (sticky), CAPNP_OK if none */
	uint64_t traversal_left; /* words that may still be followed */
	int32_t nest_limit;	 /* nesting limit given to root readers */
	uint64_t frame_bytes;	 /* reader: bytes of framed input consumed */
	bool building;		 /* initialised by capnp_msg_init_build() */
};

/* Reader of one struct. A null struct has data_bytes == 0 and ptr_count == 0. */
struct capnp_struct {
	struct capnp_msg *msg;
	const struct capnp_seg *seg; /* segment holding the pointer section */
	const uint8_t *data;	     /* data section */
	const uint8_t *ptrs;	     /* pointer section (ptr_count words) */
	uint32_t data_bytes;	     /* size of the data section in bytes */
	uint16_t ptr_count;	     /* pointers in the pointer section */
	int32_t nest;		     /* nesting left for pointers followed from here */
};

/*
 * Reader of one list. Element i starts at bit i*step_bits from start; its first data_bits bits
 * are data, followed (for structs and pointers) by ptr_count pointer words. elem is the encoding
 * found in the message. An empty / null list has len 0.
 */
struct capnp_list {
	struct capnp_msg *msg;
	const struct capnp_seg *seg;
	const uint8_t *start;
	uint32_t len;	    /* element count */
	uint32_t step_bits; /* bits from one element to the next */
	uint32_t data_bits; /* data bits per element */
	uint16_t ptr_count; /* pointers per element */
	uint8_t elem;	    /* enum capnp_elem as encoded */
	int32_t nest;	    /* nesting left for elements' pointers */
};

/* Reader of one pointer slot, not yet followed. p == NULL for an absent slot (reads as null). */
struct capnp_ptr {
	struct capnp_msg *msg;
	const struct capnp_seg *seg;
	const uint8_t *p; /* the pointer word */
	int32_t nest;	  /* nesting left; following needs nest > 0 */
};

/* Text and data: pointer + length, valid while the message buffer is. Text excludes the NUL
 * but the byte after str[len-1] is the NUL, so str is a C string. Null text reads as "". */
struct capnp_text {
	const char *str;
	uint32_t len;
};

struct capnp_data {
	const uint8_t *ptr;
	uint32_t len;
};

/* Builders mirror the readers with writable pointers. */
struct capnp_builder {
	struct capnp_msg *msg;
	struct capnp_seg *seg;
	uint8_t *data;
	uint8_t *ptrs;
	uint32_t data_bytes;
	uint16_t ptr_count;
};

struct capnp_list_builder {
	struct capnp_msg *msg;
	struct capnp_seg *seg;
	uint8_t *start;
	uint32_t len;
	uint32_t step_bits;
	uint32_t data_bits;
	uint16_t ptr_count;
	uint8_t elem;
};

struct capnp_ptr_builder {
	struct capnp_msg *msg;
	struct capnp_seg *seg;
	uint8_t *p; /* NULL after an error: every setter is then a no-op */
};

/* ------------------------------------------------------------------------------------------ */
/* Primitive loads/stores, little-endian, any alignment. */

static inline uint16_t capnp_load16(const uint8_t *p)
{
	uint16_t v;
	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t capnp_load32(const uint8_t *p)
{
	uint32_t v;
	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t capnp_load64(const uint8_t *p)
{
	uint64_t v;
	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline void capnp_store16(uint8_t *p, uint16_t v)
{
	__builtin_memcpy(p, &v, sizeof(v));
}

static inline void capnp_store32(uint8_t *p, uint32_t v)
{
	__builtin_memcpy(p, &v, sizeof(v));
}

static inline void capnp_store64(uint8_t *p, uint64_t v)
{
	__builtin_memcpy(p, &v, sizeof(v));
}

/* ------------------------------------------------------------------------------------------ */
/* Messages: reading */

/*
 * capnp_msg_init_read: parse the framed format (u32 segment count - 1, u32 sizes, padding to 8
 * bytes, segments) at bytes[0..len). Segments point into `bytes`; trailing bytes are allowed
 * and ignored (msg->frame_bytes says how many were used). Limits are set to the defaults.
 * Returns 0 or CAPNP_ERR_TRUNCATED / _BAD_SEGMENT_TABLE (also recorded in msg->err).
 */
int capnp_msg_init_read(struct capnp_msg *msg, const void *bytes, size_t len);

/*
 * capnp_msg_init_read_segs: capnp_msg_init_read() for messages of more than CAPNP_MAX_SEGMENTS
 * segments (other implementations' output, read by host tools): segments from
 * CAPNP_MAX_SEGMENTS on are described in the caller's more[0..nmore), which must outlive the
 * message. Accepts up to min(CAPNP_MAX_SEGMENTS + nmore, CAPNP_READ_MAX_SEGMENTS) segments;
 * more == NULL / nmore == 0 is capnp_msg_init_read().
 */
int capnp_msg_init_read_segs(struct capnp_msg *msg, const void *bytes, size_t len,
			     struct capnp_seg *more, uint32_t nmore);

/* capnp_msg_seg: descriptor of segment i (i < msg->nseg) of a message. */
static inline struct capnp_seg *capnp_msg_seg(const struct capnp_msg *msg, uint32_t i)
{
	if (i < CAPNP_MAX_SEGMENTS)
		return (struct capnp_seg *)&msg->seg[i];
	return &msg->more[i - CAPNP_MAX_SEGMENTS];
}

/*
 * capnp_frame_size: total size in bytes of the framed message starting at bytes[0..len), read
 * from its segment table. Returns 0 and sets *size, or CAPNP_ERR_TRUNCATED when len does not yet
 * hold the whole table (a stream reader reads more and retries), or _BAD_SEGMENT_TABLE.
 */
int capnp_frame_size(const void *bytes, size_t len, size_t *size);

/* capnp_msg_set_limits: replace the traversal limit (words) and nesting limit of a message. */
void capnp_msg_set_limits(struct capnp_msg *msg, uint64_t traversal_words, int32_t nesting);

/* capnp_msg_error: the first error met while reading or building this message, or 0. */
static inline int capnp_msg_error(const struct capnp_msg *msg)
{
	return msg->err;
}

/* capnp_msg_fail: record err as the message's error unless one is already recorded. */
static inline void capnp_msg_fail(struct capnp_msg *msg, int err)
{
	if (msg->err == CAPNP_OK)
		msg->err = err;
}

/* capnp_msg_root: the root pointer (word 0 of segment 0); null slot if the message is empty. */
struct capnp_ptr capnp_msg_root(struct capnp_msg *msg);

/* ------------------------------------------------------------------------------------------ */
/* Following pointers (reader). `def` may be NULL: a null pointer then reads as a null struct /
 * empty list. Otherwise a null pointer reads as the value of def's root pointer. A pointer of
 * the wrong kind records CAPNP_ERR_WRONG_TYPE and reads as def / null. */

enum capnp_kind capnp_ptr_kind(struct capnp_ptr p);
bool capnp_ptr_is_null(struct capnp_ptr p);
struct capnp_struct capnp_ptr_struct(struct capnp_ptr p, const struct capnp_seg *def);

/*
 * capnp_ptr_list: follow a list pointer, expecting element encoding `expected` (the schema's
 * element type: VOID, BIT, BYTE..EIGHT, POINTER or COMPOSITE for structs; ANY accepts every
 * encoding). Compatible upgrades are accepted as the encoding spec allows: an inline composite
 * list read as a primitive list (first data word of each element) or pointer list (first
 * pointer); a primitive or pointer list read as a struct list. Bit lists are only bit lists.
 */
struct capnp_list capnp_ptr_list(struct capnp_ptr p, enum capnp_elem expected,
				 const struct capnp_seg *def);

/*
 * capnp_read_bytes_fast: internal fast path of capnp_ptr_text/_data, the commonest pointers: a
 * near byte-list pointer (p.p != NULL) whose content lies in p's segment, within both budgets
 * (the same checks as read.c, as one expression). Returns the bytes and their count, charging
 * the traversal limit, or NULL with nothing changed: the general path in read.c
 * (capnp_read_text_slow / _data_slow) then decides, and records any error.
 */
static inline const uint8_t *capnp_read_bytes_fast(struct capnp_ptr p, uint32_t *len)
{
	uint64_t w = capnp_load64(p.p);
	uint64_t words = ((w >> 35) + 7) / 8;
	int64_t idx = (p.p - p.seg->start) / 8 + 1 + ((int64_t)(int32_t)(uint32_t)w >> 2);

	/* list pointer (kind 1) of BYTE elements (2) */
	if ((w & ((7ull << 32) | 3)) != ((2ull << 32) | 1) || p.nest <= 0 ||
	    words > p.msg->traversal_left || idx < 0 || (uint64_t)idx + words > p.seg->words)
		return NULL;
	p.msg->traversal_left -= words;
	*len = (uint32_t)(w >> 35);
	return p.seg->start + 8 * idx;
}

struct capnp_text capnp_read_text_slow(struct capnp_ptr p, const char *def, uint32_t def_len);
struct capnp_data capnp_read_data_slow(struct capnp_ptr p, const void *def, uint32_t def_len);

/* Text: a byte list ending in NUL (else CAPNP_ERR_NOT_TEXT). Null reads as def[0..def_len) when
 * def != NULL (def must be NUL-terminated), else as "". Data: a byte list; null reads as def. */
static inline struct capnp_text capnp_ptr_text(struct capnp_ptr p, const char *def,
					       uint32_t def_len)
{
	struct capnp_text t = { def ? def : "", def ? def_len : 0 };
	const uint8_t *b = p.p ? capnp_read_bytes_fast(p, &t.len) : NULL;

	if (!b)
		return capnp_read_text_slow(p, def, def_len);
	if (t.len == 0 || b[t.len - 1] != 0) {
		capnp_msg_fail(p.msg, CAPNP_ERR_NOT_TEXT);
		t.str = def ? def : "";
		t.len = def ? def_len : 0;
		return t;
	}
	t.str = (const char *)b;
	t.len--;
	return t;
}

static inline struct capnp_data capnp_ptr_data(struct capnp_ptr p, const void *def,
					       uint32_t def_len)
{
	struct capnp_data d = { NULL, 0 };

	d.ptr = p.p ? capnp_read_bytes_fast(p, &d.len) : NULL;
	if (!d.ptr)
		return capnp_read_data_slow(p, def, def_len);
	return d;
}

/* capnp_ptr_cap: the capability index of a capability pointer (an index into the message's
 * sideband capability table), or -1 when null (or on error). */
int64_t capnp_ptr_cap(struct capnp_ptr p);

/* capnp_get_ptr: pointer slot idx of a struct (absent slot beyond ptr_count reads as null). */
static inline struct capnp_ptr capnp_get_ptr(struct capnp_struct s, uint16_t idx)
{
	struct capnp_ptr p = { s.msg, s.seg, idx < s.ptr_count ? s.ptrs + 8u * idx : NULL, s.nest };
	return p;
}

/* Convenience accessors for pointer fields of a struct. */
static inline bool capnp_has_ptr(struct capnp_struct s, uint16_t idx)
{
	return !capnp_ptr_is_null(capnp_get_ptr(s, idx));
}

static inline struct capnp_struct capnp_get_struct(struct capnp_struct s, uint16_t idx,
						   const struct capnp_seg *def)
{
	return capnp_ptr_struct(capnp_get_ptr(s, idx), def);
}

static inline struct capnp_list capnp_get_list(struct capnp_struct s, uint16_t idx,
					       enum capnp_elem expected,
					       const struct capnp_seg *def)
{
	return capnp_ptr_list(capnp_get_ptr(s, idx), expected, def);
}

static inline struct capnp_text capnp_get_text(struct capnp_struct s, uint16_t idx,
					       const char *def, uint32_t def_len)
{
	return capnp_ptr_text(capnp_get_ptr(s, idx), def, def_len);
}

static inline struct capnp_data capnp_get_data(struct capnp_struct s, uint16_t idx,
					       const void *def, uint32_t def_len)
{
	return capnp_ptr_data(capnp_get_ptr(s, idx), def, def_len);
}

static inline int64_t capnp_get_cap(struct capnp_struct s, uint16_t idx)
{
	return capnp_ptr_cap(capnp_get_ptr(s, idx));
}

/* Root helpers: the root as a struct (null struct if the root is null). */
static inline struct capnp_struct capnp_msg_root_struct(struct capnp_msg *msg)
{
	return capnp_ptr_struct(capnp_msg_root(msg), NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Primitive fields of a struct (reader). byte_off in bytes, bit_off in bits; def is the schema
 * default; a field outside the data section reads as def. Unions: the discriminant is a u16
 * field (capnp_get_u16(s, 2 * discriminantOffset, 0)); groups are plain fields. */

static inline bool capnp_get_bool(struct capnp_struct s, uint32_t bit_off, bool def)
{
	if (bit_off / 8 >= s.data_bytes)
		return def;
	return (bool)(((s.data[bit_off / 8] >> (bit_off % 8)) & 1) ^ (def ? 1 : 0));
}

static inline uint8_t capnp_get_u8(struct capnp_struct s, uint32_t byte_off, uint8_t def)
{
	return byte_off < s.data_bytes ? (uint8_t)(s.data[byte_off] ^ def) : def;
}

static inline uint16_t capnp_get_u16(struct capnp_struct s, uint32_t byte_off, uint16_t def)
{
	if (byte_off + 2 > s.data_bytes || byte_off + 2 < byte_off)
		return def;
	return (uint16_t)(capnp_load16(s.data + byte_off) ^ def);
}

static inline uint32_t capnp_get_u32(struct capnp_struct s, uint32_t byte_off, uint32_t def)
{
	if (byte_off + 4 > s.data_bytes || byte_off + 4 < byte_off)
		return def;
	return capnp_load32(s.data + byte_off) ^ def;
}

static inline uint64_t capnp_get_u64(struct capnp_struct s, uint32_t byte_off, uint64_t def)
{
	if (byte_off + 8 > s.data_bytes || byte_off + 8 < byte_off)
		return def;
	return capnp_load64(s.data + byte_off) ^ def;
}

static inline int8_t capnp_get_i8(struct capnp_struct s, uint32_t byte_off, int8_t def)
{
	return (int8_t)capnp_get_u8(s, byte_off, (uint8_t)def);
}

static inline int16_t capnp_get_i16(struct capnp_struct s, uint32_t byte_off, int16_t def)
{
	return (int16_t)capnp_get_u16(s, byte_off, (uint16_t)def);
}

static inline int32_t capnp_get_i32(struct capnp_struct s, uint32_t byte_off, int32_t def)
{
	return (int32_t)capnp_get_u32(s, byte_off, (uint32_t)def);
}

static inline int64_t capnp_get_i64(struct capnp_struct s, uint32_t byte_off, int64_t def)
{
	return (int64_t)capnp_get_u64(s, byte_off, (uint64_t)def);
}

/* ------------------------------------------------------------------------------------------ */
/* List elements (reader). An index >= len records CAPNP_ERR_OUT_OF_BOUNDS and reads 0 / null.
 * A primitive read from an element with fewer data bits (e.g. a struct list without data)
 * reads 0. */

static inline uint32_t capnp_list_len(struct capnp_list l)
{
	return l.len;
}

/* Byte address of element i's data, or NULL (error recorded) when i is out of range. */
static inline const uint8_t *capnp_list_elem_at(struct capnp_list l, uint32_t i)
{
	if (i >= l.len) {
		capnp_msg_fail(l.msg, CAPNP_ERR_OUT_OF_BOUNDS);
		return NULL;
	}
	return l.start + ((uint64_t)i * l.step_bits) / 8;
}

static inline bool capnp_list_bool(struct capnp_list l, uint32_t i)
{
	const uint8_t *p = capnp_list_elem_at(l, i);

	if (!p || l.data_bits < 1)
		return false;
	if (l.elem != CAPNP_ELEM_BIT)
		return p[0] & 1;
	return (p[0] >> (((uint64_t)i * l.step_bits) % 8)) & 1;
}

static inline uint8_t capnp_list_u8(struct capnp_list l, uint32_t i)
{
	const uint8_t *p = capnp_list_elem_at(l, i);

	return p && l.data_bits >= 8 ? p[0] : 0;
}

static inline uint16_t capnp_list_u16(struct capnp_list l, uint32_t i)
{
	const uint8_t *p = capnp_list_elem_at(l, i);

	return p && l.data_bits >= 16 ? capnp_load16(p) : 0;
}

static inline uint32_t capnp_list_u32(struct capnp_list l, uint32_t i)
{
	const uint8_t *p = capnp_list_elem_at(l, i);

	return p && l.data_bits >= 32 ? capnp_load32(p) : 0;
}

static inline uint64_t capnp_list_u64(struct capnp_list l, uint32_t i)
{
	const uint8_t *p = capnp_list_elem_at(l, i);

	return p && l.data_bits >= 64 ? capnp_load64(p) : 0;
}

/* Element i as a struct (struct lists; also primitive/pointer lists read as structs). A bit
 * list cannot be read as structs: CAPNP_ERR_WRONG_TYPE, null struct. */
static inline struct capnp_struct capnp_list_struct(struct capnp_list l, uint32_t i)
{
	struct capnp_struct s = { l.msg, l.seg, NULL, NULL, 0, 0, 0 };
	const uint8_t *e;

	if (l.elem == CAPNP_ELEM_BIT) {
		capnp_msg_fail(l.msg, CAPNP_ERR_WRONG_TYPE);
		return s;
	}
	e = capnp_list_elem_at(l, i);
	if (!e)
		return s;
	s.data = e;
	s.data_bytes = l.data_bits / 8;
	s.ptrs = e + s.data_bytes;
	s.ptr_count = l.ptr_count;
	s.nest = l.nest;
	return s;
}

/* Element i's (first) pointer slot; null slot if elements have no pointers. */
static inline struct capnp_ptr capnp_list_ptr(struct capnp_list l, uint32_t i)
{
	struct capnp_ptr p = { l.msg, l.seg, NULL, l.nest };
	const uint8_t *e;

	if (l.ptr_count == 0) {
		if (i >= l.len)
			capnp_msg_fail(l.msg, CAPNP_ERR_OUT_OF_BOUNDS);
		return p;
	}
	e = capnp_list_elem_at(l, i);
	if (e)
		p.p = e + l.data_bits / 8;
	return p;
}

static inline struct capnp_text capnp_list_text(struct capnp_list l, uint32_t i)
{
	return capnp_ptr_text(capnp_list_ptr(l, i), NULL, 0);
}

static inline struct capnp_data capnp_list_data(struct capnp_list l, uint32_t i)
{
	return capnp_ptr_data(capnp_list_ptr(l, i), NULL, 0);
}

static inline struct capnp_list capnp_list_list(struct capnp_list l, uint32_t i,
						enum capnp_elem expected)
{
	return capnp_ptr_list(capnp_list_ptr(l, i), expected, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Messages: building */

/*
 * capnp_msg_init_build: start an empty message in the arena buf[0..bytes) (segment 0; the
 * usable size is rounded down to whole words; buf may be unaligned). The first word is reserved
 * for the root pointer. Returns 0, or CAPNP_ERR_NO_SPACE if bytes < 8.
 */
int capnp_msg_init_build(struct capnp_msg *msg, void *buf, size_t bytes);

/* capnp_msg_add_segment: hand one more buffer to a message being built; objects that do not fit
 * in earlier segments go here. Returns 0, CAPNP_ERR_NO_SPACE (table full) or _INVALID. */
int capnp_msg_add_segment(struct capnp_msg *msg, void *buf, size_t bytes);

/* capnp_msg_root_builder: the root pointer slot of a message being built. */
struct capnp_ptr_builder capnp_msg_root_builder(struct capnp_msg *msg);

/* capnp_msg_init_root: allocate the root struct (zeroed). On failure the builder is null and
 * the error is recorded (CAPNP_ERR_NO_SPACE). */
struct capnp_builder capnp_msg_init_root(struct capnp_msg *msg, uint16_t data_words,
					 uint16_t ptr_count);

/* capnp_msg_framed_size: bytes capnp_msg_write() will produce. */
size_t capnp_msg_framed_size(const struct capnp_msg *msg);

/* capnp_msg_write: serialise (segment table + segments) into out[0..cap). Returns 0 and sets
 * *written, or CAPNP_ERR_NO_SPACE (nothing beyond cap is written), or the message's error. */
int capnp_msg_write(const struct capnp_msg *msg, void *out, size_t cap, size_t *written);

/* ------------------------------------------------------------------------------------------ */
/* Pointer slots (builder). Each init allocates zeroed space and points the slot at it,
 * overwriting (not freeing) what it pointed to. On failure the error is recorded and a null
 * builder returned.
 *
 * The common case, an object that fits after the last one in its pointer's segment, is inline
 * (capnp_build_alloc); everything else (another segment behind a far pointer, no space, a null
 * slot) goes to capnp_build_alloc_slow() in build.c. Both are internals of the functions below,
 * not meant to be called directly. */

/* capnp_build_zero: zero n words at p (any alignment); a constant n becomes n stores. */
static inline void capnp_build_zero(uint8_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		capnp_store64(p + 8 * i, 0);
}

/*
 * capnp_build_alloc_slow: allocate n words for an object described by `tag` (a struct or list
 * pointer word with offset 0) anywhere in the message and point slot p at it, through a far
 * pointer when it is not in p's segment. The words are NOT zeroed. Returns the object and sets
 * *seg, or returns NULL (error recorded, *seg untouched).
 */
uint8_t *capnp_build_alloc_slow(struct capnp_ptr_builder p, uint64_t n, uint64_t tag,
				struct capnp_seg **seg);

/* capnp_build_alloc: the same; inline when the object fits after p's segment's last object. */
static inline uint8_t *capnp_build_alloc(struct capnp_ptr_builder p, uint64_t n, uint64_t tag,
					 struct capnp_seg **seg)
{
	struct capnp_seg *s = p.seg;
	uint8_t *obj;

	if (__builtin_expect(!p.p || n > s->cap - s->words, 0))
		return capnp_build_alloc_slow(p, n, tag, seg);
	obj = s->start + 8 * (size_t)s->words;
	s->words += (uint32_t)n;
	/* The slot lies in s before obj: the offset (obj - p.p - 8) / 8 is >= 0 and < 2^29, so
	 * shifted into bits 2-31 it is the byte distance / 2. */
	capnp_store64(p.p, tag | (uint64_t)((size_t)(obj - p.p - 8) >> 1));
	*seg = s;
	return obj;
}

static inline struct capnp_builder capnp_ptr_init_struct(struct capnp_ptr_builder p,
							 uint16_t data_words, uint16_t ptr_count)
{
	struct capnp_builder b = { p.msg, p.seg, NULL, NULL, 0, 0 };
	uint32_t n = (uint32_t)data_words + ptr_count;
	uint64_t tag = ((uint64_t)data_words << 32) | ((uint64_t)ptr_count << 48);
	uint8_t *obj = capnp_build_alloc(p, n, tag, &b.seg);

	if (!obj)
		return b;
	capnp_build_zero(obj, n);
	b.data = obj;
	b.ptrs = obj + 8u * data_words;
	b.data_bytes = 8u * data_words;
	b.ptr_count = ptr_count;
	return b;
}

/* elem: VOID..POINTER (not COMPOSITE, not ANY). */
struct capnp_list_builder capnp_ptr_init_list(struct capnp_ptr_builder p, enum capnp_elem elem,
					      uint32_t len);
struct capnp_list_builder capnp_ptr_init_struct_list(struct capnp_ptr_builder p, uint32_t len,
						     uint16_t data_words, uint16_t ptr_count);

/*
 * capnp_build_copy: copy n bytes between distinct buffers: whole words, then the last bytes as
 * one store that may overlap bytes already copied, so there is no byte loop and no read beyond
 * src[n). A constant n becomes a few moves.
 */
static inline void capnp_build_copy(uint8_t *dst, const uint8_t *src, uint32_t n)
{
	if (n >= 8) {
		for (uint32_t i = 0; i + 8 <= n; i += 8)
			capnp_store64(dst + i, capnp_load64(src + i));
		capnp_store64(dst + n - 8, capnp_load64(src + n - 8));
	} else if (n >= 4) {
		capnp_store32(dst, capnp_load32(src));
		capnp_store32(dst + n - 4, capnp_load32(src + n - 4));
	} else if (n >= 2) {
		capnp_store16(dst, capnp_load16(src));
		capnp_store16(dst + n - 2, capnp_load16(src + n - 2));
	} else if (n == 1) {
		dst[0] = src[0];
	}
}

/* capnp_build_bytes_slow: a byte list holding src[0..len) then `extra` zero bytes, in any
 * segment (also checks the arguments). Returns 0 or an error (recorded). */
int capnp_build_bytes_slow(struct capnp_ptr_builder p, const void *src, uint32_t len,
			   uint32_t extra);

/* capnp_build_bytes: the same; inline when the list fits after p's segment's last object.
 * Only the last word is zeroed (NUL and padding): the copy fills every byte before it. */
static inline int capnp_build_bytes(struct capnp_ptr_builder p, const void *src, uint32_t len,
				    uint32_t extra)
{
	uint64_t n = (uint64_t)len + extra, words = (n + 7) / 8;
	struct capnp_seg *s = p.seg;
	uint8_t *obj;

	if (__builtin_expect(!p.p || n > CAPNP_MAX_LIST_LEN || (len && !src) ||
				     words == 0 || words > s->cap - s->words, 0))
		return capnp_build_bytes_slow(p, src, len, extra);
	obj = s->start + 8 * (size_t)s->words;
	s->words += (uint32_t)words;
	/* List pointer: kind 1, element size BYTE (2), count n; offset as in capnp_build_alloc. */
	capnp_store64(p.p, 1 | (2ull << 32) | (n << 35) | (uint64_t)((size_t)(obj - p.p - 8) >> 1));
	capnp_store64(obj + 8 * (words - 1), 0);
	capnp_build_copy(obj, (const uint8_t *)src, len);
	return CAPNP_OK;
}

/* Text copies str[0..len) and appends the NUL; data copies bytes. Return 0 or an error. */
static inline int capnp_ptr_set_text(struct capnp_ptr_builder p, const char *str, uint32_t len)
{
	return capnp_build_bytes(p, str, len, 1);
}

static inline int capnp_ptr_set_data(struct capnp_ptr_builder p, const void *bytes, uint32_t len)
{
	return capnp_build_bytes(p, bytes, len, 0);
}

int capnp_ptr_set_cap(struct capnp_ptr_builder p, uint32_t cap_index);
void capnp_ptr_set_null(struct capnp_ptr_builder p);

/*
 * capnp_ptr_copy: deep-copy whatever src points to (struct, list, text, data, capability index,
 * or null) into the slot p. Recursion is bounded by src's nesting counter and the work by src's
 * message traversal limit. Errors reading src are recorded in src's message and returned;
 * errors building in p's. Returns 0 or the error. Stack: up to ~0.8 KiB per nesting level
 * (kernel build), so kernel callers lower the source's nesting limit first.
 */
int capnp_ptr_copy(struct capnp_ptr_builder p, struct capnp_ptr src);

/* Struct builder: pointer slot idx (null slot builder, error recorded, if idx >= ptr_count). */
static inline struct capnp_ptr_builder capnp_builder_ptr(struct capnp_builder b, uint16_t idx)
{
	struct capnp_ptr_builder p = { b.msg, b.seg, NULL };

	if (idx < b.ptr_count)
		p.p = b.ptrs + 8u * idx;
	else if (b.msg)
		capnp_msg_fail(b.msg, CAPNP_ERR_OUT_OF_BOUNDS);
	return p;
}

static inline struct capnp_builder capnp_init_struct(struct capnp_builder b, uint16_t idx,
						     uint16_t data_words, uint16_t ptr_count)
{
	return capnp_ptr_init_struct(capnp_builder_ptr(b, idx), data_words, ptr_count);
}

static inline struct capnp_list_builder capnp_init_list(struct capnp_builder b, uint16_t idx,
							enum capnp_elem elem, uint32_t len)
{
	return capnp_ptr_init_list(capnp_builder_ptr(b, idx), elem, len);
}

static inline struct capnp_list_builder capnp_init_struct_list(struct capnp_builder b,
							       uint16_t idx, uint32_t len,
							       uint16_t data_words,
							       uint16_t ptr_count)
{
	return capnp_ptr_init_struct_list(capnp_builder_ptr(b, idx), len, data_words, ptr_count);
}

static inline int capnp_set_text(struct capnp_builder b, uint16_t idx, const char *str,
				 uint32_t len)
{
	return capnp_ptr_set_text(capnp_builder_ptr(b, idx), str, len);
}

static inline int capnp_set_data(struct capnp_builder b, uint16_t idx, const void *bytes,
				 uint32_t len)
{
	return capnp_ptr_set_data(capnp_builder_ptr(b, idx), bytes, len);
}

static inline int capnp_set_cap(struct capnp_builder b, uint16_t idx, uint32_t cap_index)
{
	return capnp_ptr_set_cap(capnp_builder_ptr(b, idx), cap_index);
}

/* capnp_set_struct: deep-copy the struct src into pointer field idx. */
int capnp_set_struct(struct capnp_builder b, uint16_t idx, struct capnp_struct src);

/* capnp_builder_reader: read what has been built so far. */
static inline struct capnp_struct capnp_builder_reader(struct capnp_builder b)
{
	struct capnp_struct s = { b.msg, b.seg, b.data, b.ptrs, b.data_bytes, b.ptr_count,
				  b.msg ? b.msg->nest_limit : 0 };
	return s;
}

/* Primitive fields (builder): store value ^ def. A store outside the data section records
 * CAPNP_ERR_OUT_OF_BOUNDS (a generator bug, or a null builder after an error) and writes
 * nothing. */

static inline bool capnp_builder_has(struct capnp_builder b, uint32_t byte_off, uint32_t size)
{
	if (byte_off + size <= b.data_bytes && byte_off + size >= byte_off)
		return true;
	if (b.msg)
		capnp_msg_fail(b.msg, CAPNP_ERR_OUT_OF_BOUNDS);
	return false;
}

static inline void capnp_set_bool(struct capnp_builder b, uint32_t bit_off, bool v, bool def)
{
	uint8_t m = (uint8_t)(1u << (bit_off % 8));

	if (!capnp_builder_has(b, bit_off / 8, 1))
		return;
	if (v != def)
		b.data[bit_off / 8] |= m;
	else
		b.data[bit_off / 8] &= (uint8_t)~m;
}

static inline void capnp_set_u8(struct capnp_builder b, uint32_t byte_off, uint8_t v, uint8_t def)
{
	if (capnp_builder_has(b, byte_off, 1))
		b.data[byte_off] = (uint8_t)(v ^ def);
}

static inline void capnp_set_u16(struct capnp_builder b, uint32_t byte_off, uint16_t v,
				 uint16_t def)
{
	if (capnp_builder_has(b, byte_off, 2))
		capnp_store16(b.data + byte_off, (uint16_t)(v ^ def));
}

static inline void capnp_set_u32(struct capnp_builder b, uint32_t byte_off, uint32_t v,
				 uint32_t def)
{
	if (capnp_builder_has(b, byte_off, 4))
		capnp_store32(b.data + byte_off, v ^ def);
}

static inline void capnp_set_u64(struct capnp_builder b, uint32_t byte_off, uint64_t v,
				 uint64_t def)
{
	if (capnp_builder_has(b, byte_off, 8))
		capnp_store64(b.data + byte_off, v ^ def);
}

static inline void capnp_set_i8(struct capnp_builder b, uint32_t off, int8_t v, int8_t def)
{
	capnp_set_u8(b, off, (uint8_t)v, (uint8_t)def);
}

static inline void capnp_set_i16(struct capnp_builder b, uint32_t off, int16_t v, int16_t def)
{
	capnp_set_u16(b, off, (uint16_t)v, (uint16_t)def);
}

static inline void capnp_set_i32(struct capnp_builder b, uint32_t off, int32_t v, int32_t def)
{
	capnp_set_u32(b, off, (uint32_t)v, (uint32_t)def);
}

static inline void capnp_set_i64(struct capnp_builder b, uint32_t off, int64_t v, int64_t def)
{
	capnp_set_u64(b, off, (uint64_t)v, (uint64_t)def);
}

/* ------------------------------------------------------------------------------------------ */
/* List elements (builder). An index >= len records CAPNP_ERR_OUT_OF_BOUNDS and writes nothing.
 * Setters must match the list's element size (u32 setter on a FOUR list, ...). */

static inline uint8_t *capnp_list_builder_at(struct capnp_list_builder l, uint32_t i,
					     uint32_t bits)
{
	if (i >= l.len || l.data_bits < bits) {
		if (l.msg)
			capnp_msg_fail(l.msg, CAPNP_ERR_OUT_OF_BOUNDS);
		return NULL;
	}
	return l.start + ((uint64_t)i * l.step_bits) / 8;
}

static inline void capnp_list_set_bool(struct capnp_list_builder l, uint32_t i, bool v)
{
	uint8_t *p = capnp_list_builder_at(l, i, 1);
	uint8_t m = (uint8_t)(1u << (((uint64_t)i * l.step_bits) % 8));

	if (!p)
		return;
	if (v)
		*p |= m;
	else
		*p &= (uint8_t)~m;
}

static inline void capnp_list_set_u8(struct capnp_list_builder l, uint32_t i, uint8_t v)
{
	uint8_t *p = capnp_list_builder_at(l, i, 8);

	if (p)
		*p = v;
}

static inline void capnp_list_set_u16(struct capnp_list_builder l, uint32_t i, uint16_t v)
{
	uint8_t *p = capnp_list_builder_at(l, i, 16);

	if (p)
		capnp_store16(p, v);
}

static inline void capnp_list_set_u32(struct capnp_list_builder l, uint32_t i, uint32_t v)
{
	uint8_t *p = capnp_list_builder_at(l, i, 32);

	if (p)
		capnp_store32(p, v);
}

static inline void capnp_list_set_u64(struct capnp_list_builder l, uint32_t i, uint64_t v)
{
	uint8_t *p = capnp_list_builder_at(l, i, 64);

	if (p)
		capnp_store64(p, v);
}

/* Element i of a struct list, as a struct builder. */
static inline struct capnp_builder capnp_list_build_struct(struct capnp_list_builder l,
							   uint32_t i)
{
	struct capnp_builder b = { l.msg, l.seg, NULL, NULL, 0, 0 };

	if (l.elem != CAPNP_ELEM_COMPOSITE || i >= l.len) {
		if (l.msg)
			capnp_msg_fail(l.msg, CAPNP_ERR_OUT_OF_BOUNDS);
		return b;
	}
	b.data = l.start + (size_t)i * (l.step_bits / 8);
	b.data_bytes = l.data_bits / 8;
	b.ptrs = b.data + b.data_bytes;
	b.ptr_count = l.ptr_count;
	return b;
}

/* Element i of a pointer list (or first pointer of a struct element) as a pointer slot. */
static inline struct capnp_ptr_builder capnp_list_build_ptr(struct capnp_list_builder l,
							    uint32_t i)
{
	struct capnp_ptr_builder p = { l.msg, l.seg, NULL };

	if (l.ptr_count == 0 || i >= l.len) {
		if (l.msg)
			capnp_msg_fail(l.msg, CAPNP_ERR_OUT_OF_BOUNDS);
		return p;
	}
	p.p = l.start + (size_t)i * (l.step_bits / 8) + l.data_bits / 8;
	return p;
}

/* capnp_list_builder_reader: read what has been built so far. */
static inline struct capnp_list capnp_list_builder_reader(struct capnp_list_builder l)
{
	struct capnp_list r = { l.msg, l.seg, l.start, l.len, l.step_bits, l.data_bits,
				l.ptr_count, l.elem, l.msg ? l.msg->nest_limit : 0 };
	return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Packed encoding (whole framed messages, or any sequence of words). */

/*
 * capnp_pack: pack in[0..in_len) (in_len a multiple of 8) into out[0..cap). Returns 0 and sets
 * *out_len, or CAPNP_ERR_NO_SPACE (nothing beyond cap written) / _INVALID. The output never
 * exceeds capnp_packed_bound(in_len).
 */
int capnp_pack(const void *in, size_t in_len, void *out, size_t cap, size_t *out_len);

static inline size_t capnp_packed_bound(size_t in_len)
{
	return in_len + in_len / 8 + 2;
}

/*
 * capnp_unpack: unpack in[0..in_len) into out[0..cap). Returns 0 and sets *out_len, or
 * CAPNP_ERR_BAD_PACKED (malformed or truncated input), CAPNP_ERR_NO_SPACE (output would exceed
 * cap; nothing beyond cap written). With out == NULL and cap == 0 it only validates and
 * measures: returns 0 and the unpacked size in *out_len.
 */
int capnp_unpack(const void *in, size_t in_len, void *out, size_t cap, size_t *out_len);

#endif
