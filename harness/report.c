/*
 * harness/report.c — tf_report_load: a findings directory (findings.h) as
 * one tf_report. The files are the source of truth, as for the campaign:
 * a signature is listed when stats.json names it or a finding exists, and
 * whatever a statistics file says about a signature is added to it.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

void tf_report_opts_init(tf_report_opts *o)
{
	memset(o, 0, sizeof *o);
	o->dot = "dot";
	o->evaluate = true;
}

tf_report_sig *rep_sig_find(const tf_report *r, const char *id)
{
	for (unsigned i = 0; i < r->nsigs; i++)
		if (!strcmp(r->sigs[i].id, id))
			return &r->sigs[i];
	return NULL;
}

tf_report_sig *rep_sig_get(tf_report *r, const char *id)
{
	tf_report_sig *s = rep_sig_find(r, id);
	if (s)
		return s;
	/* The array doubles from 64 whenever nsigs reaches a power of two. */
	unsigned n = r->nsigs;
	if (n == 0 || (n >= 64 && (n & (n - 1)) == 0)) {
		size_t cap = n < 64 ? 64 : (size_t)n * 2;
		tf_report_sig *grown = realloc(r->sigs, cap * sizeof *grown);
		if (!grown)
			return NULL;
		r->sigs = grown;
	}
	s = &r->sigs[r->nsigs];
	memset(s, 0, sizeof *s);
	snprintf(s->id, sizeof s->id, "%s", id);
	s->order = r->nsigs++;
	s->reproduces = -1;
	return s;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Sorted names of the entries of path that end in suffix, dot files left
 * out. *names NULL and *n 0 when path does not exist. */
static tf_err list_dir(const char *path, const char *suffix, char ***names, size_t *n,
		       tf_error *err)
{
	size_t cap = 0, sl = strlen(suffix);
	struct dirent *e;
	bool nomem = false;
	DIR *d = opendir(path);
	*names = NULL;
	*n = 0;
	if (!d && errno == ENOENT)
		return TF_OK;
	TF_ENSURE(d, err, TF_ERR_IO, "%s: %s", path, strerror(errno));
	while (!nomem && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len <= sl || strcmp(e->d_name + len - sl, suffix) != 0)
			continue;
		char **grown = tf_grow(*names, &cap, *n, sizeof *grown);
		if (!grown) {
			nomem = true;
			break;
		}
		*names = grown;
		if (!((*names)[*n] = strdup(e->d_name)))
			nomem = true;
		else
			(*n)++;
	}
	closedir(d);
	if (nomem) {
		free_names(*names, *n);
		*names = NULL;
		*n = 0;
		TF_BAIL(err, TF_ERR_NOMEM, "%s: out of memory", path);
	}
	if (*n)
		qsort(*names, *n, sizeof **names, by_name);
	return TF_OK;
}

/* What the finding file itself says: recorded class, minimized or not,
 * its why, origin and size. */
static void take_fixture(tf_report_sig *s, const tf_fixture *fx)
{
	bool tagged_known = false, tagged_new = false;
	s->minimized = true;
	for (unsigned t = 0; t < fx->ntags; t++) {
		const char *tag = fx->tags[t];
		if (!strcmp(tag, TF_TAG_UNMINIMIZED))
			s->minimized = false;
		else if (!strcmp(tag, "new"))
			tagged_new = true;
		else if (!strncmp(tag, "known:", 6)) {
			tagged_known = true;
			if (!s->known_id[0])
				snprintf(s->known_id, sizeof s->known_id, "%s", tag + 6);
		}
	}
	if (!s->in_stats && (tagged_known || tagged_new))
		s->recorded_known = s->known = tagged_known;
	snprintf(s->why, sizeof s->why, "%s", fx->why);
	snprintf(s->origin, sizeof s->origin, "%s", fx->prov.origin);
	s->ncerts = fx->scenario.ncerts;
}

static tf_err scan_findings(tf_report *r, tf_fixture *fx, tf_error *err)
{
	char dir[TF_REPORT_PATH_MAX + 16], **names = NULL;
	size_t n = 0;
	snprintf(dir, sizeof dir, "%s/findings", r->opts.dir);
	TF_GUARD(list_dir(dir, ".json", &names, &n, err));
	for (size_t i = 0; i < n; i++) {
		char id[TF_SIG_ID_SIZE + 8];
		snprintf(id, sizeof id, "%.*s", (int)(strlen(names[i]) - 5), names[i]);
		if (!tf_sig_id_valid(id))
			continue;
		tf_report_sig *s = rep_sig_get(r, id);
		if (!s) {
			free_names(names, n);
			TF_BAIL(err, TF_ERR_NOMEM, "%s: out of memory", dir);
		}
		snprintf(s->fixture, sizeof s->fixture, "%s/%s", dir, names[i]);
		tf_error ferr = {0};
		tf_fixture_init(fx);
		if (tf_fixture_read(s->fixture, fx, &ferr) != TF_OK) {
			/* Every writer is atomic, so this is damage, not a race:
			 * the report says so and goes on. */
			snprintf(s->eval_error, sizeof s->eval_error, "%s", ferr.msg);
			s->fixture[0] = '\0';
			r->nunreadable++;
		} else {
			take_fixture(s, fx);
		}
		tf_fixture_free(fx);
	}
	free_names(names, n);
	/* Files the campaign set aside as unreadable (findings.h). */
	TF_GUARD(list_dir(dir, ".bad", &names, &n, err));
	r->nunreadable += (unsigned)n;
	free_names(names, n);
	return TF_OK;
}

static tf_err scan_examples(tf_report *r, tf_error *err)
{
	char dir[TF_REPORT_PATH_MAX + 16], **names = NULL;
	size_t n = 0;
	snprintf(dir, sizeof dir, "%s/examples", r->opts.dir);
	TF_GUARD(list_dir(dir, ".json", &names, &n, err));
	for (size_t i = 0; i < n; i++) {
		char id[TF_SIG_ID_SIZE];
		/* "<id>-<k>.json" */
		if (strlen(names[i]) < TF_SIG_ID_SIZE + 6 || names[i][TF_SIG_ID_SIZE - 1] != '-')
			continue;
		snprintf(id, sizeof id, "%.*s", TF_SIG_ID_SIZE - 1, names[i]);
		tf_report_sig *s = tf_sig_id_valid(id) ? rep_sig_find(r, id) : NULL;
		if (s)
			s->examples++;
	}
	free_names(names, n);
	return TF_OK;
}

static tf_err scan_crashes(tf_report *r, tf_error *err)
{
	char dir[TF_REPORT_PATH_MAX + 16], **json = NULL, **bin = NULL;
	size_t nj = 0, nb = 0;
	tf_err rc = TF_OK;
	snprintf(dir, sizeof dir, "%s/crashes", r->opts.dir);
	TF_GUARD(list_dir(dir, ".json", &json, &nj, err));
	TF_GUARD_GOTO(list_dir(dir, ".bin", &bin, &nb, err), rc, done);
	if (nj + nb == 0)
		goto done;
	r->crashes = calloc(nj + nb, sizeof *r->crashes);
	if (!r->crashes) {
		rc = tf_error_set(err, TF_ERR_NOMEM, "%s: out of memory", dir);
		goto done;
	}
	/* Merge the two sorted lists by base name. */
	size_t i = 0, j = 0;
	while (i < nj || j < nb) {
		char bj[256] = "", bb[256] = "";
		if (i < nj)
			snprintf(bj, sizeof bj, "%.*s", (int)(strlen(json[i]) - 5), json[i]);
		if (j < nb)
			snprintf(bb, sizeof bb, "%.*s", (int)(strlen(bin[j]) - 4), bin[j]);
		int c = i >= nj ? 1 : j >= nb ? -1 : strcmp(bj, bb);
		tf_report_crash *k = &r->crashes[r->ncrashes++];
		snprintf(k->name, sizeof k->name, "%s", c <= 0 ? bj : bb);
		if (c >= 0) {
			k->has_input = true;
			j++;
		}
		if (c <= 0) {
			char path[TF_REPORT_PATH_MAX + 300];
			size_t len = 0;
			tf_error ignored = {0};
			snprintf(path, sizeof path, "%s/%s", dir, json[i]);
			if (tf_read_file(path, &k->meta, &len, &ignored) != TF_OK)
				k->meta = NULL;
			i++;
		}
	}
done:
	free_names(json, nj);
	free_names(bin, nb);
	return rc;
}

/* New first; then what stats.json lists, in its order (the order found);
 * then signatures known only from files, by fuzzing first-seen time, then
 * by id. */
static int sig_order(const void *pa, const void *pb)
{
	const tf_report_sig *a = pa, *b = pb;
	if (a->known != b->known)
		return a->known ? 1 : -1;
	if (a->in_stats != b->in_stats)
		return a->in_stats ? -1 : 1;
	if (!a->in_stats) {
		double ta = a->has_first_s ? a->first_s : INFINITY;
		double tb = b->has_first_s ? b->first_s : INFINITY;
		if (ta != tb)
			return ta < tb ? -1 : 1;
		return strcmp(a->id, b->id);
	}
	return a->order < b->order ? -1 : a->order > b->order;
}

static void finish(tf_report *r)
{
	if (r->nsigs)
		qsort(r->sigs, r->nsigs, sizeof *r->sigs, sig_order);
	for (unsigned i = 0; i < r->nsigs; i++) {
		tf_report_sig *s = &r->sigs[i];
		const tf_known_entry *e = s->known ? rep_known_entry(r, s->known_id) : NULL;
		s->detailed = r->opts.details == 0 || i < r->opts.details;
		if (e)
			snprintf(s->explanation, sizeof s->explanation, "%s", e->explanation);
		else if (s->known)
			snprintf(s->explanation, sizeof s->explanation,
				 "Known as %s (that entry is not in the table this report was made "
				 "with). %s",
				 s->known_id[0] ? s->known_id : "(unnamed)", s->why);
		else
			snprintf(s->explanation, sizeof s->explanation, "%s", s->why);
		if (s->known)
			r->nknown++;
		else
			r->nnew++;
		if (s->fixture[0] && !s->minimized)
			r->nunminimized++;
		if (s->reproduces == 0)
			r->nunreproduced++;
	}
}

tf_err tf_report_load(const tf_report_opts *opts, tf_report *r, tf_error *err)
{
	tf_fixture *fx = NULL;
	tf_err rc = TF_OK;

	memset(r, 0, sizeof *r);
	r->opts = *opts;
	TF_ENSURE(opts->dir && *opts->dir, err, TF_ERR_USAGE, "report: no findings directory");
	if (opts->known_path) {
		r->known = malloc(sizeof *r->known);
		TF_ENSURE(r->known, err, TF_ERR_NOMEM, "report: out of memory");
		TF_GUARD(tf_known_load(opts->known_path, r->known, err));
		r->has_known = true;
	}
	DIR *d = opendir(opts->dir);
	TF_ENSURE(d, err, TF_ERR_IO, "%s: %s", opts->dir, strerror(errno));
	closedir(d);
	fx = malloc(sizeof *fx);
	TF_ENSURE(fx, err, TF_ERR_NOMEM, "report: out of memory");
	TF_GUARD_GOTO(rep_read_campaign(r, err), rc, done);
	TF_GUARD_GOTO(scan_findings(r, fx, err), rc, done);
	TF_GUARD_GOTO(rep_read_fuzz(r, err), rc, done);
	TF_GUARD_GOTO(scan_examples(r, err), rc, done);
	TF_GUARD_GOTO(scan_crashes(r, err), rc, done);
	if (opts->evaluate)
		TF_GUARD_GOTO(rep_evaluate(r, err), rc, done);
	finish(r);
done:
	free(fx);
	return rc;
}

void tf_report_free(tf_report *r)
{
	for (unsigned i = 0; i < r->nsigs; i++)
		free(r->sigs[i].verdicts);
	free(r->sigs);
	for (unsigned i = 0; i < r->ncrashes; i++)
		free(r->crashes[i].meta);
	free(r->crashes);
	free(r->camp.points);
	free(r->fuzz.points);
	free(r->known);
	memset(r, 0, sizeof *r);
}
