/*
 * harness/report_internal.h — what the report's reader and writers share
 * (report.h is the public side): escaping for each output language,
 * number and time formatting, the reproduce commands, and building a file
 * in memory before writing it atomically.
 */
#ifndef TRUSTFUZZ_REPORT_INTERNAL_H
#define TRUSTFUZZ_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "trustfuzz/report.h"

/* A file being built in memory (open_memstream). */
typedef struct rep_buf {
	FILE *f;
	char *data;
	size_t len;
} rep_buf;

tf_err rep_buf_open(rep_buf *b, tf_error *err) TF_MUST_USE;
/* Closes the stream and writes the bytes to path atomically; frees them. */
tf_err rep_buf_commit(rep_buf *b, const char *path, tf_error *err) TF_MUST_USE;
/* Closes the stream and hands the bytes to the caller (who frees them). */
tf_err rep_buf_take(rep_buf *b, char **data, size_t *len, tf_error *err) TF_MUST_USE;
void rep_buf_discard(rep_buf *b);

/* Text for HTML and XML, content or attribute value: & < > " ' become
 * entities, control characters other than tab and newline become '?', and
 * bytes that are not valid UTF-8 become U+FFFD, so any input gives a
 * well-formed document. */
void rep_put_html(FILE *o, const char *text);
/* Text for a Markdown table cell or the middle of a paragraph (never the
 * start of a line): inline markup characters \ ` * _ [ ] | ~ are
 * backslash-escaped, < and & become entities (no raw HTML), newlines and
 * tabs become spaces. Same control/UTF-8 rules as above. */
void rep_put_md(FILE *o, const char *text);
/* Text inside a Markdown code span: backticks become ' (a span cannot
 * escape them), newlines become spaces. */
void rep_put_md_code(FILE *o, const char *text);
/* A relative URL path: bytes other than [A-Za-z0-9-._~/] percent-encoded
 * (which also makes it safe inside an HTML attribute). */
void rep_put_url(FILE *o, const char *path);
/* A shell word: text as it is when it only holds [A-Za-z0-9_./:=+,@%-],
 * else single-quoted ('\'' for a quote). */
char *rep_shell_word(const char *text, char *buf, size_t bufsz);

/* The output languages of the shared tables (report_tables.c). */
typedef enum rep_lang { REP_HTML, REP_MD } rep_lang;
/* "Verdicts per evaluator instance": a heading and a table of the
 * campaign's verdict classes per instance (nothing without a campaign). */
void rep_verdict_counts(FILE *o, const tf_report_campaign *c, rep_lang lang);
/* The backend comparison: a heading and, for every evaluated signature, each
 * instance's status on its finding, one column per instance name (nothing
 * when no finding was evaluated). */
void rep_backend_table(FILE *o, const tf_report *r, rep_lang lang);

/* "16.3 s", "4 min 05 s", "7 h 02 min". */
char *rep_duration(double s, char *buf, size_t bufsz);
/* "#127 at 1.4 s", "at 12 s", "#12", or "-". */
char *rep_first_seen(const tf_report_sig *s, char *buf, size_t bufsz);
/* The first sentence of text, cut to at most max bytes at a word ("..."). */
char *rep_summary(const char *text, size_t max, char *buf, size_t bufsz);

/* The shell commands that reproduce signature s (one per line, the fixture
 * path as loaded; no escaping for any output language yet): trustfuzz eval,
 * trustfuzz export + verify.sh, and the Windows side with reproduce.ps1.
 * Returns the number of lines (at most REP_REPRO_MAX; 0 without a fixture). */
#define REP_REPRO_MAX 6
#define REP_REPRO_LINE 1024
unsigned rep_repro(const tf_report *r, const tf_report_sig *s,
		   char lines[REP_REPRO_MAX][REP_REPRO_LINE]);

/* Makes directory path unless it exists (its parent must). */
tf_err rep_mkdir(const char *path, tf_error *err) TF_MUST_USE;

/* Path of `target` relative to directory `from` (both made absolute first;
 * `from` must exist). Falls back to target as given. */
char *rep_relpath(const char *from, const char *target, char *buf, size_t bufsz);

/* The evaluator list a finding is judged with when its fixture names fewer
 * than two instances: the campaign's, else the fuzzers', else the default. */
const char *rep_default_evaluators(const tf_report *r);

/* The HTML section of one signature (report_html_sig.c); out is the
 * report directory, for relative links. */
void rep_html_sig(FILE *o, const tf_report *r, const tf_report_sig *s, unsigned index,
		  const char *out);
/* An HRESULT as its name, or "0x%08X" when it has none. */
char *rep_win32(uint32_t hr, char *buf, size_t bufsz);

/* stats.json and fuzz-stats.json readers (report_stats.c). Missing files
 * are not errors (present stays false). Campaign rows are added to r->sigs
 * through rep_sig_get. */
tf_err rep_read_campaign(tf_report *r, tf_error *err) TF_MUST_USE;
tf_err rep_read_fuzz(tf_report *r, tf_error *err) TF_MUST_USE;

/* The signature with this id, added (zeroed, id set) when absent; NULL when
 * out of memory. `seq` orders signatures found by the same source. */
tf_report_sig *rep_sig_get(tf_report *r, const char *id);
tf_report_sig *rep_sig_find(const tf_report *r, const char *id);

/* Re-evaluates every finding (report_eval.c). */
tf_err rep_evaluate(tf_report *r, tf_error *err) TF_MUST_USE;

/* The known table's entry with this id, or NULL. */
const tf_known_entry *rep_known_entry(const tf_report *r, const char *id);

#endif
