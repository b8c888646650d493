/*
 * cli/cmd_report.c — `trustfuzz report`: a findings directory as an HTML
 * report with pictures, a Markdown summary and (optionally) SARIF. The work
 * is report.h's; this file parses flags, makes the output directory and
 * says where everything went.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trustfuzz/report.h"

#define DEFAULT_DETAILS 100

static void usage(FILE *out)
{
	fprintf(out,
		"usage: trustfuzz report FINDINGS_DIR [--out DIR] [--sarif FILE] [--known FILE]\n"
		"                        [--details N]\n\n"
		"Reads a findings directory (of `trustfuzz run` or the overnight fuzzing\n"
		"scripts), judges every finding again with the instances its fixture names,\n"
		"and writes:\n"
		"  DIR/index.html           self-contained report: statistics, verdict counts\n"
		"                           per instance, the signature table (known/new, count,\n"
		"                           first seen, explanation) and per signature the\n"
		"                           topology picture, every verdict side by side and\n"
		"                           the commands that reproduce it\n"
		"  DIR/report.md            the summary in Markdown\n"
		"  DIR/img/signatures.svg   distinct signatures over time\n"
		"  DIR/img/<sig-id>.svg     topology pictures (Graphviz dot; $TRUSTFUZZ_DOT\n"
		"                           names another program)\n\n"
		"  -o, --out DIR        output directory (default FINDINGS_DIR/report; created)\n"
		"  -s, --sarif FILE     also write the findings as SARIF 2.1.0 (one rule and one\n"
		"                       result per signature; rule id = signature id)\n"
		"  -k, --known FILE     known-divergence table (default: $TRUSTFUZZ_KNOWN, else\n"
		"                       ./corpus/known-divergences.json when present, else\n"
		"                       the one of the source tree built from)\n"
		"  -n, --details N      signatures given a section of their own, new first\n"
		"                       (default %d; 0 = all); the table lists every one\n"
		"  -h, --help           this text\n\n"
		"exit: 0 written; 2 usage or bad input (no such directory, a bad stats.json,\n"
		"fuzz-stats.json or known table); 3 internal or output failure\n",
		DEFAULT_DETAILS);
}

typedef struct report_args {
	const char *dir, *out, *sarif, *known;
	unsigned details;
} report_args;

static int parse_args(int argc, char **argv, report_args *a)
{
	static const struct option longopts[] = {
		{"out", required_argument, NULL, 'o'},   {"sarif", required_argument, NULL, 's'},
		{"known", required_argument, NULL, 'k'}, {"details", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
	};
	long v = 0;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:s:k:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': a->out = optarg; break;
		case 's': a->sarif = optarg; break;
		case 'k': a->known = optarg; break;
		case 'n':
			if (!cli_parse_long(optarg, 0, 1000000, &v))
				return cli_usage_error("report", "--details: \"%s\" is not a number 0..1000000", optarg);
			a->details = (unsigned)v;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			return cli_bad_option("report", argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("report", "no findings directory given");
	if (argc - optind > 1)
		return cli_usage_error("report", "one findings directory at a time, got %d",
				       argc - optind);
	a->dir = argv[optind];
	return 0;
}

static void print_summary(const tf_report *r, const char *out, const char *sarif,
			  unsigned pictures, bool plot)
{
	char abs[PATH_MAX];
	unsigned detailed = 0;
	for (unsigned i = 0; i < r->nsigs; i++)
		detailed += r->sigs[i].detailed && r->sigs[i].fixture[0];
	printf("report: %u signatures (%u new, %u known), %u unminimized, %u crash inputs\n",
	       r->nsigs, r->nnew, r->nknown, r->nunminimized, r->ncrashes);
	printf("  html      %s/index.html (%u of %u pictures drawn, in %s/img/)\n", out, pictures,
	       detailed, out);
	printf("  markdown  %s/report.md\n", out);
	if (plot)
		printf("  plot      %s/%s\n", out, TF_REPORT_PLOT);
	else
		printf("  plot      none (no timeline: neither stats.json nor fuzz-stats.json has one)\n");
	if (sarif)
		printf("  sarif     %s\n", sarif);
	if (pictures < detailed)
		printf("note: %u finding(s) without a picture; the report shows their DOT source "
		       "and says why\n",
		       detailed - pictures);
	if (r->nunreproduced)
		printf("note: %u finding(s) no longer show their signature with this build\n",
		       r->nunreproduced);
	if (r->nunreadable)
		printf("note: %u unreadable finding file(s)\n", r->nunreadable);
	if (realpath(out, abs))
		printf("open: file://%s/index.html\n", abs);
}

int cmd_report(int argc, char **argv)
{
	report_args a = {.details = DEFAULT_DETAILS};
	tf_report_opts o;
	tf_report r;
	tf_error err = {0};
	char outbuf[PATH_MAX];
	unsigned pictures = 0;
	bool plot = false;
	int rc = parse_args(argc, argv, &a);
	if (rc != 0)
		return rc < 0 ? TF_EXIT_OK : rc;
	if (!a.out) {
		snprintf(outbuf, sizeof outbuf, "%s/report", a.dir);
		a.out = outbuf;
	}
	tf_report_opts_init(&o);
	o.dir = a.dir;
	o.known_path = a.known ? a.known : tf_known_default_path();
	o.details = a.details;
	const char *dot = getenv("TRUSTFUZZ_DOT");
	if (dot && *dot)
		o.dot = dot;
	if (tf_report_load(&o, &r, &err) != TF_OK) {
		rc = cli_report(&err);
		tf_report_free(&r);
		return rc;
	}
	tf_err e = cli_mkdirs(a.out, &err);
	if (e == TF_OK)
		e = tf_report_pictures(&r, a.out, &pictures, &err);
	if (e == TF_OK)
		e = tf_report_plot(&r, a.out, &plot, &err);
	if (e == TF_OK)
		e = tf_report_html(&r, a.out, plot, &err);
	if (e == TF_OK)
		e = tf_report_markdown(&r, a.out, plot, &err);
	if (e == TF_OK && a.sarif)
		e = tf_report_sarif(&r, a.sarif, &err);
	if (e != TF_OK) {
		/* The input was read: what fails now is output, not bad input. */
		fprintf(stderr, "trustfuzz: %s\n", err.msg);
		rc = TF_EXIT_INTERNAL;
	} else {
		print_summary(&r, a.out, a.sarif, pictures, plot);
		rc = TF_EXIT_OK;
	}
	tf_report_free(&r);
	return rc;
}
