// SPDX-License-Identifier: MIT
/*
 * Tests of user/lib/argon2id.c over the Argon2 reference implementation
 * (Debian's argon2 source package), under ASan/UBSan: RFC 9106's Argon2id
 * vector (section 5.3), the same tag in the package's own known-answer
 * file (kats/argon2id), the Argon2id vectors of the package's src/test.c
 * (tag and PHC string), verification right and wrong, constant-time
 * comparison, a memory quota too small (a clean error, nothing left
 * allocated), over-long inputs and malformed PHC strings.
 */
#include <stdint.h>
#include <stdlib.h>

#include "argon2id.h"
#include "argon2id_mem_host.h"
#include "test.h"

static void hex(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		sscanf(s + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

/* RFC 9106 section 5.3: Argon2id, m=32, t=3, p=4, with secret and ad. */
static const char rfc9106_tag[] =
	"0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659";

static int rfc9106_hash(uint8_t tag[32])
{
	uint8_t pw[32], salt[16], secret[8], ad[12];

	memset(pw, 1, sizeof(pw));
	memset(salt, 2, sizeof(salt));
	memset(secret, 3, sizeof(secret));
	memset(ad, 4, sizeof(ad));
	struct argon2id_input in = { pw, sizeof(pw), salt, sizeof(salt), secret, sizeof(secret),
				     ad, sizeof(ad) };
	struct argon2id_params p = { 32, 3, 4 };
	return argon2id_hash_input(&in, &p, tag, 32);
}

TEST(rfc9106_5_3_argon2id)
{
	uint8_t tag[32], want[32];

	hex(rfc9106_tag, want, sizeof(want));
	CHECK_EQ(rfc9106_hash(tag), ARGON2ID_OK);
	CHECK(memcmp(tag, want, sizeof(want)) == 0);
	CHECK_EQ(argon2id_mem_host_live, 0);
}

/* The last line "Tag: 0d 64 ..." of the package's kats/argon2id. */
TEST(package_kat_file_argon2id_tag)
{
	FILE *f = fopen(ARGON2_KATS_DIR "/argon2id", "r");
	char line[256], last[256] = "";
	uint8_t tag[32], want[32];

	CHECK(f != NULL);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Tag: ", 5) == 0)
			memcpy(last, line, sizeof(last));
	fclose(f);
	for (size_t i = 0; i < sizeof(want); i++) {
		unsigned v;

		CHECK(sscanf(last + 5 + 3 * i, "%2x", &v) == 1);
		want[i] = (uint8_t)v;
	}
	CHECK_EQ(rfc9106_hash(tag), ARGON2ID_OK);
	CHECK(memcmp(tag, want, sizeof(want)) == 0);
}

/*
 * The Argon2id vectors of the package's src/test.c ("Test Argon2id version
 * number: 13"), read from the fetched tree at run time (never copied here):
 * each hashtest(version, t, log_m, p, "pw", "salt", "tag", "phc" "phc",
 * Argon2_id) call up to the error tests. m is 2^log_m KiB; the m = 2^18
 * one is left out (256 MiB twice over under ASan takes 17 s alone).
 */
#define TEST_C_MAX 16
#define TEST_C_LOG_M_MAX 16

struct test_c_vector {
	unsigned long t, log_m, p;
	char pw[32], salt[32], tag[80], phc[128];
};

static struct test_c_vector test_c[TEST_C_MAX];
static char test_c_text[1 << 16];

/* Copies the C string literal at or after s into out (appending); returns past it, or NULL. */
static const char *literal(const char *s, char *out, size_t cap)
{
	const char *q = strchr(s, '"'), *e = q ? strchr(q + 1, '"') : NULL;
	size_t have = strlen(out);

	if (!e || have + (size_t)(e - q - 1) >= cap)
		return NULL;
	memcpy(out + have, q + 1, (size_t)(e - q - 1));
	out[have + (size_t)(e - q - 1)] = '\0';
	return e + 1;
}

/* The vectors of the Argon2id section of test.c; returns how many. */
static size_t test_c_load(void)
{
	FILE *f = fopen(ARGON2_SRC_DIR "/test.c", "r");
	size_t len = f ? fread(test_c_text, 1, sizeof(test_c_text) - 1, f) : 0, n = 0;
	const char *s, *end;

	if (f)
		fclose(f);
	test_c_text[len] = '\0';
	s = strstr(test_c_text, "Test Argon2id version number");
	end = s ? strstr(s, "Common error state") : NULL;
	while (s && end && (s = strstr(s, "hashtest(version,")) && s < end && n < TEST_C_MAX) {
		struct test_c_vector *v = &test_c[n];
		char *p;

		memset(v, 0, sizeof(*v));
		v->t = strtoul(s + 17, &p, 10);
		v->log_m = strtoul(p + 1, &p, 10);
		v->p = strtoul(p + 1, &p, 10);
		s = literal(p, v->pw, sizeof(v->pw));
		s = s ? literal(s, v->salt, sizeof(v->salt)) : NULL;
		s = s ? literal(s, v->tag, sizeof(v->tag)) : NULL;
		s = s ? literal(s, v->phc, sizeof(v->phc)) : NULL;
		while (s && *s && strchr(" \t\r\n", *s))
			s++;
		if (s && *s == '"')
			s = literal(s, v->phc, sizeof(v->phc));	/* the PHC string's second half */
		if (s && v->log_m <= TEST_C_LOG_M_MAX)
			n++;
	}
	return n;
}

TEST(package_test_c_argon2id_vectors)
{
	size_t n = test_c_load();

	CHECK_EQ(n, 7);		/* the section's eight, less the 256 MiB one */
	for (size_t i = 0; i < n; i++) {
		const struct test_c_vector *v = &test_c[i];
		struct argon2id_params p = { 1u << v->log_m, v->t, v->p };
		uint8_t tag[32], want[32];
		char phc[ARGON2ID_ENCODED_MAX];

		hex(v->tag, want, sizeof(want));
		CHECK_EQ(argon2id_hash(v->pw, strlen(v->pw), v->salt, strlen(v->salt), &p, tag, 32),
			 ARGON2ID_OK);
		CHECK(memcmp(tag, want, sizeof(want)) == 0);
		CHECK_EQ(argon2id_phc_make(v->pw, strlen(v->pw), v->salt, strlen(v->salt), &p,
					       32, phc, sizeof(phc)), ARGON2ID_OK);
		CHECK_STR(phc, v->phc);
		CHECK_EQ(argon2id_phc_verify(v->pw, strlen(v->pw), v->phc), ARGON2ID_OK);
		CHECK_EQ(argon2id_phc_verify("wrong", 5, v->phc), ARGON2ID_ERR_MISMATCH);
	}
	CHECK_EQ(argon2id_mem_host_live, 0);
}

static const uint8_t salt16[ARGON2ID_SALT_LEN] = "0123456789abcdef";

TEST(verify_ct_accepts_the_password_and_refuses_others)
{
	struct argon2id_params p = { 64, 2, 1 };
	uint8_t tag[ARGON2ID_HASH_LEN];

	CHECK_EQ(argon2id_hash("hunter2", 7, salt16, 16, &p, tag, sizeof(tag)), ARGON2ID_OK);
	CHECK_EQ(argon2id_verify_ct("hunter2", 7, salt16, 16, &p, tag, sizeof(tag)), ARGON2ID_OK);
	CHECK_EQ(argon2id_verify_ct("hunter3", 7, salt16, 16, &p, tag, sizeof(tag)),
		 ARGON2ID_ERR_MISMATCH);
	CHECK_EQ(argon2id_verify_ct("hunter", 6, salt16, 16, &p, tag, sizeof(tag)),
		 ARGON2ID_ERR_MISMATCH);
	CHECK_EQ(argon2id_verify_ct("", 0, salt16, 16, &p, tag, sizeof(tag)),
		 ARGON2ID_ERR_MISMATCH);
	tag[31] ^= 1;
	CHECK_EQ(argon2id_verify_ct("hunter2", 7, salt16, 16, &p, tag, sizeof(tag)),
		 ARGON2ID_ERR_MISMATCH);
	CHECK_EQ(argon2id_verify_ct("hunter2", 7, salt16, 16, &p, tag, 3), ARGON2ID_ERR_MISMATCH);
	CHECK_EQ(argon2id_verify_ct("hunter2", 7, salt16, 16, &p, tag, 65), ARGON2ID_ERR_MISMATCH);
}

TEST(equal_ct_compares_every_byte)
{
	uint8_t a[64], b[64];

	memset(a, 0x5a, sizeof(a));
	memcpy(b, a, sizeof(b));
	CHECK(argon2id_equal_ct(a, b, sizeof(a)));
	CHECK(argon2id_equal_ct(a, b, 0));
	for (size_t i = 0; i < sizeof(a); i++) {
		b[i] ^= 0x80;
		CHECK(!argon2id_equal_ct(a, b, sizeof(a)));
		b[i] ^= 0x80;
	}
}

TEST(memory_quota_too_small_is_a_clean_error)
{
	struct argon2id_params p = argon2id_shipped();
	uint8_t tag[ARGON2ID_HASH_LEN] = { 0 };

	argon2id_mem_host_limit = (size_t)p.m_kib * 1024 - 1;
	CHECK_EQ(argon2id_hash("pw", 2, salt16, 16, &p, tag, sizeof(tag)), ARGON2ID_ERR_MEMORY);
	CHECK_EQ(argon2id_verify_ct("pw", 2, salt16, 16, &p, tag, sizeof(tag)),
		 ARGON2ID_ERR_MEMORY);
	argon2id_mem_host_limit = SIZE_MAX;
	CHECK_EQ(argon2id_mem_host_live, 0);
	CHECK_STR(argon2id_error(ARGON2ID_ERR_MEMORY), "Memory allocation error");
}

TEST(shipped_parameters_hash_and_verify)
{
	struct argon2id_params p = argon2id_shipped();
	char phc[ARGON2ID_ENCODED_MAX];

	CHECK_EQ(p.m_kib, 19456);
	CHECK_EQ(p.t, 2);
	CHECK_EQ(p.p, 1);
	CHECK_EQ(argon2id_phc_make("correct horse", 13, salt16, 16, &p, ARGON2ID_HASH_LEN, phc,
				       sizeof(phc)), ARGON2ID_OK);
	CHECK(strncmp(phc, "$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$", 54) == 0);
	CHECK_EQ(argon2id_phc_verify("correct horse", 13, phc), ARGON2ID_OK);
	CHECK_EQ(argon2id_phc_verify("correct horsf", 13, phc), ARGON2ID_ERR_MISMATCH);
	CHECK_EQ(argon2id_mem_host_live, 0);
}

/*
 * A PHC string encoded from a salt and a tag is the one phc_make makes when
 * the tag is the password's; with another tag, no password matches it.
 */
TEST(phc_encode_writes_what_phc_make_would)
{
	struct argon2id_params p = { 64, 1, 1 };
	char made[ARGON2ID_ENCODED_MAX], encoded[ARGON2ID_ENCODED_MAX];
	uint8_t tag[32];

	CHECK_EQ(argon2id_hash("pw", 2, salt16, 16, &p, tag, sizeof(tag)), ARGON2ID_OK);
	CHECK_EQ(argon2id_phc_make("pw", 2, salt16, 16, &p, sizeof(tag), made, sizeof(made)),
		 ARGON2ID_OK);
	CHECK_EQ(argon2id_phc_encode(salt16, 16, tag, sizeof(tag), &p, encoded, sizeof(encoded)),
		 ARGON2ID_OK);
	CHECK(strcmp(encoded, made) == 0);
	tag[0] ^= 1;
	CHECK_EQ(argon2id_phc_encode(salt16, 16, tag, sizeof(tag), &p, encoded, sizeof(encoded)),
		 ARGON2ID_OK);
	CHECK_EQ(argon2id_phc_verify("pw", 2, encoded), ARGON2ID_ERR_MISMATCH);
	CHECK_EQ(argon2id_phc_encode(salt16, 16, tag, 65, &p, encoded, sizeof(encoded)),
		 ARGON2ID_ERR_TOO_LONG);
	CHECK_EQ(argon2id_mem_host_live, 0);
}

TEST(too_long_inputs_are_refused_not_cut)
{
	struct argon2id_params p = { 64, 1, 1 };
	uint8_t tag[32];

	CHECK_EQ(argon2id_hash("pw", (size_t)UINT32_MAX + 1, salt16, 16, &p, tag, 32),
		 ARGON2ID_ERR_TOO_LONG);
	CHECK_EQ(argon2id_hash("pw", 2, salt16, (size_t)UINT32_MAX + 1, &p, tag, 32),
		 ARGON2ID_ERR_TOO_LONG);
	CHECK_EQ(argon2id_hash("pw", 2, salt16, 16, &p, tag, (size_t)UINT32_MAX + 1),
		 ARGON2ID_ERR_TOO_LONG);
	CHECK_EQ(argon2id_mem_host_live, 0);
}

TEST(bad_parameters_are_errors)
{
	uint8_t tag[32];
	struct argon2id_params zero_t = { 64, 0, 1 }, tiny_m = { 7, 1, 1 }, zero_p = { 64, 1, 0 };

	CHECK(argon2id_hash("pw", 2, salt16, 16, &zero_t, tag, 32) < 0);
	CHECK(argon2id_hash("pw", 2, salt16, 16, &tiny_m, tag, 32) < 0);
	CHECK(argon2id_hash("pw", 2, salt16, 16, &zero_p, tag, 32) < 0);
	CHECK(argon2id_hash("pw", 2, salt16, 7, &tiny_m, tag, 32) < 0);	/* salt too short */
	CHECK_EQ(argon2id_mem_host_live, 0);
}

TEST(malformed_phc_strings_are_refused)
{
	static const char *const bad[] = {
		"",
		"$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
		"$argon2id$v=16$m=256,t=2,p=1$c29tZXNhbHQ$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
		"$argon2id$m=256,t=2,p=1$c29tZXNhbHQ$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
		"$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh",
		"$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8x",
		"$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ",
		"$argon2id$v=19$m=99999999999,t=2,p=1$c29tZXNhbHQ$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
		"$argon2id$v=19$m=256,t=0,p=1$c29tZXNhbHQ$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
	};
	/* Decodable, but beyond what a verifier may ask (t, p, m): refused before any work. */
	static const char *const beyond[] = {
		"$argon2id$v=19$m=256,t=4294967295,p=1$c29tZXNhbHQ$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
		"$argon2id$v=19$m=256,t=17,p=1$c29tZXNhbHQ$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
		"$argon2id$v=19$m=256,t=2,p=17$c29tZXNhbHQ$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
		"$argon2id$v=19$m=1048577,t=2,p=1$c29tZXNhbHQ$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
	};
	char huge[ARGON2ID_ENCODED_MAX + 8];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(argon2id_phc_verify("password", 8, bad[i]) < 0);
	argon2id_mem_host_limit = 0;	/* nothing may be allocated for these */
	for (size_t i = 0; i < sizeof(beyond) / sizeof(beyond[0]); i++)
		CHECK_EQ(argon2id_phc_verify("password", 8, beyond[i]), ARGON2ID_ERR_DECODING);
	argon2id_mem_host_limit = SIZE_MAX;
	memset(huge, 'A', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	CHECK_EQ(argon2id_phc_verify("password", 8, huge), ARGON2ID_ERR_DECODING);
	CHECK_EQ(argon2id_mem_host_live, 0);
}

int main(void)
{
	RUN(rfc9106_5_3_argon2id);
	RUN(package_kat_file_argon2id_tag);
	RUN(package_test_c_argon2id_vectors);
	RUN(verify_ct_accepts_the_password_and_refuses_others);
	RUN(equal_ct_compares_every_byte);
	RUN(memory_quota_too_small_is_a_clean_error);
	RUN(shipped_parameters_hash_and_verify);
	RUN(phc_encode_writes_what_phc_make_would);
	RUN(too_long_inputs_are_refused_not_cut);
	RUN(bad_parameters_are_errors);
	RUN(malformed_phc_strings_are_refused);
	return test_failures ? 1 : 0;
}
