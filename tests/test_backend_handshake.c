/*
 * tests/test_backend_handshake.c — the OpenSSL backend's handshake mode: real
 * in-memory mutual TLS 1.3 and 1.2, with and without the issuer list, the
 * client's choice from the names it received, 403.7 when it sends nothing,
 * verification failures by the verify-mode table; and agreement with verify
 * mode on generated scenarios (both run X509_verify_cert on the same inputs).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "backend_util.h"
#include "trustfuzz/gen.h"
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

static tf_verdict handshake(void *st, const tf_scenario *s, unsigned tls, unsigned keys)
{
	tf_verdict v;
	tf_error err = {0};
	tf_knobs k = s->knobs;
	k.ossl_mode = TF_OSSL_MODE_HANDSHAKE;
	k.tls = (uint8_t)tls;
	k.keys = (uint8_t)keys;
	if (tf_eval_openssl.evaluate(st, s, &k, &v, &err) != TF_OK)
		fail_msg("handshake: %s", err.msg);
	assert_non_null(strstr(v.reason, tls == TF_TLS_12 ? "TLS1.2" : "TLS1.3"));
	return v;
}

static void assert_path(const tf_scenario *s, const tf_verdict *v, const char *want)
{
	char buf[256];
	assert_string_equal(tf_path_format(s, v->path, v->path_len, buf, sizeof buf), want);
}

static void test_accept_all_versions_and_keys(void **state)
{
	tf_scenario s;
	bu_three(&s);
	for (unsigned tls = 0; tls < 2; tls++)
		for (unsigned keys = 0; keys < 3; keys++) {
			for (int list = 0; list < 2; list++) {
				s.server.send_issuer_list = list;
				tf_verdict v = handshake(*state, &s, tls, keys);
				assert_int_equal(v.status, TF_STATUS_200);
				assert_int_equal(v.identity, 0);
				assert_path(&s, &v, "L > I > R");
			}
		}
}

/* KB 2802568's store: an intermediate in Root. With the list sent, the
 * server's CA list names "Issuing CA"; of two identities the client offers
 * the one issued under it. */
static void test_issuer_list_choice(void **state)
{
	tf_scenario s;
	bu_three(&s);
	tf_cert *r2 = bu_ca(&s, "R2", "Other Root", "Other Root", 5, 5);
	tf_cert *l2 = bu_leaf(&s, "L2", "carol", "Other Root", 6, 5);
	/* Identity 0 is carol (under Other Root), identity 1 is alice. */
	s.identities[1] = s.identities[0];
	s.identities[0].leaf = (uint8_t)bu_index(&s, l2);
	s.identities[0].nchain = 0;
	s.nidentities = 2;
	(void)r2;
	s.stores[TF_STORE_ROOT].cert[0] = 1; /* Root: I only */
	s.server.send_issuer_list = false;
	tf_verdict v = handshake(*state, &s, TF_TLS_13, 0);
	/* No list: the first identity (carol), whose issuer is unknown. */
	assert_int_equal(v.identity, 0);
	assert_int_equal(v.status, TF_STATUS_403_16);
	assert_int_equal(v.win32, TF_WIN32_CERT_E_CHAINING);
	s.server.send_issuer_list = true;
	for (unsigned tls = 0; tls < 2; tls++) {
		v = handshake(*state, &s, tls, 0);
		/* alice's leaf is issued by "Issuing CA", the listed name; her chain
		 * then needs Root CA, which is not trusted: error 2 as in verify. */
		assert_int_equal(v.identity, 1);
		assert_int_equal(v.status, TF_STATUS_403_16);
		assert_non_null(strstr(v.reason, "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT (2)"));
		tf_knobs k = s.knobs;
		k.ossl_mode = TF_OSSL_MODE_HANDSHAKE;
		k.tls = (uint8_t)tls;
		k.ossl_partial_chain = 1;
		tf_error err = {0};
		assert_int_equal(tf_eval_openssl.evaluate(*state, &s, &k, &v, &err), TF_OK);
		assert_int_equal(v.status, TF_STATUS_200);
		assert_path(&s, &v, "L > I");
	}
}

static void test_nothing_sent(void **state)
{
	tf_scenario s;
	bu_three(&s);
	tf_cert *other = bu_ca(&s, "X", "Other CA", "Other CA", 7, 7);
	s.stores[TF_STORE_ROOT].cert[0] = (uint8_t)bu_index(&s, other);
	s.server.send_issuer_list = true;
	for (unsigned tls = 0; tls < 2; tls++) {
		tf_verdict v = handshake(*state, &s, tls, 0);
		assert_int_equal(v.status, TF_STATUS_403_7);
		assert_int_equal(v.win32, TF_WIN32_OK);
		assert_int_equal(v.identity, -1);
	}
}

static void test_failures_map_like_verify(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.certs[2].not_after = -TF_DAY;
	tf_verdict v = handshake(*state, &s, TF_TLS_13, 0);
	assert_int_equal(v.status, TF_STATUS_403_17);
	assert_int_equal(v.win32, TF_WIN32_CERT_E_EXPIRED);
	assert_non_null(strstr(v.reason, "X509_V_ERR_CERT_HAS_EXPIRED (10)"));
	bu_three(&s);
	s.certs[2].eku = TF_EKU_SERVER_AUTH;
	v = handshake(*state, &s, TF_TLS_12, 0);
	assert_int_equal(v.win32, TF_WIN32_CERT_E_WRONG_USAGE);
	/* The Intermediate store completes a chain the client sends short. */
	bu_three(&s);
	s.identities[0].nchain = 0;
	v = handshake(*state, &s, TF_TLS_13, 0);
	assert_int_equal(v.win32, TF_WIN32_CERT_E_CHAINING);
	bu_store(&s, TF_STORE_INTERMEDIATE, &s.certs[1]);
	v = handshake(*state, &s, TF_TLS_13, 0);
	assert_int_equal(v.status, TF_STATUS_200);
	assert_path(&s, &v, "L > I > R");
}

/* A leaf bound to a real public key has no private key in the pool: the
 * client's certificate callback fails, and so does the evaluation, cleanly. */
static void test_leaf_without_private_key(void **state)
{
	tf_scenario s;
	tf_verdict v;
	tf_error err = {0};
	tf_der spki = {0};
	tf_render *r = tf_openssl_renderer(*state);
	bu_three(&s);
	assert_int_equal(tf_render_key_public(r, TF_KEYS_ED25519, 2, &spki, &err), TF_OK);
	s.keys[s.certs[2].key].spki = spki.data;
	s.keys[s.certs[2].key].spki_len = spki.len;
	tf_knobs k = s.knobs;
	k.ossl_mode = TF_OSSL_MODE_HANDSHAKE;
	assert_int_equal(tf_eval_openssl.evaluate(*state, &s, &k, &v, &err), TF_ERR_INVALID);
	assert_non_null(strstr(err.msg, "no private key"));
	/* Verify mode needs no private key: the same certificate verifies. */
	k.ossl_mode = TF_OSSL_MODE_VERIFY;
	assert_int_equal(tf_eval_openssl.evaluate(*state, &s, &k, &v, &err), TF_OK);
	assert_int_equal(v.status, TF_STATUS_200);
	tf_der_free(&spki);
}

/* Both modes hand X509_verify_cert the same anchors, flags and certificates;
 * over generated scenarios they must agree on status, HRESULT and identity.
 * (The path may differ where identical DER exists under two ids.) */
static void test_modes_agree(void **state)
{
	unsigned checked = 0, accepted = 0;
	for (uint64_t seed = 1; seed <= 120; seed++) {
		tf_scenario s;
		tf_verdict a, b;
		tf_error err = {0};
		tf_gen_from_seed(&s, seed, (tf_profile)(seed % TF_GEN_PROFILE_COUNT), NULL, NULL);
		tf_knobs k = s.knobs;
		k.ossl_mode = TF_OSSL_MODE_VERIFY;
		tf_err ra = tf_eval_openssl.evaluate(*state, &s, &k, &a, &err);
		if (ra != TF_OK)
			fail_msg("seed %llu verify: %s", (unsigned long long)seed, err.msg);
		k.ossl_mode = TF_OSSL_MODE_HANDSHAKE;
		k.tls = (uint8_t)(seed % 2);
		tf_err rb = tf_eval_openssl.evaluate(*state, &s, &k, &b, &err);
		if (rb != TF_OK)
			fail_msg("seed %llu handshake: %s", (unsigned long long)seed, err.msg);
		if (!tf_verdict_equal(&a, &b, TF_DEPTH_WIN32) || a.identity != b.identity)
			fail_msg("seed %llu: verify says %s (%s), handshake says %s (%s)",
				 (unsigned long long)seed, tf_status_str(a.status), a.reason,
				 tf_status_str(b.status), b.reason);
		checked++;
		accepted += a.status == TF_STATUS_200;
		tf_scenario_free(&s);
	}
	assert_int_equal(checked, 120);
	/* The comparison means something only if both outcomes occur. */
	assert_true(accepted > 0 && accepted < checked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_all_versions_and_keys),
		cmocka_unit_test(test_issuer_list_choice),
		cmocka_unit_test(test_nothing_sent),
		cmocka_unit_test(test_failures_map_like_verify),
		cmocka_unit_test(test_leaf_without_private_key),
		cmocka_unit_test(test_modes_agree),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
