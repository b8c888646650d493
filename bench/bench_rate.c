/* bench/bench_rate.c — the fixed scenario set and throughput passes
 * (bench.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "trustfuzz/campaign.h"
#include "trustfuzz/diff.h"
#include "trustfuzz/gnutls_backend.h"
#include "trustfuzz/openssl_backend.h"
#include "trustfuzz/registry.h"

void tf_bench_now(tf_bench_clock *c)
{
	struct timespec cpu, wall;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
	clock_gettime(CLOCK_MONOTONIC, &wall);
	c->cpu = (double)cpu.tv_sec + (double)cpu.tv_nsec * 1e-9;
	c->wall = (double)wall.tv_sec + (double)wall.tv_nsec * 1e-9;
}

void tf_bench_since(const tf_bench_clock *a, tf_bench_clock *b)
{
	b->cpu -= a->cpu;
	b->wall -= a->wall;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

double tf_bench_median(const double *v, unsigned n)
{
	double *c = NULL, m = 0;
	if (n == 0 || !(c = malloc(n * sizeof *c)))
		return NAN;
	memcpy(c, v, n * sizeof *c);
	qsort(c, n, sizeof *c, cmp_double);
	m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
	free(c);
	return m;
}

tf_err tf_bench_set_make(tf_bench_set *set, uint64_t seed, tf_profile profile, unsigned n,
			 tf_error *err)
{
	memset(set, 0, sizeof *set);
	set->s = calloc(n ? n : 1, sizeof *set->s);
	if (!set->s)
		return tf_error_set(err, TF_ERR_NOMEM, "bench: out of memory for %u scenarios", n);
	set->seed = seed;
	set->profile = profile;
	for (; set->n < n; set->n++) {
		tf_scenario *s = &set->s[set->n];
		tf_gen_from_seed(s, tf_campaign_scenario_seed(seed, set->n), profile, NULL, NULL);
		set->by_keys[s->knobs.keys < 3 ? s->knobs.keys : 0]++;
		set->handshake += s->knobs.ossl_mode == TF_OSSL_MODE_HANDSHAKE;
	}
	return TF_OK;
}

tf_err tf_bench_set_with_keys(const tf_bench_set *src, unsigned keys, tf_bench_set *out,
			      tf_error *err)
{
	memset(out, 0, sizeof *out);
	out->s = calloc(src->n ? src->n : 1, sizeof *out->s);
	if (!out->s)
		return tf_error_set(err, TF_ERR_NOMEM, "bench: out of memory for %u scenarios", src->n);
	out->seed = src->seed;
	out->profile = src->profile;
	out->handshake = src->handshake;
	for (; out->n < src->n; out->n++) {
		tf_scenario *s = &out->s[out->n];
		tf_scenario_init(s);
		TF_GUARD(tf_scenario_copy(s, &src->s[out->n]) == TF_OK
				 ? TF_OK
				 : tf_error_set(err, TF_ERR_NOMEM, "bench: out of memory"));
		s->knobs.keys = (uint8_t)keys;
	}
	out->by_keys[keys < 3 ? keys : 0] = out->n;
	return TF_OK;
}

void tf_bench_set_free(tf_bench_set *set)
{
	for (unsigned i = 0; i < set->n; i++)
		tf_scenario_free(&set->s[i]);
	free(set->s);
	memset(set, 0, sizeof *set);
}

/* The bench's instances, opened, with their renderers (NULL for evaluators
 * that render nothing, or whose renderer is not reachable). */
typedef struct bench_inst {
	unsigned n, opened;
	tf_instance inst[TF_MAX_INSTANCES];
	tf_render *render[TF_MAX_INSTANCES];
	tf_run run;
	tf_signature sig[TF_MAX_INSTANCES * TF_MAX_INSTANCES];
} bench_inst;

static tf_err open_all(bench_inst *b, const char *list, bool cache, tf_error *err)
{
	TF_GUARD(tf_instances_parse(b->inst, TF_MAX_INSTANCES, &b->n, list, err));
	for (; b->opened < b->n; b->opened++) {
		tf_instance *in = &b->inst[b->opened];
		TF_GUARD(tf_instance_open(in, err));
		/* The backends that render: the cache knob and the hit
		 * counters are about their renderers. */
		if (in->ev == &tf_eval_openssl)
			b->render[b->opened] = tf_openssl_renderer(in->state);
		else if (in->ev == &tf_eval_gnutls)
			b->render[b->opened] = tf_gnutls_renderer(in->state);
		if (b->render[b->opened])
			tf_render_set_cache(b->render[b->opened], cache);
	}
	return TF_OK;
}

static void close_all(bench_inst *b)
{
	for (unsigned i = 0; i < b->opened; i++)
		tf_instance_close(&b->inst[i]);
}

static void sig_counts(const bench_inst *b, uint64_t *hits, uint64_t *misses, bool *any)
{
	*hits = *misses = 0;
	*any = false;
	for (unsigned i = 0; i < b->n; i++) {
		tf_render_stats st;
		bool seen = false;
		/* Backends of one thread share a renderer (render.h): count it once. */
		for (unsigned k = 0; k < i; k++)
			seen |= b->render[k] == b->render[i];
		if (!b->render[i] || seen)
			continue;
		tf_render_get_stats(b->render[i], &st);
		*hits += st.sig_hits;
		*misses += st.sig_misses;
		*any = true;
	}
}

/* One scenario's work; returns the evaluations that failed. */
static uint64_t judge(bench_inst *b, tf_bench_work work, const tf_scenario *s)
{
	uint64_t errors = 0;
	if (work == TF_BENCH_EVAL) {
		for (unsigned i = 0; i < b->n; i++) {
			tf_verdict v;
			tf_error e = {0};
			errors += tf_instance_eval(&b->inst[i], s, &v, &e) != TF_OK;
		}
		return errors;
	}
	tf_diff_run(b->inst, b->n, s, &b->run);
	tf_diff_signatures(b->inst, &b->run, s, TF_DEPTH_STATUS, b->sig,
			   sizeof b->sig / sizeof b->sig[0]);
	for (unsigned i = 0; i < b->n; i++)
		errors += b->run.rc[i] != TF_OK;
	return errors;
}

/* Judges every scenario with the validation time a day later (see bench.h). */
static void warm_up(bench_inst *b, const tf_bench_set *set)
{
	for (unsigned i = 0; i < set->n; i++) {
		tf_scenario t = set->s[i];
		t.server.validation_time += TF_DAY;
		judge(b, TF_BENCH_EVAL, &t);
	}
}

static void timed_pass(bench_inst *b, const tf_bench_set *set, tf_bench_work work,
		       tf_bench_rate *out)
{
	tf_scenario *g = NULL;
	if (work == TF_BENCH_GEN || work == TF_BENCH_GEN_DIFF)
		g = malloc(sizeof *g);
	for (unsigned i = 0; i < set->n; i++) {
		if (!g) {
			out->errors += judge(b, work, &set->s[i]);
			continue;
		}
		tf_gen_from_seed(g, tf_campaign_scenario_seed(set->seed, i), set->profile, NULL, NULL);
		if (work == TF_BENCH_GEN_DIFF)
			out->errors += judge(b, TF_BENCH_DIFF, g);
		tf_scenario_free(g);
	}
	out->scenarios += set->n;
	free(g);
}

tf_err tf_bench_rate_run(const tf_bench_set *set, tf_bench_work work, const char *instances,
			 bool cache, double min_cpu, unsigned max_passes, tf_bench_rate *out,
			 tf_error *err)
{
	tf_err rc = TF_OK;
	tf_bench_clock t0, t1;
	uint64_t h0 = 0, m0 = 0;
	bench_inst *b = calloc(1, sizeof *b);
	memset(out, 0, sizeof *out);
	if (!b)
		return tf_error_set(err, TF_ERR_NOMEM, "bench: out of memory");
	if (work != TF_BENCH_GEN) {
		TF_GUARD_GOTO(open_all(b, instances, cache, err), rc, done);
		warm_up(b, set);
	}
	sig_counts(b, &h0, &m0, &out->has_sig);
	tf_bench_now(&t0);
	do {
		timed_pass(b, set, work, out);
		out->passes++;
		tf_bench_now(&t1);
		tf_bench_since(&t0, &t1);
	} while (out->passes < max_passes && t1.cpu < min_cpu);
	out->t = t1;
	out->rate = t1.cpu > 0 ? (double)out->scenarios / t1.cpu : 0;
	sig_counts(b, &out->sig_hits, &out->sig_misses, &out->has_sig);
	out->sig_hits -= h0;
	out->sig_misses -= m0;
done:
	close_all(b);
	free(b);
	return rc;
}
