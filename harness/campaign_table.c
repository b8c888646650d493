/*
 * harness/campaign_table.c — the parent's signature table and counters.
 *
 * Rows are keyed by signature id and kept in arrival order; a linear search
 * is enough (a campaign meets tens to a few thousand distinct signatures).
 *
 * "First seen" has two parts. The index is the lowest scenario index that
 * showed the signature: a fact of the seed and the indexes covered, the same
 * whatever the job count or the order the workers' reports arrive in, and
 * the scenario to regenerate to see it. The seconds are the campaign time
 * of the first report that named it: when the campaign learnt of it, which
 * is what the signature timeline plots.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_internal.h"

tf_campaign_sig *camp_row(camp_table *t, const char *id)
{
	tf_campaign_result *r = t->res;
	for (unsigned i = 0; i < r->nsigs; i++)
		if (!strcmp(r->sigs[i].id, id))
			return &r->sigs[i];
	tf_campaign_sig *grown = tf_grow(r->sigs, &t->cap, r->nsigs, sizeof *grown);
	if (!grown)
		return NULL;
	r->sigs = grown;
	tf_campaign_sig *row = &r->sigs[r->nsigs++];
	memset(row, 0, sizeof *row);
	snprintf(row->id, sizeof row->id, "%s", id);
	return row;
}

tf_err camp_apply_sig(camp_table *t, const camp_msg_sig *m, const char *out, tf_error *err)
{
	char id[TF_SIG_ID_SIZE];
	snprintf(id, sizeof id, "%s", m->id);
	TF_ENSURE(tf_sig_id_valid(id), err, TF_ERR_INTERNAL, "worker sent a bad signature id");
	tf_campaign_sig *row = camp_row(t, id);
	TF_ENSURE(row, err, TF_ERR_NOMEM, "signature table: out of memory");
	/* The worker's classification is the current one: the known table
	 * may have changed since an earlier run recorded this row. */
	snprintf(row->text, sizeof row->text, "%.*s", (int)sizeof m->text - 1, m->text);
	row->known = (m->flags & CAMP_SIG_KNOWN) != 0;
	snprintf(row->known_id, sizeof row->known_id, "%.*s", (int)sizeof m->known_id - 1,
		 m->known_id);
	if (m->flags & CAMP_SIG_HAS_FINDING)
		snprintf(row->fixture, sizeof row->fixture, "%s/findings/%s.json", out, id);
	camp_count_rows(t);
	return TF_OK;
}

static tf_err timeline_add(camp_table *t, double now_s)
{
	camp_point *grown = tf_grow(t->timeline, &t->captimeline, t->ntimeline, sizeof *grown);
	if (!grown)
		return TF_ERR_NOMEM;
	t->timeline = grown;
	camp_point *p = &t->timeline[t->ntimeline++];
	p->s = now_s;
	p->scenarios = t->res->totals.scenarios;
	p->distinct = t->res->totals.signatures;
	return TF_OK;
}

tf_err camp_apply_done(camp_table *t, const camp_msg_done *m, double now_s, tf_error *err)
{
	tf_campaign_result *r = t->res;
	bool more = false;

	r->totals.scenarios++;
	r->totals.run_scenarios++;
	if (m->nsig)
		r->totals.divergent++;
	for (unsigned k = 0; k < m->n && k < r->ninstances; k++)
		if (m->vclass[k] < TF_VCLASS_COUNT)
			r->verdicts[k][m->vclass[k]]++;
	for (unsigned k = 0; k < m->nsig; k++) {
		char id[TF_SIG_ID_SIZE];
		snprintf(id, sizeof id, "%016" PRIx64, m->sig[k]);
		tf_campaign_sig *row = camp_row(t, id);
		TF_ENSURE(row, err, TF_ERR_NOMEM, "signature table: out of memory");
		row->count++;
		if (row->seen && m->index < row->first_index)
			row->first_index = m->index;
		if (!row->seen) {
			row->seen = true;
			row->first_index = m->index;
			row->first_s = now_s;
			r->totals.run_signatures++;
			more = true;
		}
	}
	if (more) {
		camp_count_rows(t);
		TF_ENSURE(timeline_add(t, now_s) == TF_OK, err, TF_ERR_NOMEM,
			  "signature timeline: out of memory");
	}
	return TF_OK;
}

void camp_count_rows(camp_table *t)
{
	tf_campaign_result *r = t->res;
	unsigned all = 0, fresh = 0;
	for (unsigned i = 0; i < r->nsigs; i++) {
		all++;
		if (!r->sigs[i].known)
			fresh++;
	}
	r->totals.signatures = all;
	r->totals.new_signatures = fresh;
}

static int by_first(const void *pa, const void *pb)
{
	const tf_campaign_sig *a = pa, *b = pb;
	if (a->seen != b->seen)
		return a->seen ? -1 : 1;
	if (a->seen) {
		if (a->first_s != b->first_s)
			return a->first_s < b->first_s ? -1 : 1;
		if (a->first_index != b->first_index)
			return a->first_index < b->first_index ? -1 : 1;
	}
	return strcmp(a->id, b->id);
}

void camp_sort_rows(camp_table *t)
{
	if (t->res->nsigs > 1)
		qsort(t->res->sigs, t->res->nsigs, sizeof *t->res->sigs, by_first);
}

void camp_table_free(camp_table *t)
{
	free(t->timeline);
	t->timeline = NULL;
	t->ntimeline = t->captimeline = 0;
}
