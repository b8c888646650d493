/*
 * harness/report_html_sig.c — the HTML section of one signature: what it
 * is and why (the known table's explanation, or the finding's generated
 * why), the topology picture, every instance's verdict side by side with
 * path and reason (the divergent pair highlighted), and the commands that
 * reproduce it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "trustfuzz/dot.h"

#define H(o, text) rep_put_html((o), (text))

static void dd_text(FILE *o, const char *key, const char *value)
{
	fprintf(o, "<dt>");
	H(o, key);
	fprintf(o, "</dt><dd>");
	H(o, value);
	fprintf(o, "</dd>\n");
}

static void facts(FILE *o, const tf_report_sig *s, const char *out)
{
	char buf[TF_REPORT_PATH_MAX + 64];
	fprintf(o, "<dl>\n");
	dd_text(o, "signature id", s->id);
	if (s->known)
		dd_text(o, "known as", s->known_id);
	if (s->known != s->recorded_known)
		dd_text(o, "recorded as", s->recorded_known ? "known" : "new");
	if (s->has_count) {
		snprintf(buf, sizeof buf, "%" PRIu64, s->count);
		dd_text(o, "occurrences", buf);
	}
	dd_text(o, "first seen", rep_first_seen(s, buf, sizeof buf));
	if (s->fixture[0]) {
		fprintf(o, "<dt>fixture</dt><dd><a href=\"");
		rep_put_url(o, rep_relpath(out, s->fixture, buf, sizeof buf));
		fprintf(o, "\"><code>");
		H(o, s->fixture);
		fprintf(o, "</code></a> &middot; %u certificate%s &middot; %s", s->ncerts,
			s->ncerts == 1 ? "" : "s", s->minimized ? "minimized" : "not minimized yet");
		if (s->origin[0]) {
			fprintf(o, " &middot; from ");
			H(o, s->origin);
		}
		fprintf(o, "</dd>\n");
	}
	if (s->examples) {
		snprintf(buf, sizeof buf, "%u in examples/%s-*.json", s->examples, s->id);
		dd_text(o, "further examples", buf);
	}
	if (s->reproduces == 1)
		dd_text(o, "this build", "shows the signature again");
	else if (s->reproduces == 0)
		dd_text(o, "this build", "does NOT show this signature on the fixture any more "
					 "(an evaluator or the generator changed)");
	else if (s->eval_error[0])
		dd_text(o, "not evaluated", s->eval_error);
	fprintf(o, "</dl>\n");
}

/* The DOT source, when no picture could be drawn: the same information. */
static void dot_source(FILE *o, const tf_report_sig *s)
{
	tf_error err = {0};
	tf_fixture *fx = malloc(sizeof *fx);
	rep_buf b;
	char *text = NULL;
	size_t len = 0;
	if (!fx)
		return;
	tf_fixture_init(fx);
	if (tf_fixture_read(s->fixture, fx, &err) == TF_OK && rep_buf_open(&b, &err) == TF_OK) {
		if (tf_dot_write(b.f, fx, &err) == TF_OK && rep_buf_take(&b, &text, &len, &err) == TF_OK) {
			fprintf(o, "<details><summary>DOT source of the picture</summary><pre>");
			H(o, text);
			fprintf(o, "</pre></details>\n");
		} else if (b.f) {
			rep_buf_discard(&b);
		}
	}
	free(text);
	tf_fixture_free(fx);
	free(fx);
}

static void picture(FILE *o, const tf_report_sig *s)
{
	if (!s->fixture[0])
		return;
	if (s->picture[0]) {
		fprintf(o, "<figure><img src=\"%s\" alt=\"topology of finding %s\">"
			   "<figcaption>Stores, certificates (arrows point to possible issuers) and "
			   "client identities of the fixture.</figcaption></figure>\n",
			s->picture, s->id);
		return;
	}
	fprintf(o, "<p class=\"note\">No picture: ");
	H(o, s->dot_source_note[0] ? s->dot_source_note : "not drawn");
	fprintf(o, ".</p>\n");
	dot_source(o, s);
}

static void verdicts(FILE *o, const tf_report_sig *s)
{
	char hr[48];
	if (!s->nverdicts)
		return;
	fprintf(o, "<table>\n<tr><th>instance</th><th>status</th><th>HRESULT</th><th>identity</th>"
		   "<th>path (leaf first)</th><th>reason</th></tr>\n");
	for (unsigned k = 0; k < s->nverdicts; k++) {
		const tf_report_verdict *v = &s->verdicts[k];
		bool pair = s->has_pair && (k == s->pair_a || k == s->pair_b);
		fprintf(o, "<tr%s><td><code>", pair ? " class=\"pair\"" : "");
		H(o, v->instance);
		fprintf(o, "</code></td>");
		if (!v->judged) {
			fprintf(o, "<td colspan=\"5\" class=\"note\">could not judge: ");
			H(o, v->msg);
			fprintf(o, "</td></tr>\n");
			continue;
		}
		fprintf(o, "<td><b>");
		H(o, tf_status_str(v->v.status));
		fprintf(o, "</b></td><td><code>");
		H(o, rep_win32(v->v.win32, hr, sizeof hr));
		fprintf(o, "</code></td><td>");
		if (v->v.identity >= 0)
			fprintf(o, "%d", v->v.identity);
		else
			fprintf(o, "none");
		fprintf(o, "</td><td><code>");
		H(o, v->path[0] ? v->path : "-");
		fprintf(o, "</code></td><td>");
		H(o, v->v.reason);
		fprintf(o, "</td></tr>\n");
	}
	fprintf(o, "</table>\n");
}

static void reproduce(FILE *o, const tf_report *r, const tf_report_sig *s)
{
	char lines[REP_REPRO_MAX][REP_REPRO_LINE];
	unsigned n = rep_repro(r, s, lines);
	if (!n)
		return;
	fprintf(o, "<h4>Reproduce</h4>\n<pre><code>");
	for (unsigned k = 0; k < n; k++) {
		H(o, lines[k]);
		fputc('\n', o);
	}
	fprintf(o, "</code></pre>\n");
}

void rep_html_sig(FILE *o, const tf_report *r, const tf_report_sig *s, unsigned index,
		  const char *out)
{
	fprintf(o, "<article id=\"sig-%s\">\n<h3>%u. <span class=\"badge %s\">%s</span> <code>",
		s->id, index, s->known ? "known" : "new", s->known ? "known" : "new");
	H(o, s->text[0] ? s->text : s->id);
	fprintf(o, "</code></h3>\n");
	facts(o, s, out);
	if (s->explanation[0]) {
		fprintf(o, "<p>");
		H(o, s->explanation);
		fprintf(o, "</p>\n");
	}
	if (s->why[0] && strcmp(s->why, s->explanation) != 0) {
		fprintf(o, "<p class=\"muted\">Finding: ");
		H(o, s->why);
		fprintf(o, "</p>\n");
	}
	picture(o, s);
	verdicts(o, s);
	reproduce(o, r, s);
	fprintf(o, "</article>\n");
}
