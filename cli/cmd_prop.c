/*
 * cli/cmd_prop.c — `trustfuzz prop`: run the property tests (prop.h,
 * docs/properties.md) and report counterexamples.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trustfuzz/prop.h"

#define DEFAULT_OUT "prop-failures"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: trustfuzz prop NAME|all [--trials N] [--seed S] [--trial T] [--out DIR]\n"
		"                      [--evaluators LIST] [--max-failures N] [--no-minimize]\n"
		"                      [--max-steps N] [--max-ms N]\n"
		"       trustfuzz prop --list\n\n"
		"Runs a property over generated scenarios: trial t judges the scenario of\n"
		"seed tf_campaign_scenario_seed(S, t) in the property's profile for t. A trial\n"
		"whose scenario does not meet the property's precondition is skipped. A\n"
		"failure prints the seed and trial, is shrunk by the minimizer while the\n"
		"property still fails, and is written as a fixture with the verdict each\n"
		"instance gave (plus a -twin fixture for properties that compare a scenario\n"
		"with a transformed copy). Properties and preconditions: docs/properties.md.\n\n"
		"  -l, --list             the properties, their instances and preconditions\n"
		"  -n, --trials N         trials to run (default: the property's own count)\n"
		"  -s, --seed S           run seed, 0..2^64-1 (default 0)\n"
		"  -t, --trial T          run only trial T (to reproduce a failure)\n"
		"  -o, --out DIR          where counterexamples go (default ./" DEFAULT_OUT ",\n"
		"                         created when the first one is written)\n"
		"  -e, --evaluators LIST  instances to hold to the property instead of its\n"
		"                         own (same count; e.g. kb+variant=cut-at-first)\n"
		"  -f, --max-failures N   stop after N counterexamples (default 1)\n"
		"  -N, --no-minimize      write counterexamples as generated\n"
		"      --max-steps N      minimizer predicate calls at most (default 20000)\n"
		"      --max-ms N         minimizer wall-clock cap in ms (default none)\n"
		"  -h, --help             this text\n\n"
		"exit: 0 the property held on every trial; 1 a counterexample (or a backend\n"
		"broke its own contract); 2 usage; 3 evaluator or internal failure\n");
}

typedef struct prop_args {
	const char *name;
	bool list;
	tf_prop_opts o;
	bool has_trial;
} prop_args;

enum { OPT_MAX_STEPS = 256, OPT_MAX_MS };

static int parse_num(const char *opt, const char *text, long max, unsigned *out)
{
	long v = 0;
	if (!cli_parse_long(text, 1, max, &v))
		return cli_usage_error("prop", "%s: \"%s\" is not a number 1..%ld", opt, text, max);
	*out = (unsigned)v;
	return TF_EXIT_OK;
}

static int parse_args(int argc, char **argv, prop_args *a)
{
	static const struct option longopts[] = {
		{"list", no_argument, NULL, 'l'},	       {"trials", required_argument, NULL, 'n'},
		{"seed", required_argument, NULL, 's'},       {"trial", required_argument, NULL, 't'},
		{"out", required_argument, NULL, 'o'},	       {"evaluators", required_argument, NULL, 'e'},
		{"max-failures", required_argument, NULL, 'f'}, {"no-minimize", no_argument, NULL, 'N'},
		{"max-steps", required_argument, NULL, OPT_MAX_STEPS},
		{"max-ms", required_argument, NULL, OPT_MAX_MS}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, rc = TF_EXIT_OK;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ln:s:t:o:e:f:Nh", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': a->list = true; break;
		case 'n':
			if (!cli_parse_u64(optarg, &a->o.trials) || a->o.trials == 0)
				return cli_usage_error("prop", "--trials: \"%s\" is not a number >= 1", optarg);
			break;
		case 's':
			if (!cli_parse_u64(optarg, &a->o.seed))
				return cli_usage_error("prop", "--seed: \"%s\" is not a number 0..2^64-1", optarg);
			break;
		case 't':
			if (!cli_parse_u64(optarg, &a->o.first))
				return cli_usage_error("prop", "--trial: \"%s\" is not a number", optarg);
			a->has_trial = true;
			break;
		case 'o': a->o.out = optarg; break;
		case 'e': a->o.instances = optarg; break;
		case 'f': rc = parse_num("--max-failures", optarg, 1000000, &a->o.max_failures); break;
		case 'N': a->o.no_minimize = true; break;
		case OPT_MAX_STEPS: rc = parse_num("--max-steps", optarg, 100000000, &a->o.min.max_steps); break;
		case OPT_MAX_MS: rc = parse_num("--max-ms", optarg, 86400000, &a->o.min.max_ms); break;
		case 'h': usage(stdout); return -1;
		default: return cli_bad_option("prop", argv);
		}
		if (rc != TF_EXIT_OK)
			return rc;
	}
	if (a->list)
		return optind == argc ? TF_EXIT_OK
				      : cli_usage_error("prop", "--list takes no NAME");
	if (optind != argc - 1)
		return cli_usage_error("prop", "expected exactly one NAME (or all; see --list)");
	a->name = argv[optind];
	if (strcmp(a->name, "all") && !tf_property_find(a->name))
		return cli_usage_error("prop", "unknown property \"%s\" (see --list)", a->name);
	if (a->has_trial) {
		if (a->o.trials > 1)
			return cli_usage_error("prop", "--trial and --trials > 1 do not go together");
		a->o.trials = 1;
	}
	if (!a->o.out)
		a->o.out = DEFAULT_OUT;
	return TF_EXIT_OK;
}

static void list_properties(void)
{
	for (const tf_property *const *p = tf_properties(); *p; p++) {
		printf("%s\n  %s\n  precondition: %s\n  instances: %s; profiles:", (*p)->name,
		       (*p)->summary, (*p)->precondition, (*p)->instances);
		for (unsigned i = 0; i < (*p)->nprofiles; i++)
			printf(" %s", tf_profile_str((*p)->profiles[i]));
		printf("; default trials: %" PRIu64 "\n", (*p)->default_trials);
	}
}

static void on_failure(const tf_prop_failure *f, void *ctx)
{
	const prop_args *a = ctx;
	printf("%s: FAIL at seed %" PRIu64 " trial %" PRIu64 " (scenario seed %" PRIu64
	       ", profile %s)\n",
	       f->prop->name, f->seed, f->trial, f->scenario_seed, tf_profile_str(f->profile));
	printf("  as generated: %s\n", f->what_orig);
	if (f->minimized)
		printf("  minimized: %u -> %u certificates, %u steps%s%s\n  %s\n",
		       f->stats.certs_before, f->stats.certs_after, f->stats.steps,
		       f->stats.hit_step_bound ? " (step bound reached)" : "",
		       f->stats.hit_time_bound ? " (time bound reached)" : "", f->what);
	if (f->path[0])
		printf("  wrote %s%s%s\n", f->path, f->twin_path[0] ? " and " : "", f->twin_path);
	printf("  reproduce: trustfuzz prop %s --seed %" PRIu64 " --trial %" PRIu64 "%s%s\n",
	       f->prop->name, f->seed, f->trial, a->o.instances ? " --evaluators " : "",
	       a->o.instances ? a->o.instances : "");
	fflush(stdout);
}

static int run_one(const tf_property *p, const prop_args *a, bool *failed)
{
	tf_error err = {0};
	tf_prop_result res;
	tf_prop_opts o = a->o;
	o.on_failure = on_failure;
	o.ctx = (void *)a;
	if (tf_prop_run(p, &o, &res, &err) != TF_OK)
		return cli_report(&err);
	printf("%s: %" PRIu64 " trials from seed %" PRIu64 ": %" PRIu64 " passed, %" PRIu64
	       " skipped (precondition), %" PRIu64 " failed [%s]\n",
	       p->name, res.trials, a->o.seed, res.passed, res.skipped, res.failed, res.instances);
	/* Only a property that records its outputs moves the digest off the
	 * FNV-1a offset basis; two runs must then print the same value. */
	if (res.digest != UINT64_C(0xcbf29ce484222325))
		printf("%s: digest %016" PRIx64 "\n", p->name, res.digest);
	*failed |= res.failed > 0;
	return TF_EXIT_OK;
}

int cmd_prop(int argc, char **argv)
{
	prop_args a;
	bool failed = false;
	memset(&a, 0, sizeof a);
	int rc = parse_args(argc, argv, &a);
	if (rc != TF_EXIT_OK)
		return rc < 0 ? TF_EXIT_OK : rc;
	if (a.list) {
		list_properties();
		return TF_EXIT_OK;
	}
	if (!strcmp(a.name, "all") && a.o.instances)
		return cli_usage_error("prop", "--evaluators needs one property, not all");
	for (const tf_property *const *p = tf_properties(); *p; p++) {
		if (strcmp(a.name, "all") && strcmp(a.name, (*p)->name))
			continue;
		if ((rc = run_one(*p, &a, &failed)) != TF_EXIT_OK)
			return rc;
	}
	return failed ? TF_EXIT_FINDING : TF_EXIT_OK;
}
