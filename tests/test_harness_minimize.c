/* Unit tests for the minimizer (harness/minimize*.c) and the finding
 * fixture (harness/finding.c): shrinking a padded KB scenario, keeping the
 * signature, determinism, bounds, and the byte-level passes. */
#include "eval_builder.h"

#include <stdlib.h>

#include "trustfuzz/finding.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/gen.h"
#include "trustfuzz/minimize.h"

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

/* KB 2802568 row 1 (R issues L; Root = [R, I], I an intermediate of R)
 * padded with what has nothing to do with it: a second PKI with its own
 * identity, unrelated certificates, extra store entries, odd fields. */
static void padded_kb(tf_scenario *s)
{
	sb_init(s);
	unsigned r = sb_root(s, "Root", "Contoso Root", 0);
	unsigned i = sb_ca(s, "Sub", "Contoso Issuing", "Contoso Root", 1, 0);
	unsigned l = sb_cert(s, "Alice", "alice", "Contoso Root", 2, 0);
	s->certs[l].eku_present = true, s->certs[l].eku = TF_EKU_CLIENT_AUTH;
	s->certs[l].ku_present = true, s->certs[l].ku = TF_KU_DIGITAL_SIGNATURE;
	s->certs[l].ku_critical = true;
	s->certs[l].serial = 4242;
	unsigned r2 = sb_root(s, "Fab Root", "Fabrikam Root", 3);
	unsigned i2 = sb_ca(s, "Fab Sub", "Fabrikam Issuing", "Fabrikam Root", 4, 3);
	s->certs[i2].pathlen = 2;
	unsigned l2 = sb_cert(s, "Bob", "bob", "Fabrikam Issuing", 5, 4);
	unsigned x1 = sb_cert(s, "Stray 1", "stray one", "nobody", 6, 7);
	unsigned x2 = sb_ca(s, "Stray 2", "stray two", "stray two", 8, 8);
	sb_expired(s, x2);
	unsigned x3 = sb_cert(s, "Stray 3", "stray three", "stray two", 9, 8);
	s->certs[x3].version = 1;
	sb_store(s, TF_STORE_ROOT, r);
	sb_store(s, TF_STORE_ROOT, r2);
	sb_store(s, TF_STORE_ROOT, i);
	sb_store(s, TF_STORE_INTERMEDIATE, i2);
	sb_store(s, TF_STORE_INTERMEDIATE, x2);
	sb_store(s, TF_STORE_INTERMEDIATE, r);
	sb_identity(s, l, 2, x1, x3);
	sb_identity(s, l2, 1, i2);
	s->server.validation_time += 3600;
	s->knobs.max_depth = 6;
}

static const char *want_sig = "ref~kb:200/403.16:trigger";

static const tf_signature *find_sig(open_set *o, const tf_scenario *s, tf_signature *sigs,
				    unsigned max)
{
	tf_run run;
	tf_diff_run(o->inst, o->n, s, &run);
	unsigned n = tf_diff_signatures(o->inst, &run, s, TF_DEPTH_STATUS, sigs, max);
	return tf_signature_find(sigs, n < max ? n : max, want_sig);
}

static void test_padded_kb_shrinks(void **state)
{
	(void)state;
	tf_scenario s, out;
	tf_signature sigs[8];
	tf_min_stats st;
	tf_error err = {0};
	open_set o;
	open_list(&o, "ref,kb");
	padded_kb(&s);
	assert_int_equal(tf_scenario_validate(&s, &err), TF_OK);
	const tf_signature *sig = find_sig(&o, &s, sigs, 8);
	assert_non_null(sig);

	tf_min_sig_ctx ctx = {o.inst, o.n, TF_DEPTH_STATUS, sig};
	tf_min_opts opts = {.check = true};
	if (tf_minimize(&s, tf_min_keep_signature, &ctx, &opts, &out, &st, &err) != TF_OK)
		fail_msg("minimize: %s", err.msg);
	assert_int_equal(st.certs_before, 9);
	assert_int_equal(st.certs_after, out.ncerts);
	assert_true(out.ncerts <= 6);
	/* The bug needs a root, something non-self-issued in Root, and a leaf. */
	assert_true(out.ncerts >= 2);
	assert_int_equal(out.nidentities, 1);
	assert_false(st.hit_step_bound);
	assert_false(st.hit_time_bound);
	assert_true(st.accepted > 0 && st.accepted <= st.steps && st.rounds >= 2);
	assert_int_equal(tf_scenario_validate(&out, &err), TF_OK);
	/* Everything the bug does not need went back to its default. */
	assert_int_equal(out.server.validation_time, TF_DEFAULT_VALIDATION_TIME);
	assert_int_equal(out.knobs.max_depth, 0);
	assert_int_equal(out.stores[TF_STORE_INTERMEDIATE].n, 0);
	tf_signature again[8];
	assert_non_null(find_sig(&o, &out, again, 8));
	tf_scenario_free(&out);
	close_list(&o);
}

/* The same input twice gives the same fixture, byte for byte. */
static void test_finding_deterministic(void **state)
{
	(void)state;
	tf_scenario s;
	tf_signature sigs[8];
	char *json[2] = {NULL, NULL};
	size_t len[2] = {0, 0};
	tf_error err = {0};
	padded_kb(&s);
	for (int round = 0; round < 2; round++) {
		open_set o;
		tf_fixture *f = malloc(sizeof *f);
		assert_non_null(f);
		open_list(&o, "ref,kb");
		const tf_signature *sig = find_sig(&o, &s, sigs, 8);
		tf_finding_opts fo = {.depth = TF_DEPTH_STATUS, .profile = "kb", .has_seed = true,
				      .seed = 77};
		tf_finding_info info;
		if (tf_finding_fixture(o.inst, o.n, &s, sig, &fo, f, &info, &err) != TF_OK)
			fail_msg("finding: %s", err.msg);
		assert_int_equal(tf_fixture_to_json(f, &json[round], &len[round], &err), TF_OK);
		if (round == 0) {
			assert_null(info.known);
			assert_string_equal(f->why,
					    "ref says 200, kb says 403.16 (CERT_E_UNTRUSTEDROOT): "
					    "trigger (non-self-issued certificate among the trusted "
					    "issuers), issuer list off; new");
			assert_int_equal(f->ntags, 2);
			assert_string_equal(f->tags[0], "trigger");
			assert_string_equal(f->tags[1], "new");
			char id[32];
			snprintf(id, sizeof id, "div-%s", sig->id);
			assert_string_equal(f->id, id);
			assert_string_equal(f->prov.origin, "minimized");
			assert_string_equal(f->prov.tool, "trustfuzz " TF_VERSION_STRING);
			assert_string_equal(f->prov.profile, "kb");
			assert_true(f->prov.has_seed);
			assert_int_equal(f->prov.seed, 77);
			/* The input bytes are the original scenario, not the result. */
			tf_scenario back;
			tf_gen_from_bytes(&back, f->prov.input, f->prov.input_len);
			assert_true(tf_scenario_equal(&back, &s));
			/* Expectations say what each instance said, in full. */
			assert_int_equal(f->nexpect, 2);
			assert_string_equal(f->expect[0].evaluator, "ref");
			assert_int_equal(f->expect[0].e.v.status, TF_STATUS_200);
			assert_true(f->expect[0].e.has_win32 && f->expect[0].e.has_path &&
				    f->expect[0].e.has_identity);
			assert_string_equal(f->expect[1].evaluator, "kb");
			assert_int_equal(f->expect[1].e.v.status, TF_STATUS_403_16);
			assert_int_equal(f->expect[1].e.v.win32, TF_WIN32_CERT_E_UNTRUSTEDROOT);
		}
		tf_fixture_free(f);
		free(f);
		close_list(&o);
	}
	assert_int_equal(len[0], len[1]);
	assert_memory_equal(json[0], json[1], len[0]);
	free(json[0]);
	free(json[1]);
}

/* A known entry lands in the tags and the why; no_minimize keeps the input. */
static void test_finding_known_and_example(void **state)
{
	(void)state;
	tf_scenario s;
	tf_signature sigs[8];
	tf_error err = {0};
	tf_known_table *kt = calloc(1, sizeof *kt);
	tf_fixture *f = malloc(sizeof *f);
	open_set o;
	assert_non_null(kt);
	assert_non_null(f);
	kt->n = 1;
	snprintf(kt->e[0].id, sizeof kt->e[0].id, "the-kb-bug");
	snprintf(kt->e[0].pair_a, sizeof kt->e[0].pair_a, "kb");
	snprintf(kt->e[0].pair_b, sizeof kt->e[0].pair_b, "*");
	snprintf(kt->e[0].sa, sizeof kt->e[0].sa, "403.16");
	snprintf(kt->e[0].sb, sizeof kt->e[0].sb, "*");
	padded_kb(&s);
	open_list(&o, "ref,kb");
	const tf_signature *sig = find_sig(&o, &s, sigs, 8);
	tf_finding_opts fo = {.depth = TF_DEPTH_STATUS, .no_minimize = true, .known = kt};
	tf_finding_info info;
	assert_int_equal(tf_finding_fixture(o.inst, o.n, &s, sig, &fo, f, &info, &err), TF_OK);
	assert_ptr_equal(info.known, &kt->e[0]);
	assert_true(tf_scenario_equal(&f->scenario, &s));
	assert_string_equal(f->prov.origin, "example");
	assert_int_equal(info.stats.steps, 0);
	assert_string_equal(f->tags[f->ntags - 1], "known:the-kb-bug");
	assert_non_null(strstr(f->why, "; known: the-kb-bug"));
	tf_fixture_free(f);

	/* A scenario that does not show the signature is refused. */
	tf_scenario plain;
	sb_init(&plain);
	sb_store(&plain, TF_STORE_ROOT, sb_root(&plain, "R", "R", 0));
	sb_identity(&plain, sb_cert(&plain, "L", "L", "R", 1, 0), 0);
	assert_int_equal(tf_finding_fixture(o.inst, o.n, &plain, sig, &fo, f, NULL, &err),
			 TF_ERR_INVALID);
	fo.no_minimize = false;
	assert_int_equal(tf_finding_fixture(o.inst, o.n, &plain, sig, &fo, f, NULL, &err),
			 TF_ERR_INVALID);
	assert_string_equal(err.msg, "minimize: the input does not satisfy the predicate");
	close_list(&o);
	free(f);
	free(kt);
}

/* The step bound is the contract: at most max_steps predicate calls, and
 * the result still satisfies the predicate. */
static void test_step_bound(void **state)
{
	(void)state;
	tf_scenario s, out;
	tf_signature sigs[8];
	tf_min_stats st;
	tf_error err = {0};
	open_set o;
	open_list(&o, "ref,kb");
	padded_kb(&s);
	const tf_signature *sig = find_sig(&o, &s, sigs, 8);
	tf_min_sig_ctx ctx = {o.inst, o.n, TF_DEPTH_STATUS, sig};
	tf_min_opts opts = {.max_steps = 5};
	assert_int_equal(tf_minimize(&s, tf_min_keep_signature, &ctx, &opts, &out, &st, &err), TF_OK);
	assert_true(st.hit_step_bound);
	assert_int_equal(st.steps, 5);
	assert_true(out.ncerts < s.ncerts);
	assert_true(tf_min_keep_signature(&out, &ctx));
	tf_scenario_free(&out);
	close_list(&o);
}

/* Predicates the structural passes cannot satisfy by resetting: only the
 * byte-level passes lower a value to the edge where it still holds. */
static bool pathlen_at_least_3(const tf_scenario *s, void *ctx)
{
	(void)ctx;
	for (unsigned i = 0; i < s->ncerts; i++)
		if (s->certs[i].pathlen >= 3)
			return true;
	return false;
}

static void test_byte_passes_lower(void **state)
{
	(void)state;
	tf_scenario s, out;
	tf_min_stats st;
	tf_error err = {0};
	padded_kb(&s);
	s.certs[0].pathlen = 9;
	assert_int_equal(tf_minimize(&s, pathlen_at_least_3, NULL, NULL, &out, &st, &err), TF_OK);
	/* An identity needs its leaf: the root with the pathLen and one leaf. */
	assert_int_equal(out.ncerts, 2);
	assert_int_equal(out.certs[0].pathlen + out.certs[1].pathlen, 3 - 1);
	assert_int_equal(st.certs_after, 2);
	tf_scenario_free(&out);
}

typedef struct ref_status_ctx {
	tf_instance *ref;
	tf_status want;
} ref_status_ctx;

static bool ref_keeps_status(const tf_scenario *s, void *arg)
{
	ref_status_ctx *c = arg;
	tf_verdict v;
	tf_error err = {0};
	return tf_instance_eval(c->ref, s, &v, &err) == TF_OK && v.status == c->want;
}

static bool same_fields(const tf_cert *a, const tf_cert *b)
{
	return a->serial == b->serial && a->serial_long == b->serial_long &&
	       a->version == b->version && a->not_before == b->not_before &&
	       a->not_after == b->not_after && a->bc == b->bc && a->pathlen == b->pathlen &&
	       a->bc_critical == b->bc_critical && a->ku_present == b->ku_present && a->ku == b->ku &&
	       a->ku_critical == b->ku_critical && a->eku_present == b->eku_present &&
	       a->eku == b->eku && a->eku_critical == b->eku_critical && a->ski == b->ski &&
	       a->aki == b->aki && a->unknown_critical == b->unknown_critical &&
	       a->corrupt_sig == b->corrupt_sig;
}

static bool same_name_der(const tf_scenario *a, unsigned na, const tf_scenario *b, unsigned nb)
{
	const tf_name *x = &a->names[na], *y = &b->names[nb];
	if (!x->der || !y->der)
		return !x->der && !y->der && !strcmp(x->label, y->label);
	return x->der_len == y->der_len && !memcmp(x->der, y->der, x->der_len);
}

/* An imported certificate the minimizer changes loses its DER: what keeps
 * its DER is the very certificate it was (fields, subject and issuer). */
static void test_imported_der_dropped(void **state)
{
	(void)state;
	tf_fixture *f = malloc(sizeof *f);
	tf_scenario out;
	tf_min_stats st;
	tf_error err = {0};
	char path[4096];
	unsigned bound_in = 0, bound_out = 0;
	const char *src = getenv("TF_SRC");
	open_set o;
	assert_non_null(f);
	snprintf(path, sizeof path, "%s/corpus/fixtures/imported/valid-chain.json", src ? src : ".");
	tf_fixture_init(f);
	if (tf_fixture_read(path, f, &err) != TF_OK)
		fail_msg("%s", err.msg);
	const tf_scenario *in = &f->scenario;
	open_list(&o, "ref");
	ref_status_ctx ctx = {&o.inst[0], TF_STATUS_200};
	assert_true(ref_keeps_status(in, &ctx));
	tf_min_opts opts = {.check = true};
	if (tf_minimize(in, ref_keeps_status, &ctx, &opts, &out, &st, &err) != TF_OK)
		fail_msg("minimize: %s", err.msg);
	assert_true(ref_keeps_status(&out, &ctx));
	for (unsigned i = 0; i < in->ncerts; i++)
		bound_in += in->certs[i].der != NULL;
	for (unsigned i = 0; i < out.ncerts; i++) {
		const tf_cert *c = &out.certs[i];
		if (!c->der)
			continue;
		bound_out++;
		bool found = false;
		for (unsigned k = 0; k < in->ncerts && !found; k++) {
			const tf_cert *d = &in->certs[k];
			found = d->der && d->der_len == c->der_len &&
				!memcmp(d->der, c->der, c->der_len) && same_fields(c, d) &&
				same_name_der(&out, c->subject, in, d->subject) &&
				same_name_der(&out, c->issuer, in, d->issuer);
		}
		if (!found)
			fail_msg("certs[%u] (%s) keeps DER its fields no longer describe", i, c->id);
	}
	assert_true(bound_in > 0);
	/* The minimizer did change (and so unbind) some certificate. */
	assert_true(st.accepted > 0);
	assert_true(bound_out < out.ncerts || out.ncerts < in->ncerts);
	tf_scenario_free(&out);
	tf_fixture_free(f);
	free(f);
	close_list(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_padded_kb_shrinks),
		cmocka_unit_test(test_finding_deterministic),
		cmocka_unit_test(test_finding_known_and_example),
		cmocka_unit_test(test_step_bound),
		cmocka_unit_test(test_byte_passes_lower),
		cmocka_unit_test(test_imported_der_dropped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
