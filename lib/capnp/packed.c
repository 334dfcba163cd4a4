// SPDX-License-Identifier: MIT
/*
 * The packed encoding: each word becomes a tag byte (bit i set when byte i is non-zero) and its
 * non-zero bytes. Tag 0x00 is followed by a count of further all-zero words; tag 0xff by the
 * eight bytes and a count of following words copied verbatim. Unpacking reads untrusted input:
 * every read is checked against the input end and every write against the output capacity
 * before it happens, so truncated or lying input yields CAPNP_ERR_BAD_PACKED or _NO_SPACE and
 * never an access out of bounds.
 */
#include "capnp/wire.h"

/* Output cursor: writes stop (and `over` is set) at the capacity; a NULL buffer only counts. */
struct packed_out {
	uint8_t *buf;
	size_t cap;
	size_t len;
	bool over;
};

static void packed_put(struct packed_out *o, const uint8_t *src, size_t n)
{
	if (n > o->cap - o->len) {
		o->over = true;
		return;
	}
	if (o->buf)
		wire_copy(o->buf + o->len, src, n);
	o->len += n;
}

static void packed_zeros(struct packed_out *o, size_t n)
{
	if (n > o->cap - o->len) {
		o->over = true;
		return;
	}
	if (o->buf)
		wire_zero(o->buf + o->len, n);
	o->len += n;
}

static unsigned packed_nonzero(const uint8_t *w)
{
	unsigned i, n = 0;

	for (i = 0; i < 8; i++)
		n += w[i] != 0;
	return n;
}

/* Pack one word at in[i]; returns the number of input words consumed. */
static size_t packed_word(const uint8_t *in, size_t i, size_t words, struct packed_out *o)
{
	const uint8_t *w = in + 8 * i;
	uint8_t tag = 0, bytes[9], run = 0;
	unsigned j, n = 0;

	for (j = 0; j < 8; j++) {
		if (w[j]) {
			tag |= (uint8_t)(1u << j);
			bytes[1 + n++] = w[j];
		}
	}
	bytes[0] = tag;
	packed_put(o, bytes, 1 + n);
	if (tag == 0) {
		while (run < 255 && i + 1 + run < words &&
		       capnp_load64(in + 8 * (i + 1 + run)) == 0)
			run++;
	} else if (tag == 0xff) {
		/* Literal run: following words with at most one zero byte, as upstream does. */
		while (run < 255 && i + 1 + run < words &&
		       packed_nonzero(in + 8 * (i + 1 + run)) >= 7)
			run++;
	} else {
		return 1;
	}
	packed_put(o, &run, 1);
	if (tag == 0xff)
		packed_put(o, w + 8, 8 * (size_t)run);
	return 1 + (size_t)run;
}

int capnp_pack(const void *in, size_t in_len, void *out, size_t cap, size_t *out_len)
{
	struct packed_out o = { out, cap, 0, false };
	size_t words = in_len / 8, i = 0;

	if (in_len % 8 || (!out && cap))
		return CAPNP_ERR_INVALID;
	while (i < words && !o.over)
		i += packed_word(in, i, words, &o);
	if (o.over)
		return CAPNP_ERR_NO_SPACE;
	*out_len = o.len;
	return CAPNP_OK;
}

/* Unpack one tagged word at in[*pos]. */
static int unpacked_word(const uint8_t *in, size_t len, size_t *pos, struct packed_out *o)
{
	uint8_t tag = in[(*pos)++], w[8];
	size_t run;
	unsigned j;

	for (j = 0; j < 8; j++) {
		w[j] = 0;
		if (!(tag & (1u << j)))
			continue;
		if (*pos >= len)
			return CAPNP_ERR_BAD_PACKED;
		w[j] = in[(*pos)++];
	}
	packed_put(o, w, 8);
	if (tag != 0 && tag != 0xff)
		return CAPNP_OK;
	if (*pos >= len)
		return CAPNP_ERR_BAD_PACKED;
	run = in[(*pos)++];
	if (tag == 0) {
		packed_zeros(o, 8 * run);
		return CAPNP_OK;
	}
	if (8 * run > len - *pos)
		return CAPNP_ERR_BAD_PACKED;
	packed_put(o, in + *pos, 8 * run);
	*pos += 8 * run;
	return CAPNP_OK;
}

int capnp_unpack(const void *in, size_t in_len, void *out, size_t cap, size_t *out_len)
{
	struct packed_out o = { out, out ? cap : SIZE_MAX, 0, false };
	size_t pos = 0;
	int err;

	if (!in && in_len)
		return CAPNP_ERR_INVALID;
	while (pos < in_len) {
		err = unpacked_word(in, in_len, &pos, &o);
		if (err)
			return err;
		if (o.over)
			return CAPNP_ERR_NO_SPACE;
	}
	*out_len = o.len;
	return CAPNP_OK;
}
