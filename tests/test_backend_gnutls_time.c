/*
 * tests/test_backend_gnutls_time.c — the GnuTLS backend's contract as an
 * evaluator: the validation time reaches GnuTLS and the library's own
 * clock is back afterwards (the process-wide time hook is restored), the
 * verdict is a pure function of scenario and knobs (same answers from two
 * states in opposite orders, over generated scenarios), and every state
 * is released (LeakSanitizer in the sanitizer build).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "backend_util.h"
#include "trustfuzz/gen.h"
#include "trustfuzz/gnutls_backend.h"
#include "trustfuzz/render.h"

static gnutls_x509_crt_t import(const tf_der *d)
{
	gnutls_x509_crt_t c = NULL;
	gnutls_datum_t dt = {d->data, (unsigned)d->len};
	assert_int_equal(gnutls_x509_crt_init(&c), 0);
	assert_int_equal(gnutls_x509_crt_import(c, &dt, GNUTLS_X509_FMT_DER), 0);
	return c;
}

/* Certificates valid only around 1970-01-03 verify through the backend (its
 * time), and fail when GnuTLS is asked directly afterwards (the clock). */
static void test_time_hook_restored(void **state)
{
	(void)state;
	void *st = NULL;
	tf_error err = {0};
	tf_scenario s;
	bu_three(&s);
	s.server.validation_time = 2 * TF_DAY;
	for (unsigned i = 0; i < s.ncerts; i++) {
		s.certs[i].not_before = -TF_DAY;
		s.certs[i].not_after = TF_DAY;
	}
	assert_int_equal(tf_eval_gnutls.init(&st, &err), TF_OK);
	tf_verdict v;
	assert_int_equal(tf_eval_gnutls.evaluate(st, &s, &s.knobs, &v, &err), TF_OK);
	assert_int_equal(v.status, TF_STATUS_200);

	tf_render *r = NULL;
	tf_rendered rd;
	assert_int_equal(tf_render_new(&r, &err), TF_OK);
	assert_int_equal(tf_render_scenario(r, &s, 0, &rd, &err), TF_OK);
	gnutls_x509_trust_list_t tl = NULL;
	assert_int_equal(gnutls_x509_trust_list_init(&tl, 0), 0);
	gnutls_x509_crt_t root = import(&rd.cert[0]);
	assert_int_equal(gnutls_x509_trust_list_add_cas(tl, &root, 1, 0), 1);
	gnutls_x509_crt_t chain[2] = {import(&rd.cert[2]), import(&rd.cert[1])};
	unsigned status = 0;
	assert_int_equal(gnutls_x509_trust_list_verify_crt2(tl, chain, 2, NULL, 0, 0, &status, NULL),
			 0);
	assert_true(status & GNUTLS_CERT_EXPIRED);

	gnutls_x509_crt_deinit(chain[0]);
	gnutls_x509_crt_deinit(chain[1]);
	gnutls_x509_trust_list_deinit(tl, 1);
	tf_rendered_free(&rd);
	tf_render_free(r);
	tf_eval_gnutls.cleanup(st);
}

/* Two states, opposite orders, the same verdicts; a third run of the first
 * state agrees with itself. Covers every generator profile. */
static void test_pure(void **state)
{
	(void)state;
	enum { N = 150 };
	void *a = NULL, *b = NULL;
	tf_error err = {0};
	assert_int_equal(tf_eval_gnutls.init(&a, &err), TF_OK);
	assert_int_equal(tf_eval_gnutls.init(&b, &err), TF_OK);
	tf_verdict *va = calloc(N, sizeof *va), *vb = calloc(N, sizeof *vb);
	tf_err *ra = calloc(N, sizeof *ra), *rb = calloc(N, sizeof *rb);
	assert_non_null(va);
	assert_non_null(vb);
	assert_non_null(ra);
	assert_non_null(rb);
	unsigned judged = 0;
	for (unsigned i = 0; i < N; i++) {
		tf_scenario s;
		tf_gen_from_seed(&s, 1000 + i, (tf_profile)(i % TF_GEN_PROFILE_COUNT), NULL, NULL);
		ra[i] = tf_eval_gnutls.evaluate(a, &s, &s.knobs, &va[i], &err);
		judged += ra[i] == TF_OK;
		tf_scenario_free(&s);
	}
	for (unsigned i = N; i-- > 0;) {
		tf_scenario s;
		tf_gen_from_seed(&s, 1000 + i, (tf_profile)(i % TF_GEN_PROFILE_COUNT), NULL, NULL);
		rb[i] = tf_eval_gnutls.evaluate(b, &s, &s.knobs, &vb[i], &err);
		tf_scenario_free(&s);
	}
	for (unsigned i = 0; i < N; i++) {
		assert_int_equal(ra[i], rb[i]);
		if (ra[i] != TF_OK)
			continue;
		assert_true(tf_verdict_equal(&va[i], &vb[i], TF_DEPTH_PATH));
		assert_int_equal(va[i].identity, vb[i].identity);
		assert_string_equal(va[i].reason, vb[i].reason);
	}
	/* Generated scenarios are judged, not refused. */
	assert_int_equal(judged, N);
	free(va);
	free(vb);
	free(ra);
	free(rb);
	tf_eval_gnutls.cleanup(a);
	tf_eval_gnutls.cleanup(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_hook_restored),
		cmocka_unit_test(test_pure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
