/*
 * trustfuzz/report.h — what a findings directory holds, for a researcher:
 * an HTML report with pictures, a Markdown summary and SARIF 2.1.0
 * (`trustfuzz report`, docs/report.md).
 *
 * A report is built in two steps. tf_report_load reads a findings
 * directory (findings.h) into a tf_report: the campaign statistics of
 * `trustfuzz run` (stats.json, campaign.h), the fuzzing sessions of the
 * overnight scripts (fuzz-stats.json, below), every finding, the examples
 * and the crash inputs. Each finding is evaluated again through the
 * registry by the instances its fixture names, so the report shows every
 * instance's verdict as this build gives it, says whether the finding still
 * shows its signature, and classifies it against the known-divergence table
 * as it is now. Then the writers turn the tf_report into files:
 *
 *   tf_report_pictures  OUT/img/<sig-id>.svg, the topology of each detailed
 *                       finding (tf_dot_write piped into Graphviz's dot);
 *   tf_report_plot      OUT/img/signatures.svg, distinct signatures over
 *                       time, drawn here (no gnuplot);
 *   tf_report_html      OUT/index.html, self-contained: inline CSS, no
 *                       script, no network, pictures as relative <img>;
 *   tf_report_markdown  OUT/report.md, the summary;
 *   tf_report_sarif     a SARIF 2.1.0 log: one rule and one result per
 *                       signature, the rule id being the signature id.
 * Every file is written atomically. Every string that comes from a fixture,
 * a verdict or a statistics file is escaped for where it goes (HTML, XML,
 * Markdown, shell); the output is a function of the inputs (no clock).
 *
 * fuzz-stats.json (written by scripts/overnight-*.sh, read here):
 *   {"schema": "trustfuzz-fuzz-stats", "version": 1,
 *    "evaluators": "ref,kb,openssl", "depth": "status",
 *    "elapsed_s": 3600.0, "execs": 12345678,
 *    "sessions": [{"engine": "libfuzzer", "jobs": 4,
 *                  "start": "2024-05-01T22:00:00Z", "seconds": 3600.0,
 *                  "execs": 12345678, "end": "time"}],
 *    "timeline": [{"s": 60.0, "distinct": 12}, ...],
 *    "first_seen": {"<sig-id>": 12.0, ...}}
 * Seconds count fuzzing time over all sessions; "end" is "time" (budget
 * used up), "stopped" (Ctrl-C or SIGTERM) or "error".
 *
 * Order of calls: tf_report_opts_init → set fields → tf_report_load →
 * writers (pictures before html and markdown, which link what exists) →
 * tf_report_free.
 *
 * Not here: printing (cli/cmd_report.c), the DOT picture itself (dot.h),
 * signatures and the known table (diff.h).
 */
#ifndef TRUSTFUZZ_REPORT_H
#define TRUSTFUZZ_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trustfuzz/campaign.h"
#include "trustfuzz/diff.h"
#include "trustfuzz/err.h"
#include "trustfuzz/findings.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/registry.h"

#define TF_REPORT_PATH_MAX 4096
#define TF_REPORT_SESSIONS_MAX 256
#define TF_REPORT_PLOT "img/signatures.svg" /* the plot, relative to OUT */

typedef struct tf_report_opts {
	const char *dir;        /* the findings directory (kept, not copied) */
	const char *known_path; /* known-divergence table; NULL: every signature is new */
	const char *dot;        /* Graphviz program for pictures; NULL: no pictures */
	unsigned details;       /* signatures given a detailed section, new first (0 = all) */
	bool evaluate;          /* evaluate findings again (default true) */
} tf_report_opts;

/* Defaults: dot "dot", details 0, evaluate true, the rest NULL. */
void tf_report_opts_init(tf_report_opts *o);

/* One point of a distinct-signatures timeline. */
typedef struct tf_report_point {
	double s;               /* seconds since the campaign (or fuzzing) began */
	unsigned distinct;      /* distinct signatures by then */
} tf_report_point;

/* stats.json of `trustfuzz run` (campaign.h, docs/campaign.md). */
typedef struct tf_report_campaign {
	bool present;
	char seed[24], profile[16], depth[8];
	char evaluators[TF_CAMPAIGN_EVALUATORS_MAX];
	unsigned jobs;
	uint64_t scenarios, divergent;
	double elapsed_s, rate;
	unsigned signatures, new_signatures, unminimized, crashes;
	unsigned ninstances;
	char instance[TF_MAX_INSTANCES][TF_INSTANCE_NAME_MAX];
	uint64_t verdicts[TF_MAX_INSTANCES][TF_VCLASS_COUNT];
	size_t npoints;
	tf_report_point *points;
} tf_report_campaign;

/* One overnight-script session (fuzz-stats.json). */
typedef struct tf_report_session {
	char engine[16];
	unsigned jobs;
	char start[24];         /* RFC 3339, as the script wrote it */
	double seconds;
	uint64_t execs;
	char end[16];
} tf_report_session;

/* fuzz-stats.json (see the top of this file). */
typedef struct tf_report_fuzz {
	bool present;
	char evaluators[TF_CAMPAIGN_EVALUATORS_MAX];
	char depth[8];
	double elapsed_s;
	uint64_t execs;
	unsigned nsessions;
	tf_report_session sessions[TF_REPORT_SESSIONS_MAX];
	size_t npoints;
	tf_report_point *points;
} tf_report_fuzz;

/* One instance's verdict on a finding, as this build gives it. */
typedef struct tf_report_verdict {
	char instance[TF_INSTANCE_NAME_MAX];
	bool judged;            /* false: the instance could not judge; msg says why */
	tf_verdict v;
	char path[256];         /* "L1 > I2 > R0" (verdict.h), "" when empty */
	char msg[160];
} tf_report_verdict;

/* One divergence signature of the directory. */
typedef struct tf_report_sig {
	char id[TF_SIG_ID_SIZE];
	unsigned order;         /* the order it was read in (statistics first, then files) */
	bool in_stats;          /* a row of stats.json's signature table */
	char text[256];         /* signature text; "" when neither recorded nor reproduced */
	bool known;             /* by the table now (or as recorded, when not evaluated) */
	char known_id[64];
	bool recorded_known;    /* the class the campaign or fuzzer recorded */
	char explanation[600];  /* the known entry's; for a new one the finding's why */
	bool has_count, has_first_index, has_first_s;
	uint64_t count, first_index;
	double first_s;
	bool first_in_fuzz;     /* first_s is fuzzing time (fuzz-stats.json), not campaign time */
	char fixture[TF_REPORT_PATH_MAX]; /* the finding, "" when there is none */
	char origin[64];        /* provenance origin of the finding */
	bool minimized;
	unsigned ncerts;
	unsigned examples;      /* examples/<id>-<k>.json present */
	char why[TF_FIXTURE_WHY_MAX];
	int reproduces;         /* 1 shows its signature again, 0 not, -1 not evaluated */
	char eval_error[TF_ERROR_MSG_MAX]; /* why it was not evaluated */
	bool has_pair;          /* pair_a/pair_b index verdicts[] */
	unsigned pair_a, pair_b;
	unsigned nverdicts;
	tf_report_verdict *verdicts;
	bool detailed;          /* gets a section of its own (opts.details) */
	char picture[64];       /* "img/<id>.svg" once drawn, else "" */
	char dot_source_note[TF_ERROR_MSG_MAX]; /* why there is no picture */
} tf_report_sig;

/* A crash input (crashes/<name>.json and .bin). */
typedef struct tf_report_crash {
	char name[128];
	bool has_input;         /* crashes/<name>.bin exists */
	char *meta;             /* the .json text (malloc'ed), or NULL */
} tf_report_crash;

typedef struct tf_report {
	tf_report_opts opts;
	tf_report_campaign camp;
	tf_report_fuzz fuzz;
	unsigned nsigs;
	tf_report_sig *sigs;    /* new first, each group in the order found */
	unsigned nnew, nknown, nunminimized, nunreproduced, nunreadable;
	unsigned ncrashes;
	tf_report_crash *crashes; /* by name */
	bool has_known;
	tf_known_table *known;  /* owned; NULL when no table was given */
} tf_report;

/* Reads the findings directory opts->dir into r (initialised here; free it
 * with tf_report_free, also on error). TF_ERR_IO when the directory cannot
 * be read; TF_ERR_PARSE/TF_ERR_SCHEMA naming the file and field for a bad
 * stats.json, fuzz-stats.json or known table. A finding that does not parse
 * is counted in r->nunreadable, not an error; nor is a finding an instance
 * fails to judge (its verdict row says so). */
tf_err tf_report_load(const tf_report_opts *opts, tf_report *r, tf_error *err) TF_MUST_USE;
void tf_report_free(tf_report *r);

/* Draws OUT/img/<id>.svg for each detailed signature with a fixture, with
 * opts.dot; a finding whose picture cannot be drawn gets its reason in
 * dot_source_note (the report then shows the DOT source instead). TF_ERR_IO
 * only when OUT/img cannot be made. *drawn counts the pictures. */
tf_err tf_report_pictures(tf_report *r, const char *out, unsigned *drawn,
			  tf_error *err) TF_MUST_USE;

/* Writes the distinct-signatures plot to OUT/TF_REPORT_PLOT (both timelines,
 * when both exist). *drawn is false (and nothing written) when neither
 * statistics file holds a timeline. */
tf_err tf_report_plot(const tf_report *r, const char *out, bool *drawn,
		      tf_error *err) TF_MUST_USE;
/* The plot as SVG text (malloc'ed, NUL-terminated; caller frees). */
tf_err tf_report_plot_svg(const tf_report *r, char **svg, size_t *len, tf_error *err) TF_MUST_USE;

/* OUT/index.html; `plot` says whether OUT/TF_REPORT_PLOT was drawn. */
tf_err tf_report_html(const tf_report *r, const char *out, bool plot, tf_error *err) TF_MUST_USE;
/* OUT/report.md. */
tf_err tf_report_markdown(const tf_report *r, const char *out, bool plot,
			  tf_error *err) TF_MUST_USE;
/* A SARIF 2.1.0 log at path. */
tf_err tf_report_sarif(const tf_report *r, const char *path, tf_error *err) TF_MUST_USE;

#endif
