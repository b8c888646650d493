/*
 * harness/report_md.c — OUT/report.md: the summary in Markdown, for a pull
 * request, an issue or a terminal: statistics, verdict counts, the plot,
 * the signature table, and how to reproduce each new signature. The full
 * picture (topologies, side-by-side verdicts) is index.html.
 */
#include <inttypes.h>
#include <stdio.h>

#include "report_internal.h"

#define M(o, text) rep_put_md((o), (text))

/* One line of a fenced code block: only a line starting with ``` could
 * end the fence, and only a control character can start a line here. */
static void code_line(FILE *o, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, o);
	fputc('\n', o);
}

static void kv(FILE *o, const char *key, const char *value)
{
	fprintf(o, "| %s | ", key);
	M(o, value);
	fprintf(o, " |\n");
}

static void summary(FILE *o, const tf_report *r)
{
	char v[256], d[32];
	fprintf(o, "## Summary\n\n| | |\n|---|---|\n");
	snprintf(v, sizeof v, "%u (%u new, %u known)", r->nsigs, r->nnew, r->nknown);
	kv(o, "signatures", v);
	if (r->camp.present) {
		const tf_report_campaign *c = &r->camp;
		snprintf(v, sizeof v, "%" PRIu64 " in %s (%.0f/s), %u job%s", c->scenarios,
			 rep_duration(c->elapsed_s, d, sizeof d), c->rate, c->jobs,
			 c->jobs == 1 ? "" : "s");
		kv(o, "campaign scenarios", v);
		snprintf(v, sizeof v, "%" PRIu64, c->divergent);
		kv(o, "divergent scenarios", v);
		snprintf(v, sizeof v, "seed %s, profile %s, evaluators %s, depth %s", c->seed,
			 c->profile, c->evaluators, c->depth);
		kv(o, "campaign", v);
	}
	if (r->fuzz.present) {
		snprintf(v, sizeof v, "%" PRIu64 " in %s, %u session%s", r->fuzz.execs,
			 rep_duration(r->fuzz.elapsed_s, d, sizeof d), r->fuzz.nsessions,
			 r->fuzz.nsessions == 1 ? "" : "s");
		kv(o, "fuzzer executions", v);
	}
	snprintf(v, sizeof v, "%u", r->nunminimized);
	kv(o, "findings not minimized yet", v);
	snprintf(v, sizeof v, "%u", r->ncrashes);
	kv(o, "crash inputs", v);
	if (r->nunreproduced) {
		snprintf(v, sizeof v, "%u", r->nunreproduced);
		kv(o, "findings this build no longer shows", v);
	}
	fputc('\n', o);
}

static void sessions(FILE *o, const tf_report_fuzz *f)
{
	char d[32];
	if (!f->present || !f->nsessions)
		return;
	fprintf(o, "### Fuzzing sessions\n\n| started | engine | jobs | time | executions | "
		   "ended by |\n|---|---|---:|---|---:|---|\n");
	for (unsigned i = 0; i < f->nsessions; i++) {
		const tf_report_session *s = &f->sessions[i];
		fprintf(o, "| ");
		M(o, s->start);
		fprintf(o, " | ");
		M(o, s->engine);
		fprintf(o, " | %u | %s | %" PRIu64 " | ", s->jobs,
			rep_duration(s->seconds, d, sizeof d), s->execs);
		M(o, s->end);
		fprintf(o, " |\n");
	}
	fputc('\n', o);
}

static void table(FILE *o, const tf_report *r, const char *out)
{
	char buf[600], rel[TF_REPORT_PATH_MAX];
	fprintf(o, "## Divergence signatures\n\n");
	if (!r->nsigs) {
		fprintf(o, "No divergence found.\n\n");
		return;
	}
	fprintf(o, "| # | class | signature | count | first seen | explanation | fixture |\n"
		   "|---:|---|---|---:|---|---|---|\n");
	for (unsigned i = 0; i < r->nsigs; i++) {
		const tf_report_sig *s = &r->sigs[i];
		fprintf(o, "| %u | %s | `", i + 1, s->known ? "known" : "**new**");
		rep_put_md_code(o, s->text[0] ? s->text : s->id);
		fprintf(o, "` | ");
		if (s->has_count)
			fprintf(o, "%" PRIu64, s->count);
		else
			fprintf(o, "-");
		fprintf(o, " | ");
		M(o, rep_first_seen(s, buf, sizeof buf));
		fprintf(o, " | ");
		if (s->known) {
			fprintf(o, "`");
			rep_put_md_code(o, s->known_id);
			fprintf(o, "`: ");
		}
		M(o, rep_summary(s->explanation, 140, buf, sizeof buf));
		fprintf(o, " | ");
		if (s->fixture[0]) {
			fprintf(o, "[%s](", s->id);
			rep_put_url(o, rep_relpath(out, s->fixture, rel, sizeof rel));
			fprintf(o, ")%s", s->minimized ? "" : " (unminimized)");
		} else {
			fprintf(o, "-");
		}
		fprintf(o, " |\n");
	}
	fputc('\n', o);
}

static void reproduce_new(FILE *o, const tf_report *r)
{
	char lines[REP_REPRO_MAX][REP_REPRO_LINE];
	bool any = false;
	for (unsigned i = 0; i < r->nsigs; i++) {
		const tf_report_sig *s = &r->sigs[i];
		unsigned n = s->known || !s->detailed ? 0 : rep_repro(r, s, lines);
		if (!n)
			continue;
		if (!any)
			fprintf(o, "## New signatures: reproduce\n\n");
		any = true;
		fprintf(o, "### `");
		rep_put_md_code(o, s->text[0] ? s->text : s->id);
		fprintf(o, "`\n\nWhy: ");
		M(o, s->why);
		fprintf(o, "\n\n```sh\n");
		for (unsigned k = 0; k < n; k++)
			code_line(o, lines[k]);
		fprintf(o, "```\n\n");
	}
}

tf_err tf_report_markdown(const tf_report *r, const char *out, bool plot, tf_error *err)
{
	char path[TF_REPORT_PATH_MAX + 16];
	rep_buf b;
	TF_GUARD(rep_buf_open(&b, err));
	FILE *o = b.f;
	fprintf(o, "# trustfuzz report\n\nFindings directory `");
	rep_put_md_code(o, r->opts.dir);
	fprintf(o, "`, trustfuzz " TF_VERSION_STRING ". Full report with pictures and every "
		   "verdict: [index.html](index.html).\n\n");
	summary(o, r);
	rep_verdict_counts(o, &r->camp, REP_MD);
	sessions(o, &r->fuzz);
	if (plot)
		fprintf(o, "![Distinct signatures over time](" TF_REPORT_PLOT ")\n\n");
	table(o, r, out);
	rep_backend_table(o, r, REP_MD);
	reproduce_new(o, r);
	snprintf(path, sizeof path, "%s/report.md", out);
	return rep_buf_commit(&b, path, err);
}
