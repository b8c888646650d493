/*
 * harness/campaign.c — a campaign from options to result: checking the
 * options, taking the directory, restoring a resumed campaign, and the
 * final flush. The worker loop is campaign_loop.c, a worker's body
 * campaign_worker.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "campaign_internal.h"

void tf_campaign_opts_init(tf_campaign_opts *o)
{
	memset(o, 0, sizeof *o);
	o->profile = TF_GEN_PROFILE_MIXED;
	snprintf(o->evaluators, sizeof o->evaluators, "%s", TF_DEFAULT_EVALUATORS);
	o->depth = TF_DEPTH_STATUS;
	o->jobs = 1;
	o->examples = TF_FINDINGS_EXAMPLES_DEFAULT;
	o->min_steps = 4000;
	o->min_ms = 10000;
	o->test_crash_at = -1;
}

/* splitmix64's finaliser: a bijection with full avalanche. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

uint64_t tf_campaign_scenario_seed(uint64_t seed, uint64_t index)
{
	return mix64(mix64(seed) + (index + 1) * UINT64_C(0x9E3779B97F4A7C15));
}

const char *tf_vclass_str(tf_vclass c)
{
	static const char *const names[TF_VCLASS_COUNT] = {"200",    "403.7", "403.13", "403.16",
							   "403.17", "error", "oracle"};
	return (unsigned)c < TF_VCLASS_COUNT ? names[c] : "?";
}

tf_vclass camp_vclass(tf_err rc, const tf_verdict *v)
{
	if (rc == TF_ERR_ORACLE)
		return TF_VCLASS_ORACLE;
	if (rc != TF_OK)
		return TF_VCLASS_ERROR;
	switch (v->status) {
	case TF_STATUS_200: return TF_VCLASS_200;
	case TF_STATUS_403_7: return TF_VCLASS_403_7;
	case TF_STATUS_403_13: return TF_VCLASS_403_13;
	case TF_STATUS_403_16: return TF_VCLASS_403_16;
	case TF_STATUS_403_17: return TF_VCLASS_403_17;
	}
	return TF_VCLASS_ERROR;
}

tf_err tf_campaign_peek(const char *out, tf_campaign_saved *saved, tf_error *err)
{
	camp_state st;
	TF_GUARD(camp_state_read(out, &st, err));
	*saved = st.saved;
	return TF_OK;
}

uint64_t camp_ms(const camp *c)
{
	return c->o->now_us ? c->o->now_us(c->o->clock_ctx) / 1000u : 0;
}

double camp_now_s(const camp *c)
{
	return c->table.prev_s + (double)(camp_ms(c) - c->t0) / 1000.0;
}

void camp_snapshot(camp *c)
{
	tf_campaign_progress *p = &c->res->totals;
	p->run_elapsed_s = (double)(camp_ms(c) - c->t0) / 1000.0;
	p->elapsed_s = c->table.prev_s + p->run_elapsed_s;
	p->rate = p->run_elapsed_s > 0 ? (double)p->run_scenarios / p->run_elapsed_s : 0.0;
	p->workers = 0;
	for (unsigned j = 0; c->slot && j < c->o->jobs; j++)
		p->workers += c->slot[j].live;
	p->unminimized = 0;
	for (size_t i = 0; i < c->npend; i++)
		p->unminimized += !c->pend[i].done;
}

tf_err camp_save(camp *c, tf_error *err)
{
	camp_snapshot(c);
	c->last_save = camp_ms(c);
	/* Findings first: the state must never record scenarios as done whose
	 * findings a power loss could still take away. */
	TF_GUARD(tf_findings_sync(&c->findings, err));
	/* Statistics first: a kill between the two writes then leaves a state
	 * that is at most as far as the statistics, never further. */
	TF_GUARD(camp_stats_write(c->o->out, c->o, &c->table, err));
	return camp_state_write(c->o->out, &c->state, err);
}

tf_err camp_pend_add(camp *c, const char *id, unsigned nfeatures, unsigned owner,
		     tf_error *err)
{
	camp_pend *grown = tf_grow(c->pend, &c->cappend, c->npend, sizeof *grown);
	TF_ENSURE(grown, err, TF_ERR_NOMEM, "campaign: out of memory");
	c->pend = grown;
	camp_pend *p = &c->pend[c->npend++];
	memset(p, 0, sizeof *p);
	snprintf(p->id, sizeof p->id, "%s", id);
	p->nfeatures = (uint8_t)nfeatures;
	p->owner = owner;
	return TF_OK;
}

camp_pend *camp_pend_find(camp *c, const char *id)
{
	for (size_t i = 0; i < c->npend; i++)
		if (!c->pend[i].done && !strcmp(c->pend[i].id, id))
			return &c->pend[i];
	return NULL;
}

typedef struct pend_scan {
	camp *c;
	tf_err rc;
	tf_error *err;
} pend_scan;

/* Unminimized findings of earlier runs, spread over the workers by id;
 * one whose minimizing once crashed a worker is not tried again. */
static bool pend_from_file(const tf_findings_entry *e, void *ctx)
{
	pend_scan *ps = ctx;
	char path[PATH_MAX];
	if (e->minimized)
		return true;
	snprintf(path, sizeof path, "%s/crashes/minimize-%s.json", ps->c->o->out, e->id);
	if (access(path, F_OK) == 0)
		return true;
	ps->rc = camp_pend_add(ps->c, e->id, e->nfeatures, (unsigned)(e->key % ps->c->o->jobs),
			       ps->err);
	return ps->rc == TF_OK;
}

void camp_refresh_rows(camp *c)
{
	tf_fixture *fx = malloc(sizeof *fx);
	if (!fx)
		return;
	tf_fixture_init(fx);
	for (unsigned i = 0; i < c->res->nsigs; i++) {
		tf_campaign_sig *r = &c->res->sigs[i];
		tf_error ignored = {0};
		tf_findings_path(&c->findings, r->id, r->fixture, sizeof r->fixture);
		if (tf_fixture_read(r->fixture, fx, &ignored) != TF_OK) {
			r->fixture[0] = '\0';
			r->minimized = false;
			continue;
		}
		r->minimized = true;
		for (unsigned t = 0; t < fx->ntags; t++)
			if (!strcmp(fx->tags[t], TF_TAG_UNMINIMIZED))
				r->minimized = false;
		tf_fixture_free(fx);
	}
	free(fx);
}

static tf_err check_opts(const tf_campaign_opts *o, tf_error *err)
{
	TF_ENSURE(o->out && *o->out, err, TF_ERR_USAGE, "campaign: no output directory");
	TF_ENSURE(o->jobs >= 1 && o->jobs <= TF_CAMPAIGN_MAX_JOBS, err, TF_ERR_USAGE,
		  "campaign: jobs %u: expected 1..%d", o->jobs, TF_CAMPAIGN_MAX_JOBS);
	TF_ENSURE((unsigned)o->profile < TF_GEN_PROFILE_COUNT, err, TF_ERR_USAGE,
		  "campaign: unknown profile");
	TF_ENSURE(o->depth <= TF_DEPTH_PATH, err, TF_ERR_USAGE, "campaign: unknown depth");
	TF_ENSURE(o->examples <= TF_FINDINGS_EXAMPLES_MAX, err, TF_ERR_USAGE,
		  "campaign: examples %u: expected 0..%d", o->examples, TF_FINDINGS_EXAMPLES_MAX);
	TF_ENSURE(!o->time_ms || o->now_us, err, TF_ERR_USAGE,
		  "campaign: a time budget needs a clock");
	return TF_OK;
}

/* One campaign per directory: two would sweep each other's temp files and
 * overwrite each other's state. */
static tf_err take_lock(camp *c, tf_error *err)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/.lock", c->o->out);
	c->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	TF_ENSURE(c->lock_fd >= 0, err, TF_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	TF_ENSURE(flock(c->lock_fd, LOCK_EX | LOCK_NB) == 0, err, TF_ERR_USAGE,
		  "%s: another campaign is running in this directory", c->o->out);
	return TF_OK;
}

/* Where every worker starts: from the saved state for a resume (per worker
 * when the job count is the same; else from the lowest saved index, redoing
 * at most a few scenarios), else from the start. */
static tf_err plan(camp *c, tf_error *err)
{
	const tf_campaign_opts *o = c->o;
	tf_campaign_saved *s = &c->state.saved;

	if (o->resume) {
		camp_state old;
		TF_GUARD(camp_state_read(o->out, &old, err));
		const tf_campaign_saved *p = &old.saved;
		TF_ENSURE(p->seed == o->seed, err, TF_ERR_USAGE,
			  "%s: resume: the saved campaign has seed %llu, not %llu", o->out,
			  (unsigned long long)p->seed, (unsigned long long)o->seed);
		TF_ENSURE(p->profile == o->profile, err, TF_ERR_USAGE,
			  "%s: resume: the saved campaign has profile %s, not %s", o->out,
			  tf_profile_str(p->profile), tf_profile_str(o->profile));
		TF_ENSURE(!strcmp(p->evaluators, o->evaluators), err, TF_ERR_USAGE,
			  "%s: resume: the saved campaign has evaluators \"%s\", not \"%s\"",
			  o->out, p->evaluators, o->evaluators);
		TF_ENSURE(p->depth == o->depth, err, TF_ERR_USAGE,
			  "%s: resume: the saved campaign has depth %s, not %s", o->out,
			  tf_depth_str(p->depth), tf_depth_str(o->depth));
		for (unsigned j = 0; j < o->jobs; j++) {
			if (p->jobs == o->jobs) {
				c->state.next[j] = old.next[j];
			} else {
				uint64_t lo = p->next_min, r = lo % o->jobs;
				c->state.next[j] = lo + (j + o->jobs - r) % o->jobs;
			}
		}
	} else {
		for (unsigned j = 0; j < o->jobs; j++)
			c->state.next[j] = j;
	}
	s->seed = o->seed;
	s->profile = o->profile;
	snprintf(s->evaluators, sizeof s->evaluators, "%s", o->evaluators);
	s->depth = o->depth;
	s->jobs = o->jobs;
	s->iterations = o->iterations;
	return TF_OK;
}

static tf_err setup(camp *c, tf_error *err)
{
	const tf_campaign_opts *o = c->o;
	tf_instance *inst = NULL;
	unsigned n = 0;
	tf_err rc = TF_OK;

	/* The parent only names the instances; workers open them, so no
	 * backend state ever crosses a fork. */
	inst = calloc(TF_MAX_INSTANCES, sizeof *inst);
	TF_ENSURE(inst, err, TF_ERR_NOMEM, "campaign: out of memory");
	rc = tf_instances_parse(inst, TF_MAX_INSTANCES, &n, o->evaluators, err);
	for (unsigned k = 0; rc == TF_OK && k < n; k++)
		snprintf(c->res->instance[k], sizeof c->res->instance[k], "%s", inst[k].name);
	c->res->ninstances = n;
	free(inst);
	TF_GUARD(rc);
	TF_GUARD(tf_findings_open(&c->findings, o->out, o->examples, err));
	c->findings.sync_later = true; /* camp_save syncs before it records progress */
	c->res->nbad = c->findings.nbad;
	TF_GUARD(take_lock(c, err));
	TF_GUARD(tf_findings_sweep(&c->findings, err));
	if (o->known_path) {
		c->known = malloc(sizeof *c->known);
		TF_ENSURE(c->known, err, TF_ERR_NOMEM, "campaign: out of memory");
		TF_GUARD(tf_known_load(o->known_path, c->known, err));
	}
	TF_GUARD(plan(c, err));
	pend_scan ps = {c, TF_OK, err};
	TF_GUARD(tf_findings_each(&c->findings, pend_from_file, &ps, err));
	TF_GUARD(ps.rc);
	if (o->resume)
		camp_stats_read(o->out, o, &c->table);
	c->slot = calloc(o->jobs, sizeof *c->slot);
	TF_ENSURE(c->slot, err, TF_ERR_NOMEM, "campaign: out of memory");
	for (unsigned j = 0; j < o->jobs; j++)
		c->slot[j].fd = -1;
	return TF_OK;
}

tf_err tf_campaign_run(const tf_campaign_opts *opts, tf_campaign_result *res, tf_error *err)
{
	camp c;
	tf_err rc = TF_OK;

	memset(res, 0, sizeof *res);
	memset(&c, 0, sizeof c);
	c.o = opts;
	c.res = res;
	c.table.res = res;
	c.lock_fd = -1;
	c.self = getpid();
	TF_GUARD_GOTO(check_opts(opts, err), rc, done);
	TF_GUARD_GOTO(setup(&c, err), rc, done);
	c.t0 = c.last_progress = c.last_save = camp_ms(&c);
	/* A state file from the first moment: a campaign killed before its
	 * first periodic save can still be resumed. */
	TF_GUARD_GOTO(camp_save(&c, err), rc, done);
	rc = camp_loop(&c, err);
	tf_error save_err = {0};
	tf_err src = camp_save(&c, &save_err);
	if (rc == TF_OK && src != TF_OK) {
		rc = src;
		*err = save_err;
	}
	res->stopped = opts->stop && *opts->stop;
	res->complete = opts->iterations != 0;
	for (unsigned j = 0; j < opts->jobs; j++)
		if (c.state.next[j] < opts->iterations)
			res->complete = false;
	camp_refresh_rows(&c);
	camp_snapshot(&c);
	camp_sort_rows(&c.table);
	if (opts->progress)
		opts->progress(&res->totals, true, opts->progress_ctx);
done:
	camp_table_free(&c.table);
	tf_findings_close(&c.findings);
	free(c.known);
	free(c.slot);
	free(c.pend);
	if (c.lock_fd >= 0)
		close(c.lock_fd);
	return rc;
}

void tf_campaign_result_free(tf_campaign_result *res)
{
	free(res->sigs);
	memset(res, 0, sizeof *res);
}
