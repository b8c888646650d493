/* Unit tests for the differential core (harness/diff.c, signature.c):
 * runs, pairwise signatures, their text form and id, and the features. */
#include "eval_builder.h"

#include <stdlib.h>

#include "trustfuzz/diff.h"
#include "trustfuzz/registry.h"

/* ---- Fake evaluators: verdicts chosen by the test ---------------------- */

static tf_verdict fake_verdict;

static tf_err fake_fixed(void *state, const tf_scenario *s, const tf_knobs *k, tf_verdict *out,
			 tf_error *err)
{
	(void)state, (void)s, (void)k, (void)err;
	*out = fake_verdict;
	return TF_OK;
}

static tf_err fake_ok(void *state, const tf_scenario *s, const tf_knobs *k, tf_verdict *out,
		      tf_error *err)
{
	(void)state, (void)s, (void)k, (void)err;
	tf_verdict_set(out, TF_STATUS_200, 0, 0, "fine");
	return TF_OK;
}

static tf_err fake_broken(void *state, const tf_scenario *s, const tf_knobs *k, tf_verdict *out,
			  tf_error *err)
{
	(void)state, (void)s, (void)k, (void)out;
	return tf_error_set(err, TF_ERR_BACKEND, "backend fell over");
}

static const tf_evaluator ev_fixed = {"fixed", "test", NULL, NULL, NULL, fake_fixed};
static const tf_evaluator ev_ok = {"ok", "test", NULL, NULL, NULL, fake_ok};
static const tf_evaluator ev_broken = {"broken", "test", NULL, NULL, NULL, fake_broken};

static tf_instance fake_instance(const tf_evaluator *ev)
{
	tf_instance i;
	memset(&i, 0, sizeof i);
	snprintf(i.name, sizeof i.name, "%s", ev->name);
	i.ev = ev;
	return i;
}

/* ---- Scenarios --------------------------------------------------------- */

/* KB 2802568 row 1: R issues L; Root = [R, I] where I (issued by R) is an
 * intermediate, i.e. not self-issued. */
static void kb_scenario(tf_scenario *s)
{
	sb_init(s);
	unsigned r = sb_root(s, "R", "Root CA", 0);
	unsigned i = sb_ca(s, "I", "Issuing CA", "Root CA", 1, 0);
	unsigned l = sb_cert(s, "L", "Client", "Root CA", 2, 0);
	sb_store(s, TF_STORE_ROOT, r);
	sb_store(s, TF_STORE_ROOT, i);
	sb_identity(s, l, 0);
}

/* R issues L; Root = [R]: nobody disagrees. */
static void plain_scenario(tf_scenario *s)
{
	sb_init(s);
	unsigned r = sb_root(s, "R", "Root CA", 0);
	unsigned l = sb_cert(s, "L", "Client", "Root CA", 2, 0);
	sb_store(s, TF_STORE_ROOT, r);
	sb_identity(s, l, 0);
}

typedef struct open_set {
	tf_instance inst[TF_MAX_INSTANCES];
	unsigned n;
} open_set;

static void open_list(open_set *o, const char *list)
{
	tf_error err = {0};
	if (tf_instances_parse(o->inst, TF_MAX_INSTANCES, &o->n, list, &err) != TF_OK)
		fail_msg("%s: %s", list, err.msg);
	for (unsigned i = 0; i < o->n; i++)
		if (tf_instance_open(&o->inst[i], &err) != TF_OK)
			fail_msg("open %s: %s", o->inst[i].name, err.msg);
}

static void close_list(open_set *o)
{
	for (unsigned i = 0; i < o->n; i++)
		tf_instance_close(&o->inst[i]);
}

/* ---- Tests ------------------------------------------------------------- */

static void test_feature_names(void **state)
{
	(void)state;
	assert_string_equal(tf_feature_name(0), "trigger");
	assert_string_equal(tf_feature_name(1), "issuer-list");
	assert_string_equal(tf_feature_name(4), "nss-anchor");
	assert_string_equal(tf_feature_name(12), "profile-issue");
	assert_null(tf_feature_name(TF_FEAT_COUNT));
	for (unsigned i = 0; i < TF_FEAT_COUNT; i++)
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(tf_feature_name(i), tf_feature_name(j));
}

/* The KB divergence, at each depth, with the exact text and an id that is
 * FNV-1a 64 of it (the constants were computed independently). */
static void test_kb_signature_text(void **state)
{
	(void)state;
	tf_scenario s;
	tf_run run;
	tf_signature sig[4];
	open_set o;
	kb_scenario(&s);
	open_list(&o, "ref,kb");
	tf_diff_run(o.inst, o.n, &s, &run);
	assert_int_equal(run.n, 2);
	assert_int_equal(run.rc[0], TF_OK);
	assert_int_equal(run.rc[1], TF_OK);

	assert_int_equal(tf_diff_signatures(o.inst, &run, &s, TF_DEPTH_STATUS, sig, 4), 1);
	assert_string_equal(sig[0].text, "ref~kb:200/403.16:trigger");
	assert_string_equal(sig[0].id, "a949bf21541f10a2");
	assert_int_equal(sig[0].a, 0);
	assert_int_equal(sig[0].b, 1);
	assert_int_equal(sig[0].sa, TF_STATUS_200);
	assert_int_equal(sig[0].sb, TF_STATUS_403_16);
	assert_int_equal(sig[0].wa, 0);
	assert_int_equal(sig[0].wb, 0);
	assert_int_equal(sig[0].features, TF_FEAT_TRIGGER);

	assert_int_equal(tf_diff_signatures(o.inst, &run, &s, TF_DEPTH_WIN32, sig, 4), 1);
	assert_string_equal(sig[0].text, "ref~kb:200[S_OK]/403.16[CERT_E_UNTRUSTEDROOT]:trigger");
	assert_int_equal(sig[0].wb, TF_WIN32_CERT_E_UNTRUSTEDROOT);

	assert_int_equal(tf_diff_signatures(o.inst, &run, &s, TF_DEPTH_PATH, sig, 4), 1);
	char want[128];
	snprintf(want, sizeof want, "ref~kb:200[S_OK]{2}/403.16[CERT_E_UNTRUSTEDROOT]{%u}:trigger",
		 run.v[1].path_len);
	assert_string_equal(sig[0].text, want);

	/* Row 2: the issuer list on makes the KB model send nothing. */
	s.server.send_issuer_list = true;
	tf_diff_run(o.inst, o.n, &s, &run);
	assert_int_equal(tf_diff_signatures(o.inst, &run, &s, TF_DEPTH_STATUS, sig, 4), 1);
	assert_string_equal(sig[0].text, "ref~kb:200/403.7:trigger+issuer-list");
	close_list(&o);
	tf_scenario_free(&s);
}

/* Same scenario, freshly opened instances: the same signatures. */
static void test_signatures_stable(void **state)
{
	(void)state;
	tf_signature first[8], again[8];
	unsigned n1 = 0, n2 = 0;
	for (int round = 0; round < 2; round++) {
		tf_scenario s;
		tf_run run;
		open_set o;
		kb_scenario(&s);
		s.server.trust_mode = 2;
		s.stores[TF_STORE_CAI] = s.stores[TF_STORE_ROOT];
		open_list(&o, "ref,kb,kb+variant=any-trigger,ref+anchors=self-signed-only");
		tf_diff_run(o.inst, o.n, &s, &run);
		unsigned n = tf_diff_signatures(o.inst, &run, &s, TF_DEPTH_WIN32,
						round ? again : first, 8);
		*(round ? &n2 : &n1) = n;
		close_list(&o);
		tf_scenario_free(&s);
	}
	assert_int_equal(n1, n2);
	for (unsigned i = 0; i < n1; i++) {
		assert_string_equal(first[i].text, again[i].text);
		assert_string_equal(first[i].id, again[i].id);
		assert_true(first[i].a < first[i].b);
	}
}

static void test_no_divergence(void **state)
{
	(void)state;
	tf_scenario s;
	tf_run run;
	tf_signature sig[4];
	open_set o;
	plain_scenario(&s);
	open_list(&o, "ref,kb");
	tf_diff_run(o.inst, o.n, &s, &run);
	assert_int_equal(tf_diff_signatures(o.inst, &run, &s, TF_DEPTH_PATH, sig, 4), 0);
	close_list(&o);
}

/* A failed instance is in no pair; its message is kept; the count is the
 * total even past max. */
static void test_failures_and_max(void **state)
{
	(void)state;
	tf_scenario s;
	tf_run run;
	tf_signature sig[1];
	tf_instance inst[4] = {fake_instance(&ev_ok), fake_instance(&ev_broken),
			       fake_instance(&ev_fixed), fake_instance(&ev_fixed)};
	snprintf(inst[3].name, sizeof inst[3].name, "fixed2");
	plain_scenario(&s);
	tf_verdict_set(&fake_verdict, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED, 0, "old");
	tf_diff_run(inst, 4, &s, &run);
	assert_int_equal(run.rc[1], TF_ERR_BACKEND);
	assert_string_equal(run.msg[1], "backend fell over");
	assert_int_equal(run.rc[0], TF_OK);
	assert_string_equal(run.msg[0], "");
	/* ok~fixed, ok~fixed2 diverge; fixed~fixed2 agree; broken pairs skipped. */
	assert_int_equal(tf_diff_signatures(inst, &run, &s, TF_DEPTH_STATUS, sig, 1), 2);
	assert_string_equal(sig[0].text, "ok~fixed:200/403.17:-");
	assert_int_equal(sig[0].a, 0);
	assert_int_equal(sig[0].b, 2);
}

/* A verdict with the given path (certificate indexes) and identity. */
static tf_verdict path_of(int identity, unsigned n, ...)
{
	tf_verdict v;
	va_list ap;
	memset(&v, 0, sizeof v);
	v.identity = (int8_t)identity;
	v.path_len = (uint8_t)n;
	va_start(ap, n);
	for (unsigned i = 0; i < n; i++)
		v.path[i] = (uint8_t)va_arg(ap, unsigned);
	va_end(ap);
	return v;
}

/* Path features from hand-made verdicts: each certificate fact counts only
 * when a certificate on one of the two paths has it. */
static void test_path_features(void **state)
{
	(void)state;
	tf_scenario s;
	kb_scenario(&s); /* R=0, I=1 (in Root), L=2 */
	unsigned m = sb_cert(&s, "M", "Other", "Issuing CA", 3, 1); /* 3, issued by I */
	sb_identity(&s, m, 0);
	const uint32_t T = TF_FEAT_TRIGGER;
	tf_verdict lr = path_of(0, 2, 2u, 0u), mi = path_of(1, 2, 3u, 1u), mir = path_of(0, 3, 3u, 1u, 0u);
	assert_int_equal(tf_diff_pair_features(&s, NULL, NULL), T);
	/* L > R ends at a self-signed anchor: nothing. */
	assert_int_equal(tf_diff_pair_features(&s, &lr, NULL), T);
	/* M > I: I is in Root and not self-signed, at the end or in the middle;
	 * identity 1 presented. */
	assert_int_equal(tf_diff_pair_features(&s, NULL, &mi),
			 T | TF_FEAT_NSS_ANCHOR_ON_PATH | TF_FEAT_MULTI_IDENTITY);
	assert_int_equal(tf_diff_pair_features(&s, &mir, &lr), T | TF_FEAT_NSS_ANCHOR_ON_PATH);
	/* I out of Root: no longer anyone's anchor, and no trigger. */
	s.stores[TF_STORE_ROOT].n = 1;
	assert_int_equal(tf_diff_pair_features(&s, &mir, NULL), 0);
	/* Validity on the path; notAfter exactly now is an edge, not expiry. */
	sb_expired(&s, 1);
	assert_int_equal(tf_diff_pair_features(&s, &mir, NULL), TF_FEAT_EXPIRED_ON_PATH);
	sb_not_yet_valid(&s, 1);
	assert_int_equal(tf_diff_pair_features(&s, &mir, NULL), TF_FEAT_EXPIRED_ON_PATH);
	assert_int_equal(tf_diff_pair_features(&s, &lr, NULL), 0); /* off the path */
	s.certs[1].not_before = -TF_DAY, s.certs[1].not_after = 0;
	assert_int_equal(tf_diff_pair_features(&s, &mir, NULL), TF_FEAT_VALIDITY_EDGE);
	s.certs[1].not_after = TF_DAY;
	/* Strict profile (serial 0), corrupt signature, key ids. */
	s.certs[2].serial = 0;
	assert_int_equal(tf_diff_pair_features(&s, &lr, NULL), TF_FEAT_PROFILE_ISSUE);
	s.certs[2].serial = 3;
	s.certs[2].corrupt_sig = true;
	assert_int_equal(tf_diff_pair_features(&s, &lr, NULL), TF_FEAT_BAD_SIGNATURE);
	s.certs[2].corrupt_sig = false;
	s.certs[0].ski = TF_KID_MISMATCH;
	assert_int_equal(tf_diff_pair_features(&s, &lr, NULL), TF_FEAT_KEY_ID);
	s.certs[0].ski = TF_KID_MATCH;
	/* Usage: leaf keyUsage without a signing bit; anyEKU alone on the
	 * leaf; a CA with an EKU that lacks clientAuth. A leaf EKU lacking
	 * clientAuth is spec s.4's own rule, not this feature. */
	s.certs[2].ku_present = true, s.certs[2].ku = TF_KU_KEY_ENCIPHERMENT;
	assert_int_equal(tf_diff_pair_features(&s, &lr, NULL), TF_FEAT_USAGE);
	s.certs[2].ku = TF_KU_KEY_AGREEMENT;
	assert_int_equal(tf_diff_pair_features(&s, &lr, NULL), 0);
	s.certs[2].eku_present = true, s.certs[2].eku = TF_EKU_ANY;
	assert_int_equal(tf_diff_pair_features(&s, &lr, NULL), TF_FEAT_USAGE);
	s.certs[2].eku = TF_EKU_SERVER_AUTH;
	assert_int_equal(tf_diff_pair_features(&s, &lr, NULL), 0);
	s.certs[0].eku_present = true, s.certs[0].eku = TF_EKU_SERVER_AUTH;
	assert_int_equal(tf_diff_pair_features(&s, &lr, NULL), TF_FEAT_USAGE);
	s.certs[0].eku = TF_EKU_CLIENT_AUTH | TF_EKU_SERVER_AUTH;
	assert_int_equal(tf_diff_pair_features(&s, &lr, NULL), 0);
	/* An anchor that is no CA by its own extensions, at the end only. */
	s.certs[0].bc = TF_BC_CA_FALSE;
	assert_int_equal(tf_diff_pair_features(&s, &lr, NULL), TF_FEAT_ANCHOR_NOT_CA);
	s.certs[0].bc = TF_BC_CA_TRUE;
	s.certs[0].ku_present = true, s.certs[0].ku = TF_KU_CRL_SIGN;
	assert_int_equal(tf_diff_pair_features(&s, &lr, NULL), TF_FEAT_ANCHOR_NOT_CA);
	tf_verdict l = path_of(0, 1, 2u);
	assert_int_equal(tf_diff_pair_features(&s, &l, NULL), 0);
	/* Collisions and cross-signs count when they touch a path. */
	unsigned c = sb_ca(&s, "R'", "Root CA", "Root CA", 7, 7); /* R's name, another key */
	assert_int_equal(tf_diff_pair_features(&s, &l, NULL), 0);
	assert_int_equal(tf_diff_pair_features(&s, &lr, NULL),
			 TF_FEAT_ANCHOR_NOT_CA | TF_FEAT_NAME_COLLISION);
	s.certs[c].key = 0, s.certs[c].issuer = sb_name(&s, "Bridge");
	assert_int_equal(tf_diff_pair_features(&s, &lr, NULL),
			 TF_FEAT_ANCHOR_NOT_CA | TF_FEAT_CROSS_SIGN);

	/* The run form unites the paths of every instance that judged. */
	tf_run run;
	memset(&run, 0, sizeof run);
	run.n = 2;
	run.v[0] = l;
	run.v[1] = lr;
	run.rc[1] = TF_ERR_BACKEND;
	assert_int_equal(tf_diff_features(&s, &run), 0);
	run.rc[1] = TF_OK;
	assert_int_equal(tf_diff_features(&s, &run), TF_FEAT_ANCHOR_NOT_CA | TF_FEAT_CROSS_SIGN);
	assert_int_equal(tf_diff_features(&s, NULL), 0);
}

/* Scenario features, one setting at a time. */
static void test_scenario_features(void **state)
{
	(void)state;
	tf_scenario s;
	plain_scenario(&s); /* R=0, L=1 */
	assert_int_equal(tf_diff_features(&s, NULL), 0);
	s.server.send_issuer_list = true;
	assert_int_equal(tf_diff_features(&s, NULL), TF_FEAT_ISSUER_LIST);
	s.server.send_issuer_list = false;
	s.server.trust_mode = 1;
	assert_int_equal(tf_diff_features(&s, NULL), TF_FEAT_MODE1);
	s.server.trust_mode = 2;
	assert_int_equal(tf_diff_features(&s, NULL), TF_FEAT_MODE2);
	s.server.trust_mode = 0;
	/* "CN=Root CA" is 2 + 20 bytes as a CertificateRequest entry. */
	s.server.issuer_list_limit = 21;
	assert_int_equal(tf_diff_features(&s, NULL), TF_FEAT_LIST_TRUNCATED);
	s.server.issuer_list_limit = 22;
	assert_int_equal(tf_diff_features(&s, NULL), 0);
	s.server.issuer_list_limit = TF_DEFAULT_ISSUER_LIST_LIMIT;
	/* The trigger reads the source store: Client Authentication Issuers
	 * once it holds a certificate, else Root. */
	sb_store(&s, TF_STORE_CAI, 1);
	assert_int_equal(tf_diff_features(&s, NULL), TF_FEAT_CAI_STORE | TF_FEAT_TRIGGER);
	s.stores[TF_STORE_CAI].cert[0] = 0;
	assert_int_equal(tf_diff_features(&s, NULL), TF_FEAT_CAI_STORE);
	sb_store(&s, TF_STORE_ROOT, 1); /* Root is not the source now */
	assert_int_equal(tf_diff_features(&s, NULL), TF_FEAT_CAI_STORE);
	s.stores[TF_STORE_CAI].n = 0;
	assert_int_equal(tf_diff_features(&s, NULL), TF_FEAT_TRIGGER);
	/* Self-issued but signed by another key, or corrupt: the trigger by
	 * signature, which the feature includes. */
	s.stores[TF_STORE_ROOT].n = 1;
	s.certs[0].signing_key = 5;
	assert_int_equal(tf_diff_features(&s, NULL), TF_FEAT_TRIGGER);
	s.certs[0].signing_key = 0;
	s.certs[0].corrupt_sig = true;
	assert_int_equal(tf_diff_features(&s, NULL), TF_FEAT_TRIGGER);
	/* Certificate facts off every path are no features. */
	s.certs[0].corrupt_sig = false;
	s.certs[1].corrupt_sig = true;
	s.identities[0].leaf = 0;
	sb_root(&s, "R2", "Root CA", 5);
	assert_int_equal(tf_diff_features(&s, NULL), 0);
}

static void test_signature_find(void **state)
{
	(void)state;
	tf_signature sigs[2];
	memset(sigs, 0, sizeof sigs);
	snprintf(sigs[0].text, sizeof sigs[0].text, "a~b:200/403.16:-");
	snprintf(sigs[0].id, sizeof sigs[0].id, "0123456789abcdef");
	snprintf(sigs[1].text, sizeof sigs[1].text, "a~c:200/403.7:-");
	snprintf(sigs[1].id, sizeof sigs[1].id, "fedcba9876543210");
	assert_ptr_equal(tf_signature_find(sigs, 2, "a~c:200/403.7:-"), &sigs[1]);
	assert_ptr_equal(tf_signature_find(sigs, 2, "0123456789abcdef"), &sigs[0]);
	assert_null(tf_signature_find(sigs, 2, "a~c:200/403.16:-"));
	assert_null(tf_signature_find(sigs, 0, "0123456789abcdef"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feature_names),	  cmocka_unit_test(test_kb_signature_text),
		cmocka_unit_test(test_signatures_stable), cmocka_unit_test(test_no_divergence),
		cmocka_unit_test(test_failures_and_max),  cmocka_unit_test(test_path_features),
		cmocka_unit_test(test_scenario_features), cmocka_unit_test(test_signature_find),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
