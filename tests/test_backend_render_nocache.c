/*
 * tests/test_backend_render_nocache.c — tf_render_set_cache (render.h), the
 * switch `trustfuzz bench` uses to measure the renderer without its
 * signature cache: off, every signature is computed and nothing is stored;
 * the DER is the same either way; back on, the cache works again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "trustfuzz/gen.h"
#include "trustfuzz/render.h"

static void render_all(tf_render *r, const tf_scenario *s, tf_rendered *out)
{
	tf_error err = {0};
	if (tf_render_scenario(r, s, s->knobs.keys, out, &err) != TF_OK)
		fail_msg("%s", err.msg);
}

static void test_cache_off_and_on(void **state)
{
	tf_render *r = NULL;
	tf_error err = {0};
	tf_scenario s;
	tf_rendered a, b, c;
	tf_render_stats st0, st1, st2;
	(void)state;
	tf_gen_from_seed(&s, 42, TF_GEN_PROFILE_MIXED, NULL, NULL);
	if (tf_render_new(&r, &err) != TF_OK)
		fail_msg("%s", err.msg);
	tf_render_set_cache(r, false);
	render_all(r, &s, &a);
	render_all(r, &s, &b);
	tf_render_get_stats(r, &st0);
	assert_int_equal(st0.sig_hits, 0);
	assert_int_equal(st0.sig_misses, 2u * s.ncerts);
	assert_int_equal(st0.sig_entries, 0);
	tf_render_set_cache(r, true);
	render_all(r, &s, &c);
	tf_render_get_stats(r, &st1);
	assert_true(st1.sig_entries > 0);
	tf_rendered_free(&c);
	render_all(r, &s, &c);
	tf_render_get_stats(r, &st2);
	assert_int_equal(st2.sig_hits - st1.sig_hits, s.ncerts);
	for (unsigned i = 0; i < s.ncerts; i++) {
		assert_int_equal(a.cert[i].len, b.cert[i].len);
		assert_memory_equal(a.cert[i].data, b.cert[i].data, a.cert[i].len);
		assert_int_equal(a.cert[i].len, c.cert[i].len);
		assert_memory_equal(a.cert[i].data, c.cert[i].data, a.cert[i].len);
	}
	tf_rendered_free(&a);
	tf_rendered_free(&b);
	tf_rendered_free(&c);
	tf_render_free(r);
	tf_scenario_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_off_and_on),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
