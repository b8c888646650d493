/*
 * tests/test_eval_checks.c — each check of spec s.4 and of the certificate
 * profile on its own, with the exact status, HRESULT, path and the reason
 * naming the certificate; then the order that picks the reported failure
 * when several paths, or several checks on one path, fail.
 */
#include "eval_builder.h"
#include "trustfuzz/models.h"

static tf_scenario S;
#define REF (&tf_evaluator_ref)
enum { R0 = 0, I1 = 1, L2 = 2 };

/* Contoso Root (R0) → Issuing CA (I1) → Alice (L2), client sends I1. */
static void basic(void)
{
	sb_init(&S);
	sb_root(&S, "R0", "Contoso Root", 0);
	sb_ca(&S, "I1", "Issuing CA", "Contoso Root", 1, 0);
	sb_cert(&S, "L2", "Alice", "Issuing CA", 2, 1);
	sb_store(&S, TF_STORE_ROOT, R0);
	sb_identity(&S, L2, 1, I1);
}

static tf_verdict run(void)
{
	return sb_eval(REF, &S);
}

static void test_validity(void **state)
{
	(void)state;
	basic();
	sb_expired(&S, L2);
	tf_verdict v = run();
	sb_assert(&S, &v, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED, "L2 > I1 > R0");
	sb_assert_reason(&v, "L2 expired at validation time");

	basic();
	sb_not_yet_valid(&S, L2);
	v = run();
	sb_assert(&S, &v, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED, "L2 > I1 > R0");
	sb_assert_reason(&v, "L2 not yet valid at validation time");

	basic();
	sb_expired(&S, I1);
	v = run();
	sb_assert(&S, &v, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED, "L2 > I1 > R0");
	sb_assert_reason(&v, "I1 expired at validation time");

	basic();
	sb_not_yet_valid(&S, I1);
	v = run();
	sb_assert_reason(&v, "I1 not yet valid at validation time");

	/* To the second, notAfter inclusive. */
	basic();
	S.certs[I1].not_after = 0;
	v = run();
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");
	S.certs[I1].not_after = -1;
	v = run();
	sb_assert(&S, &v, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED, "L2 > I1 > R0");
	S.certs[I1].not_after = 100;
	S.certs[I1].not_before = 1;
	v = run();
	sb_assert(&S, &v, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED, "L2 > I1 > R0");
}

static void test_anchor_validity(void **state)
{
	(void)state;
	basic();
	sb_expired(&S, R0);
	tf_verdict v = run();
	sb_assert(&S, &v, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED, "L2 > I1 > R0");
	sb_assert_reason(&v, "R0 expired");
	S.knobs.anchor_validity = TF_ANCHOR_VALIDITY_IGNORE;
	v = run();
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");
	/* ignore exempts only the anchor. */
	sb_expired(&S, I1);
	v = run();
	sb_assert(&S, &v, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED, "L2 > I1 > R0");
	sb_assert_reason(&v, "I1 expired");
}

static void test_basic_constraints(void **state)
{
	(void)state;
	basic();
	S.certs[I1].bc = TF_BC_CA_FALSE;
	tf_verdict v = run();
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_TRUST_E_BASIC_CONSTRAINTS, "L2 > I1 > R0");
	sb_assert_reason(&v, "I1 is not a CA (cA FALSE)");

	basic();
	S.certs[I1].bc = TF_BC_ABSENT; /* v3 without basicConstraints */
	v = run();
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_TRUST_E_BASIC_CONSTRAINTS, "L2 > I1 > R0");
	sb_assert_reason(&v, "I1 is not a CA (no basicConstraints in a v3 certificate)");

	/* A v1 issuer has no extensions and is a CA (RFC 5280 s.6.1.4 (k)). */
	S.certs[I1].version = 1;
	v = run();
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");
}

static void test_pathlen(void **state)
{
	(void)state;
	/* R0 → I1 (pathLen 0) → I3 → L4: one intermediate below I1. */
	sb_init(&S);
	sb_root(&S, "R0", "Contoso Root", 0);
	sb_ca(&S, "I1", "Policy CA", "Contoso Root", 1, 0);
	sb_ca(&S, "I2", "Issuing CA", "Policy CA", 2, 1);
	sb_cert(&S, "L3", "Alice", "Issuing CA", 3, 2);
	S.certs[I1].pathlen = 0;
	sb_store(&S, TF_STORE_ROOT, R0);
	sb_identity(&S, 3, 2, 2, I1);
	tf_verdict v = run();
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_PATHLENCONST, "L3 > I2 > I1 > R0");
	sb_assert_reason(&v, "I1 pathLen 0 exceeded by 1 intermediate(s) below it");
	S.certs[I1].pathlen = 1;
	v = run();
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L3 > I2 > I1 > R0");
	/* The anchor's own pathLen counts too (as in CryptoAPI and OpenSSL). */
	S.certs[R0].pathlen = 0;
	v = run();
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_PATHLENCONST, "L3 > I2 > I1 > R0");
	sb_assert_reason(&v, "R0 pathLen 0 exceeded by 2 intermediate(s)");
}

static void test_pathlen_skips_self_issued(void **state)
{
	(void)state;
	/* I1 (pathLen 0) → I1-rollover (same name, new key: self-issued) → L3. */
	sb_init(&S);
	sb_root(&S, "R0", "Contoso Root", 0);
	sb_ca(&S, "I1", "Issuing CA", "Contoso Root", 1, 0);
	sb_ca(&S, "I1-rollover", "Issuing CA", "Issuing CA", 5, 1);
	sb_cert(&S, "L3", "Alice", "Issuing CA", 3, 5);
	S.certs[I1].pathlen = 0;
	sb_store(&S, TF_STORE_ROOT, R0);
	sb_store(&S, TF_STORE_INTERMEDIATE, I1);
	sb_store(&S, TF_STORE_INTERMEDIATE, 2);
	sb_identity(&S, 3, 0);
	tf_verdict v = run();
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L3 > I1-rollover > I1 > R0");
}

static void test_key_usage(void **state)
{
	(void)state;
	basic();
	S.certs[I1].ku_present = true;
	S.certs[I1].ku = TF_KU_DIGITAL_SIGNATURE | TF_KU_CRL_SIGN;
	tf_verdict v = run();
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_WRONG_USAGE, "L2 > I1 > R0");
	sb_assert_reason(&v, "I1 key usage lacks keyCertSign");
	S.certs[I1].ku |= TF_KU_KEY_CERT_SIGN;
	v = run();
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");
}

static void test_leaf_eku(void **state)
{
	(void)state;
	basic();
	S.certs[L2].eku_present = true;
	S.certs[L2].eku = TF_EKU_SERVER_AUTH;
	tf_verdict v = run();
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_WRONG_USAGE, "L2 > I1 > R0");
	sb_assert_reason(&v, "L2 EKU lacks clientAuth");
	S.certs[L2].eku = TF_EKU_ANY;
	v = run();
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");
	S.certs[L2].eku = TF_EKU_SERVER_AUTH | TF_EKU_CLIENT_AUTH;
	v = run();
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");
	S.certs[L2].eku_present = false;
	S.certs[L2].eku = 0;
	v = run();
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");
}

static void test_critical_and_signature(void **state)
{
	(void)state;
	basic();
	S.certs[I1].unknown_critical = true;
	tf_verdict v = run();
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_CRITICAL, "L2 > I1 > R0");
	sb_assert_reason(&v, "I1 has an unrecognised critical extension");

	basic();
	S.certs[I1].corrupt_sig = true;
	v = run();
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_TRUST_E_CERT_SIGNATURE, "L2 > I1 > R0");
	sb_assert_reason(&v, "I1 signature is corrupt");

	/* Name chaining: the leaf names an issuer nobody has. */
	basic();
	S.certs[L2].issuer = sb_name(&S, "Fabrikam CA");
	v = run();
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_CHAINING, "L2");
	sb_assert_reason(&v, "no issuer found for L2 (issuer name \"Fabrikam CA\")");
}

/* Several paths fail: validity beats usage beats signature beats untrusted
 * root beats no issuer; on one path the worst failure is reported. */
static void test_failure_order(void **state)
{
	(void)state;
	sb_init(&S);
	sb_root(&S, "R0", "Contoso Root", 0);
	sb_ca(&S, "CA-ghost", "Issuing CA", "Ghost CA", 1, 9);        /* no issuer */
	sb_ca(&S, "CA-self", "Issuing CA", "Self Root", 1, 8);         /* untrusted root above */
	sb_root(&S, "Self", "Self Root", 8);
	sb_ca(&S, "CA-badsig", "Issuing CA", "Contoso Root", 1, 0);    /* corrupt */
	sb_ca(&S, "CA-noKCS", "Issuing CA", "Contoso Root", 1, 0);     /* wrong usage */
	sb_ca(&S, "CA-expired", "Issuing CA", "Contoso Root", 1, 0);   /* validity */
	unsigned l = sb_cert(&S, "Alice", "Alice", "Issuing CA", 2, 1);
	S.certs[4].corrupt_sig = true;
	S.certs[5].ku_present = true;
	S.certs[5].ku = TF_KU_DIGITAL_SIGNATURE;
	sb_expired(&S, 6);
	sb_store(&S, TF_STORE_ROOT, R0);
	for (unsigned c = 1; c <= 6; c++)
		sb_store(&S, TF_STORE_INTERMEDIATE, c);
	sb_identity(&S, l, 0);

	static const struct {
		tf_status st;
		uint32_t hr;
		const char *path, *reason;
	} steps[] = {
		{TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED, "Alice > CA-expired > R0", "CA-expired expired"},
		{TF_STATUS_403_16, TF_WIN32_CERT_E_WRONG_USAGE, "Alice > CA-noKCS > R0", "CA-noKCS key usage"},
		{TF_STATUS_403_16, TF_WIN32_TRUST_E_CERT_SIGNATURE, "Alice > CA-badsig > R0", "CA-badsig signature is corrupt"},
		{TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, "Alice > CA-self > Self", "Self is self-signed"},
		{TF_STATUS_403_16, TF_WIN32_CERT_E_CHAINING, "Alice > CA-ghost", "no issuer found for CA-ghost"},
	};
	/* Drop the best candidate from the Intermediate store one at a time. */
	for (unsigned i = 0; i < 5; i++) {
		tf_verdict v = run();
		sb_assert(&S, &v, steps[i].st, steps[i].hr, steps[i].path);
		sb_assert_reason(&v, steps[i].reason);
		S.stores[TF_STORE_INTERMEDIATE].n--;
	}

	/* One path, two failures: the worse one is reported. */
	basic();
	sb_expired(&S, L2);
	S.certs[L2].eku_present = true;
	S.certs[L2].eku = TF_EKU_SERVER_AUTH;
	tf_verdict v = run();
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_WRONG_USAGE, "L2 > I1 > R0");

	/* Equal worst failures: the path with fewer other failures wins. */
	basic();
	unsigned twin = sb_ca(&S, "I1-twin", "Issuing CA", "Contoso Root", 1, 0);
	S.certs[twin].unknown_critical = true;
	sb_expired(&S, twin);
	S.certs[I1].unknown_critical = true;
	S.identities[0].chain[0] = (uint8_t)twin;
	sb_store(&S, TF_STORE_INTERMEDIATE, I1);
	v = run();
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_CRITICAL, "L2 > I1 > R0");
}

/* knob profile=strict: every producer MUST, one at a time. */
static void test_strict_profile(void **state)
{
	(void)state;
	tf_verdict v0;
	static const char *const rules[] = {
		"no AKI keyIdentifier", "no SKI on a CA", "serial not a positive", "serial not a positive",
		"serial not a positive", "keyCertSign without cA", "empty subject on a CA",
		"basicConstraints not critical", "extensions in a v1/v2",
	};
	for (unsigned rule = 0; rule < sizeof rules / sizeof rules[0]; rule++) {
		basic();
		S.knobs.profile = TF_PROFILE_STRICT;
		tf_verdict v = run();
		sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");
		const char *who = "I1";
		switch (rule) {
		case 0: S.certs[I1].aki = TF_KID_ABSENT; break;
		case 1: S.certs[I1].ski = TF_KID_ABSENT; break;
		case 2: S.certs[L2].serial = 0; who = "L2"; break;
		case 3: S.certs[L2].serial = -5; who = "L2"; break;
		case 4: S.certs[L2].serial_long = true; who = "L2"; break;
		case 5:
			S.certs[L2].ku_present = true;
			S.certs[L2].ku = TF_KU_KEY_CERT_SIGN | TF_KU_DIGITAL_SIGNATURE;
			who = "L2";
			break;
		case 6: {
			uint8_t empty = sb_name(&S, "");
			S.certs[I1].subject = empty;
			S.certs[L2].issuer = empty;
			break;
		}
		case 7: S.certs[I1].bc_critical = false; break;
		case 8: S.certs[R0].version = 1; who = "R0"; break;
		}
		v = run();
		char path[64];
		tf_path_format(&S, v.path, v.path_len, path, sizeof path);
		sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_MALFORMED, "L2 > I1 > R0");
		sb_assert_reason(&v, who);
		sb_assert_reason(&v, rules[rule]);
		/* The default profile does not enforce producer rules. */
		S.knobs.profile = TF_PROFILE_RFC5280;
		v = run();
		sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");
	}
	/* A v1 issuer has no extensions at all, so no AKI is required of it. */
	basic();
	S.knobs.profile = TF_PROFILE_STRICT;
	S.certs[I1].version = 1;
	S.certs[I1].bc = TF_BC_ABSENT;
	S.certs[I1].aki = TF_KID_ABSENT;
	S.certs[I1].ski = TF_KID_ABSENT;
	v0 = run();
	sb_assert(&S, &v0, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");
	/* A self-signed root may omit its AKI. */
	basic();
	S.knobs.profile = TF_PROFILE_STRICT;
	S.certs[R0].aki = TF_KID_ABSENT;
	tf_verdict v = run();
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_anchor_validity),
		cmocka_unit_test(test_basic_constraints),
		cmocka_unit_test(test_pathlen),
		cmocka_unit_test(test_pathlen_skips_self_issued),
		cmocka_unit_test(test_key_usage),
		cmocka_unit_test(test_leaf_eku),
		cmocka_unit_test(test_critical_and_signature),
		cmocka_unit_test(test_failure_order),
		cmocka_unit_test(test_strict_profile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
