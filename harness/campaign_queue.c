/*
 * harness/campaign_queue.c — a worker's queue of findings to minimize.
 *
 * A worker publishes each new signature's scenario at once, unminimized,
 * and queues it here; between scenarios it takes the next one, replaces the
 * finding by the minimized fixture, and tells the parent (MIN_BEGIN /
 * MIN_END, so that a crash while minimizing is not blamed on a scenario).
 * Order and timing: campaign_internal.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_internal.h"

/* A minimization costs its step count times the pair's evaluation time, so
 * the time of one evaluation of the pair ranks findings by the cost of
 * shrinking them, without naming any evaluator: 0 below 100 us (pure
 * models), then one class per factor of ten. */
static uint8_t cost_class(uint64_t us)
{
	uint8_t c = 0;
	for (us /= 100; us; us /= 10)
		c++;
	return c;
}

uint8_t camp_pair_cost(camp_worker *w, const tf_signature *sig)
{
	tf_verdict v;
	tf_error ignored = {0};
	if (!w->a->o->now_us)
		return 0;
	uint64_t t0 = camp_worker_now(w);
	/* Only the time matters here: the verdicts are the run's already. */
	if (tf_instance_eval(&w->inst[sig->a], &w->s, &v, &ignored) == TF_OK)
		ignored.code = tf_instance_eval(&w->inst[sig->b], &w->s, &v, &ignored);
	return cost_class(camp_worker_now(w) - t0);
}

tf_err camp_enqueue(camp_worker *w, const char *id, uint8_t cost, unsigned nfeatures,
		    tf_error *err)
{
	camp_queued *grown = tf_grow(w->q, &w->capq, w->nq, sizeof *grown);
	TF_ENSURE(grown, err, TF_ERR_NOMEM, "worker: out of memory");
	w->q = grown;
	camp_queued *e = &w->q[w->nq++];
	snprintf(e->id, sizeof e->id, "%s", id);
	e->cost = cost;
	e->nfeatures = (uint8_t)nfeatures;
	e->seq = w->seq++;
	return TF_OK;
}

static bool before(const camp_queued *x, const camp_queued *y)
{
	if (x->cost != y->cost)
		return x->cost < y->cost;
	if (x->nfeatures != y->nfeatures)
		return x->nfeatures < y->nfeatures;
	return x->seq < y->seq;
}

/* The next finding to minimize: the cheapest to shrink (so that a slow
 * backend's findings never hold up the pure models'), then the one with
 * the fewest features (the simple signatures a reader wants first), then
 * the oldest. */
static size_t best(const camp_worker *w)
{
	size_t b = 0;
	for (size_t i = 1; i < w->nq; i++)
		if (before(&w->q[i], &w->q[b]))
			b = i;
	return b;
}

static camp_queued dequeue(camp_worker *w)
{
	size_t b = best(w);
	camp_queued e = w->q[b];
	w->q[b] = w->q[--w->nq];
	return e;
}

static void min_msg(const camp_worker *w, uint16_t type, const char *id, bool ok)
{
	camp_msg_min m;
	memset(&m, 0, sizeof m);
	snprintf(m.id, sizeof m.id, "%s", id);
	m.ok = ok;
	camp_send(w, type, &m, sizeof m);
}

/* Replaces one camp_queued finding by its minimized fixture. A finding that no
 * longer shows its signature (an evaluator changed since it was written)
 * or that went away is left as it is. */
static tf_err minimize_one(camp_worker *w, tf_error *err)
{
	char path[4200];
	tf_error rerr = {0};
	camp_queued e = dequeue(w);
	bool ok = false;

	min_msg(w, CAMP_MSG_MIN_BEGIN, e.id, false);
	tf_findings_path(w->a->findings, e.id, path, sizeof path);
	if (tf_fixture_read(path, &w->fx, &rerr) == TF_OK) {
		tf_diff_run(w->inst, w->n, &w->fx.scenario, &w->run);
		unsigned nsig = tf_diff_signatures(w->inst, &w->run, &w->fx.scenario,
						   w->a->o->depth, w->sig, CAMP_MAX_PAIRS);
		if (nsig > CAMP_MAX_PAIRS)
			nsig = CAMP_MAX_PAIRS;
		tf_known_coarsen_all(w->a->known, w->inst, w->sig, nsig);
		const tf_signature *sig = tf_signature_find(w->sig, nsig, e.id);
		if (sig) {
			tf_finding_opts fo;
			camp_finding_opts(w, 0, false, &fo);
			fo.has_seed = w->fx.prov.has_seed;
			fo.seed = w->fx.prov.seed;
			tf_err rc = tf_finding_fixture(w->inst, w->n, &w->fx.scenario, sig, &fo,
						       &w->fx2, NULL, err);
			if (rc == TF_OK)
				rc = tf_findings_replace(w->a->findings, e.id, &w->fx2, err);
			tf_fixture_free(&w->fx2);
			if (rc != TF_OK) {
				tf_fixture_free(&w->fx);
				return rc;
			}
			ok = true;
		}
	}
	tf_fixture_free(&w->fx);
	min_msg(w, CAMP_MSG_MIN_END, e.id, ok);
	return TF_OK;
}

/* Minimizes while minimizing has had no more time than scanning, and the
 * cheap ones (cost class 0: a tenth of a millisecond per evaluation) at
 * once. */
tf_err camp_catch_up(camp_worker *w, bool all, tf_error *err)
{
	while (w->nq && !camp_stop_requested() &&
	       (all || w->min_us <= w->scan_us || w->q[best(w)].cost == 0)) {
		uint64_t t0 = camp_worker_now(w);
		TF_GUARD(minimize_one(w, err));
		w->min_us += camp_worker_now(w) - t0;
	}
	return TF_OK;
}
