/* The minimizer's candidates stay valid scenarios: over 1000 generated
 * scenarios (every profile), minimize with the debug check on, which
 * validates every candidate and fails the run on a structural candidate that
 * does not validate (a remapping bug). The predicate is "the reference and
 * the KB model keep their statuses", cheap and true for many shapes, so
 * the passes get to edit a lot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "trustfuzz/gen.h"
#include "trustfuzz/minimize.h"
#include "trustfuzz/registry.h"

#define SEEDS 1000

typedef struct keep_ctx {
	tf_instance *inst;
	tf_status want[2];
	unsigned calls;
} keep_ctx;

static bool keep_statuses(const tf_scenario *s, void *arg)
{
	keep_ctx *c = arg;
	tf_error err = {0};
	c->calls++;
	/* The evaluators index without re-checking: a bad candidate must never
	 * reach them, and the check below makes sure of it independently. */
	if (tf_scenario_validate(s, &err) != TF_OK)
		fail_msg("predicate saw an invalid scenario: %s", err.msg);
	for (unsigned i = 0; i < 2; i++) {
		tf_verdict v;
		if (tf_instance_eval(&c->inst[i], s, &v, &err) != TF_OK)
			fail_msg("%s: %s", c->inst[i].name, err.msg);
		if (v.status != c->want[i])
			return false;
	}
	return true;
}

static void test_candidates_valid(void **state)
{
	(void)state;
	tf_instance inst[2];
	unsigned n = 0, shrunk = 0;
	tf_error err = {0};
	assert_int_equal(tf_instances_parse(inst, 2, &n, "ref,kb", &err), TF_OK);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(tf_instance_open(&inst[i], &err), TF_OK);
	for (uint64_t seed = 0; seed < SEEDS; seed++) {
		tf_scenario s, out;
		tf_min_stats st;
		keep_ctx ctx = {inst, {0, 0}, 0};
		tf_gen_from_seed(&s, seed, (tf_profile)(seed % TF_GEN_PROFILE_COUNT), NULL, NULL);
		for (unsigned i = 0; i < 2; i++) {
			tf_verdict v;
			assert_int_equal(tf_instance_eval(&inst[i], &s, &v, &err), TF_OK);
			ctx.want[i] = v.status;
		}
		tf_min_opts opts = {.max_steps = 400, .check = true};
		if (tf_minimize(&s, keep_statuses, &ctx, &opts, &out, &st, &err) != TF_OK)
			fail_msg("seed %llu: %s", (unsigned long long)seed, err.msg);
		assert_int_equal(tf_scenario_validate(&out, &err), TF_OK);
		assert_true(keep_statuses(&out, &ctx));
		assert_true(st.steps <= 400);
		assert_true(out.ncerts <= s.ncerts);
		shrunk += out.ncerts < s.ncerts;
		tf_scenario_free(&out);
		tf_scenario_free(&s);
	}
	/* Most generated scenarios carry more than their verdicts need. */
	assert_true(shrunk > SEEDS / 2);
	for (unsigned i = 0; i < n; i++)
		tf_instance_close(&inst[i]);
}

static bool always(const tf_scenario *s, void *arg)
{
	tf_error err = {0};
	(void)arg;
	if (tf_scenario_validate(s, &err) != TF_OK)
		fail_msg("predicate saw an invalid scenario: %s", err.msg);
	return true;
}

/* Validity is relative to the validation time: near year 0000 resetting a
 * certificate's validity to the default year either side, or the validation
 * time to its default while a certificate's notAfter only fits the old one,
 * gives a time X.509 cannot encode. The minimizer skips those resets, so
 * the check mode (which fails the run on an invalid candidate) passes. */
static void test_time_edges(void **state)
{
	(void)state;
	tf_error err = {0};
	const int64_t vts[] = {TF_TIME_MIN + 10 * TF_DAY, TF_TIME_MAX - 10 * TF_DAY};
	for (unsigned k = 0; k < 2; k++)
		for (uint64_t seed = 0; seed < 40; seed++) {
			tf_scenario s, out;
			tf_min_stats st;
			int64_t vt = vts[k];
			tf_gen_from_seed(&s, seed, TF_GEN_PROFILE_MIXED, NULL, NULL);
			s.server.validation_time = vt;
			for (unsigned i = 0; i < s.ncerts; i++) {
				s.certs[i].not_before = -TF_DAY;
				s.certs[i].not_after = TF_DAY;
			}
			/* Fits this validation time only. */
			if (k == 0)
				s.certs[0].not_after = TF_TIME_MAX - vt;
			else
				s.certs[0].not_before = TF_TIME_MIN - vt;
			assert_int_equal(tf_scenario_validate(&s, &err), TF_OK);
			tf_min_opts opts = {.max_steps = 300, .check = true};
			if (tf_minimize(&s, always, NULL, &opts, &out, &st, &err) != TF_OK)
				fail_msg("seed %llu, validation time %lld: %s",
					 (unsigned long long)seed, (long long)vt, err.msg);
			assert_int_equal(tf_scenario_validate(&out, &err), TF_OK);
			tf_scenario_free(&out);
			tf_scenario_free(&s);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_candidates_valid),
		cmocka_unit_test(test_time_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
