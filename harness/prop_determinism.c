/*
 * harness/prop_determinism.c — property 7: the same seed gives the same
 * scenario, byte-identical DER, byte-identical fixtures and the same
 * verdicts, run after run (docs/properties.md).
 *
 * Within one process the check compares two independent producers of each
 * output, kept in different states on purpose: two renderers (one renders
 * the certificates in reverse order, so the two signature caches never hold
 * the same entries at the same time) and two opened copies of every
 * instance (copy B judges each scenario twice, copy A once, so their caches
 * differ too). Across processes it cannot compare, so it feeds everything it
 * produced into the run's digest (prop.h): `trustfuzz prop determinism`
 * prints it, and two runs must print the same value.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prop_internal.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/render.h"

typedef struct det_state {
	tf_render *ra, *rb;
	unsigned nb;
	tf_instance b[TF_PROP_MAX_INST];
	tf_fixture fx, back;
	tf_scenario regen;
	uint8_t bytes1[TF_GEN_MAX_BYTES], bytes2[TF_GEN_MAX_BYTES];
} det_state;

static void det_cleanup(tf_prop_env *env)
{
	det_state *st = env->state;
	if (!st)
		return;
	for (unsigned i = 0; i < st->nb; i++)
		tf_instance_close(&st->b[i]);
	tf_render_free(st->ra);
	tf_render_free(st->rb);
	tf_fixture_free(&st->fx);
	tf_fixture_free(&st->back);
	tf_scenario_free(&st->regen);
	free(st);
	env->state = NULL;
}

static tf_err det_init(tf_prop_env *env, tf_error *err)
{
	det_state *st = calloc(1, sizeof *st);
	if (!st)
		return tf_error_set(err, TF_ERR_NOMEM, "determinism: out of memory");
	env->state = st;
	tf_fixture_init(&st->fx);
	tf_fixture_init(&st->back);
	tf_scenario_init(&st->regen);
	TF_GUARD(tf_render_new(&st->ra, err));
	TF_GUARD(tf_render_new(&st->rb, err));
	for (; st->nb < env->n; st->nb++) {
		TF_GUARD(tf_instance_parse(&st->b[st->nb], env->inst[st->nb].name, err));
		TF_GUARD(tf_instance_open(&st->b[st->nb], err));
	}
	return TF_OK;
}

static tf_prop_outcome fail(tf_prop_detail *d, const char *fmt, ...) TF_PRINTF(2, 3);
static tf_prop_outcome fail(tf_prop_detail *d, const char *fmt, ...)
{
	va_list ap;
	if (d) {
		va_start(ap, fmt);
		vsnprintf(d->what, sizeof d->what, fmt, ap);
		va_end(ap);
	}
	return TF_PROP_FAIL;
}

/* Same seed, same scenario and decision bytes, twice. */
static tf_prop_outcome same_scenario(tf_prop_env *env, det_state *st, const tf_scenario *s,
				     tf_prop_detail *d)
{
	size_t n1 = 0, n2 = 0;
	char seed[32];
	if (!env->generated)
		return TF_PROP_PASS;
	snprintf(seed, sizeof seed, "%llu", (unsigned long long)env->scenario_seed);
	tf_scenario_free(&st->regen);
	tf_gen_from_seed(&st->regen, env->scenario_seed, env->profile, st->bytes1, &n1);
	if (!tf_scenario_equal(&st->regen, s))
		return fail(d, "seed %s (profile %s) gave two different scenarios", seed,
			    tf_profile_str(env->profile));
	tf_scenario_free(&st->regen);
	tf_gen_from_seed(&st->regen, env->scenario_seed, env->profile, st->bytes2, &n2);
	if (n1 != n2 || memcmp(st->bytes1, st->bytes2, n1) != 0)
		return fail(d, "seed %s (profile %s) recorded two different decision streams",
			    seed, tf_profile_str(env->profile));
	tf_prop_digest(env, st->bytes1, n1);
	return TF_PROP_PASS;
}

/* Renderer A in certificate order, renderer B in reverse order. A
 * certificate that cannot be rendered (a time outside the years X.509 can
 * encode) must fail the same way in both. */
static tf_err same_der(tf_prop_env *env, det_state *st, const tf_scenario *s,
		       tf_prop_outcome *out, tf_prop_detail *d, tf_error *err)
{
	tf_der a[TF_MAX_CERTS], b[TF_MAX_CERTS];
	tf_error ea[TF_MAX_CERTS], eb[TF_MAX_CERTS];
	tf_err ra[TF_MAX_CERTS], rb[TF_MAX_CERTS];
	(void)err;
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	memset(ea, 0, sizeof ea);
	memset(eb, 0, sizeof eb);
	for (unsigned i = 0; i < s->ncerts; i++)
		ra[i] = tf_render_cert(st->ra, s, i, s->knobs.keys, &a[i], &ea[i]);
	for (unsigned i = s->ncerts; i-- > 0;)
		rb[i] = tf_render_cert(st->rb, s, i, s->knobs.keys, &b[i], &eb[i]);
	for (unsigned i = 0; i < s->ncerts && *out != TF_PROP_FAIL; i++) {
		if (ra[i] != rb[i] || strcmp(ea[i].msg, eb[i].msg) != 0)
			*out = fail(d, "certificate %s: renderer A says \"%s\", renderer B \"%s\"",
				    s->certs[i].id, ra[i] ? ea[i].msg : "ok", rb[i] ? eb[i].msg : "ok");
		else if (ra[i] != TF_OK)
			tf_prop_digest(env, ea[i].msg, strlen(ea[i].msg));
		else if (a[i].len != b[i].len || memcmp(a[i].data, b[i].data, a[i].len) != 0)
			*out = fail(d, "certificate %s renders to different DER in two renderers",
				    s->certs[i].id);
		else
			tf_prop_digest(env, a[i].data, a[i].len);
	}
	for (unsigned i = 0; i < TF_MAX_CERTS; i++) {
		tf_der_free(&a[i]);
		tf_der_free(&b[i]);
	}
	return TF_OK;
}

static bool verdicts_same(const tf_verdict *x, const tf_verdict *y)
{
	return tf_verdict_equal(x, y, TF_DEPTH_PATH) && x->identity == y->identity &&
	       strcmp(x->reason, y->reason) == 0;
}

/* Every instance of A once, of B twice; all three verdicts equal. The
 * fixture's expectations are A's verdicts. */
static tf_err same_verdicts(tf_prop_env *env, det_state *st, const tf_scenario *s,
			    tf_prop_outcome *out, tf_prop_detail *d, tf_error *err)
{
	for (unsigned i = 0; i < env->n && *out != TF_PROP_FAIL; i++) {
		tf_verdict va, vb1, vb2;
		tf_expect e;
		char x[256], y[256];
		TF_GUARD(tf_prop_eval(env, i, s, &va, err));
		TF_GUARD(tf_instance_eval(&st->b[i], s, &vb1, err));
		TF_GUARD(tf_instance_eval(&st->b[i], s, &vb2, err));
		if (!verdicts_same(&va, &vb1) || !verdicts_same(&vb1, &vb2)) {
			const tf_verdict *o = verdicts_same(&va, &vb1) ? &vb2 : &vb1;
			if (d)
				snprintf(d->what, sizeof d->what, "%s judged the scenario twice: %s "
					 "(\"%s\") and %s (\"%s\")", env->inst[i].name,
					 tf_prop_say(s, &va, true, x, sizeof x), va.reason,
					 tf_prop_say(s, o, true, y, sizeof y), o->reason);
			*out = TF_PROP_FAIL;
			break;
		}
		tf_prop_digest(env, env->inst[i].name, strlen(env->inst[i].name));
		tf_prop_digest(env, &va.status, sizeof va.status);
		tf_prop_digest(env, &va.win32, sizeof va.win32);
		tf_prop_digest(env, &va.identity, sizeof va.identity);
		tf_prop_digest(env, va.path, va.path_len);
		tf_prop_digest(env, va.reason, strlen(va.reason));
		memset(&e, 0, sizeof e);
		e.v = va;
		e.has_win32 = e.has_identity = e.has_path = true;
		TF_GUARD(tf_fixture_set_expect(&st->fx, env->inst[i].name, &e, err));
	}
	return TF_OK;
}

/* The fixture serialises to the same bytes twice, and parses back to the
 * same scenario, which serialises to the same bytes again. */
static tf_err same_fixture(tf_prop_env *env, det_state *st, const tf_scenario *s,
			   tf_prop_outcome *out, tf_prop_detail *d, tf_error *err)
{
	char *j1 = NULL, *j2 = NULL, *j3 = NULL;
	size_t n1 = 0, n2 = 0, n3 = 0;
	tf_err rc = TF_OK;
	snprintf(st->fx.id, sizeof st->fx.id, "determinism");
	snprintf(st->fx.why, sizeof st->fx.why, "determinism check");
	TF_GUARD_GOTO(tf_fixture_to_json(&st->fx, &j1, &n1, err), rc, done);
	TF_GUARD_GOTO(tf_fixture_to_json(&st->fx, &j2, &n2, err), rc, done);
	if (n1 != n2 || memcmp(j1, j2, n1) != 0) {
		*out = fail(d, "the fixture serialised to two different texts");
		goto done;
	}
	tf_fixture_free(&st->back);
	TF_GUARD_GOTO(tf_fixture_parse(j1, n1, "<determinism>", &st->back, err), rc, done);
	TF_GUARD_GOTO(tf_fixture_to_json(&st->back, &j3, &n3, err), rc, done);
	if (!tf_scenario_equal(&st->back.scenario, s) || n3 != n1 || memcmp(j1, j3, n1) != 0) {
		*out = fail(d, "the fixture did not survive a write-read-write round trip");
		goto done;
	}
	tf_prop_digest(env, j1, n1);
done:
	free(j1);
	free(j2);
	free(j3);
	return rc;
}

static tf_err det_check(tf_prop_env *env, const tf_scenario *s, uint64_t aux,
			tf_prop_outcome *out, tf_prop_detail *d, tf_error *err)
{
	det_state *st = env->state;
	(void)aux;
	*out = same_scenario(env, st, s, d);
	if (*out == TF_PROP_FAIL)
		return TF_OK;
	TF_GUARD(same_der(env, st, s, out, d, err));
	if (*out == TF_PROP_FAIL)
		return TF_OK;
	tf_fixture_free(&st->fx);
	if (tf_scenario_copy(&st->fx.scenario, s) != TF_OK)
		return tf_error_set(err, TF_ERR_NOMEM, "determinism: out of memory");
	TF_GUARD(same_verdicts(env, st, s, out, d, err));
	if (*out == TF_PROP_FAIL)
		return TF_OK;
	return same_fixture(env, st, s, out, d, err);
}

const tf_property tf_prop_determinism = {
	.name = "determinism",
	.summary = "the same seed gives the same scenario, byte-identical DER and fixtures, and "
		   "the same verdicts (reasons included), in two producers and two runs",
	.precondition = "none",
	.instances = "all,openssl+mode=handshake",
	.ninstances = 0,
	.nprofiles = 3,
	.profiles = {TF_GEN_PROFILE_MIXED, TF_GEN_PROFILE_KB, TF_GEN_PROFILE_RFC5280},
	.default_trials = 200,
	.init = det_init,
	.cleanup = det_cleanup,
	.check = det_check,
};
