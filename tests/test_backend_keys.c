/*
 * tests/test_backend_keys.c — the key pool (render.h): RFC 6979 against its
 * published vector, deterministic keys of every algorithm across renderers,
 * key material that OpenSSL accepts (PKCS#8, SPKI, pairwise consistency), and
 * key ids.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "../backends/render_internal.h"

static void hex2bin(const char *hex, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sscanf(hex + 2 * i, "%2hhx", &out[i]);
}

/* RFC 6979 appendix A.2.5: P-256, SHA-256, message "sample". */
static void test_rfc6979_vector(void **state)
{
	(void)state;
	static const char x_hex[] =
		"C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
	static const char r_hex[] =
		"EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716";
	static const char s_hex[] =
		"F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8";
	uint8_t x[32], sig[TF_RENDER_SIG_MAX], want[32];
	size_t siglen = 0;
	tf_error err = {0};
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	hex2bin(x_hex, x, 32);
	BIGNUM *priv = BN_bin2bn(x, 32, NULL);
	assert_int_equal(tf_ecdsa_p256_sign_rfc6979(g, priv, (const uint8_t *)"sample", 6, sig,
						    &siglen, &err),
			 TF_OK);
	const unsigned char *p = sig;
	ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)siglen);
	assert_non_null(es);
	uint8_t got[32];
	assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_r(es), got, 32), 32);
	hex2bin(r_hex, want, 32);
	assert_memory_equal(got, want, 32);
	assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_s(es), got, 32), 32);
	hex2bin(s_hex, want, 32);
	assert_memory_equal(got, want, 32);
	ECDSA_SIG_free(es);
	BN_free(priv);
	EC_GROUP_free(g);
}

/* Pool signatures verify with OpenSSL and repeat exactly. */
static void test_sign_verify(void **state)
{
	(void)state;
	static const uint8_t msg[] = "to be signed";
	tf_render *r = NULL;
	tf_error err = {0};
	assert_int_equal(tf_render_new(&r, &err), TF_OK);
	for (unsigned alg = 0; alg < 3; alg++) {
		for (unsigned slot = 0; slot < 3; slot += 2) {
			uint8_t a[TF_RENDER_SIG_MAX], b[TF_RENDER_SIG_MAX];
			size_t alen = 0, blen = 0;
			EVP_PKEY *pk = NULL;
			assert_int_equal(tf_render_pool_key(r, alg, slot, &pk, &err), TF_OK);
			assert_int_equal(tf_render_sign(r, alg, slot, msg, sizeof msg, a, &alen, &err),
					 TF_OK);
			EVP_MD_CTX *md = EVP_MD_CTX_new();
			assert_int_equal(EVP_DigestVerifyInit(md, NULL,
							      alg == 0 ? NULL : EVP_sha256(), NULL, pk),
					 1);
			assert_int_equal(EVP_DigestVerify(md, a, alen, msg, sizeof msg), 1);
			EVP_MD_CTX_free(md);
			/* Bypass the cache: the raw signer must repeat itself too. */
			tf_sigcache_free(&r->cache);
			assert_int_equal(tf_sigcache_init(&r->cache, &err), TF_OK);
			assert_int_equal(tf_render_sign(r, alg, slot, msg, sizeof msg, b, &blen, &err),
					 TF_OK);
			assert_int_equal(alen, blen);
			assert_memory_equal(a, b, alen);
		}
	}
	tf_render_free(r);
}

static void test_keys_deterministic(void **state)
{
	(void)state;
	tf_render *r1 = NULL, *r2 = NULL;
	tf_error err = {0};
	assert_int_equal(tf_render_new(&r1, &err), TF_OK);
	assert_int_equal(tf_render_new(&r2, &err), TF_OK);
	for (unsigned alg = 0; alg < 3; alg++) {
		unsigned slots[] = {0, 1, TF_RENDER_SERVER_KEY};
		for (unsigned i = 0; i < 3; i++) {
			tf_der a = {0}, b = {0}, pub = {0};
			uint8_t id1[20], id2[20];
			assert_int_equal(tf_render_key_private(r1, alg, slots[i], &a, &err), TF_OK);
			assert_int_equal(tf_render_key_private(r2, alg, slots[i], &b, &err), TF_OK);
			assert_int_equal(a.len, b.len);
			assert_memory_equal(a.data, b.data, a.len);
			/* The PKCS#8 parses back to a consistent key pair. */
			const unsigned char *p = a.data;
			EVP_PKEY *pk = d2i_AutoPrivateKey(NULL, &p, (long)a.len);
			assert_non_null(pk);
			EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pk, NULL);
			assert_int_equal(EVP_PKEY_pairwise_check(ctx), 1);
			EVP_PKEY_CTX_free(ctx);
			if (alg == TF_KEYS_RSA2048)
				assert_int_equal(EVP_PKEY_get_bits(pk), 2048);
			assert_int_equal(tf_render_key_public(r1, alg, slots[i], &pub, &err), TF_OK);
			p = pub.data;
			EVP_PKEY *pub_pk = d2i_PUBKEY(NULL, &p, (long)pub.len);
			assert_non_null(pub_pk);
			assert_int_equal(EVP_PKEY_eq(pk, pub_pk), 1);
			EVP_PKEY_free(pub_pk);
			EVP_PKEY_free(pk);
			assert_int_equal(tf_render_key_id(r1, alg, slots[i], id1, &err), TF_OK);
			assert_int_equal(tf_render_key_id(r2, alg, slots[i], id2, &err), TF_OK);
			assert_memory_equal(id1, id2, 20);
			tf_der_free(&a);
			tf_der_free(&b);
			tf_der_free(&pub);
		}
		/* Different slots, different keys. */
		uint8_t k0[20], k1[20];
		assert_int_equal(tf_render_key_id(r1, alg, 0, k0, &err), TF_OK);
		assert_int_equal(tf_render_key_id(r1, alg, 1, k1, &err), TF_OK);
		assert_memory_not_equal(k0, k1, 20);
	}
	tf_render_stats st;
	tf_render_get_stats(r1, &st);
	assert_int_equal(st.keys_built, 9);
	tf_render_free(r1);
	tf_render_free(r2);
}

static void test_slot_range(void **state)
{
	(void)state;
	tf_render *r = NULL;
	tf_error err = {0};
	EVP_PKEY *pk = NULL;
	assert_int_equal(tf_render_new(&r, &err), TF_OK);
	assert_int_equal(tf_render_pool_key(r, 0, TF_RENDER_POOL_SLOTS, &pk, &err), TF_ERR_RANGE);
	assert_int_equal(tf_render_pool_key(r, 3, 0, &pk, &err), TF_ERR_RANGE);
	tf_render_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6979_vector),
		cmocka_unit_test(test_sign_verify),
		cmocka_unit_test(test_keys_deterministic),
		cmocka_unit_test(test_slot_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
