/*
 * harness/prop.c — the property runner (prop.h): draw the trials' scenarios,
 * call the check, shrink and write each counterexample.
 *
 * Why the shrink predicate keeps the trial's aux value: a check's random
 * choices (a permutation, a position) are drawn from aux and reduced into
 * the candidate's own ranges, so "the same property, the same choices" is
 * well defined on every smaller scenario the minimizer offers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prop_internal.h"
#include "trustfuzz/campaign.h"

static const tf_property *const builtin[] = {
	&tf_prop_store_order,	    &tf_prop_irrelevant_roots, &tf_prop_no_trigger,
	&tf_prop_workaround,	    &tf_prop_monotonicity,     &tf_prop_openssl_agreement,
	&tf_prop_determinism,	    &tf_prop_verify_handshake, NULL,
};

const tf_property *const *tf_properties(void)
{
	return builtin;
}

const tf_property *tf_property_find(const char *name)
{
	for (const tf_property *const *p = builtin; *p; p++)
		if (!strcmp((*p)->name, name))
			return *p;
	return NULL;
}

uint64_t tf_prop_trial_aux(uint64_t seed, uint64_t trial)
{
	/* Distinct from tf_campaign_scenario_seed's mix, so that a check's
	 * choices are not a function of the scenario's own draws. */
	uint64_t st = seed ^ UINT64_C(0x70726f702d617578); /* "prop-aux" */
	st ^= tf_prop_next(&st) + trial * UINT64_C(0xd1b54a32d192ed03);
	return tf_prop_next(&st);
}

/* Everything one run holds; heap-allocated (scenarios are large). */
typedef struct prop_run {
	const tf_property *p;
	tf_prop_env env;
	unsigned opened;
	bool inited;
	tf_scenario s, min;
	tf_prop_detail d;
	tf_prop_failure f;
	uint64_t aux; /* the failing trial's, for the shrink predicate */
} prop_run;

static tf_err open_env(prop_run *r, const tf_prop_opts *o, tf_prop_result *res, tf_error *err)
{
	const char *list = o->instances ? o->instances : r->p->instances;
	size_t used = 0;
	TF_GUARD(tf_instances_parse(r->env.inst, TF_PROP_MAX_INST, &r->env.n, list, err));
	TF_ENSURE(!r->p->ninstances || r->env.n == r->p->ninstances, err, TF_ERR_USAGE,
		  "property %s takes %u instance%s (default \"%s\"), got %u in \"%s\"",
		  r->p->name, r->p->ninstances, r->p->ninstances == 1 ? "" : "s",
		  r->p->instances, r->env.n, list);
	for (; r->opened < r->env.n; r->opened++)
		TF_GUARD(tf_instance_open(&r->env.inst[r->opened], err));
	for (unsigned i = 0; i < r->env.n; i++) {
		int w = snprintf(res->instances + used, sizeof res->instances - used, "%s%s",
				 i ? "," : "", r->env.inst[i].name);
		if (w > 0 && (size_t)w < sizeof res->instances - used)
			used += (size_t)w;
	}
	if (r->p->init) {
		r->inited = true; /* cleanup frees whatever a failed init left */
		TF_GUARD(r->p->init(&r->env, err));
	}
	return TF_OK;
}

static void close_env(prop_run *r)
{
	if (r->inited && r->p->cleanup)
		r->p->cleanup(&r->env);
	for (unsigned i = 0; i < r->opened; i++)
		tf_instance_close(&r->env.inst[i]);
}

static bool still_fails(const tf_scenario *candidate, void *ctx)
{
	prop_run *r = ctx;
	tf_prop_outcome oc = TF_PROP_SKIP;
	tf_error ignored = {0};
	/* An evaluator that cannot judge a candidate does not show the
	 * property failing on it: the candidate is simply not taken. */
	if (r->p->check(&r->env, candidate, r->aux, &oc, NULL, &ignored) != TF_OK)
		return false;
	return oc == TF_PROP_FAIL;
}

/* The trial's scenario failed: shrink it, describe it, write it, report it. */
static tf_err handle_failure(prop_run *r, const tf_prop_opts *o, tf_error *err)
{
	tf_prop_failure *f = &r->f;
	tf_prop_outcome oc = TF_PROP_SKIP;
	uint64_t digest = r->env.digest;

	snprintf(f->what_orig, sizeof f->what_orig, "%s", r->d.what);
	tf_scenario_free(&r->min);
	if (o->no_minimize) {
		TF_ENSURE(tf_scenario_copy(&r->min, &r->s) == TF_OK, err, TF_ERR_NOMEM,
			  "property: out of memory");
	} else {
		TF_GUARD(tf_minimize(&r->s, still_fails, r, &o->min, &r->min, &f->stats, err));
		f->minimized = true;
	}
	/* The predicate's checks are not part of what a run records. */
	r->env.digest = digest;
	tf_scenario_free(&r->d.twin);
	r->d.has_twin = false;
	r->d.what[0] = '\0';
	TF_GUARD(r->p->check(&r->env, &r->min, f->aux, &oc, &r->d, err));
	TF_ENSURE(oc == TF_PROP_FAIL, err, TF_ERR_INTERNAL,
		  "property %s: the %s counterexample of trial %llu no longer fails", r->p->name,
		  f->minimized ? "minimized" : "copied", (unsigned long long)f->trial);
	snprintf(f->what, sizeof f->what, "%s", r->d.what);
	if (o->out)
		TF_GUARD(tf_prop_write_fixtures(&r->env, o->out, f, &r->min, &r->d, &r->s, err));
	r->env.digest = digest;
	if (o->on_failure)
		o->on_failure(f, o->ctx);
	return TF_OK;
}

static tf_err run_trials(prop_run *r, const tf_prop_opts *o, tf_prop_result *res, tf_error *err)
{
	uint64_t n = o->trials ? o->trials : r->p->default_trials;
	unsigned max_failures = o->max_failures ? o->max_failures : 1;
	for (uint64_t t = o->first; t - o->first < n; t++) {
		tf_prop_outcome oc = TF_PROP_SKIP;
		tf_prop_failure *f = &r->f;
		memset(f, 0, sizeof *f);
		f->prop = r->p;
		f->seed = o->seed;
		f->trial = t;
		f->scenario_seed = tf_campaign_scenario_seed(o->seed, t);
		f->profile = r->p->profiles[t % r->p->nprofiles];
		f->aux = r->aux = tf_prop_trial_aux(o->seed, t);
		tf_scenario_free(&r->s);
		tf_gen_from_seed(&r->s, f->scenario_seed, f->profile, NULL, NULL);
		tf_scenario_free(&r->d.twin);
		r->d.has_twin = false;
		r->d.what[0] = '\0';
		r->env.generated = true;
		r->env.scenario_seed = f->scenario_seed;
		r->env.profile = f->profile;
		tf_err rc = r->p->check(&r->env, &r->s, f->aux, &oc, &r->d, err);
		r->env.generated = false;
		if (rc != TF_OK) {
			char where[128];
			snprintf(where, sizeof where, "property %s, seed %llu, trial %llu", r->p->name,
				 (unsigned long long)o->seed, (unsigned long long)t);
			tf_error_prefix(err, where);
			return rc;
		}
		res->trials++;
		if (oc == TF_PROP_PASS)
			res->passed++;
		else if (oc == TF_PROP_SKIP)
			res->skipped++;
		else {
			res->failed++;
			TF_GUARD(handle_failure(r, o, err));
			if (res->failed >= max_failures)
				break;
		}
	}
	return TF_OK;
}

tf_err tf_prop_run(const tf_property *p, const tf_prop_opts *o, tf_prop_result *res,
		   tf_error *err)
{
	tf_err rc = TF_OK;
	prop_run *r = calloc(1, sizeof *r);
	memset(res, 0, sizeof *res);
	if (!r)
		return tf_error_set(err, TF_ERR_NOMEM, "property: out of memory");
	r->p = p;
	r->env.digest = UINT64_C(0xcbf29ce484222325); /* FNV-1a 64 offset basis */
	tf_scenario_init(&r->s);
	tf_scenario_init(&r->min);
	tf_scenario_init(&r->d.twin);
	rc = open_env(r, o, res, err);
	if (rc == TF_OK)
		rc = run_trials(r, o, res, err);
	res->digest = r->env.digest;
	close_env(r);
	tf_scenario_free(&r->s);
	tf_scenario_free(&r->min);
	tf_scenario_free(&r->d.twin);
	free(r);
	return rc;
}
