// SPDX-License-Identifier: MIT
// The official-library side of the capnp benchmark: the same reads and builds
// as bench_c.c, with capnpc-c++'s generated code and libcapnp (static, -O2).
#include "bench.capnp.h"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <cstdio>
#include <cstring>

enum { ITERS = 1000, NITEMS = 16, NVALUES = 64 };

static const char *const bench_tags[] = { "alpha", "beta", "gamma", "delta" };
static capnp::word bench_arena[1024];
static kj::Array<capnp::word> bench_msg;
static volatile uint64_t bench_sink;

static void bench_fill(capnp::MessageBuilder &m)
{
	auto b = m.initRoot<Bench>();

	b.setId(0x123456789abcdefull);
	b.setName("benchmark message");
	b.setScore(3.25);
	b.setFlags(0xf00f);
	b.setOk(true);
	auto tags = b.initTags(4);
	for (unsigned i = 0; i < 4; i++)
		tags.set(i, bench_tags[i]);
	auto values = b.initValues(NVALUES);
	for (unsigned i = 0; i < NVALUES; i++)
		values.set(i, i * 7u);
	auto items = b.initItems(NITEMS);
	for (unsigned i = 0; i < NITEMS; i++) {
		auto it = items[i];
		it.setA(i);
		it.setB(-(int64_t)i);
		it.setLabel("item");
	}
}

extern "C" __attribute__((noinline)) void bench_build(void)
{
	for (int k = 0; k < ITERS; k++) {
		capnp::MallocMessageBuilder m(kj::arrayPtr(bench_arena, 1024));
		bench_fill(m);
		bench_sink += m.getSegmentsForOutput()[0].size();
	}
}

extern "C" __attribute__((noinline)) void bench_read(void)
{
	uint64_t sum = 0;

	for (int k = 0; k < ITERS; k++) {
		capnp::FlatArrayMessageReader m(bench_msg);
		auto r = m.getRoot<Bench>();
		sum += r.getId() + r.getName().size();
		sum += (uint64_t)r.getScore() + r.getFlags();
		sum += r.getOk();
		for (auto t : r.getTags())
			sum += (uint8_t)t[0];
		for (auto v : r.getValues())
			sum += (uint32_t)v;
		for (auto it : r.getItems()) {
			sum += it.getA() + (uint64_t)it.getB();
			sum += it.getLabel().size();
		}
	}
	bench_sink += sum;
}

int main(int argc, char **argv)
{
	capnp::MallocMessageBuilder m;
	bench_fill(m);
	bench_msg = capnp::messageToFlatArray(m);
	if (argc > 1 && !strcmp(argv[1], "dump")) {
		auto bytes = bench_msg.asBytes();
		return fwrite(bytes.begin(), 1, bytes.size(), stdout) == bytes.size() ? 0 : 1;
	}
	bench_read();
	bench_build();
	printf("%llu\n", (unsigned long long)bench_sink);
	return 0;
}
