/*
 * tests/test_backend_gnutls_map.c — the GnuTLS status word → verdict table
 * row by row (docs/gnutls-backend.md, "Status flags"), the order in which
 * combined flags are read, the refinements, the flag names, and the set of
 * accepted knob flags.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "trustfuzz/gnutls_backend.h"

#define INV GNUTLS_CERT_INVALID

static void expect(uint32_t status, bool top_self, bool no_kcs, tf_status want_st,
		   uint32_t want_hr)
{
	tf_status st = 0;
	uint32_t hr = 1;
	const char *why = NULL;
	if (!tf_gnutls_map_status(status, top_self, no_kcs, &st, &hr, &why))
		fail_msg("status 0x%x: not mapped", (unsigned)status);
	if (st != want_st || hr != want_hr)
		fail_msg("status 0x%x: expected %s 0x%08X, got %s 0x%08X", (unsigned)status,
			 tf_status_str(want_st), (unsigned)want_hr, tf_status_str(st), (unsigned)hr);
	assert_non_null(why);
}

/* One row per flag, alone with INVALID. */
static void test_every_flag(void **state)
{
	(void)state;
	const tf_status S16 = TF_STATUS_403_16;
	expect(INV | GNUTLS_CERT_REVOKED, false, false, TF_STATUS_403_13, TF_WIN32_CERT_E_REVOKED);
	expect(INV | GNUTLS_CERT_SIGNER_NOT_FOUND, false, false, S16, TF_WIN32_CERT_E_CHAINING);
	expect(INV | GNUTLS_CERT_SIGNER_NOT_FOUND, true, false, S16, TF_WIN32_CERT_E_UNTRUSTEDROOT);
	expect(INV | GNUTLS_CERT_SIGNER_NOT_CA, false, false, S16, TF_WIN32_TRUST_E_BASIC_CONSTRAINTS);
	expect(INV | GNUTLS_CERT_INSECURE_ALGORITHM, false, false, S16, TF_WIN32_TRUST_E_CERT_SIGNATURE);
	expect(INV | GNUTLS_CERT_NOT_ACTIVATED, false, false, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED);
	expect(INV | GNUTLS_CERT_EXPIRED, false, false, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED);
	expect(INV | GNUTLS_CERT_SIGNATURE_FAILURE, false, false, S16, TF_WIN32_TRUST_E_CERT_SIGNATURE);
	expect(INV | GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED, false, false, S16, 0x80092013u);
	expect(INV | GNUTLS_CERT_UNEXPECTED_OWNER, false, false, S16, 0x800B010Fu);
	expect(INV | GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE, false, false, S16, 0x80092013u);
	expect(INV | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE, false, false, S16,
	       TF_WIN32_CERT_E_PATHLENCONST);
	expect(INV | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE, false, true, S16,
	       TF_WIN32_CERT_E_WRONG_USAGE);
	expect(INV | GNUTLS_CERT_MISMATCH, false, false, S16, 0x800B010Bu);
	expect(INV | GNUTLS_CERT_PURPOSE_MISMATCH, false, false, S16, TF_WIN32_CERT_E_WRONG_USAGE);
	expect(INV | GNUTLS_CERT_MISSING_OCSP_STATUS, false, false, S16, 0x80092013u);
	expect(INV | GNUTLS_CERT_INVALID_OCSP_STATUS, false, false, S16, 0x80092013u);
	expect(INV | GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS, false, false, S16, TF_WIN32_CERT_E_CRITICAL);
	expect(INV, false, false, S16, TF_WIN32_CERT_E_MALFORMED);
	expect(INV | (1u << 25), false, false, S16, 0x800B010Bu); /* undefined bit */
}

/* Several reasons in one word: the reference's order of failures. */
static void test_order(void **state)
{
	(void)state;
	const tf_status S16 = TF_STATUS_403_16;
	/* Time alone is 403.17; with anything else, the other reason wins. */
	expect(INV | GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED, false, false, TF_STATUS_403_17,
	       TF_WIN32_CERT_E_EXPIRED);
	expect(INV | GNUTLS_CERT_EXPIRED | GNUTLS_CERT_PURPOSE_MISMATCH, false, false, S16,
	       TF_WIN32_CERT_E_WRONG_USAGE);
	expect(INV | GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_EXPIRED, true, false, S16,
	       TF_WIN32_CERT_E_UNTRUSTEDROOT);
	expect(INV | GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_SIGNER_NOT_CA, false, false, S16,
	       TF_WIN32_TRUST_E_CERT_SIGNATURE);
	/* pathLen > not a CA > keyCertSign missing > purpose. */
	expect(INV | GNUTLS_CERT_SIGNER_NOT_CA | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE, false,
	       false, S16, TF_WIN32_CERT_E_PATHLENCONST);
	expect(INV | GNUTLS_CERT_SIGNER_NOT_CA | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE, false, true,
	       S16, TF_WIN32_TRUST_E_BASIC_CONSTRAINTS);
	expect(INV | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE | GNUTLS_CERT_PURPOSE_MISMATCH, false,
	       true, S16, TF_WIN32_CERT_E_WRONG_USAGE);
	expect(INV | GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS | GNUTLS_CERT_SIGNER_NOT_CA, false, false,
	       S16, TF_WIN32_CERT_E_CRITICAL);
	expect(INV | GNUTLS_CERT_REVOKED | GNUTLS_CERT_SIGNER_NOT_FOUND, false, false,
	       TF_STATUS_403_13, TF_WIN32_CERT_E_REVOKED);
}

/* Words GnuTLS must never return for a failure: no verdict (the evaluator
 * turns them into TF_ERR_ORACLE). */
static void test_contract(void **state)
{
	(void)state;
	tf_status st = TF_STATUS_200;
	uint32_t hr = 7;
	const char *why = NULL;
	assert_false(tf_gnutls_map_status(0, false, false, &st, &hr, &why));
	assert_false(tf_gnutls_map_status(GNUTLS_CERT_EXPIRED, false, false, &st, &hr, &why));
	assert_false(tf_gnutls_map_status(GNUTLS_CERT_SIGNER_NOT_FOUND, true, false, &st, &hr, &why));
	assert_int_equal(st, TF_STATUS_200);
	assert_int_equal(hr, 7);
	assert_null(why);
}

static void test_names(void **state)
{
	(void)state;
	char buf[256];
	assert_string_equal(tf_gnutls_status_names(0, buf, sizeof buf), "0");
	assert_string_equal(tf_gnutls_status_names(0x42, buf, sizeof buf), "INVALID|SIGNER_NOT_FOUND");
	assert_string_equal(tf_gnutls_status_names(0x10082 | (1u << 30), buf, sizeof buf),
			    "INVALID|SIGNER_NOT_CA|SIGNER_CONSTRAINTS_FAILURE|0x40000000");
	/* Cut at the buffer, still terminated. */
	assert_string_equal(tf_gnutls_status_names(0x42, buf, 8), "INVALID");
	unsigned named = 0;
	for (unsigned i = 0; i < 32; i++)
		named += tf_gnutls_status_flag_name(1u << i) != NULL;
	assert_int_equal(named, 17); /* every gnutls_certificate_status_t value of 3.7.9 */
	assert_string_equal(tf_gnutls_verify_flag_name(GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS),
			    "DISABLE_TRUSTED_TIME_CHECKS");
	assert_null(tf_gnutls_verify_flag_name(1u << 20));
}

/* The accepted knob bits are exactly the documented trust-changing flags,
 * each a flag GnuTLS defines. */
static void test_accepted_flags(void **state)
{
	(void)state;
	static const char *const accepted[] = {
		"DISABLE_CA_SIGN",           "DO_NOT_ALLOW_SAME",
		"ALLOW_ANY_X509_V1_CA_CRT",  "DISABLE_TIME_CHECKS",
		"DISABLE_TRUSTED_TIME_CHECKS", "DO_NOT_ALLOW_X509_V1_CA_CRT",
		"DO_NOT_ALLOW_UNSORTED_CHAIN", "IGNORE_UNKNOWN_CRIT_EXTENSIONS",
	};
	unsigned n = 0;
	for (unsigned i = 0; i < 32; i++) {
		uint32_t bit = 1u << i;
		if (!(TF_GNUTLS_FLAGS_ACCEPTED & bit))
			continue;
		const char *name = tf_gnutls_verify_flag_name(bit);
		assert_non_null(name);
		assert_true(n < sizeof accepted / sizeof accepted[0]);
		assert_string_equal(name, accepted[n++]);
	}
	assert_int_equal(n, sizeof accepted / sizeof accepted[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_flag),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_contract),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_accepted_flags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
