/*
 * tests/test_backend_audit.c — the store audit (audit.h): each kind of
 * finding with its severity, the trigger test knob, a clean store, and the
 * trusted issuer list and its cut, checked against the evaluators' own
 * tf_issuer_list_trusted / tf_issuer_list_truncate on the same certificates
 * imported as a scenario.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "import_util.h"
#include "trustfuzz/audit.h"
#include "trustfuzz/evaluator.h"

static X509 *make(const char *subject, const char *issuer, EVP_PKEY *key, EVP_PKEY *signer,
		  int64_t nb, int64_t na)
{
	iu_spec sp = {.subject = subject, .issuer = issuer, .key = key, .signer = signer,
		      .nb = nb, .na = na, .ext = {"basicConstraints=critical,CA:TRUE"}};
	return iu_cert(&sp);
}

/* The findings of kind k, counted; *sev gets the severity of the last. */
static unsigned count(const tf_audit_report *r, tf_audit_kind k, tf_audit_severity *sev)
{
	unsigned n = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].kind == k) {
			n++;
			if (sev)
				*sev = r->findings[i].severity;
		}
	return n;
}

static void test_findings(void **state)
{
	(void)state;
	EVP_PKEY *kr = iu_key(), *ki = iu_key(), *kx = iu_key(), *ke = iu_key(), *ks = iu_key();
	X509 *r = make("/CN=Root", "/CN=Root", kr, NULL, 0, 0);
	X509 *i = make("/CN=Inter", "/CN=Root", ki, kr, 0, 0);
	X509 *x = make("/CN=Cross", "/CN=Cross", kx, kr, 0, 0); /* self-issued, signed by kr */
	X509 *e = make("/CN=Old", "/CN=Old", ke, NULL, -730 * TF_DAY, -1);
	X509 *s = make("/CN=root", "/CN=root", ks, NULL, 0, 0); /* same subject as Root */
	tf_import_list root = {0}, inter = {0};
	iu_push(&root, r, "r.pem");
	iu_push(&root, i, "i.pem");
	iu_push(&root, x, "x.pem");
	iu_push(&root, e, "e.pem");
	iu_push(&root, r, "r-again.pem");
	iu_push(&root, s, "s.pem");
	iu_push(&inter, i, "i.pem");
	tf_audit_opts o = {.time = IU_T0, .limit = TF_DEFAULT_ISSUER_LIST_LIMIT};
	tf_audit_report rep;
	tf_error err = {0};
	tf_audit_severity sev = TF_AUDIT_INFO;

	assert_int_equal(tf_audit_run(&root, &inter, NULL, &o, &rep, &err), TF_OK);
	assert_true(rep.trigger);
	assert_int_equal(count(&rep, TF_AUDIT_NOT_SELF_ISSUED, &sev), 1);
	assert_int_equal(sev, TF_AUDIT_TRIGGER);
	const tf_audit_finding *f = &rep.findings[0];
	assert_string_equal(f->origin, "i.pem");
	assert_string_equal(f->subject, "CN=Inter");
	assert_string_equal(f->what, "in Root but not self-issued (issuer CN=Root)");
	assert_int_equal(strlen(f->thumbprint), 40);
	assert_non_null(strstr(f->windows, "403.16"));
	assert_non_null(strstr(f->fix, "Intermediate Certification Authorities"));
	assert_non_null(strstr(f->fix, "ClientAuthTrustMode=2"));
	assert_int_equal(count(&rep, TF_AUDIT_NOT_SELF_SIGNED, &sev), 1);
	assert_int_equal(sev, TF_AUDIT_WARNING);
	assert_int_equal(count(&rep, TF_AUDIT_EXPIRED, &sev), 1);
	assert_int_equal(count(&rep, TF_AUDIT_DUPLICATE, &sev), 1);
	assert_int_equal(count(&rep, TF_AUDIT_SAME_SUBJECT, &sev), 1);
	assert_int_equal(sev, TF_AUDIT_INFO);
	assert_int_equal(count(&rep, TF_AUDIT_LIST_OVER_LIMIT, NULL), 0);
	assert_int_equal(count(&rep, TF_AUDIT_CAI_OVERRIDES, NULL), 0);
	assert_int_equal(rep.source, TF_STORE_ROOT);
	assert_int_equal(rep.nentries, 5); /* the duplicate counts once */
	tf_audit_report_free(&rep);

	/* Signature-based trigger test: the cross-certificate is a trigger. */
	o.trigger_signature = true;
	assert_int_equal(tf_audit_run(&root, &inter, NULL, &o, &rep, &err), TF_OK);
	assert_int_equal(count(&rep, TF_AUDIT_NOT_SELF_SIGNED, &sev), 1);
	assert_int_equal(sev, TF_AUDIT_TRIGGER);
	tf_audit_report_free(&rep);

	/* Clean: self-signed roots only. */
	tf_import_list clean = {0};
	iu_push(&clean, r, "r.pem");
	iu_push(&clean, s, "s.pem");
	o.trigger_signature = false;
	assert_int_equal(tf_audit_run(&clean, NULL, NULL, &o, &rep, &err), TF_OK);
	assert_false(rep.trigger);
	assert_int_equal(rep.nfindings, 1); /* same-subject, an info */
	tf_audit_report_free(&rep);

	/* Client Authentication Issuers mixing both kinds: the source, and a
	 * trigger; and it overrides Root. */
	tf_import_list cai = {0};
	iu_push(&cai, r, "r.pem");
	iu_push(&cai, i, "i.pem");
	assert_int_equal(tf_audit_run(&clean, NULL, &cai, &o, &rep, &err), TF_OK);
	assert_true(rep.trigger);
	assert_int_equal(rep.source, TF_STORE_CAI);
	assert_int_equal(count(&rep, TF_AUDIT_MIXED_SOURCE, &sev), 1);
	assert_int_equal(sev, TF_AUDIT_TRIGGER);
	assert_int_equal(count(&rep, TF_AUDIT_CAI_OVERRIDES, &sev), 1);
	assert_int_equal(rep.nentries, 2);
	tf_audit_report_free(&rep);

	/* An intermediate in Root while Client Authentication Issuers (roots
	 * only) is the source: Root's mix shapes no list, a warning that says
	 * when it would become the trigger; so is the cross-certificate under
	 * the signature test. */
	tf_import_list roots_only = {0};
	iu_push(&roots_only, r, "r.pem");
	o.trigger_signature = true;
	assert_int_equal(tf_audit_run(&root, &inter, &roots_only, &o, &rep, &err), TF_OK);
	assert_false(rep.trigger);
	assert_int_equal(rep.source, TF_STORE_CAI);
	assert_int_equal(count(&rep, TF_AUDIT_NOT_SELF_ISSUED, &sev), 1);
	assert_int_equal(sev, TF_AUDIT_WARNING);
	assert_non_null(strstr(rep.findings[0].windows, "not a trigger now"));
	assert_int_equal(count(&rep, TF_AUDIT_NOT_SELF_SIGNED, &sev), 1);
	assert_int_equal(sev, TF_AUDIT_WARNING);
	assert_int_equal(count(&rep, TF_AUDIT_MIXED_SOURCE, NULL), 0);
	tf_audit_report_free(&rep);
	tf_import_list_free(&roots_only);
	o.trigger_signature = false;

	tf_import_list_free(&root);
	tf_import_list_free(&inter);
	tf_import_list_free(&clean);
	tf_import_list_free(&cai);
	X509 *all[] = {r, i, x, e, s};
	EVP_PKEY *ks_[] = {kr, ki, kx, ke, ks};
	for (unsigned j = 0; j < 5; j++) {
		X509_free(all[j]);
		EVP_PKEY_free(ks_[j]);
	}
}

/* The issuer list and its cut agree with the evaluators' functions on the
 * same certificates, for every limit around the entry boundaries. */
static void test_issuer_list_matches_evaluators(void **state)
{
	(void)state;
	EVP_PKEY *k = iu_key();
	tf_import_list roots = {0};
	X509 *leaf = make("/CN=client", "/CN=R0", k, NULL, 0, 0);
	for (unsigned n = 0; n < 20; n++) {
		char dn[200];
		/* Names of growing length, so that entries differ in size. */
		snprintf(dn, sizeof dn, "/O=Org %u/OU=%.*s/CN=R%u", n, (int)(n * 3 + 1),
			 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
			 n);
		X509 *r = make(dn, dn, k, NULL, 0, 0);
		iu_push(&roots, r, dn);
		X509_free(r);
	}
	tf_import_spec sp;
	tf_scenario s;
	tf_error err = {0};
	tf_import_spec_init(&sp);
	iu_push(&sp.role[TF_IMPORT_LEAF], leaf, "leaf.pem");
	for (size_t i = 0; i < roots.n; i++) {
		tf_der *d = &roots.v[i].der;
		const unsigned char *p = d->data;
		X509 *r = d2i_X509(NULL, &p, (long)d->len);
		iu_push(&sp.role[TF_IMPORT_ROOT], r, roots.v[i].origin);
		X509_free(r);
	}
	sp.server.validation_time = IU_T0;
	assert_int_equal(tf_import_scenario(&sp, &s, &err), TF_OK);
	tf_issuer_list full;
	tf_issuer_list_trusted(&s, &full);
	for (uint32_t limit = 0; limit <= full.bytes + 1; limit += 7) {
		tf_audit_opts o = {.time = IU_T0, .limit = limit};
		tf_audit_report rep;
		tf_issuer_list cut = full;
		tf_issuer_list_truncate(&s, &cut, limit);
		assert_int_equal(tf_audit_run(&roots, NULL, NULL, &o, &rep, &err), TF_OK);
		assert_int_equal(rep.bytes, full.bytes);
		assert_int_equal(rep.nentries, full.ntotal);
		assert_int_equal(rep.nkept, cut.n);
		assert_int_equal(rep.kept_bytes, cut.bytes);
		assert_int_equal(rep.trigger, cut.n < full.n);
		assert_int_equal(count(&rep, TF_AUDIT_LIST_OVER_LIMIT, NULL), cut.n < full.n);
		for (size_t i = 0; i < rep.nentries; i++)
			assert_int_equal(rep.entries[i].bytes, tf_issuer_entry_size(&s, full.cert[i]));
		tf_audit_report_free(&rep);
	}
	tf_scenario_free(&s);
	tf_import_spec_free(&sp);
	tf_import_list_free(&roots);
	X509_free(leaf);
	EVP_PKEY_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_issuer_list_matches_evaluators),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
