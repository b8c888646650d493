/*
 * cli/cmd_run.c — `trustfuzz run`: a differential campaign (campaign.h does
 * the work; this file picks the options, owns the clock and the signals,
 * and prints).
 *
 * The seed is the one thing taken from the wall clock, and only here, when
 * none is given: it is printed first, so any campaign can be rerun exactly.
 */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "trustfuzz/campaign.h"
#include "trustfuzz/diff.h"

#define DEFAULT_TIME_S 60
#define DEFAULT_OUT "findings"
#define DEFAULT_SHOW 40

static void usage(FILE *out)
{
	fprintf(out,
		"usage: trustfuzz run [--seed N] [--time S | --iterations N] [--jobs N]\n"
		"                     [--profile P] [--evaluators LIST] [--depth D]\n"
		"                     [--out DIR] [--resume] [--known FILE] [--examples N]\n"
		"                     [--min-steps N] [--min-ms N] [--show N]\n\n"
		"Generates scenarios from a seed, runs every evaluator instance on each,\n"
		"and keeps one minimized fixture per distinct divergence signature in\n"
		"DIR/findings/<id>.json (plus a few unminimized examples in DIR/examples/).\n"
		"A new signature is saved at once and minimized in the time not spent\n"
		"scanning, simplest first; what a stopped run left unminimized is minimized\n"
		"by the next run on DIR. Prints the seed first, progress while running,\n"
		"then a table of signatures.\n"
		"SIGINT/SIGTERM stop cleanly; --resume continues where a campaign stopped.\n\n"
		"  -s, --seed N          campaign seed (default: from the clock, printed;\n"
		"                        with --resume: the saved one)\n"
		"  -t, --time S          run for S seconds (default %d)\n"
		"  -i, --iterations N    cover scenarios 0..N-1 of the campaign, then stop\n"
		"  -j, --jobs N          worker processes (default: online CPUs)\n"
		"  -p, --profile P       mixed (default), kb, rfc5280\n"
		"  -e, --evaluators LIST instance specs, comma-separated (default\n"
		"                        ref,kb,openssl)\n"
		"  -d, --depth D         compare at status (default), win32, path\n"
		"  -o, --out DIR         findings directory (default ./%s)\n"
		"  -r, --resume          continue the campaign saved in DIR; options not\n"
		"                        given take their saved values\n"
		"  -k, --known FILE      known-divergence table (default: $TRUSTFUZZ_KNOWN,\n"
		"                        else ./corpus/known-divergences.json when present,\n"
		"                        else the one of the source tree built from)\n"
		"  -x, --examples N      unminimized examples kept per signature (default %d)\n"
		"      --min-steps N     minimizer predicate calls per finding (default 4000)\n"
		"      --min-ms N        minimizer time cap per finding in ms (default 10000)\n"
		"      --show N          signatures listed at the end, new first (default %d;\n"
		"                        0: all; every one is in DIR/stats.json)\n"
		"  -h, --help            this text\n\n"
		"Scenario i is generated from a mix of the seed and i; worker j of N takes\n"
		"i = j, j+N, j+2N, ... A scenario that crashes a worker is saved in\n"
		"DIR/crashes/ and the campaign goes on. See docs/campaign.md.\n\n"
		"exit: 0 the campaign ran (findings are results, not errors), 2 usage or\n"
		"bad input, 3 internal failure\n",
		DEFAULT_TIME_S, DEFAULT_OUT, TF_FINDINGS_EXAMPLES_DEFAULT, DEFAULT_SHOW);
}

typedef struct run_args {
	tf_campaign_opts o;
	unsigned show;
	bool has_seed, has_time, has_iter, has_jobs, has_profile, has_eval, has_depth;
	const char *known;
} run_args;

enum { OPT_MIN_STEPS = 256, OPT_MIN_MS, OPT_SHOW };

static int number(const char *opt, const char *text, long max, long *out)
{
	if (!cli_parse_long(text, 1, max, out))
		return cli_usage_error("run", "%s: \"%s\" is not a number 1..%ld", opt, text, max);
	return TF_EXIT_OK;
}

static int parse_one(run_args *a, int c, const char *arg)
{
	tf_campaign_opts *o = &a->o;
	long v = 0;
	int rc = TF_EXIT_OK;
	switch (c) {
	case 's':
		if (!cli_parse_u64(arg, &o->seed))
			return cli_usage_error("run", "--seed: \"%s\" is not a 64-bit number", arg);
		a->has_seed = true;
		break;
	case 't':
		if ((rc = number("--time", arg, 31L * 86400, &v)) == TF_EXIT_OK) {
			o->time_ms = (uint64_t)v * 1000;
			a->has_time = true;
		}
		break;
	case 'i':
		if (!cli_parse_u64(arg, &o->iterations) || o->iterations == 0 ||
		    o->iterations > (UINT64_C(1) << 62))
			return cli_usage_error("run", "--iterations: \"%s\" is not a count", arg);
		a->has_iter = true;
		break;
	case 'j':
		if ((rc = number("--jobs", arg, TF_CAMPAIGN_MAX_JOBS, &v)) == TF_EXIT_OK) {
			o->jobs = (unsigned)v;
			a->has_jobs = true;
		}
		break;
	case 'p':
		if (!tf_profile_parse(arg, &o->profile))
			return cli_usage_error("run", "--profile: \"%s\" is not mixed, kb or rfc5280", arg);
		a->has_profile = true;
		break;
	case 'e':
		if (strlen(arg) >= sizeof o->evaluators)
			return cli_usage_error("run", "--evaluators: list too long");
		snprintf(o->evaluators, sizeof o->evaluators, "%s", arg);
		a->has_eval = true;
		break;
	case 'd':
		if (!tf_depth_parse(arg, &o->depth))
			return cli_usage_error("run", "--depth: \"%s\" is not status, win32 or path", arg);
		a->has_depth = true;
		break;
	case 'o': o->out = arg; break;
	case 'r': o->resume = true; break;
	case 'k': a->known = arg; break;
	case 'x':
		if (!cli_parse_long(arg, 0, TF_FINDINGS_EXAMPLES_MAX, &v))
			return cli_usage_error("run", "--examples: \"%s\" is not a number 0..%d", arg,
					       TF_FINDINGS_EXAMPLES_MAX);
		o->examples = (unsigned)v;
		break;
	case OPT_MIN_STEPS:
		if ((rc = number("--min-steps", arg, 100000000, &v)) == TF_EXIT_OK)
			o->min_steps = (unsigned)v;
		break;
	case OPT_SHOW:
		if (!cli_parse_long(arg, 0, 1000000, &v))
			return cli_usage_error("run", "--show: \"%s\" is not a number 0..1000000", arg);
		a->show = (unsigned)v;
		break;
	case OPT_MIN_MS:
		if ((rc = number("--min-ms", arg, 86400000, &v)) == TF_EXIT_OK)
			o->min_ms = (unsigned)v;
		break;
	default: return TF_EXIT_USAGE;
	}
	return rc;
}

/* Returns -1 after --help, else an exit code (0: go on). */
static int parse_args(int argc, char **argv, run_args *a)
{
	static const struct option longopts[] = {
		{"seed", required_argument, NULL, 's'},      {"time", required_argument, NULL, 't'},
		{"iterations", required_argument, NULL, 'i'}, {"jobs", required_argument, NULL, 'j'},
		{"profile", required_argument, NULL, 'p'},   {"evaluators", required_argument, NULL, 'e'},
		{"depth", required_argument, NULL, 'd'},     {"out", required_argument, NULL, 'o'},
		{"resume", no_argument, NULL, 'r'},          {"known", required_argument, NULL, 'k'},
		{"examples", required_argument, NULL, 'x'},
		{"min-steps", required_argument, NULL, OPT_MIN_STEPS},
		{"min-ms", required_argument, NULL, OPT_MIN_MS},
		{"show", required_argument, NULL, OPT_SHOW},
		{"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0},
	};
	int c, rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "s:t:i:j:p:e:d:o:rk:x:h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return -1;
		}
		if (c == '?' || c == ':')
			return cli_bad_option("run", argv);
		if ((rc = parse_one(a, c, optarg)) != TF_EXIT_OK)
			return rc;
	}
	if (optind != argc)
		return cli_usage_error("run", "unexpected argument \"%s\"", argv[optind]);
	if (a->has_time && a->has_iter)
		return cli_usage_error("run", "--time and --iterations exclude each other");
	return TF_EXIT_OK;
}

/* Options not given on a resume take the saved campaign's values. */
static int merge_saved(run_args *a)
{
	tf_campaign_saved s;
	tf_error err = {0};
	tf_campaign_opts *o = &a->o;
	if (tf_campaign_peek(o->out, &s, &err) != TF_OK) {
		fprintf(stderr, "trustfuzz run: --resume: nothing to resume: %s\n", err.msg);
		return TF_EXIT_USAGE;
	}
	if (!a->has_seed)
		o->seed = s.seed;
	if (!a->has_profile)
		o->profile = s.profile;
	if (!a->has_eval)
		snprintf(o->evaluators, sizeof o->evaluators, "%s", s.evaluators);
	if (!a->has_depth)
		o->depth = s.depth;
	if (!a->has_time && !a->has_iter && s.iterations) {
		o->iterations = s.iterations;
		a->has_iter = true;
	}
	return TF_EXIT_OK;
}

static uint64_t monotonic_us(void *ctx)
{
	struct timespec ts;
	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t clock_seed(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	/* Fits in 53 bits, so it survives any tool that reads it as a double. */
	return ((uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u) &
	       ((UINT64_C(1) << 53) - 1);
}

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	if (stop_requested) {
		/* A second request means now: the default action ends us. */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	stop_requested = 1;
}

typedef struct view {
	bool tty;
	size_t width; /* of the last \r line */
} view;

static void show_progress(const tf_campaign_progress *p, bool final, void *ctx)
{
	view *v = ctx;
	char line[256];
	snprintf(line, sizeof line,
		 "[%6.1fs] %" PRIu64 " scenarios (%.0f/s), %" PRIu64
		 " divergent, %u signatures (%u new), %u to minimize, %u crashes",
		 p->elapsed_s, p->scenarios, p->rate, p->divergent, p->signatures,
		 p->new_signatures, p->unminimized, p->crashes);
	if (v->tty) {
		size_t n = strlen(line);
		printf("\r%s%*s", line, v->width > n ? (int)(v->width - n) : 0, "");
		v->width = n;
		if (final)
			putchar('\n');
	} else if (!final) {
		printf("%s\n", line);
	}
	fflush(stdout);
}

static void print_row(const tf_campaign_sig *s)
{
	char first[64] = "-";
	if (s->seen)
		snprintf(first, sizeof first, "#%" PRIu64 " at %.1f s", s->first_index, s->first_s);
	printf("%-5s %8" PRIu64 "  %-20s %s\n", s->known ? "known" : "new", s->count, first,
	       s->text[0] ? s->text : s->id);
	if (s->known)
		printf("%16s known as: %s\n", "", s->known_id);
	printf("%16s fixture: %s%s\n", "", s->fixture[0] ? s->fixture : "(none)",
	       s->fixture[0] && !s->minimized ? " (unminimized)" : "");
}

/* New signatures first (they are what a campaign is for), each group in
 * the order it was found; at most `show` rows (0: all). */
static void print_table(const tf_campaign_opts *o, const tf_campaign_result *r, unsigned show)
{
	const tf_campaign_progress *p = &r->totals;
	unsigned shown = 0;
	if (r->nsigs)
		printf("\n%-5s %8s  %-20s %s\n", "class", "count", "first seen", "signature");
	for (int known = 0; known <= 1; known++)
		for (unsigned i = 0; i < r->nsigs; i++) {
			if (r->sigs[i].known != (known == 1) || (show && shown >= show))
				continue;
			print_row(&r->sigs[i]);
			shown++;
		}
	if (shown < r->nsigs)
		printf("... %u more signatures: %s/stats.json (--show 0 lists all)\n",
		       r->nsigs - shown, o->out);
	printf("\nsummary: %" PRIu64 " scenarios in %.1f s (this run %" PRIu64
	       " in %.1f s, %.0f/s), %" PRIu64 " divergent, %u signatures (%u new, %u known), "
	       "%u not minimized yet, %u crashes; findings in %s%s\n",
	       p->scenarios, p->elapsed_s, p->run_scenarios, p->run_elapsed_s, p->rate,
	       p->divergent, p->signatures, p->new_signatures, p->signatures - p->new_signatures,
	       p->unminimized, p->crashes, o->out,
	       r->stopped ? " (stopped: resume with --resume)" : r->complete ? " (complete)" : "");
	if (p->unminimized)
		printf("note: unminimized findings are minimized by the next run on %s "
		       "(--resume, or any run there)\n", o->out);
	if (p->crashes)
		printf("crash inputs: %s/crashes/\n", o->out);
	if (r->nbad)
		printf("note: %u unreadable file(s) in %s set aside as *.bad\n", r->nbad, o->out);
}

int cmd_run(int argc, char **argv)
{
	run_args a;
	tf_campaign_result res;
	tf_error err = {0};
	view v = {isatty(STDOUT_FILENO) == 1, 0};
	int rc;

	memset(&a, 0, sizeof a);
	tf_campaign_opts_init(&a.o);
	a.o.out = DEFAULT_OUT;
	a.show = DEFAULT_SHOW;
	if ((rc = parse_args(argc, argv, &a)) != TF_EXIT_OK)
		return rc < 0 ? TF_EXIT_OK : rc;
	if (a.o.resume && (rc = merge_saved(&a)) != TF_EXIT_OK)
		return rc;
	if (!a.has_seed && !a.o.resume)
		a.o.seed = clock_seed();
	if (!a.has_time && !a.has_iter)
		a.o.time_ms = DEFAULT_TIME_S * 1000u;
	if (!a.has_jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		a.o.jobs = n < 1 ? 1 : n > TF_CAMPAIGN_MAX_JOBS ? TF_CAMPAIGN_MAX_JOBS : (unsigned)n;
	}
	a.o.known_path = a.known ? a.known : tf_known_default_path();
	const char *crash_at = getenv("TRUSTFUZZ_TEST_CRASH_AT"); /* test-only, docs/campaign.md */
	if (crash_at && *crash_at) {
		long v2 = 0;
		if (!cli_parse_long(crash_at, 0, LONG_MAX, &v2))
			return cli_usage_error("run", "TRUSTFUZZ_TEST_CRASH_AT: \"%s\" is not an index",
					       crash_at);
		a.o.test_crash_at = v2;
	}
	printf("seed: %" PRIu64 "\n", a.o.seed);
	printf("campaign: profile %s, evaluators %s, depth %s, %u job%s, into %s%s\n",
	       tf_profile_str(a.o.profile), a.o.evaluators, tf_depth_str(a.o.depth), a.o.jobs,
	       a.o.jobs == 1 ? "" : "s", a.o.out, a.o.resume ? " (resumed)" : "");
	if (a.o.iterations)
		printf("bound: scenarios 0..%" PRIu64 "\n", a.o.iterations - 1);
	else
		printf("bound: %" PRIu64 " s\n", a.o.time_ms / 1000);
	if (!a.o.known_path)
		printf("note: no known-divergence table (--known): every signature counts as new\n");
	fflush(stdout);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	a.o.now_us = monotonic_us;
	a.o.stop = &stop_requested;
	a.o.progress = show_progress;
	a.o.progress_ctx = &v;
	a.o.progress_ms = v.tty ? 250 : 5000;

	tf_err e = tf_campaign_run(&a.o, &res, &err);
	if (e == TF_OK || res.totals.run_scenarios)
		print_table(&a.o, &res, a.show);
	tf_campaign_result_free(&res);
	if (e != TF_OK)
		return cli_report(&err);
	return TF_EXIT_OK;
}
