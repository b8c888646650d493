/* bench/bench_min.c — the minimizer over the divergences of a fixed
 * campaign (bench.h): what a campaign worker does for each new signature. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "trustfuzz/campaign.h"
#include "trustfuzz/minimize.h"

#define MAX_PAIRS (TF_MAX_INSTANCES * (TF_MAX_INSTANCES - 1) / 2)

typedef struct min_job {
	unsigned n, opened;
	tf_instance inst[TF_MAX_INSTANCES];
	tf_run run;
	tf_signature pair[MAX_PAIRS];
	tf_signature sig[TF_BENCH_MIN_MAX];
	uint64_t index[TF_BENCH_MIN_MAX]; /* the scenario that first showed sig[i] */
	unsigned nsig;
	tf_scenario s, out;
} min_job;

static bool seen(const min_job *j, const tf_signature *sig)
{
	for (unsigned i = 0; i < j->nsig; i++)
		if (!strcmp(j->sig[i].text, sig->text))
			return true;
	return false;
}

/* The campaign: the first scenario of each distinct signature. Returns the
 * scenarios judged (fewer than asked when the signature table fills). */
static unsigned collect(min_job *j, uint64_t seed, tf_profile profile, unsigned scenarios)
{
	unsigned i = 0;
	for (; i < scenarios && j->nsig < TF_BENCH_MIN_MAX; i++) {
		tf_gen_from_seed(&j->s, tf_campaign_scenario_seed(seed, i), profile, NULL, NULL);
		tf_diff_run(j->inst, j->n, &j->s, &j->run);
		unsigned k = tf_diff_signatures(j->inst, &j->run, &j->s, TF_DEPTH_STATUS, j->pair,
						MAX_PAIRS);
		for (unsigned p = 0; p < k && p < MAX_PAIRS && j->nsig < TF_BENCH_MIN_MAX; p++) {
			if (seen(j, &j->pair[p]))
				continue;
			j->sig[j->nsig] = j->pair[p];
			j->index[j->nsig++] = i;
		}
		tf_scenario_free(&j->s);
	}
	return i;
}

static tf_err shrink_all(min_job *j, uint64_t seed, tf_profile profile, tf_bench_min *out,
			 tf_error *err)
{
	tf_campaign_opts dflt;
	tf_campaign_opts_init(&dflt);
	tf_min_opts o = {.max_steps = dflt.min_steps, .max_ms = dflt.min_ms};
	double certs_b[TF_BENCH_MIN_MAX], certs_a[TF_BENCH_MIN_MAX];
	unsigned worst = 0;
	for (unsigned i = 0; i < j->nsig; i++) {
		tf_min_sig_ctx ctx = {j->inst, j->n, TF_DEPTH_STATUS, &j->sig[i]};
		tf_min_stats st;
		tf_bench_clock t0, t1;
		tf_gen_from_seed(&j->s, tf_campaign_scenario_seed(seed, j->index[i]), profile, NULL,
				 NULL);
		tf_bench_now(&t0);
		tf_err rc = tf_minimize(&j->s, tf_min_keep_signature, &ctx, &o, &j->out, &st, err);
		tf_bench_now(&t1);
		tf_bench_since(&t0, &t1);
		tf_scenario_free(&j->s);
		tf_scenario_free(&j->out);
		TF_GUARD(rc);
		out->cpu_s[i] = t1.cpu;
		out->certs_before[i] = st.certs_before;
		out->certs_after[i] = st.certs_after;
		certs_b[i] = st.certs_before;
		certs_a[i] = st.certs_after;
		out->hit_bound += st.hit_step_bound || st.hit_time_bound;
		if (t1.cpu > out->cpu_s[worst])
			worst = i;
	}
	out->n = j->nsig;
	out->median_s = tf_bench_median(out->cpu_s, out->n);
	out->worst_s = out->n ? out->cpu_s[worst] : NAN;
	out->median_certs_before = (unsigned)tf_bench_median(certs_b, out->n);
	out->median_certs_after = (unsigned)tf_bench_median(certs_a, out->n);
	if (out->n)
		memcpy(out->worst_sig, j->sig[worst].text, sizeof out->worst_sig);
	return TF_OK;
}

tf_err tf_bench_min_run(uint64_t seed, tf_profile profile, unsigned scenarios, tf_bench_min *out,
			tf_error *err)
{
	tf_err rc = TF_OK;
	min_job *j = calloc(1, sizeof *j);
	memset(out, 0, sizeof *out);
	if (!j)
		return tf_error_set(err, TF_ERR_NOMEM, "bench: out of memory");
	tf_scenario_init(&j->s);
	tf_scenario_init(&j->out);
	TF_GUARD_GOTO(tf_instances_parse(j->inst, TF_MAX_INSTANCES, &j->n, TF_DEFAULT_EVALUATORS, err), rc,
		      done);
	for (; j->opened < j->n; j->opened++)
		TF_GUARD_GOTO(tf_instance_open(&j->inst[j->opened], err), rc, done);
	out->campaign = collect(j, seed, profile, scenarios);
	rc = shrink_all(j, seed, profile, out, err);
done:
	for (unsigned i = 0; i < j->opened; i++)
		tf_instance_close(&j->inst[i]);
	tf_scenario_free(&j->s);
	tf_scenario_free(&j->out);
	free(j);
	return rc;
}
