/*
 * tests/test_backend_openssl.c — the OpenSSL backend's verify mode on the
 * facts of spec s.4 and on each failure class the verdict table maps, with
 * exact X509_V_ERR codes, HRESULTs and paths; and the evaluator contract
 * (pure function of scenario and knobs, one state or many).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <openssl/x509_vfy.h>

#include "backend_util.h"
#include "trustfuzz/openssl_backend.h"

static int setup(void **state)
{
	tf_error err = {0};
	return tf_eval_openssl.init(state, &err) == TF_OK ? 0 : -1;
}

static int teardown(void **state)
{
	tf_eval_openssl.cleanup(*state);
	return 0;
}

/* Verify mode with knobs k (NULL: the scenario's); checks the X509_V_ERR. */
static tf_verdict verify_k(void *st, const tf_scenario *s, const tf_knobs *k, int want_x509)
{
	tf_verdict v;
	tf_error err = {0};
	int x509 = -2;
	tf_err rc = tf_openssl_verify_detail(st, s, k ? k : &s->knobs, &v, &x509, &err);
	if (rc != TF_OK)
		fail_msg("verify: %s", err.msg);
	if (x509 != want_x509)
		fail_msg("X509_V_ERR %d expected, got %d (%s)", want_x509, x509, v.reason);
	return v;
}

static tf_verdict verify(void *st, const tf_scenario *s, int want_x509)
{
	return verify_k(st, s, NULL, want_x509);
}

static void assert_path(const tf_scenario *s, const tf_verdict *v, const char *want)
{
	char buf[256];
	assert_string_equal(tf_path_format(s, v->path, v->path_len, buf, sizeof buf), want);
}

static void test_good_chain(void **state)
{
	tf_scenario s;
	bu_three(&s);
	tf_verdict v = verify(*state, &s, X509_V_OK);
	assert_int_equal(v.status, TF_STATUS_200);
	assert_int_equal(v.win32, TF_WIN32_OK);
	assert_int_equal(v.identity, 0);
	assert_path(&s, &v, "L > I > R");
	/* Every key algorithm judges the same. */
	for (unsigned keys = 1; keys < 3; keys++) {
		tf_knobs k = s.knobs;
		k.keys = (uint8_t)keys;
		v = verify_k(*state, &s, &k, X509_V_OK);
		assert_path(&s, &v, "L > I > R");
	}
}

/* Spec s.4: without PARTIAL_CHAIN a trusted intermediate is no anchor. */
static void test_intermediate_alone(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.stores[TF_STORE_ROOT].cert[0] = 1; /* Root holds I only */
	tf_verdict v = verify(*state, &s, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT);
	assert_int_equal(v.status, TF_STATUS_403_16);
	assert_int_equal(v.win32, TF_WIN32_CERT_E_CHAINING);
	assert_non_null(strstr(v.reason, "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT (2)"));
	assert_non_null(strstr(v.reason, "unable to get issuer certificate"));
	assert_path(&s, &v, "L > I");
	tf_knobs k = s.knobs;
	k.ossl_partial_chain = 1;
	v = verify_k(*state, &s, &k, X509_V_OK);
	assert_int_equal(v.status, TF_STATUS_200);
	assert_path(&s, &v, "L > I");
}

/* Spec s.4: the self-signed root beside the stray intermediate → OK. */
static void test_stray_intermediate(void **state)
{
	tf_scenario s;
	bu_three(&s);
	bu_store(&s, TF_STORE_ROOT, &s.certs[1]); /* Root: R, I */
	tf_verdict v = verify(*state, &s, X509_V_OK);
	assert_int_equal(v.status, TF_STATUS_200);
	/* Trusted issuers first: OpenSSL stops at I, which is in the store; it
	 * still needs R to make I's chain end in a self-signed anchor. */
	assert_path(&s, &v, "L > I > R");
}

static void test_server_auth_leaf(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.certs[2].eku = TF_EKU_SERVER_AUTH;
	tf_verdict v = verify(*state, &s, X509_V_ERR_INVALID_PURPOSE);
	assert_int_equal(v.status, TF_STATUS_403_16);
	assert_int_equal(v.win32, TF_WIN32_CERT_E_WRONG_USAGE);
	/* anyExtendedKeyUsage alone does not satisfy OpenSSL's SSL-client purpose. */
	s.certs[2].eku = TF_EKU_ANY;
	verify(*state, &s, X509_V_ERR_INVALID_PURPOSE);
	s.certs[2].eku = TF_EKU_ANY | TF_EKU_CLIENT_AUTH;
	verify(*state, &s, X509_V_OK);
	s.certs[2].eku_present = false;
	s.certs[2].eku = 0;
	verify(*state, &s, X509_V_OK);
}

static void test_validity(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.certs[2].not_after = -1;
	tf_verdict v = verify(*state, &s, X509_V_ERR_CERT_HAS_EXPIRED);
	assert_int_equal(v.status, TF_STATUS_403_17);
	assert_int_equal(v.win32, TF_WIN32_CERT_E_EXPIRED);
	s.certs[2].not_after = 365 * TF_DAY;
	s.certs[1].not_before = 1;
	v = verify(*state, &s, X509_V_ERR_CERT_NOT_YET_VALID);
	assert_int_equal(v.status, TF_STATUS_403_17);
	/* notBefore equal to the validation time is valid. */
	s.certs[1].not_before = 0;
	verify(*state, &s, X509_V_OK);
	/* notAfter equal to the validation time: OpenSSL's X509_cmp_time treats
	 * "equal" as "before", so the certificate has expired there, unlike RFC
	 * 5280's inclusive notAfter (and the reference). */
	s.certs[0].not_after = 0;
	v = verify(*state, &s, X509_V_ERR_CERT_HAS_EXPIRED);
	assert_int_equal(v.status, TF_STATUS_403_17);
}

static void test_signature_and_extensions(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.certs[2].corrupt_sig = true;
	tf_verdict v = verify(*state, &s, X509_V_ERR_CERT_SIGNATURE_FAILURE);
	assert_int_equal(v.win32, TF_WIN32_TRUST_E_CERT_SIGNATURE);
	bu_three(&s);
	s.certs[1].unknown_critical = true;
	v = verify(*state, &s, X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION);
	assert_int_equal(v.win32, TF_WIN32_CERT_E_CRITICAL);
	bu_three(&s);
	s.certs[1].bc = TF_BC_CA_FALSE;
	v = verify(*state, &s, X509_V_ERR_INVALID_CA);
	assert_int_equal(v.win32, TF_WIN32_TRUST_E_BASIC_CONSTRAINTS);
	bu_three(&s);
	s.certs[0].pathlen = 0;
	v = verify(*state, &s, X509_V_ERR_PATH_LENGTH_EXCEEDED);
	assert_int_equal(v.win32, TF_WIN32_CERT_E_PATHLENCONST);
	bu_three(&s);
	/* A CA whose key usage lacks keyCertSign fails OpenSSL's CA check
	 * (check_ca), not the issuer check that would say KEYUSAGE_NO_CERTSIGN. */
	s.certs[1].ku = TF_KU_DIGITAL_SIGNATURE;
	v = verify(*state, &s, X509_V_ERR_INVALID_CA);
	assert_int_equal(v.win32, TF_WIN32_TRUST_E_BASIC_CONSTRAINTS);
}

static void test_untrusted_roots(void **state)
{
	tf_scenario s;
	bu_three(&s);
	/* A different self-signed root is trusted: the client's chain runs into
	 * its own root, which it sends. */
	tf_cert *other = bu_ca(&s, "X", "Other CA", "Other CA", 7, 7);
	s.stores[TF_STORE_ROOT].cert[0] = (uint8_t)bu_index(&s, other);
	s.identities[0].chain[1] = 0;
	s.identities[0].nchain = 2;
	tf_verdict v = verify(*state, &s, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN);
	assert_int_equal(v.win32, TF_WIN32_CERT_E_UNTRUSTEDROOT);
	assert_path(&s, &v, "L > I > R");
	/* Without R the chain stops at I: no issuer found. */
	s.identities[0].nchain = 1;
	v = verify(*state, &s, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	assert_int_equal(v.win32, TF_WIN32_CERT_E_CHAINING);
	/* A self-signed leaf nobody trusts. */
	tf_scenario t;
	tf_scenario_init(&t);
	tf_cert *l = bu_leaf(&t, "SS", "self", "self", 3, 3);
	bu_identity(&t, l, 0, NULL);
	v = verify(*state, &t, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
	assert_int_equal(v.win32, TF_WIN32_CERT_E_UNTRUSTEDROOT);
}

/* Intermediate store certificates serve as untrusted issuers. */
static void test_intermediate_store(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.identities[0].nchain = 0;
	verify(*state, &s, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	bu_store(&s, TF_STORE_INTERMEDIATE, &s.certs[1]);
	tf_verdict v = verify(*state, &s, X509_V_OK);
	assert_path(&s, &v, "L > I > R");
}

/* Name collision: two trusted "Root CA"s, the first with the wrong key and
 * no key identifiers to tell them apart. OpenSSL takes the first trusted
 * issuer whose name matches and does not backtrack when its signature fails;
 * RFC 4158 path building would try the second. */
static void test_name_collision(void **state)
{
	tf_scenario s;
	bu_three(&s);
	tf_cert *imp = bu_ca(&s, "R2", "Root CA", "Root CA", 9, 9);
	s.stores[TF_STORE_ROOT].cert[0] = (uint8_t)bu_index(&s, imp);
	bu_store(&s, TF_STORE_ROOT, &s.certs[0]);
	for (unsigned i = 0; i < s.ncerts; i++)
		s.certs[i].ski = s.certs[i].aki = TF_KID_ABSENT;
	tf_verdict v = verify(*state, &s, X509_V_ERR_CERT_SIGNATURE_FAILURE);
	assert_int_equal(v.win32, TF_WIN32_TRUST_E_CERT_SIGNATURE);
	assert_path(&s, &v, "L > I > R2");
	/* With key identifiers OpenSSL skips the impostor. */
	for (unsigned i = 0; i < s.ncerts; i++)
		s.certs[i].ski = s.certs[i].aki = TF_KID_MATCH;
	v = verify(*state, &s, X509_V_OK);
	assert_path(&s, &v, "L > I > R");
}

/* The state keeps parsed certificates across evaluations; a signature that
 * verified under one issuer must still be checked under the next. Same DER
 * for L and I in both evaluations, only the trusted root changes. */
static void test_no_verdict_carried_over(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.certs[1].aki = TF_KID_ABSENT;
	verify(*state, &s, X509_V_OK);
	tf_cert *imp = bu_ca(&s, "R9", "Root CA", "Root CA", 9, 9);
	s.stores[TF_STORE_ROOT].cert[0] = (uint8_t)bu_index(&s, imp);
	tf_verdict v = verify(*state, &s, X509_V_ERR_CERT_SIGNATURE_FAILURE);
	assert_path(&s, &v, "L > I > R9");
	s.stores[TF_STORE_ROOT].cert[0] = 0;
	verify(*state, &s, X509_V_OK);
}

/* The parsed-certificate cache holds TF_OPENSSL_X509_CACHE entries, then
 * starts over; verdicts stay right across the clear. */
static void test_x509_cache_bound(void **state)
{
	tf_scenario s;
	tf_openssl_stats st;
	tf_error err = {0};
	void *fresh = NULL;
	(void)state;
	assert_int_equal(tf_eval_openssl.init(&fresh, &err), TF_OK);
	tf_scenario_init(&s);
	tf_cert *r = bu_ca(&s, "R", "Root CA", "Root CA", 0, 0);
	tf_cert *l = bu_leaf(&s, "L", "alice", "Root CA", 2, 0);
	bu_store(&s, TF_STORE_ROOT, r);
	bu_identity(&s, l, 0, NULL);
	const int64_t leaves = TF_OPENSSL_X509_CACHE + 76;
	for (int64_t n = 0; n < leaves; n++) {
		s.certs[1].serial = 1000 + n;
		tf_verdict v = verify(fresh, &s, X509_V_OK);
		assert_path(&s, &v, "L > R");
	}
	tf_openssl_get_stats(fresh, &st);
	/* R once, every leaf, and R again after the one clear. */
	assert_int_equal(st.x509_clears, 1);
	assert_int_equal(st.x509_misses, 1 + leaves + 1);
	assert_int_equal(st.x509_hits, leaves - 2);
	tf_eval_openssl.cleanup(fresh);
}

static void test_trust_modes(void **state)
{
	tf_scenario s;
	tf_openssl_inputs in;
	bu_three(&s);
	bu_store(&s, TF_STORE_ROOT, &s.certs[1]); /* Root: R, I */
	s.server.trust_mode = 1;
	tf_openssl_inputs_get(&s, &in);
	assert_int_equal(in.nanchors, 1);
	assert_int_equal(in.anchors[0], 0);
	s.server.trust_mode = 2;
	tf_openssl_inputs_get(&s, &in);
	assert_int_equal(in.nanchors, 2);
	/* Client Authentication Issuers becomes the source store. */
	bu_store(&s, TF_STORE_CAI, &s.certs[1]);
	tf_openssl_inputs_get(&s, &in);
	assert_int_equal(in.nanchors, 1);
	assert_int_equal(in.anchors[0], 1);
	assert_int_equal(in.trusted.source, TF_STORE_CAI);
	verify(*state, &s, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT);
	s.server.trust_mode = 0;
	tf_openssl_inputs_get(&s, &in);
	assert_int_equal(in.nanchors, 2);
	verify(*state, &s, X509_V_OK);
}

static void test_no_identity(void **state)
{
	tf_scenario s;
	tf_verdict v;
	tf_error err = {0};
	bu_three(&s);
	s.server.send_issuer_list = true;
	/* The list holds "Root CA"; the identity's certificates are issued by
	 * "Root CA" (I) — it matches. An unrelated root makes it not match. */
	verify(*state, &s, X509_V_OK);
	tf_cert *other = bu_ca(&s, "X", "Other CA", "Other CA", 7, 7);
	s.stores[TF_STORE_ROOT].cert[0] = (uint8_t)bu_index(&s, other);
	v = verify(*state, &s, -1);
	assert_int_equal(v.status, TF_STATUS_403_7);
	assert_int_equal(v.identity, -1);
	assert_int_equal(v.path_len, 0);
	assert_int_equal(tf_eval_openssl.evaluate(*state, &s, &s.knobs, &v, &err), TF_OK);
	assert_int_equal(v.status, TF_STATUS_403_7);
	/* A list cut to nothing counts as no list. */
	s.server.issuer_list_limit = 1;
	v = verify(*state, &s, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	assert_int_equal(v.identity, 0);
}

static void test_pure(void **state)
{
	tf_scenario s;
	tf_verdict a, b, c;
	tf_error err = {0};
	void *other = NULL;
	bu_three(&s);
	s.certs[1].corrupt_sig = true;
	assert_int_equal(tf_eval_openssl.evaluate(*state, &s, &s.knobs, &a, &err), TF_OK);
	assert_int_equal(tf_eval_openssl.evaluate(*state, &s, &s.knobs, &b, &err), TF_OK);
	assert_int_equal(tf_eval_openssl.init(&other, &err), TF_OK);
	assert_int_equal(tf_eval_openssl.evaluate(other, &s, &s.knobs, &c, &err), TF_OK);
	tf_eval_openssl.cleanup(other);
	assert_memory_equal(&a, &b, sizeof a);
	assert_memory_equal(&a, &c, sizeof a);
	/* The second evaluation came from the caches. */
	tf_openssl_stats st1, st2;
	tf_openssl_get_stats(*state, &st1);
	assert_int_equal(tf_eval_openssl.evaluate(*state, &s, &s.knobs, &b, &err), TF_OK);
	tf_openssl_get_stats(*state, &st2);
	assert_int_equal(st2.render.sig_misses, st1.render.sig_misses);
	assert_int_equal(st2.render.sig_hits, st1.render.sig_hits + s.ncerts);
	assert_int_equal(st2.x509_misses, st1.x509_misses);
	assert_int_equal(st2.x509_hits, st1.x509_hits + s.ncerts);
	assert_true(tf_verdict_equal(&a, &b, TF_DEPTH_PATH));
}

static void test_invalid_input(void **state)
{
	tf_scenario s;
	tf_verdict v;
	tf_error err = {0};
	bu_three(&s);
	s.certs[0].issuer = 40;
	assert_int_equal(tf_eval_openssl.evaluate(*state, &s, &s.knobs, &v, &err), TF_ERR_INVALID);
	bu_three(&s);
	tf_knobs k = s.knobs;
	k.keys = 7;
	assert_int_equal(tf_eval_openssl.evaluate(*state, &s, &k, &v, &err), TF_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_chain),
		cmocka_unit_test(test_intermediate_alone),
		cmocka_unit_test(test_stray_intermediate),
		cmocka_unit_test(test_server_auth_leaf),
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_signature_and_extensions),
		cmocka_unit_test(test_untrusted_roots),
		cmocka_unit_test(test_intermediate_store),
		cmocka_unit_test(test_name_collision),
		cmocka_unit_test(test_no_verdict_carried_over),
		cmocka_unit_test(test_x509_cache_bound),
		cmocka_unit_test(test_trust_modes),
		cmocka_unit_test(test_no_identity),
		cmocka_unit_test(test_pure),
		cmocka_unit_test(test_invalid_input),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
