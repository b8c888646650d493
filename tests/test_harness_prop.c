/*
 * tests/test_harness_prop.c — the property runner and the preconditions of
 * docs/properties.md: each precondition that excludes a case is shown to be
 * needed by a scenario where the property's statement really is false, and
 * the check is shown to skip (not pass, not fail) that scenario.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../harness/prop_internal.h"
#include "eval_builder.h"
#include "trustfuzz/diff.h"
#include "trustfuzz/fixture.h"

/* Opens the instances of `list` into env. */
static void env_open(tf_prop_env *env, const char *list)
{
	tf_error err = {0};
	memset(env, 0, sizeof *env);
	if (tf_instances_parse(env->inst, TF_PROP_MAX_INST, &env->n, list, &err) != TF_OK)
		fail_msg("%s", err.msg);
	for (unsigned i = 0; i < env->n; i++)
		if (tf_instance_open(&env->inst[i], &err) != TF_OK)
			fail_msg("%s", err.msg);
}

static void env_close(tf_prop_env *env)
{
	for (unsigned i = 0; i < env->n; i++)
		tf_instance_close(&env->inst[i]);
}

static tf_prop_outcome check(const char *prop, const char *list, const tf_scenario *s)
{
	const tf_property *p = tf_property_find(prop);
	tf_prop_env env;
	tf_prop_outcome oc = TF_PROP_FAIL;
	tf_error err = {0};
	assert_non_null(p);
	env_open(&env, list);
	if (p->check(&env, s, 0, &oc, NULL, &err) != TF_OK)
		fail_msg("%s: %s", prop, err.msg);
	env_close(&env);
	return oc;
}

static tf_verdict eval(const char *spec, const tf_scenario *s)
{
	tf_instance in;
	tf_verdict v;
	tf_error err = {0};
	memset(&v, 0, sizeof v);
	if (tf_instance_parse(&in, spec, &err) != TF_OK || tf_instance_open(&in, &err) != TF_OK ||
	    tf_instance_eval(&in, s, &v, &err) != TF_OK)
		fail_msg("%s: %s", spec, err.msg);
	tf_instance_close(&in);
	return v;
}

/* Under kb.trigger=signature, corrupting the self-signed root of a mixed
 * Root un-mixes it: the KB model goes from 403.16 to 200. The monotonicity
 * property excludes exactly that mutation, and still holds on the rest. */
static void test_monotonicity_exception(void **state)
{
	tf_scenario s, t;
	(void)state;
	sb_init(&s);
	unsigned r0 = sb_root(&s, "R0", "Root A", 0);
	unsigned x1 = sb_ca(&s, "X1", "Intermediate X", "Root A", 1, 0);
	unsigned l2 = sb_cert(&s, "L2", "Client", "Root A", 2, 0);
	sb_store(&s, TF_STORE_ROOT, r0);
	sb_store(&s, TF_STORE_ROOT, x1);
	sb_identity(&s, l2, 0);
	s.knobs.kb_trigger = TF_KB_TRIGGER_SIGNATURE;
	t = s;
	t.certs[r0].corrupt_sig = true;
	tf_verdict before = eval("kb", &s), after = eval("kb", &t);
	sb_assert(&s, &before, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, "L2 > R0");
	sb_assert(&t, &after, TF_STATUS_200, TF_WIN32_OK, "L2 > R0");
	assert_int_equal(check("monotonicity", "ref,kb", &s), TF_PROP_PASS);
	/* By name, R0 stays self-issued: the store stays mixed, no 200. */
	s.knobs.kb_trigger = t.knobs.kb_trigger = TF_KB_TRIGGER_NAME;
	after = eval("kb", &t);
	assert_int_equal(after.status, TF_STATUS_403_16);
}

/* A root added to an empty Root, with the list sent, turns "no list: the
 * first identity is offered" into a list no identity matches. */
static void test_irrelevant_roots_exception(void **state)
{
	tf_scenario s, t;
	(void)state;
	sb_init(&s);
	unsigned r0 = sb_root(&s, "R0", "Root A", 0);
	unsigned l1 = sb_cert(&s, "L1", "Client", "Root A", 1, 0);
	sb_store(&s, TF_STORE_INTERMEDIATE, r0);
	sb_identity(&s, l1, 0);
	s.server.send_issuer_list = true;
	s.nkeys = 6; /* room in the key table: the property adds a key */
	t = s;
	sb_store(&t, TF_STORE_ROOT, sb_root(&t, "U", "Unrelated", 5));
	tf_verdict v0 = eval("ref", &s), v1 = eval("ref", &t);
	sb_assert(&s, &v0, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, "L1 > R0");
	sb_assert(&t, &v1, TF_STATUS_403_7, TF_WIN32_OK, "-");
	assert_int_equal(check("irrelevant-roots", "ref", &s), TF_PROP_SKIP);
	/* With a non-empty Root the same addition changes nothing. */
	sb_store(&s, TF_STORE_ROOT, r0);
	assert_int_equal(check("irrelevant-roots", "ref", &s), TF_PROP_PASS);
}

/* Past the limit, the new root put first pushes the client's root out of
 * the list sent: 200 becomes 403.7. The property skips a list that does not
 * fit with the new root, and claims the same scenario under a roomy limit. */
static void test_irrelevant_roots_limit_exception(void **state)
{
	tf_scenario s, t;
	(void)state;
	sb_init(&s);
	unsigned r0 = sb_root(&s, "R0", "Root A", 0);
	unsigned l1 = sb_cert(&s, "L1", "Client", "Root A", 1, 0);
	sb_store(&s, TF_STORE_ROOT, r0);
	sb_identity(&s, l1, 0);
	s.server.send_issuer_list = true;
	s.nkeys = 6; /* room in the key table: the property adds a key */
	t = s;
	/* What the property adds (position 0 for aux 0), by hand. */
	unsigned u = sb_root(&t, "U", "Unrelated Root", 5);
	t.stores[TF_STORE_ROOT].cert[0] = (uint8_t)u;
	t.stores[TF_STORE_ROOT].cert[1] = (uint8_t)r0;
	t.stores[TF_STORE_ROOT].n = 2;
	s.server.issuer_list_limit = t.server.issuer_list_limit =
		(uint32_t)(tf_issuer_entry_size(&t, u) + tf_issuer_entry_size(&t, r0) - 1);
	tf_verdict v0 = eval("ref", &s), v1 = eval("ref", &t);
	sb_assert(&s, &v0, TF_STATUS_200, TF_WIN32_OK, "L1 > R0");
	sb_assert(&t, &v1, TF_STATUS_403_7, TF_WIN32_OK, "-");
	assert_int_equal(check("irrelevant-roots", "ref", &s), TF_PROP_SKIP);
	s.server.issuer_list_limit = TF_DEFAULT_ISSUER_LIST_LIMIT;
	assert_int_equal(check("irrelevant-roots", "ref", &s), TF_PROP_PASS);
}

/* A list cut at its limit keeps a prefix of Root: the order picks which
 * root's name is sent, and so whether the client offers its certificate.
 * The property skips every reordering that changes the names sent (here:
 * the swap, which every trial tries first as "every store reversed") and
 * claims the others, so it does not fail on this scenario. */
static void test_store_order_exception(void **state)
{
	tf_scenario s, t;
	(void)state;
	sb_init(&s);
	unsigned r1 = sb_root(&s, "R1", "Alpha Root", 1);
	unsigned r2 = sb_root(&s, "R2", "Beta Root", 2);
	unsigned l3 = sb_cert(&s, "L3", "Client", "Beta Root", 3, 2);
	sb_store(&s, TF_STORE_ROOT, r1);
	sb_store(&s, TF_STORE_ROOT, r2);
	sb_identity(&s, l3, 0);
	s.server.send_issuer_list = true;
	s.server.issuer_list_limit = (uint32_t)tf_issuer_entry_size(&s, r1) + 1;
	t = s;
	t.stores[TF_STORE_ROOT].cert[0] = (uint8_t)r2;
	t.stores[TF_STORE_ROOT].cert[1] = (uint8_t)r1;
	tf_verdict v0 = eval("ref", &s), v1 = eval("ref", &t);
	assert_int_equal(v0.status, TF_STATUS_403_7);
	sb_assert(&t, &v1, TF_STATUS_200, TF_WIN32_OK, "L3 > R2");
	assert_int_not_equal(check("store-order", "ref", &s), TF_PROP_FAIL);
	assert_int_not_equal(check("store-order", "ref", &t), TF_PROP_FAIL);
	s.server.issuer_list_limit = TF_DEFAULT_ISSUER_LIST_LIMIT;
	assert_int_equal(check("store-order", "ref", &s), TF_PROP_PASS);
}

/* Under Client Authentication Issuers, Root's contents do not decide the
 * trigger: a Root of self-issued roots with a mixed CAI store is the bug. */
static void test_no_trigger_reads_the_source_store(void **state)
{
	tf_scenario s;
	(void)state;
	sb_init(&s);
	unsigned r0 = sb_root(&s, "R0", "Root A", 0);
	unsigned x1 = sb_ca(&s, "X1", "Intermediate X", "Root A", 1, 0);
	unsigned l2 = sb_cert(&s, "L2", "Client", "Root A", 2, 0);
	sb_store(&s, TF_STORE_ROOT, r0);
	sb_store(&s, TF_STORE_CAI, r0);
	sb_store(&s, TF_STORE_CAI, x1);
	sb_identity(&s, l2, 0);
	tf_verdict vr = eval("ref", &s), vk = eval("kb", &s);
	assert_int_equal(vr.status, TF_STATUS_200);
	assert_int_equal(vk.status, TF_STATUS_403_16);
	assert_int_equal(check("no-trigger-no-bug", "ref,kb", &s), TF_PROP_SKIP);
	s.stores[TF_STORE_CAI].n = 1;
	assert_int_equal(check("no-trigger-no-bug", "ref,kb", &s), TF_PROP_PASS);
}

/* Two certificates with one subject and key (a re-issue, R0 without
 * basicConstraints, R1 a CA) in the anchor set, the client presenting R1:
 * the reference trusts R1; OpenSSL looks R1's subject up in its trust store,
 * meets R0 first and reports a self-signed leaf (error 18), and accepts
 * once R1 comes first. The openssl-agreement property skips such twins. */
static void test_openssl_agreement_twin_exception(void **state)
{
	tf_scenario s;
	(void)state;
	sb_init(&s);
	unsigned r1 = sb_root(&s, "R1", "Root A", 0);
	unsigned r0 = sb_cert(&s, "R0", "Root A", "Root A", 0, 0);
	sb_store(&s, TF_STORE_CAI, r0);
	sb_store(&s, TF_STORE_CAI, r1);
	sb_identity(&s, r1, 0);
	s.server.trust_mode = 1;
	tf_verdict vr = eval("ref", &s), vo = eval("openssl+mode=verify", &s);
	sb_assert(&s, &vr, TF_STATUS_200, TF_WIN32_OK, "R1");
	assert_int_equal(vo.status, TF_STATUS_403_16);
	assert_non_null(strstr(vo.reason, "X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT"));
	assert_int_equal(check("openssl-agreement", "ref,openssl+mode=verify", &s), TF_PROP_SKIP);
	s.stores[TF_STORE_CAI].cert[0] = (uint8_t)r1;
	s.stores[TF_STORE_CAI].cert[1] = (uint8_t)r0;
	vo = eval("openssl+mode=verify", &s);
	assert_int_equal(vo.status, TF_STATUS_200);
	/* Without the twin the property claims the scenario, and it holds. */
	s.ncerts = 1;
	s.stores[TF_STORE_CAI].n = 1;
	assert_int_equal(check("openssl-agreement", "ref,openssl+mode=verify", &s), TF_PROP_PASS);
}

/* The workaround on Root cannot reach a mixed Client Authentication
 * Issuers store (the list's source): after it the KB model still says
 * 403.16 where the reference says 200, and the property skips the case; a
 * Client Authentication Issuers store of roots only is claimed. */
static void test_workaround_cai_exception(void **state)
{
	tf_scenario s, t;
	(void)state;
	sb_init(&s);
	unsigned r0 = sb_root(&s, "R0", "Root A", 0);
	unsigned x1 = sb_ca(&s, "X1", "Intermediate X", "Root A", 1, 0);
	unsigned l2 = sb_cert(&s, "L2", "Client", "Root A", 2, 0);
	sb_store(&s, TF_STORE_ROOT, r0);
	sb_store(&s, TF_STORE_ROOT, x1);
	sb_store(&s, TF_STORE_CAI, r0);
	sb_store(&s, TF_STORE_CAI, x1);
	sb_identity(&s, l2, 0);
	t = s; /* the workaround applied by hand */
	t.stores[TF_STORE_ROOT].n = 1;
	sb_store(&t, TF_STORE_INTERMEDIATE, x1);
	tf_verdict vr = eval("ref", &t), vk = eval("kb", &t);
	assert_int_equal(vr.status, TF_STATUS_200);
	assert_int_equal(vk.status, TF_STATUS_403_16);
	assert_int_equal(check("workaround", "ref,kb", &s), TF_PROP_SKIP);
	s.stores[TF_STORE_CAI].n = 1;
	assert_int_equal(check("workaround", "ref,kb", &s), TF_PROP_PASS);
}

/* Every divergence the openssl-agreement property excuses is an entry of
 * the known-divergence table, so each one is explained there. */
static void test_openssl_excuses_are_known(void **state)
{
	const char *ids[32];
	char path[4096];
	tf_error err = {0};
	tf_known_table *t = calloc(1, sizeof *t);
	(void)state;
	assert_non_null(t);
	assert_non_null(getenv("TF_SRC"));
	snprintf(path, sizeof path, "%s/corpus/known-divergences.json", getenv("TF_SRC"));
	if (tf_known_load(path, t, &err) != TF_OK)
		fail_msg("%s", err.msg);
	size_t n = tf_prop_openssl_excuses(ids, 32);
	assert_true(n > 0 && n <= 32);
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (unsigned k = 0; k < t->n && !found; k++)
			found = !strcmp(t->e[k].id, ids[i]);
		if (!found)
			fail_msg("excuse %s is not in %s", ids[i], path);
	}
	free(t);
}

typedef struct seen_failure {
	unsigned n;
	tf_prop_failure f;
} seen_failure;

static void remember(const tf_prop_failure *f, void *ctx)
{
	seen_failure *s = ctx;
	s->n++;
	s->f = *f;
}

/* A failing run: one failure reported, shrunk, written as a fixture pair
 * whose expectations are what the instance says on each. */
static void test_runner_writes_counterexample(void **state)
{
	char dir[4096];
	tf_error err = {0};
	tf_prop_result res;
	seen_failure *seen = calloc(1, sizeof *seen);
	tf_fixture *fx = calloc(1, sizeof *fx);
	(void)state;
	assert_non_null(seen);
	assert_non_null(fx);
	assert_non_null(getenv("TF_TMP"));
	snprintf(dir, sizeof dir, "%s", getenv("TF_TMP"));
	mkdir(dir, 0777);
	strncat(dir, "/test_harness_prop", sizeof dir - strlen(dir) - 1);
	tf_prop_opts o = {.seed = 3, .instances = "kb+variant=cut-at-first", .out = dir,
			  .on_failure = remember, .ctx = seen};
	if (tf_prop_run(tf_property_find("store-order"), &o, &res, &err) != TF_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(res.failed, 1);
	assert_int_equal(seen->n, 1);
	assert_int_equal(res.trials, seen->f.trial + 1);
	assert_true(seen->f.minimized);
	assert_true(seen->f.stats.certs_after <= seen->f.stats.certs_before);
	const char *paths[2] = {seen->f.path, seen->f.twin_path};
	for (unsigned i = 0; i < 2; i++) {
		char diff[256];
		tf_fixture_init(fx);
		if (tf_fixture_read(paths[i], fx, &err) != TF_OK)
			fail_msg("%s", err.msg);
		assert_int_equal(fx->nexpect, 1);
		tf_verdict v = eval(fx->expect[0].evaluator, &fx->scenario);
		if (!tf_expect_match(&fx->expect[0].e, &v, &fx->scenario, diff, sizeof diff))
			fail_msg("%s: %s", paths[i], diff);
		tf_fixture_free(fx);
	}
	free(fx);
	free(seen);
}

/* The digest of a determinism run is a function of its trials only. */
static void test_determinism_digest(void **state)
{
	tf_error err = {0};
	tf_prop_result a, b, c;
	const tf_property *p = tf_property_find("determinism");
	(void)state;
	tf_prop_opts o = {.seed = 5, .trials = 6, .instances = "ref,kb,openssl"};
	if (tf_prop_run(p, &o, &a, &err) != TF_OK || tf_prop_run(p, &o, &b, &err) != TF_OK)
		fail_msg("%s", err.msg);
	o.seed = 6;
	if (tf_prop_run(p, &o, &c, &err) != TF_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(a.passed, 6);
	assert_true(a.digest == b.digest);
	assert_true(a.digest != c.digest);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monotonicity_exception),
		cmocka_unit_test(test_irrelevant_roots_exception),
		cmocka_unit_test(test_irrelevant_roots_limit_exception),
		cmocka_unit_test(test_store_order_exception),
		cmocka_unit_test(test_no_trigger_reads_the_source_store),
		cmocka_unit_test(test_workaround_cai_exception),
		cmocka_unit_test(test_openssl_agreement_twin_exception),
		cmocka_unit_test(test_openssl_excuses_are_known),
		cmocka_unit_test(test_runner_writes_counterexample),
		cmocka_unit_test(test_determinism_digest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
