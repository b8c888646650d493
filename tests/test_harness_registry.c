/*
 * tests/test_harness_registry.c — the evaluator registry and instance spec
 * strings: lookup, knob resolution (evaluator prefix first, then global),
 * canonical names, effective knobs, and the exact error for each kind of
 * bad spec.
 */
#include <ctype.h>

#include "eval_builder.h"
#include "trustfuzz/models.h"
#include "trustfuzz/registry.h"

static void test_builtins(void **state)
{
	(void)state;
	const tf_evaluator *const *e = tf_evaluators();
	assert_ptr_equal(e[0], &tf_evaluator_ref);
	assert_ptr_equal(e[1], &tf_evaluator_kb);
	unsigned n = 0;
	for (; e[n]; n++) {
		for (const char *p = e[n]->name; *p; p++)
			assert_true(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_');
		assert_ptr_equal(tf_evaluator_find(e[n]->name), e[n]);
		for (unsigned j = 0; j < n; j++)
			assert_string_not_equal(e[j]->name, e[n]->name);
	}
	assert_true(n >= 2 && n <= TF_MAX_INSTANCES);
	assert_null(tf_evaluator_find("nope"));
	assert_null(tf_evaluator_find(""));
}

static void parse_ok(const char *spec, const char *canonical, const char *knob, const char *value)
{
	tf_instance inst;
	tf_error err = {0};
	if (tf_instance_parse(&inst, spec, &err) != TF_OK)
		fail_msg("%s: %s", spec, err.msg);
	assert_string_equal(inst.name, canonical);
	if (!knob) {
		assert_int_equal(inst.noverrides, 0);
		return;
	}
	assert_int_equal(inst.noverrides, 1);
	assert_string_equal(inst.knob[0], knob);
	assert_string_equal(inst.value[0], value);
}

static void test_parse(void **state)
{
	(void)state;
	parse_ok("ref", "ref", NULL, NULL);
	parse_ok("kb+variant=any-trigger", "kb+variant=any-trigger", "kb.variant", "any-trigger");
	parse_ok("kb+kb.variant=any-trigger", "kb+variant=any-trigger", "kb.variant", "any-trigger");
	parse_ok("kb+trigger=signature", "kb+trigger=signature", "kb.trigger", "signature");
	/* kb has no "kb.anchors": the global knob is used. */
	parse_ok("kb+anchors=self-signed-only", "kb+anchors=self-signed-only", "anchors",
		 "self-signed-only");
	parse_ok("ref+anchor_validity=ignore", "ref+anchor_validity=ignore", "anchor_validity",
		 "ignore");
	/* A missing value means "1", and "=1" is implied in the canonical name. */
	parse_ok("ref+max_depth", "ref+max_depth", "max_depth", "1");
	parse_ok("ref+max_depth=1", "ref+max_depth", "max_depth", "1");
	parse_ok("ref+max_depth=5", "ref+max_depth=5", "max_depth", "5");

	tf_instance inst;
	tf_error err = {0};
	assert_int_equal(tf_instance_parse(&inst, "ref+profile=strict+max_depth=3", &err), TF_OK);
	assert_int_equal(inst.noverrides, 2);
	assert_string_equal(inst.name, "ref+profile=strict+max_depth=3");
}

static void parse_bad(const char *spec, const char *needle)
{
	tf_instance inst;
	tf_error err = {0};
	assert_int_equal(tf_instance_parse(&inst, spec, &err), TF_ERR_USAGE);
	if (!strstr(err.msg, needle))
		fail_msg("%s: message \"%s\" lacks \"%s\"", spec, err.msg, needle);
}

static void test_parse_errors(void **state)
{
	(void)state;
	parse_bad("nope", "instance \"nope\": unknown evaluator \"nope\" (built in: ref, kb");
	parse_bad("", "expected EVAL[+KNOB[=VALUE]]");
	parse_bad("+anchors=rfc5280", "expected EVAL[+KNOB[=VALUE]]");
	parse_bad("ref+bogus=1", "instance \"ref+bogus=1\": unknown knob \"bogus\" for evaluator ref");
	/* "variant" is kb's own knob; ref has no prefix to resolve it with. */
	parse_bad("ref+variant=any-trigger", "unknown knob \"variant\" for evaluator ref");
	parse_bad("kb+variant=sideways", "unknown value \"sideways\"");
	parse_bad("ref+max_depth=13", "bad value \"13\"");
	parse_bad("ref+", "empty knob or value");
	parse_bad("ref+anchors=", "empty knob or value");
	parse_bad("ref+=1", "empty knob or value");
	parse_bad("ref+max_depth=1+max_depth=2+max_depth=3+max_depth=4+max_depth=5+max_depth=6+"
		  "max_depth=7",
		  "more than 6 knob overrides");
}

static void test_parse_list(void **state)
{
	(void)state;
	tf_instance inst[TF_MAX_INSTANCES];
	tf_error err = {0};
	unsigned n = 0, nbuiltin = 0;
	while (tf_evaluators()[nbuiltin])
		nbuiltin++;
	assert_int_equal(tf_instances_parse(inst, TF_MAX_INSTANCES, &n, "all", &err), TF_OK);
	assert_int_equal(n, nbuiltin);
	assert_string_equal(inst[0].name, "ref");
	assert_string_equal(inst[1].name, "kb");
	assert_int_equal(tf_instances_parse(inst, TF_MAX_INSTANCES, &n,
					    "ref,kb+variant=cut-at-first", &err),
			 TF_OK);
	assert_int_equal(n, 2);
	assert_string_equal(inst[1].name, "kb+variant=cut-at-first");
	assert_int_equal(tf_instances_parse(inst, TF_MAX_INSTANCES, &n, "all,kb+trigger=signature",
					    &err),
			 TF_OK);
	assert_int_equal(n, nbuiltin + 1);
	assert_int_equal(tf_instances_parse(inst, TF_MAX_INSTANCES, &n, "ref,,kb", &err),
			 TF_ERR_USAGE);
	assert_non_null(strstr(err.msg, "empty entry"));
	assert_int_equal(tf_instances_parse(inst, TF_MAX_INSTANCES, &n, "ref,nope", &err),
			 TF_ERR_USAGE);
	assert_int_equal(tf_instances_parse(inst, 2, &n, "ref,kb,ref", &err), TF_ERR_LIMIT);
	assert_non_null(strstr(err.msg, "more than 2 instances"));
}

static void test_effective_knobs(void **state)
{
	(void)state;
	tf_instance inst;
	tf_error err = {0};
	tf_knobs base = {0}, out;
	base.anchors = TF_ANCHORS_SELF_SIGNED_ONLY;
	base.kb_variant = TF_KB_VARIANT_ANY_TRIGGER;
	assert_int_equal(tf_instance_parse(&inst, "kb+variant=cut-at-first+profile=strict", &err),
			 TF_OK);
	assert_int_equal(tf_instance_knobs(&inst, &base, &out, &err), TF_OK);
	assert_int_equal(out.kb_variant, TF_KB_VARIANT_CUT_AT_FIRST); /* the override wins */
	assert_int_equal(out.profile, TF_PROFILE_STRICT);
	assert_int_equal(out.anchors, TF_ANCHORS_SELF_SIGNED_ONLY); /* the base stays */
	assert_int_equal(base.kb_variant, TF_KB_VARIANT_ANY_TRIGGER); /* base untouched */
}

/* KB row 1 through instances: the overrides reach the evaluator. */
static void test_instance_eval(void **state)
{
	(void)state;
	static tf_scenario s;
	sb_init(&s);
	sb_root(&s, "R0", "Contoso Root", 0);
	sb_ca(&s, "I1", "Issuing CA", "Contoso Root", 1, 0);
	sb_cert(&s, "L2", "Alice", "Issuing CA", 2, 1);
	sb_ca(&s, "X3", "Fabrikam CA", "Fabrikam Root", 3, 4);
	sb_store(&s, TF_STORE_ROOT, 3);
	sb_store(&s, TF_STORE_ROOT, 0);
	sb_identity(&s, 2, 1, 1);
	static const struct {
		const char *spec;
		tf_status st;
	} cases[] = {
		{"ref", TF_STATUS_200},
		{"kb", TF_STATUS_403_16},
		{"kb+variant=any-trigger", TF_STATUS_403_16},
		{"kb+trigger=signature", TF_STATUS_403_16},
		{"ref+anchors=self-signed-only", TF_STATUS_200},
		{"ref+max_depth=2", TF_STATUS_403_16},
	};
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tf_instance inst;
		tf_error err = {0};
		tf_verdict v;
		assert_int_equal(tf_instance_parse(&inst, cases[i].spec, &err), TF_OK);
		assert_int_equal(tf_instance_open(&inst, &err), TF_OK);
		assert_int_equal(tf_instance_eval(&inst, &s, &v, &err), TF_OK);
		tf_instance_close(&inst);
		if (v.status != cases[i].st)
			fail_msg("%s: expected %s, got %s (%s)", cases[i].spec,
				 tf_status_str(cases[i].st), tf_status_str(v.status), v.reason);
	}
	/* The scenario's own knobs are the base the overrides apply to. */
	s.knobs.kb_variant = TF_KB_VARIANT_CUT_AT_FIRST; /* X3 first: nothing kept */
	tf_instance inst;
	tf_error err = {0};
	tf_verdict v;
	assert_int_equal(tf_instance_parse(&inst, "kb", &err), TF_OK);
	assert_int_equal(tf_instance_eval(&inst, &s, &v, &err), TF_OK);
	sb_assert_reason(&v, "cut-at-first: root kept nothing");
}

/* Every built-in evaluator opens, judges and closes (no leak under ASan). */
static void test_open_all(void **state)
{
	(void)state;
	static tf_scenario s;
	sb_init(&s);
	sb_root(&s, "R0", "Contoso Root", 0);
	sb_cert(&s, "L1", "Alice", "Contoso Root", 1, 0);
	sb_store(&s, TF_STORE_ROOT, 0);
	sb_identity(&s, 1, 0);
	tf_instance inst[TF_MAX_INSTANCES];
	unsigned n = 0;
	tf_error err = {0};
	assert_int_equal(tf_instances_parse(inst, TF_MAX_INSTANCES, &n, "all", &err), TF_OK);
	for (unsigned i = 0; i < n; i++) {
		tf_verdict v;
		if (tf_instance_open(&inst[i], &err) != TF_OK)
			fail_msg("%s: %s", inst[i].name, err.msg);
		if (tf_instance_eval(&inst[i], &s, &v, &err) != TF_OK)
			fail_msg("%s: %s", inst[i].name, err.msg);
		if (v.status != TF_STATUS_200)
			fail_msg("%s: %s (%s)", inst[i].name, tf_status_str(v.status), v.reason);
		tf_instance_close(&inst[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtins),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_effective_knobs),
		cmocka_unit_test(test_instance_eval),
		cmocka_unit_test(test_open_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
