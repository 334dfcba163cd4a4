// SPDX-License-Identifier: MIT
/*
 * argon2-check (QEMU scenario argon2): the Argon2 reference implementation
 * built for capOS user space. Computes RFC 9106's Argon2id vector (section
 * 5.3: m=32 KiB, t=3, p=4, with secret and associated data), then makes a
 * verifier at the shipped parameters (19 MiB, t=2, p=1) with a salt from
 * EntropySource and checks that the right password is accepted and wrong
 * ones refused; the blocks are mapped through the process's VirtualMemory
 * and given back (its used pages are the same before and after). Prints
 * the guest instructions of one verification (rdtsc; exact under -icount).
 */
#include "argon2id.h"
#include "check.h"
#include "rt.h"

static const uint8_t rfc9106_tag[32] = {
	0x0d, 0x64, 0x0d, 0xf5, 0x8d, 0x78, 0x76, 0x6c, 0x08, 0xc0, 0x37, 0xa3, 0x4a, 0x8b, 0x53, 0xc9,
	0xd0, 0x1e, 0xf0, 0x45, 0x2d, 0x75, 0xb6, 0x5e, 0xb5, 0x25, 0x20, 0xe9, 0x6b, 0x01, 0xe6, 0x59,
};

static uint64_t used_pages(void)
{
	uint64_t quota = 0, used = 0;

	(void)vm_usage(rt.vm, &quota, &used);
	return used;
}

static void rfc9106_vector(void)
{
	uint8_t pw[32], salt[16], secret[8], ad[12], tag[32];

	memset(pw, 1, sizeof(pw));
	memset(salt, 2, sizeof(salt));
	memset(secret, 3, sizeof(secret));
	memset(ad, 4, sizeof(ad));
	struct argon2id_input in = { pw, sizeof(pw), salt, sizeof(salt), secret, sizeof(secret),
				     ad, sizeof(ad) };
	struct argon2id_params p = { 32, 3, 4 };
	int err = argon2id_hash_input(&in, &p, tag, sizeof(tag));
	check(err == ARGON2ID_OK && memcmp(tag, rfc9106_tag, sizeof(tag)) == 0,
	      "rfc9106_5_3_argon2id", err);
}

static const char password[] = "correct horse battery staple";

static void shipped_parameters(capos_cap_t entropy)
{
	struct argon2id_params p = argon2id_shipped();
	uint8_t salt[ARGON2ID_SALT_LEN];
	char phc[ARGON2ID_ENCODED_MAX];

	if (!check_err(entropy_get(entropy, salt, sizeof(salt)), 0, "salt_from_entropy"))
		return;
	int err = argon2id_phc_make(password, sizeof(password) - 1, salt, sizeof(salt), &p,
				    ARGON2ID_HASH_LEN, phc, sizeof(phc));
	if (!check(err == ARGON2ID_OK, "verifier_made_at_shipped_parameters", err))
		return;
	/* After the first run: its page tables stay (charged until exit), its blocks do not. */
	uint64_t before = used_pages();
	check(strncmp(phc, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0, "phc_string_prefix", 0);
	uint64_t t0 = rt_rdtsc();
	err = argon2id_phc_verify(password, sizeof(password) - 1, phc);
	uint64_t insns = rt_rdtsc() - t0;
	check(err == ARGON2ID_OK, "right_password_accepted", err);
	check(argon2id_phc_verify("correct horse battery stapl", 27, phc) == ARGON2ID_ERR_MISMATCH,
	      "wrong_password_refused", 0);
	check(argon2id_phc_verify("", 0, phc) == ARGON2ID_ERR_MISMATCH, "empty_password_refused",
	      0);
	check(used_pages() == before, "blocks_given_back_to_the_quota",
	      (long long)(used_pages() - before));
	printf("argon2-check: login_verify %llu insns\n", (unsigned long long)insns);
}

int main(void)
{
	capos_cap_t entropy = rt_cap("entropy", CAPOS_IFACE_ENTROPY_SOURCE);

	check_init("argon2-check");
	rfc9106_vector();
	shipped_parameters(entropy);
	return check_done();
}
