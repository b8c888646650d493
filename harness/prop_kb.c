/*
 * harness/prop_kb.c — properties 3 and 4: the KB 2802568 model deviates from
 * the reference only through its trigger, and the KB's workaround removes
 * the deviation (docs/properties.md).
 *
 * Both compare instance 0 (the reference) with instance 1 (a KB model) on
 * the same scenario, at path depth plus the identity presented. The trigger
 * is computed here from the scenario and the KB instance's effective knobs,
 * not with tf_kb_triggered, so that the property checks the model's notion
 * of its own trigger instead of borrowing it.
 */
#include <stdio.h>
#include <string.h>

#include "prop_internal.h"
#include "trustfuzz/models.h"

/* Whether certificate c counts as non-self-signed for the KB trigger under
 * knobs k: by name (KB 2795828's detection, subject != issuer) or, with
 * kb.trigger=signature, also by signature. */
static bool kb_flags(const tf_scenario *s, const tf_knobs *k, unsigned c)
{
	if (!tf_cert_self_issued(s, c))
		return true;
	return k->kb_trigger == TF_KB_TRIGGER_SIGNATURE && !tf_cert_self_signed(s, c);
}

static tf_err compare(tf_prop_env *env, const tf_scenario *t, const char *context,
		      tf_prop_outcome *out, tf_prop_detail *d, tf_error *err)
{
	tf_verdict vr, vk;
	TF_GUARD(tf_prop_eval(env, 0, t, &vr, err));
	TF_GUARD(tf_prop_eval(env, 1, t, &vk, err));
	if (tf_verdict_equal(&vr, &vk, TF_DEPTH_PATH) && vr.identity == vk.identity) {
		*out = TF_PROP_PASS;
		return TF_OK;
	}
	*out = TF_PROP_FAIL;
	if (d) {
		char a[256], b[256];
		snprintf(d->what, sizeof d->what, "%s%s says %s, %s says %s", context,
			 env->inst[0].name, tf_prop_say(t, &vr, true, a, sizeof a),
			 env->inst[1].name, tf_prop_say(t, &vk, true, b, sizeof b));
	}
	return TF_OK;
}

/* ---- 3. No trigger, no bug ----------------------------------------------- */

static tf_err no_trigger_check(tf_prop_env *env, const tf_scenario *s, uint64_t aux,
			       tf_prop_outcome *out, tf_prop_detail *d, tf_error *err)
{
	tf_knobs k;
	(void)aux;
	*out = TF_PROP_SKIP;
	TF_GUARD(tf_instance_knobs(&env->inst[1], &s->knobs, &k, err));
	/* The KB rule applies to the store the issuer list comes from: Client
	 * Authentication Issuers when it holds anything, else Root. */
	tf_store_id src = s->stores[TF_STORE_CAI].n ? TF_STORE_CAI : TF_STORE_ROOT;
	for (unsigned i = 0; i < s->stores[src].n; i++)
		if (kb_flags(s, &k, s->stores[src].cert[i]))
			return TF_OK;
	if (tf_kb_triggered(s, &k)) {
		*out = TF_PROP_FAIL;
		if (d)
			snprintf(d->what, sizeof d->what,
				 "tf_kb_triggered says the KB trigger holds, but every certificate "
				 "of %s is self-issued%s",
				 tf_store_name(src),
				 k.kb_trigger == TF_KB_TRIGGER_SIGNATURE ? " and self-signed" : "");
		return TF_OK;
	}
	return compare(env, s, "", out, d, err);
}

const tf_property tf_prop_no_trigger = {
	.name = "no-trigger-no-bug",
	.summary = "the KB model gives exactly the reference verdict (status, HRESULT, identity, "
		   "path) when the KB trigger is absent",
	.precondition = "every certificate of the issuer list's source store (Client "
			"Authentication Issuers if non-empty, else Root) is self-issued, and "
			"self-signed too under kb.trigger=signature",
	.instances = "ref,kb",
	.ninstances = 2,
	.nprofiles = 3,
	.profiles = {TF_GEN_PROFILE_KB, TF_GEN_PROFILE_MIXED, TF_GEN_PROFILE_RFC5280},
	.default_trials = 3000,
	.check = no_trigger_check,
};

/* ---- 4. The workaround works --------------------------------------------- */

/* Moves what the trigger flags from Root to the end of Intermediate, in Root
 * order, once each; false when Intermediate would overflow. *moved counts
 * the certificates moved and names them in buf. */
static bool apply_workaround(tf_scenario *t, const tf_knobs *k, unsigned *moved, char *buf,
			     size_t n)
{
	tf_store *root = &t->stores[TF_STORE_ROOT], *inter = &t->stores[TF_STORE_INTERMEDIATE];
	tf_store kept = {0};
	size_t used = 0;
	*moved = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < root->n; i++) {
		unsigned c = root->cert[i];
		if (!kb_flags(t, k, c)) {
			kept.cert[kept.n++] = (uint8_t)c;
			continue;
		}
		if (!tf_store_has(inter, c)) {
			if (inter->n >= TF_MAX_STORE)
				return false;
			inter->cert[inter->n++] = (uint8_t)c;
			int w = snprintf(buf + used, n - used, "%s%s", *moved ? ", " : "",
					 t->certs[c].id);
			if (w > 0 && (size_t)w < n - used)
				used += (size_t)w;
		}
		(*moved)++;
	}
	*root = kept;
	return true;
}

static tf_err workaround_check(tf_prop_env *env, const tf_scenario *s, uint64_t aux,
			       tf_prop_outcome *out, tf_prop_detail *d, tf_error *err)
{
	tf_knobs k;
	tf_scenario t;
	unsigned moved = 0;
	char names[TF_PROP_WHAT_MAX / 2], context[TF_PROP_WHAT_MAX];
	(void)aux;
	*out = TF_PROP_SKIP;
	TF_ENSURE(s->arena.head == NULL, err, TF_ERR_INVALID,
		  "workaround: scenarios with bound DER are not supported");
	TF_GUARD(tf_instance_knobs(&env->inst[1], &s->knobs, &k, err));
	/* With Client Authentication Issuers in use, that store, not Root, is
	 * the list's source: a trigger there is out of reach of the KB's
	 * workaround on Root (the KB model then rightly keeps 403.16/403.7). */
	for (unsigned i = 0; i < s->stores[TF_STORE_CAI].n; i++)
		if (kb_flags(s, &k, s->stores[TF_STORE_CAI].cert[i]))
			return TF_OK;
	t = *s;
	t.server.trust_mode = 0;
	if (!apply_workaround(&t, &k, &moved, names, sizeof names) || moved == 0)
		return TF_OK;
	snprintf(context, sizeof context,
		 "after moving %s from Root to Intermediate (trust mode 0): ", names);
	TF_GUARD(compare(env, &t, context, out, d, err));
	if (*out == TF_PROP_FAIL && d)
		TF_GUARD(tf_prop_set_twin(d, &t, err, "workaround applied: %s moved to Intermediate, "
					  "trust mode 0", names));
	return TF_OK;
}

const tf_property tf_prop_workaround = {
	.name = "workaround",
	.summary = "moving every certificate the KB trigger flags from Root to Intermediate, "
		   "under trust mode 0, makes the KB model give the reference verdict",
	.precondition = "Client Authentication Issuers holds no flagged certificate (the "
			"workaround on Root cannot reach that store); Root holds a flagged "
			"certificate; Intermediate has room",
	.instances = "ref,kb",
	.ninstances = 2,
	.nprofiles = 2,
	.profiles = {TF_GEN_PROFILE_KB, TF_GEN_PROFILE_MIXED},
	.default_trials = 3000,
	.check = workaround_check,
};
