/*
 * tests/test_backend_render.c — the renderer (render.h): every field of a
 * tf_cert as OpenSSL parses it back, name lengths against tf_name_der_len,
 * byte-identical DER across renderers and builds (golden hashes), the
 * signature cache, PEM, and the documented errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "backend_util.h"
#include "trustfuzz/render.h"

#define T0 TF_DEFAULT_VALIDATION_TIME

/* Every rendering choice at least once: the rich scenario. */
static void rich(tf_scenario *s)
{
	tf_scenario_init(s);
	tf_cert *r = bu_ca(s, "R", "Root CA", "Root CA", 0, 0);
	r->serial = 0;
	tf_cert *i = bu_ca(s, "I", "Issuing CA", "Root CA", 1, 0);
	i->pathlen = 0;
	i->ski = TF_KID_MISMATCH;
	i->bc_critical = false;
	tf_cert *l = bu_leaf(s, "L", "alice", "Issuing CA", 2, 1);
	l->serial = -5;
	l->serial_long = true;
	l->aki = TF_KID_MISMATCH;
	l->eku = TF_EKU_ALL;
	l->eku_critical = true;
	l->not_after = 40 * 365 * TF_DAY; /* past 2049: GeneralizedTime */
	tf_cert *v1 = bu_cert(s, "V1", "", "Root CA", 3, 0);
	v1->version = 1;
	v1->ku_present = true;
	v1->ku = TF_KU_ALL;
	v1->unknown_critical = true;
	v1->corrupt_sig = true;
	v1->ski = TF_KID_ABSENT;
	v1->aki = TF_KID_ABSENT;
	v1->serial = INT64_MIN;
	tf_cert *e = bu_leaf(s, "E", "bob", "Issuing CA", 4, 1);
	e->not_before = -730 * TF_DAY;
	e->not_after = -TF_DAY;
	e->eku = TF_EKU_SERVER_AUTH;
	const tf_cert *chain[] = {i};
	bu_store(s, TF_STORE_ROOT, r);
	bu_identity(s, l, 1, chain);
}

static X509 *parse(const tf_der *d)
{
	const unsigned char *p = d->data;
	X509 *x = d2i_X509(NULL, &p, (long)d->len);
	assert_non_null(x);
	assert_ptr_equal(p, d->data + d->len);
	return x;
}

static tf_render *renderer(void)
{
	tf_render *r = NULL;
	tf_error err = {0};
	assert_int_equal(tf_render_new(&r, &err), TF_OK);
	return r;
}

static void test_name_lengths(void **state)
{
	(void)state;
	static const char *const labels[] = {
		"", "a", "R", "Root CA", "with spaces and punctuation !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
		"0123456789012345678901234567890123456789012345", /* 46 */
		"01234567890123456789012345678901234567890123456", /* 47: the longest label */
		"x=y, CN=z",
	};
	tf_scenario s;
	tf_scenario_init(&s);
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		bu_name(&s, labels[i]);
	/* Labels of every length, so that each length-octet boundary is crossed. */
	for (unsigned len = 2; len < TF_LABEL_MAX && s.nnames < TF_MAX_NAMES; len += 3) {
		char buf[TF_LABEL_MAX];
		memset(buf, 'q', len);
		buf[len] = '\0';
		if (tf_scenario_find_name(&s, buf) < 0)
			bu_name(&s, buf);
	}
	for (unsigned i = 0; i < s.nnames; i++) {
		tf_der d = {0};
		tf_error err = {0};
		assert_int_equal(tf_render_name(&s, i, &d, &err), TF_OK);
		assert_int_equal(d.len, tf_name_der_len(&s, i));
		const unsigned char *p = d.data;
		X509_NAME *n = d2i_X509_NAME(NULL, &p, (long)d.len);
		assert_non_null(n);
		if (s.names[i].label[0] == '\0') {
			assert_int_equal(X509_NAME_entry_count(n), 0);
		} else {
			assert_int_equal(X509_NAME_entry_count(n), 1);
			X509_NAME_ENTRY *e = X509_NAME_get_entry(n, 0);
			assert_int_equal(OBJ_obj2nid(X509_NAME_ENTRY_get_object(e)), NID_commonName);
			ASN1_STRING *v = X509_NAME_ENTRY_get_data(e);
			assert_int_equal(ASN1_STRING_type(v), V_ASN1_UTF8STRING);
			assert_int_equal(ASN1_STRING_length(v), (int)strlen(s.names[i].label));
			assert_memory_equal(ASN1_STRING_get0_data(v), s.names[i].label,
					    strlen(s.names[i].label));
		}
		X509_NAME_free(n);
		tf_der_free(&d);
	}
}

static void check_time(const ASN1_TIME *t, int64_t expect, int type)
{
	assert_int_equal(ASN1_STRING_type(t), type);
	assert_int_equal(ASN1_TIME_cmp_time_t(t, (time_t)expect), 0);
}

static void check_fields_alg(unsigned keys)
{
	tf_scenario s;
	tf_rendered rd;
	tf_error err = {0};
	tf_render *r = renderer();
	rich(&s);
	assert_int_equal(tf_scenario_validate(&s, &err), TF_OK);
	assert_int_equal(tf_render_scenario(r, &s, keys, &rd, &err), TF_OK);
	X509 *R = parse(&rd.cert[0]), *I = parse(&rd.cert[1]), *L = parse(&rd.cert[2]);
	X509 *V1 = parse(&rd.cert[3]), *E = parse(&rd.cert[4]);
	uint8_t id[TF_RENDER_KEY_ID_LEN];
	int crit = -1;

	/* Version and serial. */
	assert_int_equal(X509_get_version(R), 2);
	assert_int_equal(X509_get_version(V1), 0);
	int64_t serial = 1;
	assert_int_equal(ASN1_INTEGER_get_int64(&serial, X509_get0_serialNumber(R)), 1);
	assert_int_equal(serial, 0);
	assert_int_equal(ASN1_INTEGER_get_int64(&serial, X509_get0_serialNumber(V1)), 1);
	assert_true(serial == INT64_MIN);
	const ASN1_INTEGER *ls = X509_get0_serialNumber(L);
	assert_int_equal(ASN1_STRING_type(ls), V_ASN1_NEG_INTEGER);
	assert_int_equal(i2d_ASN1_INTEGER(ls, NULL), 2 + 21);

	/* Validity around the validation time; UTCTime until 2049. */
	check_time(X509_get0_notBefore(R), T0 - 365 * TF_DAY, V_ASN1_UTCTIME);
	check_time(X509_get0_notAfter(L), T0 + 40 * 365 * TF_DAY, V_ASN1_GENERALIZEDTIME);
	check_time(X509_get0_notAfter(E), T0 - TF_DAY, V_ASN1_UTCTIME);

	/* Names. */
	assert_int_equal(X509_NAME_entry_count(X509_get_subject_name(V1)), 0);
	assert_int_equal(X509_NAME_cmp(X509_get_issuer_name(I), X509_get_subject_name(R)), 0);

	/* basicConstraints. */
	BASIC_CONSTRAINTS *bc = X509_get_ext_d2i(R, NID_basic_constraints, &crit, NULL);
	assert_non_null(bc);
	assert_true(bc->ca);
	assert_null(bc->pathlen);
	assert_int_equal(crit, 1);
	BASIC_CONSTRAINTS_free(bc);
	bc = X509_get_ext_d2i(I, NID_basic_constraints, &crit, NULL);
	assert_non_null(bc);
	assert_int_equal(ASN1_INTEGER_get(bc->pathlen), 0);
	assert_int_equal(crit, 0);
	BASIC_CONSTRAINTS_free(bc);
	bc = X509_get_ext_d2i(L, NID_basic_constraints, &crit, NULL);
	assert_non_null(bc);
	assert_false(bc->ca);
	BASIC_CONSTRAINTS_free(bc);
	assert_null(X509_get_ext_d2i(V1, NID_basic_constraints, &crit, NULL));
	assert_int_equal(crit, -1);

	/* keyUsage, in DER minimal form. */
	ASN1_BIT_STRING *ku = X509_get_ext_d2i(V1, NID_key_usage, &crit, NULL);
	assert_non_null(ku);
	for (int b = 0; b < 9; b++)
		assert_int_equal(ASN1_BIT_STRING_get_bit(ku, b), b < 7);
	assert_int_equal(crit, 0);
	ASN1_BIT_STRING_free(ku);
	assert_int_equal(X509_get_key_usage(L), KU_DIGITAL_SIGNATURE);

	/* extendedKeyUsage: all four, in the documented order, critical. */
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(L, NID_ext_key_usage, &crit, NULL);
	assert_non_null(eku);
	assert_int_equal(crit, 1);
	assert_int_equal(sk_ASN1_OBJECT_num(eku), 4);
	assert_int_equal(OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, 0)), NID_client_auth);
	assert_int_equal(OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, 1)), NID_server_auth);
	assert_int_equal(OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, 2)), NID_anyExtendedKeyUsage);
	assert_int_equal(OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, 3)), NID_code_sign);
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);

	/* Key identifiers: match, mismatch, absent. */
	assert_int_equal(tf_render_key_id(r, keys, 0, id, &err), TF_OK);
	assert_memory_equal(ASN1_STRING_get0_data(X509_get0_subject_key_id(R)), id, 20);
	assert_memory_equal(ASN1_STRING_get0_data(X509_get0_authority_key_id(R)), id, 20);
	assert_memory_equal(ASN1_STRING_get0_data(X509_get0_authority_key_id(I)), id, 20);
	assert_int_equal(tf_render_key_id(r, keys, 1, id, &err), TF_OK);
	assert_memory_not_equal(ASN1_STRING_get0_data(X509_get0_subject_key_id(I)), id, 20);
	assert_memory_not_equal(ASN1_STRING_get0_data(X509_get0_authority_key_id(L)), id, 20);
	assert_null(X509_get0_subject_key_id(V1));
	assert_null(X509_get0_authority_key_id(V1));
	/* Method 1: SHA-1 of the subjectPublicKey bits, recomputed here. */
	{
		const unsigned char *bits = NULL;
		int nbits = 0;
		uint8_t want[20];
		assert_int_equal(X509_PUBKEY_get0_param(NULL, &bits, &nbits, NULL,
							X509_get_X509_PUBKEY(L)),
				 1);
		assert_int_equal(EVP_Digest(bits, (size_t)nbits, want, NULL, EVP_sha1(), NULL), 1);
		assert_memory_equal(ASN1_STRING_get0_data(X509_get0_subject_key_id(L)), want, 20);
	}

	/* The unrecognised critical extension. */
	ASN1_OBJECT *oid = OBJ_txt2obj("1.3.6.1.4.1.32473.1", 1);
	int at = X509_get_ext_by_OBJ(V1, oid, -1);
	assert_true(at >= 0);
	assert_int_equal(X509_EXTENSION_get_critical(X509_get_ext(V1, at)), 1);
	assert_int_equal(X509_get_ext_by_OBJ(L, oid, -1), -1);
	ASN1_OBJECT_free(oid);
	assert_int_equal(X509_get_extension_flags(V1) & EXFLAG_CRITICAL, EXFLAG_CRITICAL);

	/* Signatures: by the signing key, corrupt when asked. */
	assert_int_equal(X509_verify(R, X509_get0_pubkey(R)), 1);
	assert_int_equal(X509_verify(I, X509_get0_pubkey(R)), 1);
	assert_int_equal(X509_verify(L, X509_get0_pubkey(I)), 1);
	assert_int_equal(X509_verify(E, X509_get0_pubkey(I)), 1);
	assert_true(X509_verify(V1, X509_get0_pubkey(R)) <= 0);
	assert_true(X509_verify(L, X509_get0_pubkey(R)) <= 0);
	int expect_nid = keys == TF_KEYS_ED25519 ? NID_ED25519
			 : keys == TF_KEYS_P256  ? NID_ecdsa_with_SHA256
						 : NID_sha256WithRSAEncryption;
	assert_int_equal(X509_get_signature_nid(L), expect_nid);
	ERR_clear_error();

	X509_free(R), X509_free(I), X509_free(L), X509_free(V1), X509_free(E);
	tf_rendered_free(&rd);
	tf_render_free(r);
}

static void test_fields_ed25519(void **state)
{
	(void)state;
	check_fields_alg(TF_KEYS_ED25519);
}

static void test_fields_p256(void **state)
{
	(void)state;
	check_fields_alg(TF_KEYS_P256);
}

static void test_fields_rsa(void **state)
{
	(void)state;
	check_fields_alg(TF_KEYS_RSA2048);
}

static void digest_all(const tf_rendered *rd, char hex[65])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t h[32];
	assert_int_equal(EVP_DigestInit_ex(md, EVP_sha256(), NULL), 1);
	for (unsigned i = 0; i < rd->ncerts; i++)
		assert_int_equal(EVP_DigestUpdate(md, rd->cert[i].data, rd->cert[i].len), 1);
	assert_int_equal(EVP_DigestFinal_ex(md, h, NULL), 1);
	EVP_MD_CTX_free(md);
	for (int i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", h[i]);
}

/* Golden SHA-256 over every certificate of rich(), per algorithm: a change of
 * encoding, key derivation or signing shows up here, and gcc and clang builds
 * must both match. */
static const char *const golden[3] = {
	"45497b2001d6c5a4976d41413df0f000633e70d8c238eaa90cf5c438db6311c9",
	"d84741158a42d5108e56ed12ccfa65935cf37bb43b3b500115e3c98eadb71321",
	"1dec8a91604b6782a2cb90e76e9cdc67191cb8deefd108b89bd19e2d71f34271",
};

static void test_deterministic(void **state)
{
	(void)state;
	for (unsigned keys = 0; keys < 3; keys++) {
		tf_scenario s;
		tf_rendered a, b;
		tf_error err = {0};
		char ha[65], hb[65];
		rich(&s);
		tf_render *r1 = renderer(), *r2 = renderer();
		assert_int_equal(tf_render_scenario(r1, &s, keys, &a, &err), TF_OK);
		assert_int_equal(tf_render_scenario(r2, &s, keys, &b, &err), TF_OK);
		assert_int_equal(a.ncerts, s.ncerts);
		for (unsigned i = 0; i < a.ncerts; i++) {
			assert_int_equal(a.cert[i].len, b.cert[i].len);
			assert_memory_equal(a.cert[i].data, b.cert[i].data, a.cert[i].len);
		}
		digest_all(&a, ha);
		digest_all(&b, hb);
		assert_string_equal(ha, hb);
		if (getenv("TF_PRINT_GOLDEN"))
			printf("golden[%u] = %s\n", keys, ha);
		assert_string_equal(ha, golden[keys]);
		tf_rendered_free(&a);
		tf_rendered_free(&b);
		tf_render_free(r1);
		tf_render_free(r2);
	}
}

static void test_signature_cache(void **state)
{
	(void)state;
	tf_scenario s;
	tf_rendered a, b;
	tf_render_stats st;
	tf_error err = {0};
	tf_render *r = renderer();
	rich(&s);
	assert_int_equal(tf_render_scenario(r, &s, TF_KEYS_ED25519, &a, &err), TF_OK);
	tf_render_get_stats(r, &st);
	assert_int_equal(st.sig_misses, s.ncerts);
	assert_int_equal(st.sig_hits, 0);
	assert_int_equal(st.sig_entries, s.ncerts);
	assert_true(st.sig_bytes > TF_RENDER_CACHE_ENTRIES * TF_RENDER_SIG_MAX);
	assert_true(st.sig_bytes < 2u * 1024 * 1024);
	assert_int_equal(tf_render_scenario(r, &s, TF_KEYS_ED25519, &b, &err), TF_OK);
	tf_render_get_stats(r, &st);
	assert_int_equal(st.sig_misses, s.ncerts);
	assert_int_equal(st.sig_hits, s.ncerts);
	for (unsigned i = 0; i < a.ncerts; i++)
		assert_memory_equal(a.cert[i].data, b.cert[i].data, a.cert[i].len);
	tf_rendered_free(&b);
	/* A changed field is a new TBS: one more miss, for that certificate only. */
	s.certs[2].serial = 77;
	assert_int_equal(tf_render_scenario(r, &s, TF_KEYS_ED25519, &b, &err), TF_OK);
	tf_render_get_stats(r, &st);
	assert_int_equal(st.sig_misses, s.ncerts + 1);
	tf_rendered_free(&a);
	tf_rendered_free(&b);
	tf_render_free(r);
}

/* Filling the cache past its bound clears it once and keeps working. */
static void test_signature_cache_bound(void **state)
{
	(void)state;
	tf_scenario s;
	tf_render_stats st;
	tf_error err = {0};
	tf_render *r = renderer();
	tf_scenario_init(&s);
	bu_ca(&s, "R", "Root CA", "Root CA", 0, 0);
	bu_store(&s, TF_STORE_ROOT, &s.certs[0]);
	bu_identity(&s, &s.certs[0], 0, NULL);
	for (int64_t n = 0; n < TF_RENDER_CACHE_ENTRIES + 10; n++) {
		tf_der d = {0};
		s.certs[0].serial = n;
		assert_int_equal(tf_render_cert(r, &s, 0, TF_KEYS_ED25519, &d, &err), TF_OK);
		tf_der_free(&d);
	}
	tf_render_get_stats(r, &st);
	assert_int_equal(st.sig_clears, 1);
	assert_int_equal(st.sig_entries, 10);
	assert_int_equal(st.sig_misses, TF_RENDER_CACHE_ENTRIES + 10);
	tf_render_free(r);
}

static void test_errors(void **state)
{
	(void)state;
	tf_scenario s;
	tf_der d = {0};
	tf_error err = {0};
	tf_render *r = renderer();
	bu_three(&s);
	s.certs[2].not_after = INT64_C(9000) * 365 * TF_DAY;
	assert_int_equal(tf_render_cert(r, &s, 2, TF_KEYS_ED25519, &d, &err), TF_ERR_RANGE);
	assert_non_null(strstr(err.msg, "notAfter"));
	assert_null(d.data);
	static const uint8_t spki[] = {0x30, 0x00};
	s.keys[s.certs[2].signing_key].spki = spki;
	s.keys[s.certs[2].signing_key].spki_len = sizeof spki;
	assert_int_equal(tf_render_cert(r, &s, 2, TF_KEYS_ED25519, &d, &err), TF_ERR_INVALID);
	assert_int_equal(tf_render_cert(r, &s, 2, 3, &d, &err), TF_ERR_RANGE);
	assert_int_equal(tf_render_cert(r, &s, 9, TF_KEYS_ED25519, &d, &err), TF_ERR_RANGE);
	tf_render_free(r);
}

static void test_bound_der_verbatim(void **state)
{
	(void)state;
	tf_scenario s;
	tf_der a = {0}, b = {0};
	tf_error err = {0};
	tf_render *r = renderer();
	bu_three(&s);
	assert_int_equal(tf_render_cert(r, &s, 0, TF_KEYS_ED25519, &a, &err), TF_OK);
	s.certs[1].der = a.data;
	s.certs[1].der_len = a.len;
	assert_int_equal(tf_render_cert(r, &s, 1, TF_KEYS_ED25519, &b, &err), TF_OK);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	tf_der_free(&a);
	tf_der_free(&b);
	tf_render_free(r);
}

static void test_server_cert_and_pem(void **state)
{
	(void)state;
	tf_der d = {0};
	tf_error err = {0};
	char *pem = NULL;
	size_t len = 0;
	tf_render *r = renderer();
	assert_int_equal(tf_render_server_cert(r, TF_KEYS_P256, T0, &d, &err), TF_OK);
	X509 *x = parse(&d);
	assert_int_equal(X509_verify(x, X509_get0_pubkey(x)), 1);
	assert_int_equal(X509_check_purpose(x, X509_PURPOSE_SSL_SERVER, 0), 1);
	X509_free(x);
	assert_int_equal(tf_render_pem_append(&pem, &len, "CERTIFICATE", &d, &err), TF_OK);
	assert_int_equal(tf_render_pem_append(&pem, &len, "CERTIFICATE", &d, &err), TF_OK);
	assert_int_equal(strlen(pem), len);
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	for (int i = 0; i < 2; i++) {
		X509 *y = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		assert_non_null(y);
		unsigned char *der = NULL;
		int n = i2d_X509(y, &der);
		assert_int_equal((size_t)n, d.len);
		assert_memory_equal(der, d.data, d.len);
		OPENSSL_free(der);
		X509_free(y);
	}
	BIO_free(bio);
	free(pem);
	tf_der_free(&d);
	tf_render_free(r);
}

static const char *time_text(const ASN1_TIME *t)
{
	static char buf[2][32];
	static int k;
	k ^= 1;
	snprintf(buf[k], sizeof buf[k], "%.*s", ASN1_STRING_length(t),
		 (const char *)ASN1_STRING_get0_data(t));
	return buf[k];
}

/* The handshake server certificate spans the validation time by a day
 * either way, clamped to years 0000..9999: a validation time in the first
 * or last day of that range still renders (it failed with exit 2 before). */
static void test_server_cert_time_edges(void **state)
{
	(void)state;
	const int64_t vts[] = {TF_TIME_MIN, TF_TIME_MIN + 3600, TF_TIME_MAX, TF_TIME_MAX - 3600, T0};
	tf_render *r = renderer();
	for (size_t i = 0; i < sizeof vts / sizeof vts[0]; i++) {
		tf_der d = {0};
		tf_error err = {0};
		int day = 0, sec = 0;
		if (tf_render_server_cert(r, TF_KEYS_P256, vts[i], &d, &err) != TF_OK)
			fail_msg("validation time %lld: %s", (long long)vts[i], err.msg);
		X509 *x = parse(&d);
		const ASN1_TIME *nb = X509_get0_notBefore(x), *na = X509_get0_notAfter(x);
		assert_int_equal(ASN1_TIME_diff(&day, &sec, nb, na), 1);
		if (vts[i] == TF_TIME_MIN)
			assert_string_equal(time_text(nb), "00000101000000Z");
		if (vts[i] == TF_TIME_MAX)
			assert_string_equal(time_text(na), "99991231235959Z");
		if (vts[i] == TF_TIME_MIN + 3600 || vts[i] == TF_TIME_MAX - 3600)
			assert_true(day == 1 && sec == 3600);
		if (vts[i] == T0)
			assert_true(day == 2 && sec == 0);
		X509_free(x);
		tf_der_free(&d);
	}
	tf_render_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_lengths),
		cmocka_unit_test(test_fields_ed25519),
		cmocka_unit_test(test_fields_p256),
		cmocka_unit_test(test_fields_rsa),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_signature_cache),
		cmocka_unit_test(test_signature_cache_bound),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_bound_der_verbatim),
		cmocka_unit_test(test_server_cert_and_pem),
		cmocka_unit_test(test_server_cert_time_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
