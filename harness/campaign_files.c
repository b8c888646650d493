/*
 * harness/campaign_files.c — state.json (resume) and stats.json (reports).
 *
 * Both are rewritten whole and atomically (tf_write_file_atomic), so a kill
 * at any moment leaves the previous or the next version, never a mix. Seeds
 * are written as decimal strings: JSON numbers are doubles to most readers
 * and a 64-bit seed does not survive that. Formats: docs/campaign.md.
 */
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_internal.h"
#include "trustfuzz/fixture.h"

#define STATE_SCHEMA "trustfuzz-campaign-state"
#define STATS_SCHEMA "trustfuzz-campaign-stats"
#define FILES_VERSION 1

static tf_err dump(json_t *root, const char *path, tf_error *err)
{
	tf_err rc = TF_OK;
	char *text = NULL;
	if (!root) {
		rc = tf_error_set(err, TF_ERR_NOMEM, "%s: out of memory", path);
		goto done;
	}
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text) {
		rc = tf_error_set(err, TF_ERR_NOMEM, "%s: out of memory", path);
		goto done;
	}
	size_t len = strlen(text);
	/* A trailing newline, as every text file the tool writes. */
	char *nl = realloc(text, len + 2);
	if (!nl) {
		rc = tf_error_set(err, TF_ERR_NOMEM, "%s: out of memory", path);
		goto done;
	}
	text = nl;
	text[len] = '\n';
	text[len + 1] = '\0';
	rc = tf_write_file_atomic(path, text, len + 1, err);
done:
	free(text);
	json_decref(root);
	return rc;
}

static json_t *u64_text(uint64_t v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%" PRIu64, v);
	return json_string(buf);
}

static bool u64_parse(const json_t *v, uint64_t *out)
{
	const char *s = json_string_value(v);
	char *end = NULL;
	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	unsigned long long x = strtoull(s, &end, 10);
	if (*end)
		return false;
	*out = (uint64_t)x;
	return true;
}

static bool count_get(const json_t *obj, const char *key, uint64_t *out)
{
	const json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return false;
	*out = (uint64_t)json_integer_value(v);
	return true;
}

tf_err camp_state_write(const char *out, const camp_state *st, tf_error *err)
{
	char path[PATH_MAX];
	const tf_campaign_saved *s = &st->saved;
	json_t *next = json_array();
	for (unsigned j = 0; next && j < s->jobs; j++)
		json_array_append_new(next, json_integer((json_int_t)st->next[j]));
	json_t *root = json_pack("{s:s, s:i, s:o, s:s, s:s, s:s, s:i, s:I, s:o}",
				 "schema", STATE_SCHEMA, "version", FILES_VERSION,
				 "seed", u64_text(s->seed), "profile", tf_profile_str(s->profile),
				 "evaluators", s->evaluators, "depth", tf_depth_str(s->depth),
				 "jobs", (int)s->jobs, "iterations", (json_int_t)s->iterations,
				 "next", next);
	snprintf(path, sizeof path, "%s/state.json", out);
	return dump(root, path, err);
}

tf_err camp_state_read(const char *out, camp_state *st, tf_error *err)
{
	tf_err rc = TF_OK;
	char path[PATH_MAX], *text = NULL;
	size_t len = 0;
	json_t *root = NULL;
	json_error_t jerr;
	const char *what = NULL;

	memset(st, 0, sizeof *st);
	snprintf(path, sizeof path, "%s/state.json", out);
	TF_GUARD(tf_read_file(path, &text, &len, err));
	root = json_loadb(text, len, 0, &jerr);
	if (!root) {
		rc = tf_error_set(err, TF_ERR_PARSE, "%s: line %d: %s", path, jerr.line, jerr.text);
		goto done;
	}
	tf_campaign_saved *s = &st->saved;
	const json_t *next = json_object_get(root, "next");
	uint64_t v = 0;
	const char *schema = json_string_value(json_object_get(root, "schema"));
	if (!schema || strcmp(schema, STATE_SCHEMA) != 0) {
		what = "schema: expected \"" STATE_SCHEMA "\"";
	} else if (!count_get(root, "version", &v) || v != FILES_VERSION) {
		what = "version: expected 1";
	} else if (!u64_parse(json_object_get(root, "seed"), &s->seed)) {
		what = "seed: expected a decimal string";
	} else if (!tf_profile_parse(json_string_value(json_object_get(root, "profile")),
				     &s->profile)) {
		what = "profile: expected mixed, kb or rfc5280";
	} else if (!json_is_string(json_object_get(root, "evaluators")) ||
		   strlen(json_string_value(json_object_get(root, "evaluators"))) >=
			   sizeof s->evaluators) {
		what = "evaluators: expected an instance list";
	} else if (!tf_depth_parse(json_string_value(json_object_get(root, "depth")), &s->depth)) {
		what = "depth: expected status, win32 or path";
	} else if (!count_get(root, "jobs", &v) || v < 1 || v > TF_CAMPAIGN_MAX_JOBS) {
		what = "jobs: expected 1..256";
	} else if ((s->jobs = (unsigned)v, !count_get(root, "iterations", &s->iterations))) {
		what = "iterations: expected a count";
	} else if (!json_is_array(next) || json_array_size(next) != s->jobs) {
		what = "next: expected one index per job";
	}
	if (what) {
		rc = tf_error_set(err, TF_ERR_SCHEMA, "%s: %s", path, what);
		goto done;
	}
	snprintf(s->evaluators, sizeof s->evaluators, "%s",
		 json_string_value(json_object_get(root, "evaluators")));
	s->next_min = UINT64_MAX;
	for (unsigned j = 0; j < s->jobs; j++) {
		const json_t *e = json_array_get(next, j);
		if (!json_is_integer(e) || json_integer_value(e) < 0 ||
		    (uint64_t)json_integer_value(e) % s->jobs != j) {
			rc = tf_error_set(err, TF_ERR_SCHEMA,
					  "%s: next[%u]: expected an index of worker %u (≡ %u mod %u)",
					  path, j, j, j, s->jobs);
			goto done;
		}
		st->next[j] = (uint64_t)json_integer_value(e);
		if (st->next[j] < s->next_min)
			s->next_min = st->next[j];
	}
done:
	json_decref(root);
	free(text);
	return rc;
}

static json_t *verdicts_json(const tf_campaign_result *r)
{
	json_t *all = json_object();
	for (unsigned k = 0; all && k < r->ninstances; k++) {
		json_t *one = json_object();
		for (unsigned c = 0; one && c < TF_VCLASS_COUNT; c++)
			json_object_set_new(one, tf_vclass_str((tf_vclass)c),
					    json_integer((json_int_t)r->verdicts[k][c]));
		json_object_set_new(all, r->instance[k], one);
	}
	return all;
}

static json_t *rows_json(const tf_campaign_result *r)
{
	json_t *rows = json_array();
	for (unsigned i = 0; rows && i < r->nsigs; i++) {
		const tf_campaign_sig *s = &r->sigs[i];
		json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:I}", "id", s->id, "signature",
					s->text, "class", s->known ? "known" : "new", "known_id",
					s->known_id, "count", (json_int_t)s->count);
		if (row && s->seen) {
			json_object_set_new(row, "first_index", json_integer((json_int_t)s->first_index));
			json_object_set_new(row, "first_s", json_real(s->first_s));
		}
		if (row) {
			json_object_set_new(row, "fixture", json_string(s->fixture));
			json_object_set_new(row, "minimized", json_boolean(s->minimized));
		}
		json_array_append_new(rows, row);
	}
	return rows;
}

static json_t *timeline_json(const camp_table *t)
{
	json_t *pts = json_array();
	for (size_t i = 0; pts && i < t->ntimeline; i++)
		json_array_append_new(pts, json_pack("{s:f, s:I, s:i}", "s", t->timeline[i].s,
						     "scenarios",
						     (json_int_t)t->timeline[i].scenarios,
						     "distinct", (int)t->timeline[i].distinct));
	return pts;
}

tf_err camp_stats_write(const char *out, const tf_campaign_opts *o, const camp_table *t,
			tf_error *err)
{
	char path[PATH_MAX];
	const tf_campaign_result *r = t->res;
	const tf_campaign_progress *p = &r->totals;
	json_t *root = json_object();
	if (root) {
		json_object_set_new(root, "schema", json_string(STATS_SCHEMA));
		json_object_set_new(root, "version", json_integer(FILES_VERSION));
		json_object_set_new(root, "seed", u64_text(o->seed));
		json_object_set_new(root, "profile", json_string(tf_profile_str(o->profile)));
		json_object_set_new(root, "evaluators", json_string(o->evaluators));
		json_object_set_new(root, "depth", json_string(tf_depth_str(o->depth)));
		json_object_set_new(root, "jobs", json_integer(o->jobs));
		json_object_set_new(root, "scenarios", json_integer((json_int_t)p->scenarios));
		json_object_set_new(root, "elapsed_s", json_real(p->elapsed_s));
		json_object_set_new(root, "rate", json_real(p->elapsed_s > 0
								    ? (double)p->scenarios / p->elapsed_s
								    : 0.0));
		json_object_set_new(root, "divergent", json_integer((json_int_t)p->divergent));
		json_object_set_new(root, "signatures", json_integer(p->signatures));
		json_object_set_new(root, "new_signatures", json_integer(p->new_signatures));
		json_object_set_new(root, "unminimized", json_integer(p->unminimized));
		json_object_set_new(root, "crashes", json_integer(p->crashes));
		json_object_set_new(root, "unreadable", json_integer(r->nbad));
		json_object_set_new(root, "verdicts", verdicts_json(r));
		json_object_set_new(root, "signature_table", rows_json(r));
		json_object_set_new(root, "timeline", timeline_json(t));
	}
	snprintf(path, sizeof path, "%s/stats.json", out);
	return dump(root, path, err);
}

static void restore_row(camp_table *t, const json_t *row)
{
	const char *id = json_string_value(json_object_get(row, "id"));
	const char *text = json_string_value(json_object_get(row, "signature"));
	const char *cls = json_string_value(json_object_get(row, "class"));
	const char *kid = json_string_value(json_object_get(row, "known_id"));
	if (!tf_sig_id_valid(id))
		return;
	tf_campaign_sig *s = camp_row(t, id);
	if (!s)
		return;
	snprintf(s->text, sizeof s->text, "%s", text ? text : "");
	s->known = cls && !strcmp(cls, "known");
	snprintf(s->known_id, sizeof s->known_id, "%s", kid ? kid : "");
	(void)count_get(row, "count", &s->count);
	const json_t *fs = json_object_get(row, "first_s");
	if (count_get(row, "first_index", &s->first_index) && json_is_number(fs)) {
		s->seen = true;
		s->first_s = json_number_value(fs);
	}
}

void camp_stats_read(const char *out, const tf_campaign_opts *o, camp_table *t)
{
	char path[PATH_MAX], *text = NULL;
	size_t len = 0;
	uint64_t seed = 0;
	json_error_t jerr;
	tf_error ignored = {0};
	tf_campaign_result *r = t->res;

	snprintf(path, sizeof path, "%s/stats.json", out);
	/* Statistics are a report, not a record: a missing or unreadable file
	 * costs the earlier counts, never a finding, so it does not stop a
	 * resume. */
	if (tf_read_file(path, &text, &len, &ignored) != TF_OK)
		return;
	json_t *root = json_loadb(text, len, 0, &jerr);
	free(text);
	if (!root)
		return;
	const char *schema = json_string_value(json_object_get(root, "schema"));
	if (!schema || strcmp(schema, STATS_SCHEMA) != 0 ||
	    !u64_parse(json_object_get(root, "seed"), &seed) || seed != o->seed)
		goto done;
	tf_campaign_progress *p = &r->totals;
	uint64_t v = 0;
	(void)count_get(root, "scenarios", &p->scenarios);
	(void)count_get(root, "divergent", &p->divergent);
	if (count_get(root, "crashes", &v))
		p->crashes = (unsigned)v;
	const json_t *el = json_object_get(root, "elapsed_s");
	if (json_is_number(el) && json_number_value(el) >= 0)
		p->elapsed_s = json_number_value(el);
	const json_t *vd = json_object_get(root, "verdicts");
	for (unsigned k = 0; k < r->ninstances; k++) {
		const json_t *one = json_object_get(vd, r->instance[k]);
		for (unsigned c = 0; c < TF_VCLASS_COUNT; c++)
			(void)count_get(one, tf_vclass_str((tf_vclass)c), &r->verdicts[k][c]);
	}
	const json_t *rows = json_object_get(root, "signature_table");
	for (size_t i = 0; i < json_array_size(rows); i++)
		restore_row(t, json_array_get(rows, i));
	const json_t *tl = json_object_get(root, "timeline");
	for (size_t i = 0; i < json_array_size(tl); i++) {
		const json_t *pt = json_array_get(tl, i);
		const json_t *s = json_object_get(pt, "s");
		uint64_t sc = 0, d = 0;
		if (!json_is_number(s) || !count_get(pt, "scenarios", &sc) ||
		    !count_get(pt, "distinct", &d))
			continue;
		camp_point *grown = tf_grow(t->timeline, &t->captimeline, t->ntimeline,
					    sizeof *grown);
		if (!grown)
			break;
		t->timeline = grown;
		t->timeline[t->ntimeline++] =
			(camp_point){json_number_value(s), sc, (unsigned)d};
	}
	t->prev_s = p->elapsed_s;
	t->prev_scenarios = p->scenarios;
	camp_count_rows(t);
done:
	json_decref(root);
}
