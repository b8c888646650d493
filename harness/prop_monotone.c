/*
 * harness/prop_monotone.c — property 5: breaking a certificate never makes
 * a rejected client accepted (docs/properties.md).
 *
 * Every single mutation is tried (each certificate made expired, each
 * signature corrupted), so the check needs no random choice and a shrunk
 * counterexample still names one mutation. Why this holds with several
 * identities and issuer lists: client selection (evaluator.h) looks at names
 * only, and neither mutation changes a name, so the identity presented is
 * the same before and after; the set of candidate paths can only lose valid
 * members. The one exception is a model whose notion of "self-signed"
 * decides its issuer list: the KB model under kb.trigger=signature, where
 * corrupting a self-signed root of the source store un-mixes the store
 * (docs/properties.md shows the scenario) — hence the precondition.
 */
#include <stdio.h>
#include <string.h>

#include "prop_internal.h"
#include "trustfuzz/fixture.h"

enum { MUT_EXPIRE = 0, MUT_CORRUPT = 1, MUT_COUNT = 2 };

static bool in_source_store(const tf_scenario *s, unsigned c)
{
	tf_store_id src = s->stores[TF_STORE_CAI].n ? TF_STORE_CAI : TF_STORE_ROOT;
	return tf_store_has(&s->stores[src], c);
}

/* Applies mutation m to certificate c of t; false when it changes nothing. */
static bool mutate(tf_scenario *t, unsigned c, unsigned m)
{
	tf_cert *x = &t->certs[c];
	if (m == MUT_EXPIRE) {
		if (tf_cert_time_class(t, c) == TF_TIME_EXPIRED)
			return false;
		x->not_before = TF_EXPIRED_NOT_BEFORE;
		x->not_after = TF_EXPIRED_NOT_AFTER;
		return true;
	}
	if (x->corrupt_sig)
		return false;
	x->corrupt_sig = true;
	return true;
}

/* Whether the property claims anything for mutation m of certificate c under
 * instance i: a corrupted self-signed certificate of the source store changes
 * what kb.trigger=signature calls self-signed. */
static tf_err claimed(tf_prop_env *env, unsigned i, const tf_scenario *s, unsigned c,
		      unsigned m, bool *yes, tf_error *err)
{
	tf_knobs k;
	TF_GUARD(tf_instance_knobs(&env->inst[i], &s->knobs, &k, err));
	*yes = !(m == MUT_CORRUPT && k.kb_trigger == TF_KB_TRIGGER_SIGNATURE &&
		 tf_cert_self_signed(s, c) && in_source_store(s, c));
	return TF_OK;
}

static tf_err mono_check(tf_prop_env *env, const tf_scenario *s, uint64_t aux,
			 tf_prop_outcome *out, tf_prop_detail *d, tf_error *err)
{
	tf_verdict v0[TF_PROP_MAX_INST], v1;
	bool open[TF_PROP_MAX_INST], any = false, tested = false;
	(void)aux;
	*out = TF_PROP_SKIP;
	TF_ENSURE(s->arena.head == NULL, err, TF_ERR_INVALID,
		  "monotonicity: scenarios with bound DER are not supported");
	for (unsigned i = 0; i < env->n; i++) {
		TF_GUARD(tf_prop_eval(env, i, s, &v0[i], err));
		open[i] = v0[i].status != TF_STATUS_200 && !tf_prop_search_bound(&v0[i]);
		any |= open[i];
	}
	if (!any)
		return TF_OK;
	for (unsigned c = 0; c < s->ncerts; c++)
		for (unsigned m = 0; m < MUT_COUNT; m++) {
			tf_scenario t = *s;
			if (!mutate(&t, c, m))
				continue;
			for (unsigned i = 0; i < env->n; i++) {
				bool yes = false;
				if (!open[i])
					continue;
				TF_GUARD(claimed(env, i, s, c, m, &yes, err));
				if (!yes)
					continue;
				TF_GUARD(tf_prop_eval(env, i, &t, &v1, err));
				if (tf_prop_search_bound(&v1))
					continue;
				tested = true;
				if (v1.status != TF_STATUS_200)
					continue;
				*out = TF_PROP_FAIL;
				if (!d)
					return TF_OK;
				char a[256], b[256];
				const char *how = m == MUT_EXPIRE ? "making" : "corrupting the signature of";
				snprintf(d->what, sizeof d->what, "%s says %s; after %s %s%s it says %s",
					 env->inst[i].name, tf_prop_say(s, &v0[i], true, a, sizeof a),
					 how, s->certs[c].id, m == MUT_EXPIRE ? " expired" : "",
					 tf_prop_say(&t, &v1, true, b, sizeof b));
				return tf_prop_set_twin(d, &t, err, "%s %s%s", how, s->certs[c].id,
							m == MUT_EXPIRE ? " expired" : "");
			}
		}
	*out = tested ? TF_PROP_PASS : TF_PROP_SKIP;
	return TF_OK;
}

const tf_property tf_prop_monotonicity = {
	.name = "monotonicity",
	.summary = "making one certificate expired, or corrupting one signature, never turns a "
		   "non-200 verdict into 200",
	.precondition = "the verdict is not 200 and no search stops at its node bound; under "
			"kb.trigger=signature, not the signature of a self-signed certificate of "
			"the issuer list's source store",
	.instances = "ref,kb",
	.ninstances = 0, /* any number: each is held to the property */
	.nprofiles = 3,
	.profiles = {TF_GEN_PROFILE_MIXED, TF_GEN_PROFILE_KB, TF_GEN_PROFILE_RFC5280},
	.default_trials = 1000,
	.check = mono_check,
};
