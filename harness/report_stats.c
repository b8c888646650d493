/*
 * harness/report_stats.c — reads the two statistics files a findings
 * directory may hold: stats.json of `trustfuzz run` (docs/campaign.md) and
 * fuzz-stats.json of the overnight scripts (report.h). Both are optional;
 * a field that is there must have its documented type (the error names the
 * file and the field), a field that is missing reads as zero, so that a
 * report works on files from older or newer writers.
 */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report_internal.h"

#define CAMPAIGN_SCHEMA "trustfuzz-campaign-stats"
#define FUZZ_SCHEMA "trustfuzz-fuzz-stats"

typedef struct rd {
	const char *path;
	tf_error *err;
	tf_err rc;
} rd;

static bool bad(rd *d, const char *field, const char *want)
{
	if (d->rc == TF_OK)
		d->rc = tf_error_set(d->err, TF_ERR_SCHEMA, "%s: %s: expected %s", d->path, field,
				     want);
	return false;
}

static void get_text(rd *d, const json_t *obj, const char *key, const char *field, char *out,
		     size_t outsz)
{
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return;
	if (!json_is_string(v) || strlen(json_string_value(v)) >= outsz) {
		char want[64];
		snprintf(want, sizeof want, "a string of at most %zu bytes", outsz - 1);
		bad(d, field, want);
		return;
	}
	snprintf(out, outsz, "%s", json_string_value(v));
}

static void get_count(rd *d, const json_t *obj, const char *key, const char *field, uint64_t *out)
{
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return;
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		bad(d, field, "a count (an integer >= 0)");
		return;
	}
	*out = (uint64_t)json_integer_value(v);
}

static void get_small(rd *d, const json_t *obj, const char *key, const char *field, unsigned *out)
{
	uint64_t v = 0;
	get_count(d, obj, key, field, &v);
	if (v > UINT_MAX)
		bad(d, field, "a count below 2^32");
	else
		*out = (unsigned)v;
}

static void get_seconds(rd *d, const json_t *obj, const char *key, const char *field, double *out,
			bool *has)
{
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return;
	if (!json_is_number(v) || json_number_value(v) < 0) {
		bad(d, field, "a number of seconds >= 0");
		return;
	}
	*out = json_number_value(v);
	if (has)
		*has = true;
}

/* Opens path: *root NULL (and TF_OK) when the file does not exist. */
static tf_err load(const char *path, json_t **root, tf_error *err)
{
	struct stat st;
	json_error_t jerr;
	char *text = NULL;
	size_t len = 0;
	*root = NULL;
	if (stat(path, &st) != 0)
		return TF_OK;
	TF_GUARD(tf_read_file(path, &text, &len, err));
	*root = json_loadb(text, len, 0, &jerr);
	free(text);
	TF_ENSURE(*root, err, TF_ERR_PARSE, "%s: line %d: %s", path, jerr.line, jerr.text);
	if (!json_is_object(*root)) {
		json_decref(*root);
		*root = NULL;
		TF_BAIL(err, TF_ERR_SCHEMA, "%s: expected a JSON object", path);
	}
	return TF_OK;
}

static tf_err check_schema(rd *d, const json_t *root, const char *schema)
{
	const char *s = json_string_value(json_object_get(root, "schema"));
	const json_t *v = json_object_get(root, "version");
	if (!s || strcmp(s, schema) != 0)
		return tf_error_set(d->err, TF_ERR_SCHEMA, "%s: schema: expected \"%s\"", d->path,
				    schema);
	if (!json_is_integer(v) || json_integer_value(v) != 1)
		return tf_error_set(d->err, TF_ERR_SCHEMA, "%s: version: expected 1", d->path);
	return TF_OK;
}

static tf_err read_timeline(rd *d, const json_t *arr, tf_report_point **pts, size_t *npts)
{
	char field[64];
	if (!arr)
		return TF_OK;
	if (!json_is_array(arr)) {
		bad(d, "timeline", "an array");
		return d->rc;
	}
	size_t n = json_array_size(arr);
	*pts = n ? calloc(n, sizeof **pts) : NULL;
	TF_ENSURE(!n || *pts, d->err, TF_ERR_NOMEM, "%s: out of memory", d->path);
	for (size_t i = 0; i < n && d->rc == TF_OK; i++) {
		const json_t *p = json_array_get(arr, i);
		tf_report_point *pt = &(*pts)[i];
		snprintf(field, sizeof field, "timeline[%zu]", i);
		if (!json_is_object(p)) {
			bad(d, field, "an object {s, distinct}");
			break;
		}
		snprintf(field, sizeof field, "timeline[%zu].s", i);
		get_seconds(d, p, "s", field, &pt->s, NULL);
		snprintf(field, sizeof field, "timeline[%zu].distinct", i);
		get_small(d, p, "distinct", field, &pt->distinct);
		*npts = i + 1;
	}
	return d->rc;
}

static void read_verdicts(rd *d, const json_t *obj, tf_report_campaign *c)
{
	const char *name;
	const json_t *counts;
	char field[160];
	if (!obj)
		return;
	if (!json_is_object(obj)) {
		bad(d, "verdicts", "an object of instances");
		return;
	}
	json_object_foreach((json_t *)obj, name, counts)
	{
		if (c->ninstances == TF_MAX_INSTANCES || strlen(name) >= TF_INSTANCE_NAME_MAX) {
			bad(d, "verdicts", "at most 12 instances with names under 96 bytes");
			return;
		}
		unsigned k = c->ninstances++;
		snprintf(c->instance[k], sizeof c->instance[k], "%s", name);
		for (unsigned v = 0; v < TF_VCLASS_COUNT; v++) {
			snprintf(field, sizeof field, "verdicts.%s.%s", name, tf_vclass_str((tf_vclass)v));
			get_count(d, counts, tf_vclass_str((tf_vclass)v), field, &c->verdicts[k][v]);
		}
	}
}

static void read_row(rd *d, tf_report *r, const json_t *row, size_t i)
{
	char field[64], id[TF_SIG_ID_SIZE] = "", cls[16] = "";
	snprintf(field, sizeof field, "signature_table[%zu].id", i);
	get_text(d, row, "id", field, id, sizeof id);
	if (d->rc != TF_OK)
		return;
	if (!tf_sig_id_valid(id)) {
		bad(d, field, "a signature id (16 lower-case hex digits)");
		return;
	}
	tf_report_sig *s = rep_sig_get(r, id);
	if (!s) {
		d->rc = tf_error_set(d->err, TF_ERR_NOMEM, "%s: out of memory", d->path);
		return;
	}
	s->in_stats = true;
	snprintf(field, sizeof field, "signature_table[%zu].signature", i);
	get_text(d, row, "signature", field, s->text, sizeof s->text);
	snprintf(field, sizeof field, "signature_table[%zu].class", i);
	get_text(d, row, "class", field, cls, sizeof cls);
	s->recorded_known = s->known = !strcmp(cls, "known");
	snprintf(field, sizeof field, "signature_table[%zu].known_id", i);
	get_text(d, row, "known_id", field, s->known_id, sizeof s->known_id);
	snprintf(field, sizeof field, "signature_table[%zu].count", i);
	s->has_count = json_object_get(row, "count") != NULL;
	get_count(d, row, "count", field, &s->count);
	snprintf(field, sizeof field, "signature_table[%zu].first_index", i);
	s->has_first_index = json_object_get(row, "first_index") != NULL;
	get_count(d, row, "first_index", field, &s->first_index);
	snprintf(field, sizeof field, "signature_table[%zu].first_s", i);
	get_seconds(d, row, "first_s", field, &s->first_s, &s->has_first_s);
}

tf_err rep_read_campaign(tf_report *r, tf_error *err)
{
	char path[TF_REPORT_PATH_MAX + 16];
	json_t *root = NULL;
	tf_report_campaign *c = &r->camp;
	snprintf(path, sizeof path, "%s/stats.json", r->opts.dir);
	TF_GUARD(load(path, &root, err));
	if (!root)
		return TF_OK;
	rd d = {path, err, TF_OK};
	if ((d.rc = check_schema(&d, root, CAMPAIGN_SCHEMA)) != TF_OK)
		goto done;
	c->present = true;
	get_text(&d, root, "seed", "seed", c->seed, sizeof c->seed);
	get_text(&d, root, "profile", "profile", c->profile, sizeof c->profile);
	get_text(&d, root, "evaluators", "evaluators", c->evaluators, sizeof c->evaluators);
	get_text(&d, root, "depth", "depth", c->depth, sizeof c->depth);
	get_small(&d, root, "jobs", "jobs", &c->jobs);
	get_count(&d, root, "scenarios", "scenarios", &c->scenarios);
	get_count(&d, root, "divergent", "divergent", &c->divergent);
	get_seconds(&d, root, "elapsed_s", "elapsed_s", &c->elapsed_s, NULL);
	get_seconds(&d, root, "rate", "rate", &c->rate, NULL);
	get_small(&d, root, "signatures", "signatures", &c->signatures);
	get_small(&d, root, "new_signatures", "new_signatures", &c->new_signatures);
	get_small(&d, root, "unminimized", "unminimized", &c->unminimized);
	get_small(&d, root, "crashes", "crashes", &c->crashes);
	read_verdicts(&d, json_object_get(root, "verdicts"), c);
	const json_t *rows = json_object_get(root, "signature_table");
	if (rows && !json_is_array(rows))
		bad(&d, "signature_table", "an array");
	for (size_t i = 0; d.rc == TF_OK && i < json_array_size(rows); i++) {
		const json_t *row = json_array_get(rows, i);
		if (!json_is_object(row)) {
			char field[48];
			snprintf(field, sizeof field, "signature_table[%zu]", i);
			bad(&d, field, "an object");
			break;
		}
		read_row(&d, r, row, i);
	}
	if (d.rc == TF_OK)
		read_timeline(&d, json_object_get(root, "timeline"), &c->points, &c->npoints);
done:
	json_decref(root);
	return d.rc;
}

static void read_session(rd *d, const json_t *o, size_t i, tf_report_session *s)
{
	char field[64];
	if (!json_is_object(o)) {
		snprintf(field, sizeof field, "sessions[%zu]", i);
		bad(d, field, "an object");
		return;
	}
	snprintf(field, sizeof field, "sessions[%zu].engine", i);
	get_text(d, o, "engine", field, s->engine, sizeof s->engine);
	snprintf(field, sizeof field, "sessions[%zu].jobs", i);
	get_small(d, o, "jobs", field, &s->jobs);
	snprintf(field, sizeof field, "sessions[%zu].start", i);
	get_text(d, o, "start", field, s->start, sizeof s->start);
	snprintf(field, sizeof field, "sessions[%zu].seconds", i);
	get_seconds(d, o, "seconds", field, &s->seconds, NULL);
	snprintf(field, sizeof field, "sessions[%zu].execs", i);
	get_count(d, o, "execs", field, &s->execs);
	snprintf(field, sizeof field, "sessions[%zu].end", i);
	get_text(d, o, "end", field, s->end, sizeof s->end);
}

tf_err rep_read_fuzz(tf_report *r, tf_error *err)
{
	char path[TF_REPORT_PATH_MAX + 20];
	json_t *root = NULL;
	tf_report_fuzz *f = &r->fuzz;
	snprintf(path, sizeof path, "%s/fuzz-stats.json", r->opts.dir);
	TF_GUARD(load(path, &root, err));
	if (!root)
		return TF_OK;
	rd d = {path, err, TF_OK};
	if ((d.rc = check_schema(&d, root, FUZZ_SCHEMA)) != TF_OK)
		goto done;
	f->present = true;
	get_text(&d, root, "evaluators", "evaluators", f->evaluators, sizeof f->evaluators);
	get_text(&d, root, "depth", "depth", f->depth, sizeof f->depth);
	get_seconds(&d, root, "elapsed_s", "elapsed_s", &f->elapsed_s, NULL);
	get_count(&d, root, "execs", "execs", &f->execs);
	const json_t *ss = json_object_get(root, "sessions");
	if (ss && !json_is_array(ss))
		bad(&d, "sessions", "an array");
	for (size_t i = 0; d.rc == TF_OK && i < json_array_size(ss); i++) {
		/* The most recent sessions matter most: keep the last ones. */
		size_t skip = json_array_size(ss) > TF_REPORT_SESSIONS_MAX
				      ? json_array_size(ss) - TF_REPORT_SESSIONS_MAX
				      : 0;
		if (i < skip)
			continue;
		read_session(&d, json_array_get(ss, i), i, &f->sessions[f->nsessions++]);
	}
	if (d.rc == TF_OK)
		read_timeline(&d, json_object_get(root, "timeline"), &f->points, &f->npoints);
	const json_t *fs = json_object_get(root, "first_seen");
	if (d.rc == TF_OK && fs && !json_is_object(fs))
		bad(&d, "first_seen", "an object of signature ids");
	const char *id;
	const json_t *v;
	json_object_foreach((json_t *)fs, id, v)
	{
		if (d.rc != TF_OK)
			break;
		char field[64];
		snprintf(field, sizeof field, "first_seen.%.20s", id);
		if (!json_is_number(v) || json_number_value(v) < 0) {
			bad(&d, field, "a number of seconds >= 0");
			break;
		}
		/* Only findings on disk make a signature; the campaign's own
		 * first-seen time, when it has one, is the earlier record. */
		tf_report_sig *s = rep_sig_find(r, id);
		if (s && !s->has_first_s) {
			s->has_first_s = true;
			s->first_in_fuzz = true;
			s->first_s = json_number_value(v);
		}
	}
done:
	json_decref(root);
	return d.rc;
}
