/*
 * harness/report_html.c — OUT/index.html: one self-contained page (inline
 * CSS, no script, no web font, nothing fetched), with the statistics, the
 * signature table, one section per detailed signature
 * (report_html_sig.c), the crash inputs and a short guide. Pictures are
 * relative <img> links into OUT/img, which is all a browser needs offline.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report_internal.h"

#define H(o, text) rep_put_html((o), (text))

static const char css[] =
	"body{font:15px/1.45 -apple-system,\"Segoe UI\",Helvetica,Arial,sans-serif;margin:0;"
	"color:#1d2330;background:#f6f7f9}\n"
	"header{background:#1d2c4d;color:#fff;padding:18px 32px}\n"
	"header h1{margin:0;font-size:24px}header p{margin:4px 0 0;color:#c9d3e6}\n"
	"header code{color:#fff}\n"
	"nav{background:#fff;border-bottom:1px solid #dde1e7;padding:8px 32px}\n"
	"nav a{margin-right:18px;color:#1f5fbf;text-decoration:none}\n"
	"main{padding:8px 32px 40px;max-width:1240px}\n"
	"h2{font-size:20px;border-bottom:2px solid #dde1e7;padding-bottom:4px;margin-top:32px}\n"
	"h3{font-size:16px;margin:18px 0 6px}\n"
	"table{border-collapse:collapse;background:#fff;margin:6px 0 16px;font-size:14px}\n"
	"th,td{border:1px solid #dde1e7;padding:4px 8px;text-align:left;vertical-align:top}\n"
	"th{background:#eef1f5}td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	".badge{display:inline-block;padding:1px 8px;border-radius:9px;font-size:12px;"
	"font-weight:bold;color:#fff}\n"
	".badge.new{background:#c2410c}.badge.known{background:#5b6b7f}"
	".badge.warn{background:#a16207}\n"
	".cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}\n"
	".card{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:10px 16px;"
	"min-width:150px}\n"
	".card b{display:block;font-size:22px}.card span{color:#5b6b7f;font-size:13px}\n"
	"article{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:10px 18px;"
	"margin:18px 0}\n"
	"article h3{margin-top:6px}dl{display:grid;grid-template-columns:max-content auto;"
	"gap:2px 14px;margin:8px 0}\n"
	"dt{color:#5b6b7f}dd{margin:0}\n"
	"tr.pair td{background:#fff4e5}\n"
	"pre{background:#f0f2f5;padding:8px 12px;overflow-x:auto;font-size:13px;margin:6px 0}\n"
	"code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}\n"
	"figure{margin:8px 0}figure img{max-width:100%;height:auto;border:1px solid #e6e8eb;"
	"background:#fff}\n"
	"figcaption{color:#5b6b7f;font-size:13px}\n"
	".note{color:#8a4b00}.muted{color:#5b6b7f}\n";

static void card(FILE *o, const char *value, const char *label)
{
	fprintf(o, "<div class=\"card\"><b>");
	H(o, value);
	fprintf(o, "</b><span>");
	H(o, label);
	fprintf(o, "</span></div>\n");
}

static void row(FILE *o, const char *key, const char *value)
{
	fprintf(o, "<tr><th>");
	H(o, key);
	fprintf(o, "</th><td>");
	H(o, value);
	fprintf(o, "</td></tr>\n");
}

static void cards(FILE *o, const tf_report *r)
{
	char v[64], l[96], d[32];
	snprintf(v, sizeof v, "%u", r->nsigs);
	snprintf(l, sizeof l, "signatures (%u new, %u known)", r->nnew, r->nknown);
	card(o, v, l);
	if (r->camp.present) {
		snprintf(v, sizeof v, "%" PRIu64, r->camp.scenarios);
		snprintf(l, sizeof l, "scenarios in %s (%.0f/s)",
			 rep_duration(r->camp.elapsed_s, d, sizeof d), r->camp.rate);
		card(o, v, l);
	}
	if (r->fuzz.present) {
		snprintf(v, sizeof v, "%" PRIu64, r->fuzz.execs);
		snprintf(l, sizeof l, "fuzzer executions in %s",
			 rep_duration(r->fuzz.elapsed_s, d, sizeof d));
		card(o, v, l);
	}
	snprintf(v, sizeof v, "%u", r->nunminimized);
	card(o, v, "findings not minimized yet");
	snprintf(v, sizeof v, "%u", r->ncrashes);
	card(o, v, "crash inputs");
	if (r->nunreproduced) {
		snprintf(v, sizeof v, "%u", r->nunreproduced);
		card(o, v, "findings this build no longer shows");
	}
}

static void campaign(FILE *o, const tf_report *r)
{
	const tf_report_campaign *c = &r->camp;
	char v[128], d[32];
	fprintf(o, "<h3>Campaign (<code>trustfuzz run</code>, stats.json)</h3>\n<table>\n");
	row(o, "seed", c->seed);
	row(o, "profile", c->profile);
	row(o, "evaluators", c->evaluators);
	row(o, "compared at depth", c->depth);
	snprintf(v, sizeof v, "%u", c->jobs);
	row(o, "worker processes", v);
	row(o, "time (all runs)", rep_duration(c->elapsed_s, d, sizeof d));
	snprintf(v, sizeof v, "%" PRIu64, c->scenarios);
	row(o, "scenarios", v);
	snprintf(v, sizeof v, "%.1f scenarios/s", c->rate);
	row(o, "rate", v);
	snprintf(v, sizeof v, "%" PRIu64 " (%.1f%%)", c->divergent,
		 c->scenarios ? 100.0 * (double)c->divergent / (double)c->scenarios : 0.0);
	row(o, "divergent scenarios", v);
	snprintf(v, sizeof v, "%u (%u new)", c->signatures, c->new_signatures);
	row(o, "signatures (as the campaign classified them)", v);
	snprintf(v, sizeof v, "%u", c->crashes);
	row(o, "crashes", v);
	fprintf(o, "</table>\n");
	rep_verdict_counts(o, c, REP_HTML);
}

static void fuzzing(FILE *o, const tf_report *r)
{
	const tf_report_fuzz *f = &r->fuzz;
	char d[32];
	fprintf(o, "<h3>Fuzzing sessions (overnight scripts, fuzz-stats.json)</h3>\n"
		   "<p>Evaluators <code>");
	H(o, f->evaluators[0] ? f->evaluators : TF_DEFAULT_EVALUATORS);
	fprintf(o, "</code>, depth <code>");
	H(o, f->depth[0] ? f->depth : "status");
	fprintf(o, "</code>; %" PRIu64 " executions in %s of fuzzing (%.0f/s). Fuzz engines do "
		   "not count verdicts per evaluator; the table above is for campaigns.</p>\n",
		f->execs, rep_duration(f->elapsed_s, d, sizeof d),
		f->elapsed_s > 0 ? (double)f->execs / f->elapsed_s : 0.0);
	fprintf(o, "<table>\n<tr><th>started</th><th>engine</th><th>jobs</th><th>time</th>"
		   "<th>executions</th><th>ended by</th></tr>\n");
	for (unsigned i = 0; i < f->nsessions; i++) {
		const tf_report_session *s = &f->sessions[i];
		fprintf(o, "<tr><td>");
		H(o, s->start);
		fprintf(o, "</td><td>");
		H(o, s->engine);
		fprintf(o, "</td><td class=\"num\">%u</td><td>", s->jobs);
		H(o, rep_duration(s->seconds, d, sizeof d));
		fprintf(o, "</td><td class=\"num\">%" PRIu64 "</td><td>", s->execs);
		H(o, s->end);
		fprintf(o, "</td></tr>\n");
	}
	fprintf(o, "</table>\n");
}

static void summary(FILE *o, const tf_report *r, bool plot)
{
	fprintf(o, "<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n");
	cards(o, r);
	fprintf(o, "</div>\n");
	if (r->camp.present)
		campaign(o, r);
	if (r->fuzz.present)
		fuzzing(o, r);
	if (!r->camp.present && !r->fuzz.present)
		fprintf(o, "<p class=\"note\">No statistics in this directory (neither stats.json "
			   "of <code>trustfuzz run</code> nor fuzz-stats.json of the overnight "
			   "scripts): only the findings themselves are reported.</p>\n");
	if (plot)
		fprintf(o, "<h3>Distinct signatures over time</h3>\n<figure><img src=\"" TF_REPORT_PLOT
			   "\" width=\"800\" height=\"360\" alt=\"distinct divergence signatures over "
			   "time\"><figcaption>A curve that has gone flat means the campaign stopped "
			   "finding new kinds of divergence: more time with the same generator and "
			   "evaluators is unlikely to add any.</figcaption></figure>\n");
	fprintf(o, "</section>\n");
}

static void sig_table(FILE *o, const tf_report *r, const char *out)
{
	char buf[600], rel[TF_REPORT_PATH_MAX];
	fprintf(o, "<section id=\"signatures\">\n<h2>Divergence signatures</h2>\n");
	if (!r->nsigs) {
		fprintf(o, "<p>No divergence found.</p>\n</section>\n");
		return;
	}
	fprintf(o, "<p>New signatures first. A signature names the two evaluator instances, "
		   "their verdict classes and the scenario features that matter; "
		   "<span class=\"badge known\">known</span> ones match an entry of "
		   "corpus/known-divergences.json, <span class=\"badge new\">new</span> ones do "
		   "not.</p>\n<table>\n<tr><th>#</th><th>class</th><th>signature</th>"
		   "<th>count</th><th>first seen</th><th>explanation</th><th>fixture</th></tr>\n");
	for (unsigned i = 0; i < r->nsigs; i++) {
		const tf_report_sig *s = &r->sigs[i];
		fprintf(o, "<tr><td class=\"num\">%u</td><td><span class=\"badge %s\">%s</span></td>"
			   "<td>",
			i + 1, s->known ? "known" : "new", s->known ? "known" : "new");
		if (s->detailed) {
			fprintf(o, "<a href=\"#sig-%s\">", s->id);
		}
		fprintf(o, "<code>");
		H(o, s->text[0] ? s->text : s->id);
		fprintf(o, "</code>%s</td><td class=\"num\">", s->detailed ? "</a>" : "");
		if (s->has_count)
			fprintf(o, "%" PRIu64, s->count);
		else
			fprintf(o, "-");
		fprintf(o, "</td><td>");
		H(o, rep_first_seen(s, buf, sizeof buf));
		fprintf(o, "</td><td>");
		H(o, rep_summary(s->explanation, 160, buf, sizeof buf));
		fprintf(o, "</td><td>");
		if (s->fixture[0]) {
			fprintf(o, "<a href=\"");
			rep_put_url(o, rep_relpath(out, s->fixture, rel, sizeof rel));
			fprintf(o, "\"><code>%s.json</code></a>%s", s->id,
				s->minimized ? "" : " <span class=\"badge warn\">unminimized</span>");
		} else {
			fprintf(o, "<span class=\"muted\">none</span>");
		}
		fprintf(o, "</td></tr>\n");
	}
	fprintf(o, "</table>\n");
	rep_backend_table(o, r, REP_HTML);
	fprintf(o, "</section>\n");
}

static void crashes(FILE *o, const tf_report *r)
{
	if (!r->ncrashes)
		return;
	fprintf(o, "<section id=\"crashes\">\n<h2>Crash inputs</h2>\n<p>Inputs that crashed an "
		   "evaluator or the harness (a bug in trustfuzz or a backend, not a divergence). "
		   "Replay one with <code>fuzz-diff-replay FILE.bin</code> (built in "
		   "<code>build/harness/fuzz/</code>).</p>\n");
	for (unsigned i = 0; i < r->ncrashes; i++) {
		const tf_report_crash *c = &r->crashes[i];
		char path[TF_REPORT_PATH_MAX + 300], word[TF_REPORT_PATH_MAX + 400];
		fprintf(o, "<h3><code>");
		H(o, c->name);
		fprintf(o, "</code></h3>\n");
		if (c->has_input) {
			snprintf(path, sizeof path, "%s/crashes/%s.bin", r->opts.dir, c->name);
			fprintf(o, "<pre><code>fuzz-diff-replay ");
			H(o, rep_shell_word(path, word, sizeof word));
			fprintf(o, "</code></pre>\n");
		}
		if (c->meta) {
			fprintf(o, "<pre>");
			H(o, c->meta);
			fprintf(o, "</pre>\n");
		}
	}
	fprintf(o, "</section>\n");
}

static void guide(FILE *o)
{
	fprintf(o,
		"<section id=\"guide\">\n<h2>How to read this report</h2>\n<ul>\n"
		"<li>Each finding is a fixture: the smallest scenario the minimizer found that still "
		"shows the signature, with every instance's verdict recorded as expected. "
		"<code>trustfuzz replay</code> checks that it still does.</li>\n"
		"<li>The verdicts shown here were computed again by this build; a finding this build "
		"no longer shows is marked, which usually means an evaluator changed.</li>\n"
		"<li>The highlighted rows of a verdict table are the two instances that disagree.</li>\n"
		"<li>In a picture, certificates are boxes, arrows point from a certificate to what "
		"could have issued it (dashed red: corrupt signature), clusters are the server's "
		"stores, identities are the client's, and the KB 2802568 trigger is red.</li>\n"
		"<li>Commands are relative to the directory <code>trustfuzz report</code> ran in. "
		"<code>verify.sh</code> runs <code>openssl verify</code> on the exported certificates; "
		"<code>reproduce.ps1</code> sets the same stores and registry values on a Windows "
		"Server with IIS.</li>\n"
		"<li>Docs: docs/report.md (this report), docs/campaign.md (campaigns, findings "
		"directory), docs/harness.md (signatures, known divergences).</li>\n"
		"</ul>\n</section>\n");
}

tf_err tf_report_html(const tf_report *r, const char *out, bool plot, tf_error *err)
{
	char path[TF_REPORT_PATH_MAX + 16];
	unsigned detailed = 0;
	rep_buf b;
	TF_GUARD(rep_buf_open(&b, err));
	FILE *o = b.f;
	fprintf(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		   "<title>trustfuzz report: ");
	H(o, r->opts.dir);
	fprintf(o, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n"
		   "<h1>trustfuzz report</h1>\n<p>findings directory <code>",
		css);
	H(o, r->opts.dir);
	fprintf(o, "</code> &middot; trustfuzz " TF_VERSION_STRING "%s</p>\n</header>\n",
		r->has_known ? "" : " &middot; no known-divergence table: every signature is new");
	fprintf(o, "<nav><a href=\"#summary\">Summary</a><a href=\"#signatures\">Signatures</a>"
		   "<a href=\"#findings\">Findings</a>%s<a href=\"#guide\">How to read</a></nav>\n"
		   "<main>\n",
		r->ncrashes ? "<a href=\"#crashes\">Crashes</a>" : "");
	summary(o, r, plot);
	sig_table(o, r, out);
	fprintf(o, "<section id=\"findings\">\n<h2>Findings</h2>\n");
	for (unsigned i = 0; i < r->nsigs; i++) {
		if (!r->sigs[i].detailed)
			continue;
		rep_html_sig(o, r, &r->sigs[i], i + 1, out);
		detailed++;
	}
	if (detailed < r->nsigs)
		fprintf(o, "<p class=\"note\">%u more signatures are listed in the table only "
			   "(<code>trustfuzz report --details 0</code> gives every one a section).</p>\n",
			r->nsigs - detailed);
	if (r->nunreadable)
		fprintf(o, "<p class=\"note\">%u finding file(s) could not be read (see the *.bad "
			   "files in findings/).</p>\n",
			r->nunreadable);
	fprintf(o, "</section>\n");
	crashes(o, r);
	guide(o);
	fprintf(o, "</main>\n</body>\n</html>\n");
	snprintf(path, sizeof path, "%s/index.html", out);
	return rep_buf_commit(&b, path, err);
}
