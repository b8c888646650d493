/*
 * harness/report_eval.c — every finding judged again, through the registry,
 * by the instances its fixture names: the report shows what this build
 * says, whether the finding still shows its signature, and how the known
 * table classifies it now. Instances are opened once per distinct list
 * (every finding of one campaign names the same list).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

#define MAX_PAIRS (TF_MAX_INSTANCES * (TF_MAX_INSTANCES - 1) / 2)

typedef struct inst_cache {
	char list[TF_FIXTURE_MAX_EXPECT * (TF_FIXTURE_EVAL_MAX + 1) + 1];
	tf_instance inst[TF_MAX_INSTANCES];
	unsigned n, nopen;
	tf_err rc;              /* why the list could not be opened */
	char msg[TF_ERROR_MSG_MAX];
} inst_cache;

static void cache_close(inst_cache *c)
{
	for (unsigned k = 0; k < c->nopen; k++)
		tf_instance_close(&c->inst[k]);
	c->nopen = c->n = 0;
	c->list[0] = '\0';
}

/* Makes c hold the opened instances of list; false (c->msg says why) when
 * this build cannot. */
static bool cache_use(inst_cache *c, const char *list)
{
	tf_error err = {0};
	if (c->list[0] && !strcmp(c->list, list))
		return c->rc == TF_OK;
	cache_close(c);
	snprintf(c->list, sizeof c->list, "%s", list);
	c->rc = tf_instances_parse(c->inst, TF_MAX_INSTANCES, &c->n, list, &err);
	while (c->rc == TF_OK && c->nopen < c->n) {
		c->rc = tf_instance_open(&c->inst[c->nopen], &err);
		if (c->rc == TF_OK)
			c->nopen++;
	}
	if (c->rc != TF_OK)
		snprintf(c->msg, sizeof c->msg, "%s", err.msg);
	return c->rc == TF_OK;
}

static void fixture_list(const tf_report *r, const tf_fixture *fx, char *buf, size_t bufsz)
{
	buf[0] = '\0';
	if (fx->nexpect < 2) {
		snprintf(buf, bufsz, "%s", rep_default_evaluators(r));
		return;
	}
	for (unsigned k = 0; k < fx->nexpect; k++) {
		size_t used = strlen(buf);
		snprintf(buf + used, bufsz - used, "%s%s", k ? "," : "", fx->expect[k].evaluator);
	}
}

static tf_depth report_depth(const tf_report *r)
{
	tf_depth d = TF_DEPTH_STATUS;
	if (r->camp.present && tf_depth_parse(r->camp.depth, &d))
		return d;
	if (r->fuzz.present && tf_depth_parse(r->fuzz.depth, &d))
		return d;
	return TF_DEPTH_STATUS;
}

/* The pair named by a recorded signature text "A~B:...", when the finding
 * no longer shows it: still worth highlighting in the verdict table. */
static void pair_from_text(tf_report_sig *s)
{
	char a[TF_INSTANCE_NAME_MAX] = "", b[TF_INSTANCE_NAME_MAX] = "";
	const char *tilde = strchr(s->text, '~');
	const char *colon = tilde ? strchr(tilde, ':') : NULL;
	if (!colon || (size_t)(tilde - s->text) >= sizeof a || (size_t)(colon - tilde) > sizeof b)
		return;
	snprintf(a, sizeof a, "%.*s", (int)(tilde - s->text), s->text);
	snprintf(b, sizeof b, "%.*s", (int)(colon - tilde - 1), tilde + 1);
	bool fa = false, fb = false;
	for (unsigned k = 0; k < s->nverdicts; k++) {
		if (!fa && !strcmp(s->verdicts[k].instance, a)) {
			s->pair_a = k;
			fa = true;
		} else if (!fb && !strcmp(s->verdicts[k].instance, b)) {
			s->pair_b = k;
			fb = true;
		}
	}
	s->has_pair = fa && fb;
}

/* Whether sig is the recorded text's pair and verdict classes with at
 * least the recorded features: the mechanism form of the same divergence
 * under another known table. */
static bool same_divergence(const tf_report_sig *s, const tf_signature *sig)
{
	const char *colon = strrchr(s->text, ':');
	const char *mine = strrchr(sig->text, ':');
	size_t head = colon ? (size_t)(colon - s->text) : 0;
	if (!colon || !mine || (size_t)(mine - sig->text) != head ||
	    strncmp(s->text, sig->text, head) != 0)
		return false;
	if (!strcmp(colon + 1, "-"))
		return true;
	for (const char *f = colon + 1; *f;) {
		size_t len = strcspn(f, "+");
		bool found = false;
		for (unsigned i = 0; i < TF_FEAT_COUNT && !found; i++)
			found = (sig->facts & (1u << i)) && strlen(tf_feature_name(i)) == len &&
				!strncmp(tf_feature_name(i), f, len);
		if (!found)
			return false;
		f += len + (f[len] == '+');
	}
	return true;
}

/* The run's signature that is the recorded finding: by id in its full
 * form or its mechanism form under the report's table, else (the campaign
 * used another table) by the recorded text. The hit is left in its
 * mechanism form under the report's table. */
static const tf_signature *find_recorded(const tf_report *r, const inst_cache *c,
					 const tf_report_sig *s, tf_signature *sigs, unsigned n)
{
	tf_signature *hit = (tf_signature *)tf_signature_find(sigs, n, s->id);
	tf_known_coarsen_all(r->known, c->inst, sigs, n);
	if (!hit)
		hit = (tf_signature *)tf_signature_find(sigs, n, s->id);
	for (unsigned k = 0; !hit && s->text[0] && k < n; k++)
		if (same_divergence(s, &sigs[k]))
			hit = &sigs[k];
	return hit;
}

static tf_err judge(tf_report *r, tf_report_sig *s, inst_cache *c, const tf_fixture *fx,
		    tf_run *run, tf_signature *sigs, tf_error *err)
{
	const tf_scenario *sc = &fx->scenario;
	char list[sizeof c->list];
	fixture_list(r, fx, list, sizeof list);
	if (!cache_use(c, list)) {
		snprintf(s->eval_error, sizeof s->eval_error, "cannot open %s: %s", list, c->msg);
		return TF_OK;
	}
	tf_diff_run(c->inst, c->n, sc, run);
	s->verdicts = calloc(c->n, sizeof *s->verdicts);
	TF_ENSURE(s->verdicts, err, TF_ERR_NOMEM, "report: out of memory");
	s->nverdicts = c->n;
	for (unsigned k = 0; k < c->n; k++) {
		tf_report_verdict *v = &s->verdicts[k];
		snprintf(v->instance, sizeof v->instance, "%s", c->inst[k].name);
		v->judged = run->rc[k] == TF_OK;
		v->v = run->v[k];
		if (v->judged && v->v.path_len)
			tf_path_format(sc, v->v.path, v->v.path_len, v->path, sizeof v->path);
		if (!v->judged)
			snprintf(v->msg, sizeof v->msg, "%s: %s", tf_err_str(run->rc[k]), run->msg[k]);
	}
	unsigned n = tf_diff_signatures(c->inst, run, sc, report_depth(r), sigs, MAX_PAIRS);
	if (n > MAX_PAIRS)
		n = MAX_PAIRS;
	const tf_signature *hit = find_recorded(r, c, s, sigs, n);
	s->reproduces = hit != NULL;
	if (!hit) {
		pair_from_text(s);
		return TF_OK;
	}
	snprintf(s->text, sizeof s->text, "%s", hit->text);
	s->has_pair = true;
	s->pair_a = hit->a;
	s->pair_b = hit->b;
	if (r->known) {
		const tf_known_entry *e = tf_known_match(r->known, c->inst, hit);
		s->known = e != NULL;
		snprintf(s->known_id, sizeof s->known_id, "%s", e ? e->id : "");
	}
	return TF_OK;
}

tf_err rep_evaluate(tf_report *r, tf_error *err)
{
	tf_err rc = TF_OK;
	inst_cache *c = calloc(1, sizeof *c);
	tf_run *run = malloc(sizeof *run);
	tf_signature *sigs = malloc(MAX_PAIRS * sizeof *sigs);
	tf_fixture *fx = malloc(sizeof *fx);
	if (!c || !run || !sigs || !fx) {
		rc = tf_error_set(err, TF_ERR_NOMEM, "report: out of memory");
		goto done;
	}
	for (unsigned i = 0; i < r->nsigs && rc == TF_OK; i++) {
		tf_report_sig *s = &r->sigs[i];
		tf_error ferr = {0};
		if (!s->fixture[0])
			continue;
		tf_fixture_init(fx);
		if (tf_fixture_read(s->fixture, fx, &ferr) != TF_OK)
			snprintf(s->eval_error, sizeof s->eval_error, "%s", ferr.msg);
		else
			rc = judge(r, s, c, fx, run, sigs, err);
		tf_fixture_free(fx);
	}
done:
	if (c)
		cache_close(c);
	free(c);
	free(run);
	free(sigs);
	free(fx);
	return rc;
}
