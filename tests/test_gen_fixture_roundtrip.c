/*
 * Generated scenarios through the fixture format: for 10,000 seeds of the
 * mixed profile and 1,000 each of kb and rfc5280, scenario → JSON → scenario
 * is the identity (tf_scenario_equal) and JSON → fixture → JSON gives the
 * same bytes. Named test_gen_ because it links the generators (the test
 * build links test_core_* with core only).
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "trustfuzz/fixture.h"
#include "trustfuzz/gen.h"

static void round_trip(tf_profile profile, uint64_t first, unsigned count)
{
	tf_fixture *f = malloc(sizeof *f), *g = malloc(sizeof *g);
	tf_error err = {0};
	assert_non_null(f);
	assert_non_null(g);
	for (uint64_t seed = first; seed < first + count; seed++) {
		char *a = NULL, *b = NULL;
		size_t alen = 0, blen = 0;
		tf_fixture_init(f);
		tf_gen_from_seed(&f->scenario, seed, profile, NULL, NULL);
		snprintf(f->id, sizeof f->id, "gen-%s-%" PRIu64, tf_profile_str(profile), seed);
		f->prov.has_seed = true;
		f->prov.seed = seed;
		if (tf_fixture_to_json(f, &a, &alen, &err) != TF_OK)
			fail_msg("%s seed %" PRIu64 ": write: %s", tf_profile_str(profile), seed,
				 err.msg);
		if (tf_fixture_parse(a, alen, f->id, g, &err) != TF_OK)
			fail_msg("%s seed %" PRIu64 ": read: %s", tf_profile_str(profile), seed,
				 err.msg);
		if (!tf_scenario_equal(&f->scenario, &g->scenario))
			fail_msg("%s seed %" PRIu64 ": scenario changed in the round trip:\n%s",
				 tf_profile_str(profile), seed, a);
		assert_true(g->prov.has_seed && g->prov.seed == seed);
		assert_int_equal(tf_fixture_to_json(g, &b, &blen, &err), TF_OK);
		assert_int_equal(alen, blen);
		assert_memory_equal(a, b, alen);
		free(a);
		free(b);
		tf_fixture_free(f);
		tf_fixture_free(g);
	}
	free(f);
	free(g);
}

static void test_mixed(void **state)
{
	(void)state;
	round_trip(TF_GEN_PROFILE_MIXED, 0, 10000);
}

static void test_kb(void **state)
{
	(void)state;
	round_trip(TF_GEN_PROFILE_KB, 0, 1000);
}

static void test_rfc5280(void **state)
{
	(void)state;
	round_trip(TF_GEN_PROFILE_RFC5280, 0, 1000);
}

/* Seeds at the top of the range: the seed itself takes the string form. */
static void test_large_seeds(void **state)
{
	(void)state;
	round_trip(TF_GEN_PROFILE_MIXED, UINT64_MAX - 20, 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_kb),
		cmocka_unit_test(test_rfc5280),
		cmocka_unit_test(test_large_seeds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
