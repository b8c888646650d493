/*
 * tests/test_backend_render_nocache.c — tf_render_set_cache (render.h), the
 * switch `trustfuzz bench` uses to measure the renderer without its
 * signature cache: off, every signature is computed and nothing is stored;
 * the DER is the same either way; back on, the cache works again. And the
 * certificate cache in front of it: a certificate served from it is the one a
 * renderer without caches builds, whatever single field changed since the
 * last rendering; the thread's shared renderer (tf_render_shared).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

static void assert_same(const tf_rendered *a, const tf_rendered *b)
{
	assert_int_equal(a->ncerts, b->ncerts);
	for (unsigned i = 0; i < a->ncerts; i++) {
		assert_int_equal(a->cert[i].len, b->cert[i].len);
		assert_memory_equal(a->cert[i].data, b->cert[i].data, a->cert[i].len);
	}
}

/* Renders s with the cached renderer (twice: the second from its caches)
 * and with the uncached one; all three must be byte-identical. */
static void check_against_fresh(tf_render *cached, tf_render *fresh, const tf_scenario *s,
				unsigned keys)
{
	tf_rendered a, b, c;
	tf_error err = {0};
	if (tf_render_scenario(cached, s, keys, &a, &err) != TF_OK ||
	    tf_render_scenario(cached, s, keys, &b, &err) != TF_OK ||
	    tf_render_scenario(fresh, s, keys, &c, &err) != TF_OK)
		fail_msg("%s", err.msg);
	assert_same(&a, &c);
	assert_same(&b, &c);
	tf_rendered_free(&a);
	tf_rendered_free(&b);
	tf_rendered_free(&c);
}

/* Changes input `field` (0..25) of certificate c of s, or the algorithm. */
static void mutate(tf_scenario *s, tf_cert *c, unsigned field, unsigned *keys)
{
	tf_key *pub = &s->keys[c->key], *signer = &s->keys[c->signing_key];
	switch (field) {
	case 0: c->serial += 1; break;
	case 1: c->serial_long = !c->serial_long; break;
	case 2: c->version = c->version == 3 ? 1 : 3; break;
	case 3: c->not_before -= 1; break;
	case 4: c->not_after += 1; break;
	case 5: c->bc = (uint8_t)((c->bc + 1) % 3); c->pathlen = -1; break;
	case 6: c->bc = TF_BC_CA_TRUE; c->pathlen = (int8_t)(c->pathlen == 1 ? 2 : 1); break;
	case 7: c->bc_critical = !c->bc_critical; break;
	case 8:
		c->ku_present = !c->ku_present;
		c->ku = c->ku ? c->ku : TF_KU_KEY_CERT_SIGN;
		break;
	case 9:
		c->ku_present = true;
		c->ku = (uint8_t)((c->ku ^ TF_KU_CRL_SIGN) | TF_KU_DIGITAL_SIGNATURE);
		break;
	case 10: c->ku_critical = !c->ku_critical; break;
	case 11:
		c->eku_present = !c->eku_present;
		c->eku = c->eku ? c->eku : TF_EKU_CLIENT_AUTH;
		break;
	case 12:
		c->eku_present = true;
		c->eku = (uint8_t)((c->eku ^ TF_EKU_CODE_SIGNING) | TF_EKU_ANY);
		break;
	case 13: c->eku_critical = !c->eku_critical; break;
	case 14: c->ski = (uint8_t)((c->ski + 1) % 3); break;
	case 15: c->aki = (uint8_t)((c->aki + 1) % 3); break;
	case 16: c->unknown_critical = !c->unknown_critical; break;
	case 17: c->corrupt_sig = !c->corrupt_sig; break;
	case 18: c->subject = (uint8_t)((c->subject + 1) % s->nnames); break;
	case 19: c->issuer = (uint8_t)((c->issuer + 1) % s->nnames); break;
	case 20: pub->pool = (uint16_t)((pub->pool + 1) % TF_KEY_POOL_SIZE); break;
	case 21: signer->pool = (uint16_t)((signer->pool + 7) % TF_KEY_POOL_SIZE); break;
	case 22: s->server.validation_time += 1; break;
	case 23: *keys = (*keys + 1) % 3; break;
	case 24: s->names[c->subject].label[0] ^= 0x01; break;
	default: c->serial = -c->serial - 1; break;
	}
}

/* Every input of a certificate's DER is part of the certificate cache's
 * key: change one at a time after the unchanged scenario was cached. */
static void test_cert_cache_key(void **state)
{
	tf_render *cached = NULL, *fresh = NULL;
	tf_error err = {0};
	tf_render_stats st;
	(void)state;
	if (tf_render_new(&cached, &err) != TF_OK || tf_render_new(&fresh, &err) != TF_OK)
		fail_msg("%s", err.msg);
	tf_render_set_cache(fresh, false);
	for (unsigned field = 0; field < 26; field++) {
		for (uint64_t seed = 1; seed <= 12; seed++) {
			tf_scenario s;
			tf_gen_from_seed(&s, seed, TF_GEN_PROFILE_MIXED, NULL, NULL);
			unsigned keys = s.knobs.keys;
			check_against_fresh(cached, fresh, &s, keys);
			tf_cert *c = &s.certs[seed % s.ncerts];
			mutate(&s, c, field, &keys);
			check_against_fresh(cached, fresh, &s, keys);
			tf_scenario_free(&s);
		}
	}
	tf_render_get_stats(cached, &st);
	assert_true(st.der_hits > 0);
	assert_true(st.der_misses > 0);
	assert_true(st.der_bytes > 0 && st.der_bytes <= TF_RENDER_DER_BYTES);
	tf_render_get_stats(fresh, &st);
	assert_int_equal(st.der_hits, 0);
	assert_int_equal(st.sig_hits, 0);
	tf_render_free(cached);
	tf_render_free(fresh);
}

/* Past TF_RENDER_DER_ENTRIES certificates the cache starts over, and still
 * serves what it holds afterwards. */
static void test_cert_cache_bound(void **state)
{
	tf_render *r = NULL;
	tf_error err = {0};
	tf_scenario s;
	tf_render_stats st;
	(void)state;
	tf_gen_from_seed(&s, 7, TF_GEN_PROFILE_MIXED, NULL, NULL);
	if (tf_render_new(&r, &err) != TF_OK)
		fail_msg("%s", err.msg);
	for (int64_t n = 0; n < TF_RENDER_DER_ENTRIES + 5; n++) {
		tf_der d = {0};
		s.certs[0].serial = n;
		assert_int_equal(tf_render_cert(r, &s, 0, TF_KEYS_ED25519, &d, &err), TF_OK);
		tf_der_free(&d);
	}
	tf_render_get_stats(r, &st);
	assert_int_equal(st.der_clears, 1);
	assert_int_equal(st.der_misses, TF_RENDER_DER_ENTRIES + 5);
	tf_der d = {0};
	assert_int_equal(tf_render_cert(r, &s, 0, TF_KEYS_ED25519, &d, &err), TF_OK);
	tf_der_free(&d);
	tf_render_get_stats(r, &st);
	assert_int_equal(st.der_hits, 1);
	tf_render_free(r);
	tf_scenario_free(&s);
}

/* One renderer per thread for every backend instance; the last release
 * frees it (LeakSanitizer), and the next one starts empty. */
static void test_shared(void **state)
{
	tf_render *a = NULL, *b = NULL, *c = NULL;
	tf_error err = {0};
	tf_render_stats st;
	tf_der d = {0};
	tf_scenario s;
	(void)state;
	tf_gen_from_seed(&s, 3, TF_GEN_PROFILE_MIXED, NULL, NULL);
	assert_int_equal(tf_render_shared(&a, &err), TF_OK);
	assert_int_equal(tf_render_shared(&b, &err), TF_OK);
	assert_ptr_equal(a, b);
	assert_int_equal(tf_render_cert(a, &s, 0, TF_KEYS_ED25519, &d, &err), TF_OK);
	tf_der_free(&d);
	assert_int_equal(tf_render_cert(b, &s, 0, TF_KEYS_ED25519, &d, &err), TF_OK);
	tf_der_free(&d);
	tf_render_get_stats(b, &st);
	assert_int_equal(st.der_hits, 1);
	tf_render_shared_release(a);
	tf_render_shared_release(b);
	assert_int_equal(tf_render_shared(&c, &err), TF_OK);
	tf_render_get_stats(c, &st);
	assert_int_equal(st.der_hits + st.der_misses + st.keys_built, 0);
	tf_render_shared_release(c);
	tf_scenario_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_off_and_on),
		cmocka_unit_test(test_cert_cache_key),
		cmocka_unit_test(test_cert_cache_bound),
		cmocka_unit_test(test_shared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
