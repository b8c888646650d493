/*
 * tests/test_backend_gnutls.c — the GnuTLS backend on hand-built scenarios:
 * each status flag the verdict table maps, with the exact status word
 * GnuTLS 3.7.9 returns (read back from the reason), the HRESULT and the
 * path; how anchors, the sent chain and the Intermediate store reach
 * GnuTLS; and the knob flags that change a decision.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "backend_util.h"
#include "trustfuzz/gnutls_backend.h"

static int setup(void **state)
{
	tf_error err = {0};
	return tf_eval_gnutls.init(state, &err) == TF_OK ? 0 : -1;
}

static int teardown(void **state)
{
	tf_eval_gnutls.cleanup(*state);
	return 0;
}

/* Judges s under k (NULL: the scenario's knobs) and checks that the reason
 * carries the status word `word` ("status 0x42 INVALID|SIGNER_NOT_FOUND:"). */
static tf_verdict judge_k(void *st, const tf_scenario *s, const tf_knobs *k, const char *word)
{
	tf_verdict v;
	tf_error err = {0};
	if (tf_eval_gnutls.evaluate(st, s, k ? k : &s->knobs, &v, &err) != TF_OK)
		fail_msg("evaluate: %s", err.msg);
	if (word && !strstr(v.reason, word))
		fail_msg("expected \"%s\" in the reason: %s", word, v.reason);
	return v;
}

static tf_verdict judge(void *st, const tf_scenario *s, const char *word)
{
	return judge_k(st, s, NULL, word);
}

static tf_verdict judge_flags(void *st, const tf_scenario *s, uint32_t flags, const char *word)
{
	tf_knobs k = s->knobs;
	k.gnutls_flags = flags;
	return judge_k(st, s, &k, word);
}

static void assert_path(const tf_scenario *s, const tf_verdict *v, const char *want)
{
	char buf[256];
	assert_string_equal(tf_path_format(s, v->path, v->path_len, buf, sizeof buf), want);
}

static void assert_class(const tf_verdict *v, tf_status st, uint32_t hr)
{
	if (v->status != st || v->win32 != hr)
		fail_msg("expected %s 0x%08X, got %s 0x%08X: %s", tf_status_str(st), (unsigned)hr,
			 tf_status_str(v->status), (unsigned)v->win32, v->reason);
}

#define OK "status 0: trusted"
#define NOT_FOUND "status 0x42 INVALID|SIGNER_NOT_FOUND:"

static void test_good_chain_every_key_pool(void **state)
{
	tf_scenario s;
	bu_three(&s);
	for (unsigned keys = 0; keys < 3; keys++) {
		tf_knobs k = s.knobs;
		k.keys = (uint8_t)keys;
		tf_verdict v = judge_k(*state, &s, &k, OK);
		assert_class(&v, TF_STATUS_200, TF_WIN32_OK);
		assert_int_equal(v.identity, 0);
		assert_path(&s, &v, "L > I > R");
	}
}

/* Unlike OpenSSL without PARTIAL_CHAIN, GnuTLS takes a trusted
 * intermediate as an anchor: the chain ends where it meets the list. */
static void test_trusted_intermediate_is_anchor(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.stores[TF_STORE_ROOT].cert[0] = 1; /* Root holds I only */
	tf_verdict v = judge(*state, &s, OK);
	assert_path(&s, &v, "L > I");
	/* DO_NOT_ALLOW_SAME: the sent copy of I is not trusted by itself,
	 * but L's issuer is still found in the list. */
	v = judge_flags(*state, &s, 0x4, OK);
	assert_path(&s, &v, "L > I");
	/* The KB 2802568 store (R and I in Root): the sent I's issuer R is
	 * trusted, so GnuTLS verifies I under R (it looks trusted copies up by
	 * the issuer name of the top certificate). */
	bu_three(&s);
	bu_store(&s, TF_STORE_ROOT, &s.certs[1]);
	v = judge(*state, &s, OK);
	assert_path(&s, &v, "L > I > R");
	/* Without I in the sent chain, L's issuer is found in the list. */
	s.identities[0].nchain = 0;
	v = judge(*state, &s, OK);
	assert_path(&s, &v, "L > I");
}

/* A trusted leaf is accepted as it is (checked only for its purpose). */
static void test_trusted_leaf(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.identities[0].nchain = 0;
	s.stores[TF_STORE_ROOT].cert[0] = 2; /* Root holds L only */
	tf_verdict v = judge(*state, &s, OK);
	assert_path(&s, &v, "L");
	/* DO_NOT_ALLOW_SAME takes exactly this away. */
	v = judge_flags(*state, &s, 0x4, NOT_FOUND);
	assert_class(&v, TF_STATUS_403_16, TF_WIN32_CERT_E_CHAINING);
	/* A trusted leaf's extensions are not looked at. */
	s.certs[2].unknown_critical = true;
	judge(*state, &s, OK);
	s.certs[2].unknown_critical = false;
	s.certs[2].eku = TF_EKU_SERVER_AUTH;
	v = judge(*state, &s, "status 0x40002 INVALID|PURPOSE_MISMATCH:");
	assert_class(&v, TF_STATUS_403_16, TF_WIN32_CERT_E_WRONG_USAGE);
	assert_path(&s, &v, "L");
}

static void test_validity(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.certs[2].not_after = -1;
	tf_verdict v = judge(*state, &s, "status 0x402 INVALID|EXPIRED:");
	assert_class(&v, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED);
	assert_path(&s, &v, "L > I > R");
	/* notAfter is inclusive, notBefore too (RFC 5280; OpenSSL differs on
	 * notAfter). */
	s.certs[2].not_after = 0;
	judge(*state, &s, OK);
	s.certs[1].not_before = 0;
	judge(*state, &s, OK);
	s.certs[1].not_before = 1;
	v = judge(*state, &s, "status 0x202 INVALID|NOT_ACTIVATED:");
	assert_class(&v, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED);
	assert_path(&s, &v, "L > I > R");
	/* Every certificate is checked at the scenario's time, not the clock's. */
	s.certs[1].not_before = -365 * TF_DAY;
	s.server.validation_time = INT64_C(2000000000);
	judge(*state, &s, OK);
}

/* The anchor's validity: checked by default, like the reference; knob
 * anchor_validity=ignore and gnutls.flags=0x80 both turn it off; 0x40 turns
 * every time check off. */
static void test_anchor_validity(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.certs[0].not_after = -1;
	tf_verdict v = judge(*state, &s, "status 0x402 INVALID|EXPIRED:");
	assert_class(&v, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED);
	assert_path(&s, &v, "L > I > R");
	tf_knobs k = s.knobs;
	k.anchor_validity = TF_ANCHOR_VALIDITY_IGNORE;
	v = judge_k(*state, &s, &k, OK);
	assert_path(&s, &v, "L > I > R");
	judge_flags(*state, &s, 0x80, OK);
	s.certs[1].not_after = -1;
	judge_flags(*state, &s, 0x80, "status 0x402 INVALID|EXPIRED:");
	judge_flags(*state, &s, 0x40, OK);
}

static void test_purpose(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.certs[2].eku = TF_EKU_SERVER_AUTH;
	tf_verdict v = judge(*state, &s, "status 0x40002 INVALID|PURPOSE_MISMATCH:");
	assert_class(&v, TF_STATUS_403_16, TF_WIN32_CERT_E_WRONG_USAGE);
	assert_path(&s, &v, "L > I > R");
	s.certs[2].eku = TF_EKU_ANY;
	judge(*state, &s, OK);
	s.certs[2].eku_present = false;
	judge(*state, &s, OK);
	/* GnuTLS also holds the intermediates to the purpose (the reference
	 * checks the leaf only). */
	bu_three(&s);
	s.certs[1].eku_present = true;
	s.certs[1].eku = TF_EKU_SERVER_AUTH;
	v = judge(*state, &s, "status 0x40002 INVALID|PURPOSE_MISMATCH:");
	assert_path(&s, &v, "L > I > R");
	assert_non_null(strstr(v.reason, "(at L)"));
}

static void test_ca_checks(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.certs[1].bc = TF_BC_CA_FALSE;
	tf_verdict v = judge(*state, &s, "status 0x82 INVALID|SIGNER_NOT_CA:");
	assert_class(&v, TF_STATUS_403_16, TF_WIN32_TRUST_E_BASIC_CONSTRAINTS);
	assert_path(&s, &v, "L > I > R");
	judge_flags(*state, &s, 0x1, OK); /* DISABLE_CA_SIGN */
	/* A CA without keyCertSign: GnuTLS calls it a constraints failure,
	 * told apart from pathLen by the signer's keyUsage. */
	bu_three(&s);
	s.certs[1].ku = TF_KU_DIGITAL_SIGNATURE;
	v = judge(*state, &s, "status 0x10002 INVALID|SIGNER_CONSTRAINTS_FAILURE:");
	assert_class(&v, TF_STATUS_403_16, TF_WIN32_CERT_E_WRONG_USAGE);
	/* Not a CA and no keyCertSign: not being a CA is the worse failure. */
	s.certs[1].bc = TF_BC_CA_FALSE;
	v = judge(*state, &s, "status 0x10082 INVALID|SIGNER_NOT_CA|SIGNER_CONSTRAINTS_FAILURE:");
	assert_class(&v, TF_STATUS_403_16, TF_WIN32_TRUST_E_BASIC_CONSTRAINTS);
	/* A self-issued root without basicConstraints is a CA to GnuTLS (its
	 * v1-CA rule), unless DO_NOT_ALLOW_X509_V1_CA_CRT. */
	bu_three(&s);
	s.certs[0].bc = TF_BC_ABSENT;
	judge(*state, &s, OK);
	v = judge_flags(*state, &s, 0x100, "status 0x82 INVALID|SIGNER_NOT_CA:");
	assert_class(&v, TF_STATUS_403_16, TF_WIN32_TRUST_E_BASIC_CONSTRAINTS);
	/* v1 certificates (no extensions): a trusted v1 root signs, a v1
	 * intermediate does not unless ALLOW_ANY_X509_V1_CA_CRT. */
	bu_three(&s);
	for (unsigned i = 0; i < 2; i++) {
		tf_cert *c = &s.certs[i];
		c->version = 1;
		c->bc = TF_BC_ABSENT;
		c->bc_critical = c->ku_present = c->ku_critical = false;
		c->ku = 0;
		c->ski = c->aki = TF_KID_ABSENT;
	}
	s.certs[2].aki = TF_KID_ABSENT;
	v = judge(*state, &s, "status 0x82 INVALID|SIGNER_NOT_CA:");
	assert_path(&s, &v, "L > I > R");
	assert_non_null(strstr(v.reason, "(at L)"));
	judge_flags(*state, &s, 0x8, OK);
	/* DO_NOT_ALLOW_X509_V1_CA_CRT refuses the v1 root too (ALLOW_ANY would
	 * override it). */
	v = judge_flags(*state, &s, 0x100, "status 0x82 INVALID|SIGNER_NOT_CA:");
	assert_non_null(strstr(v.reason, "(at I)"));
	judge_flags(*state, &s, 0x8 | 0x100, OK);
	/* pathLen 0 on the root with one intermediate below it. */
	bu_three(&s);
	s.certs[0].pathlen = 0;
	v = judge(*state, &s, "status 0x10002 INVALID|SIGNER_CONSTRAINTS_FAILURE:");
	assert_class(&v, TF_STATUS_403_16, TF_WIN32_CERT_E_PATHLENCONST);
	assert_path(&s, &v, "L > I > R");
}

static void test_signature_and_critical(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.certs[2].corrupt_sig = true;
	tf_verdict v = judge(*state, &s, "status 0x802 INVALID|SIGNATURE_FAILURE:");
	assert_class(&v, TF_STATUS_403_16, TF_WIN32_TRUST_E_CERT_SIGNATURE);
	assert_path(&s, &v, "L > I > R");
	bu_three(&s);
	s.certs[1].unknown_critical = true;
	v = judge(*state, &s, "INVALID|UNKNOWN_CRIT_EXTENSIONS:");
	assert_class(&v, TF_STATUS_403_16, TF_WIN32_CERT_E_CRITICAL);
	judge_flags(*state, &s, 0x4000, OK); /* IGNORE_UNKNOWN_CRIT_EXTENSIONS */
}

static void test_untrusted(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.stores[TF_STORE_ROOT].n = 0;
	tf_verdict v = judge(*state, &s, NOT_FOUND);
	assert_class(&v, TF_STATUS_403_16, TF_WIN32_CERT_E_CHAINING);
	assert_path(&s, &v, "L > I");
	assert_non_null(strstr(v.reason, "(at I)"));
	/* The client sends its self-signed root, which nobody trusts: GnuTLS
	 * drops it from the chain (a self-signed certificate counts only when
	 * trusted), and the chain it reports ends below it. */
	s.identities[0].chain[1] = 0;
	s.identities[0].nchain = 2;
	v = judge(*state, &s, NOT_FOUND);
	assert_class(&v, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT);
	assert_path(&s, &v, "L > I");
	assert_non_null(strstr(v.reason, "(at I, whose untrusted root R was dropped)"));
	/* A self-signed leaf nobody trusts. */
	tf_scenario t;
	tf_scenario_init(&t);
	tf_cert *l = bu_leaf(&t, "SS", "self", "self", 3, 3);
	bu_identity(&t, l, 0, NULL);
	v = judge(*state, &t, NOT_FOUND);
	assert_class(&v, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT);
	assert_path(&t, &v, "SS");
}

/* The Intermediate store fills gaps through the issuer callback but is
 * never trusted; the sent chain's order does not matter (GnuTLS sorts). */
static void test_intermediate_store(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.identities[0].nchain = 0;
	tf_verdict v = judge(*state, &s, NOT_FOUND);
	assert_path(&s, &v, "L");
	bu_store(&s, TF_STORE_INTERMEDIATE, &s.certs[1]);
	v = judge(*state, &s, OK);
	assert_path(&s, &v, "L > I > R");
	s.stores[TF_STORE_ROOT].n = 0;
	v = judge(*state, &s, NOT_FOUND);
	assert_path(&s, &v, "L > I");
	/* Unsorted: L sends R then I. */
	bu_three(&s);
	s.identities[0].chain[0] = 0;
	s.identities[0].chain[1] = 1;
	s.identities[0].nchain = 2;
	v = judge(*state, &s, OK);
	assert_path(&s, &v, "L > I > R");
	/* DO_NOT_ALLOW_UNSORTED_CHAIN takes the list as sent: R, placed
	 * second, is trusted and cuts the chain there, and L's issuer is
	 * never looked for beyond it. */
	v = judge_flags(*state, &s, 0x800, NOT_FOUND);
	assert_class(&v, TF_STATUS_403_16, TF_WIN32_CERT_E_CHAINING);
	assert_path(&s, &v, "L");
}

/* GnuTLS matches issuers by name and key identifiers and never backtracks:
 * with key identifiers the right one of two same-name CAs is found; without
 * them the first one is taken, and its signature fails. */
static void test_name_collision(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.identities[0].nchain = 0;
	tf_cert *evil = bu_ca(&s, "I2", "Issuing CA", "Root CA", 9, 0);
	bu_store(&s, TF_STORE_INTERMEDIATE, evil);
	bu_store(&s, TF_STORE_INTERMEDIATE, &s.certs[1]);
	tf_verdict v = judge(*state, &s, OK);
	assert_path(&s, &v, "L > I > R");
	s.certs[2].aki = TF_KID_ABSENT;
	v = judge(*state, &s, "status 0x802 INVALID|SIGNATURE_FAILURE:");
	assert_path(&s, &v, "L > I2 > R");
}

static void test_unparseable(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.certs[1].version = 1; /* v1 with extensions: GnuTLS refuses to parse it */
	tf_verdict v = judge(*state, &s, "GnuTLS cannot parse presented certificate I:");
	assert_class(&v, TF_STATUS_403_16, TF_WIN32_CERT_E_MALFORMED);
	/* The same certificate in a store is simply not there. */
	s.identities[0].nchain = 0;
	bu_store(&s, TF_STORE_INTERMEDIATE, &s.certs[1]);
	v = judge(*state, &s, NOT_FOUND);
	assert_non_null(strstr(v.reason, "(unparseable: 0 anchors, 1 store)"));
}

static void test_trust_modes(void **state)
{
	tf_scenario s;
	bu_three(&s);
	bu_store(&s, TF_STORE_ROOT, &s.certs[1]); /* Root: R, I */
	s.server.trust_mode = 1; /* the self-signed certificates of Root */
	tf_verdict v = judge(*state, &s, OK);
	assert_path(&s, &v, "L > I > R");
	s.stores[TF_STORE_ROOT].cert[0] = 1;
	s.stores[TF_STORE_ROOT].n = 1; /* Root: I only: no anchor in mode 1 */
	judge(*state, &s, NOT_FOUND);
	s.server.trust_mode = 2;
	v = judge(*state, &s, OK);
	assert_path(&s, &v, "L > I");
	/* Client Authentication Issuers is the source store once non-empty. */
	bu_store(&s, TF_STORE_CAI, &s.certs[0]);
	v = judge(*state, &s, OK);
	assert_path(&s, &v, "L > I > R");
	/* Mode 0 trusts Root whatever the source, and GnuTLS, like the
	 * OpenSSL backend, has no pass-through rule. */
	s.server.trust_mode = 0;
	v = judge(*state, &s, OK);
	assert_path(&s, &v, "L > I");
}

static void test_no_identity(void **state)
{
	tf_scenario s;
	bu_three(&s);
	s.server.send_issuer_list = true;
	tf_cert *other = bu_ca(&s, "X", "Other CA", "Other CA", 7, 7);
	s.stores[TF_STORE_ROOT].cert[0] = (uint8_t)bu_index(&s, other);
	tf_verdict v = judge(*state, &s, NULL);
	assert_class(&v, TF_STATUS_403_7, TF_WIN32_OK);
	assert_int_equal(v.identity, -1);
	assert_int_equal(v.path_len, 0);
}

static void test_bad_knob(void **state)
{
	tf_scenario s;
	bu_three(&s);
	tf_knobs k = s.knobs;
	k.gnutls_flags = 0x2; /* DO_NOT_ALLOW_IP_MATCHES: nothing to act on */
	tf_verdict v;
	tf_error err = {0};
	assert_int_equal(tf_eval_gnutls.evaluate(*state, &s, &k, &v, &err), TF_ERR_USAGE);
	assert_non_null(strstr(err.msg, "gnutls.flags: bits 0x2 are not accepted"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_chain_every_key_pool),
		cmocka_unit_test(test_trusted_intermediate_is_anchor),
		cmocka_unit_test(test_trusted_leaf),
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_anchor_validity),
		cmocka_unit_test(test_purpose),
		cmocka_unit_test(test_ca_checks),
		cmocka_unit_test(test_signature_and_critical),
		cmocka_unit_test(test_untrusted),
		cmocka_unit_test(test_intermediate_store),
		cmocka_unit_test(test_name_collision),
		cmocka_unit_test(test_unparseable),
		cmocka_unit_test(test_trust_modes),
		cmocka_unit_test(test_no_identity),
		cmocka_unit_test(test_bad_knob),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
