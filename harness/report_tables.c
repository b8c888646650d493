/*
 * harness/report_tables.c — the tables index.html and report.md share,
 * written once for both languages: verdicts per evaluator instance, and
 * the backend comparison (what every instance decides on each signature's
 * finding). A table is a header row and rows of cells; each cell is text,
 * code or a number, and the language only decides the markup and escaping.
 * Instances are columns by name, in the order the findings name them: no
 * evaluator is special here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report_internal.h"

typedef enum cell_kind { CELL_TEXT, CELL_CODE, CELL_NUM, CELL_STRONG } cell_kind;

static void row_begin(FILE *o, rep_lang lang)
{
	fprintf(o, lang == REP_HTML ? "<tr>" : "|");
}

static void row_end(FILE *o, rep_lang lang)
{
	fprintf(o, lang == REP_HTML ? "</tr>\n" : "\n");
}

static void cell(FILE *o, rep_lang lang, cell_kind kind, const char *text)
{
	if (lang == REP_HTML) {
		fprintf(o, "%s", kind == CELL_NUM ? "<td class=\"num\">" : "<td>");
		fprintf(o, "%s", kind == CELL_CODE ? "<code>" : kind == CELL_STRONG ? "<strong>" : "");
		rep_put_html(o, text);
		fprintf(o, "%s</td>", kind == CELL_CODE ? "</code>" : kind == CELL_STRONG ? "</strong>" : "");
		return;
	}
	fprintf(o, " %s", kind == CELL_CODE ? "`" : kind == CELL_STRONG ? "**" : "");
	if (kind == CELL_CODE)
		rep_put_md_code(o, text);
	else
		rep_put_md(o, text);
	fprintf(o, "%s |", kind == CELL_CODE ? "`" : kind == CELL_STRONG ? "**" : "");
}

/* The header row (and Markdown's alignment row): numeric columns align
 * right from column `first_num` on. */
static void header(FILE *o, rep_lang lang, const char *const *names, unsigned n,
		   unsigned first_num)
{
	if (lang == REP_HTML) {
		fprintf(o, "<table>\n<tr>");
		for (unsigned i = 0; i < n; i++) {
			fprintf(o, "<th>");
			rep_put_html(o, names[i]);
			fprintf(o, "</th>");
		}
		fprintf(o, "</tr>\n");
		return;
	}
	fprintf(o, "|");
	for (unsigned i = 0; i < n; i++) {
		fprintf(o, " ");
		rep_put_md(o, names[i]);
		fprintf(o, " |");
	}
	fprintf(o, "\n|");
	for (unsigned i = 0; i < n; i++)
		fprintf(o, "%s|", i >= first_num ? "---:" : "---");
	fprintf(o, "\n");
}

static void footer(FILE *o, rep_lang lang)
{
	fprintf(o, lang == REP_HTML ? "</table>\n" : "\n");
}

static void heading(FILE *o, rep_lang lang, const char *title)
{
	if (lang == REP_HTML) {
		fprintf(o, "<h3>");
		rep_put_html(o, title);
		fprintf(o, "</h3>\n");
	} else {
		fprintf(o, "### ");
		rep_put_md(o, title);
		fprintf(o, "\n\n");
	}
}

void rep_verdict_counts(FILE *o, const tf_report_campaign *c, rep_lang lang)
{
	const char *names[TF_VCLASS_COUNT + 2];
	char num[32];
	if (!c->present || !c->ninstances)
		return;
	names[0] = "instance";
	for (unsigned k = 0; k < TF_VCLASS_COUNT; k++)
		names[k + 1] = tf_vclass_str((tf_vclass)k);
	names[TF_VCLASS_COUNT + 1] = "total";
	heading(o, lang, "Verdicts per evaluator instance");
	header(o, lang, names, TF_VCLASS_COUNT + 2, 1);
	for (unsigned i = 0; i < c->ninstances; i++) {
		uint64_t total = 0;
		row_begin(o, lang);
		cell(o, lang, CELL_CODE, c->instance[i]);
		for (unsigned k = 0; k < TF_VCLASS_COUNT; k++) {
			total += c->verdicts[i][k];
			snprintf(num, sizeof num, "%" PRIu64, c->verdicts[i][k]);
			cell(o, lang, CELL_NUM, num);
		}
		snprintf(num, sizeof num, "%" PRIu64, total);
		cell(o, lang, CELL_NUM, num);
		row_end(o, lang);
	}
	footer(o, lang);
}

/* The instances the findings were judged by, each once, in the order they
 * first appear; returns how many (at most max). */
static unsigned columns(const tf_report *r, const char **out, unsigned max)
{
	unsigned n = 0;
	for (unsigned i = 0; i < r->nsigs; i++)
		for (unsigned k = 0; k < r->sigs[i].nverdicts; k++) {
			const char *name = r->sigs[i].verdicts[k].instance;
			bool seen = false;
			for (unsigned j = 0; j < n && !seen; j++)
				seen = !strcmp(out[j], name);
			if (!seen && n < max)
				out[n++] = name;
		}
	return n;
}

static const tf_report_verdict *verdict_of(const tf_report_sig *s, const char *name,
					   unsigned *index)
{
	for (unsigned k = 0; k < s->nverdicts; k++)
		if (!strcmp(s->verdicts[k].instance, name)) {
			*index = k;
			return &s->verdicts[k];
		}
	return NULL;
}

void rep_backend_table(FILE *o, const tf_report *r, rep_lang lang)
{
	const char *names[TF_MAX_INSTANCES + 2];
	const char *inst[TF_MAX_INSTANCES];
	unsigned n = columns(r, inst, TF_MAX_INSTANCES);
	if (!n)
		return;
	heading(o, lang, "What each evaluator decides");
	if (lang == REP_HTML)
		fprintf(o, "<p>For each signature, every instance's verdict on its finding as "
			   "this build judges it; the divergent pair in bold.</p>\n");
	else
		fprintf(o, "For each signature, every instance's verdict on its finding as this "
			   "build judges it; the divergent pair in bold.\n\n");
	names[0] = "signature";
	names[1] = "class";
	for (unsigned j = 0; j < n; j++)
		names[j + 2] = inst[j];
	header(o, lang, names, n + 2, n + 2);
	for (unsigned i = 0; i < r->nsigs; i++) {
		const tf_report_sig *s = &r->sigs[i];
		if (!s->nverdicts)
			continue;
		row_begin(o, lang);
		cell(o, lang, CELL_CODE, s->text[0] ? s->text : s->id);
		cell(o, lang, CELL_TEXT, s->known ? s->known_id : "new");
		for (unsigned j = 0; j < n; j++) {
			unsigned k = 0;
			const tf_report_verdict *v = verdict_of(s, inst[j], &k);
			bool pair = v && s->has_pair && (k == s->pair_a || k == s->pair_b);
			const char *text = !v ? "-" : !v->judged ? "error" : tf_status_str(v->v.status);
			cell(o, lang, pair ? CELL_STRONG : CELL_TEXT, text);
		}
		row_end(o, lang);
	}
	footer(o, lang);
}
