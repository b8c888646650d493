/*
 * cli/cmd_minimize.c — `trustfuzz minimize`: shrink a fixture's divergence
 * to the smallest scenario that keeps its signature, and write it as a
 * fixture (finding.h does the work; this file picks inputs and prints).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trustfuzz/finding.h"


static void usage(FILE *out)
{
	fprintf(out,
		"usage: trustfuzz minimize FILE [--depth status|win32|path] [--evaluators LIST]\n"
		"                          [--signature TEXT|ID] [--out FILE] [--max-steps N]\n"
		"                          [--max-ms N] [--known FILE]\n\n"
		"Runs the evaluator instances on the fixture FILE, picks one divergence\n"
		"signature, shrinks the scenario while that signature holds, and writes the\n"
		"result as a fixture: expected verdicts set to what each instance said, tags\n"
		"from the signature (feature names, then known:<id> or new), provenance\n"
		"(origin minimized, the original scenario's bytes, seed and profile copied)\n"
		"and a generated one-line why.\n\n"
		"  -d, --depth D          compare at D: status (default), win32, path\n"
		"  -e, --evaluators LIST  instance specs, comma-separated (default: the\n"
		"                         instances of FILE's expect object when it names two\n"
		"                         or more, else " TF_DEFAULT_EVALUATORS ")\n"
		"  -s, --signature S      the signature to keep, by text or 16-hex id\n"
		"                         (default: the first divergence, in instance order)\n"
		"  -o, --out FILE         where to write (default: FILE with .json replaced\n"
		"                         by .min.json); written atomically\n"
		"  -n, --max-steps N      minimizer predicate calls at most (default 20000)\n"
		"  -t, --max-ms N         minimizer wall-clock cap in ms (default none; the\n"
		"                         result then depends on timing)\n"
		"  -k, --known FILE       known-divergence table (default: $TRUSTFUZZ_KNOWN,\n"
		"                         else ./corpus/known-divergences.json when present,\n"
		"                         else the one of the source tree built from)\n"
		"  -h, --help             this text\n\n"
		"exit: 0 minimized and written; 1 FILE shows no divergence (or not the one\n"
		"asked for): nothing to minimize; 2 usage or bad input; 3 evaluator failure\n");
}

typedef struct min_args {
	const char *file, *evaluators, *signature, *out, *known;
	tf_depth depth;
	unsigned max_steps, max_ms;
} min_args;

static int parse_args(int argc, char **argv, min_args *a)
{
	static const struct option longopts[] = {
		{"depth", required_argument, NULL, 'd'},      {"evaluators", required_argument, NULL, 'e'},
		{"signature", required_argument, NULL, 's'},  {"out", required_argument, NULL, 'o'},
		{"max-steps", required_argument, NULL, 'n'},  {"max-ms", required_argument, NULL, 't'},
		{"known", required_argument, NULL, 'k'},      {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	long v = 0;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:e:s:o:n:t:k:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!tf_depth_parse(optarg, &a->depth))
				return cli_usage_error("minimize", "--depth: \"%s\" is not status, win32 or path", optarg);
			break;
		case 'e': a->evaluators = optarg; break;
		case 's': a->signature = optarg; break;
		case 'o': a->out = optarg; break;
		case 'k': a->known = optarg; break;
		case 'n':
			if (!cli_parse_long(optarg, 1, 100000000, &v))
				return cli_usage_error("minimize", "--max-steps: \"%s\" is not a number 1..100000000", optarg);
			a->max_steps = (unsigned)v;
			break;
		case 't':
			if (!cli_parse_long(optarg, 1, 86400000, &v))
				return cli_usage_error("minimize", "--max-ms: \"%s\" is not a number 1..86400000", optarg);
			a->max_ms = (unsigned)v;
			break;
		case 'h': usage(stdout); return -1;
		default: return cli_usage_error("minimize", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("minimize", "expected exactly one FILE");
	a->file = argv[optind];
	return TF_EXIT_OK;
}

/* The instances of f's expect object, when it names two or more. */
static bool list_from_expect(const tf_fixture *f, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	if (f->nexpect < 2)
		return false;
	for (unsigned i = 0; i < f->nexpect; i++) {
		int w = snprintf(buf + used, n - used, "%s%s", i ? "," : "", f->expect[i].evaluator);
		if (w < 0 || (size_t)w >= n - used)
			return false;
		used += (size_t)w;
	}
	return true;
}

static void default_out(const char *file, char *buf, size_t n)
{
	size_t len = strlen(file);
	if (len > 5 && !strcmp(file + len - 5, ".json"))
		snprintf(buf, n, "%.*s.min.json", (int)(len - 5), file);
	else
		snprintf(buf, n, "%s.min.json", file);
}

static int load_known(const min_args *a, tf_known_table *t)
{
	tf_error err = {0};
	const char *path = a->known ? a->known : tf_known_default_path();
	t->n = 0;
	if (!path) {
		fprintf(stderr, "trustfuzz minimize: no known-divergence table (--known): every "
				"signature counts as new\n");
		return TF_EXIT_OK;
	}
	if (tf_known_load(path, t, &err) != TF_OK)
		return cli_report(&err);
	return TF_EXIT_OK;
}

/* Everything a run needs, heap-allocated once (fixtures are large). */
typedef struct min_job {
	tf_fixture in, out;
	tf_instance inst[TF_MAX_INSTANCES];
	unsigned n, opened;
	tf_run run;
	tf_signature sigs[TF_MAX_INSTANCES * TF_MAX_INSTANCES];
	tf_known_table known;
	char list[1024], outpath[4096];
} min_job;

static int pick_signature(const min_args *a, min_job *j, const tf_signature **sig)
{
	const unsigned max = sizeof j->sigs / sizeof j->sigs[0];
	unsigned total = tf_diff_signatures(j->inst, &j->run, &j->in.scenario, a->depth, j->sigs,
					    max);
	tf_known_coarsen_all(&j->known, j->inst, j->sigs, total < max ? total : max);
	for (unsigned i = 0; i < j->n; i++)
		if (j->run.rc[i] != TF_OK) {
			fprintf(stderr, "trustfuzz minimize: %s: %s could not judge: %s\n", a->file,
				j->inst[i].name, j->run.msg[i]);
			return j->run.rc[i] == TF_ERR_ORACLE ? TF_EXIT_FINDING : TF_EXIT_INTERNAL;
		}
	if (total == 0) {
		fprintf(stderr, "trustfuzz minimize: %s: no divergence between %s at depth %s: "
				"nothing to minimize\n",
			a->file, j->list, tf_depth_str(a->depth));
		return TF_EXIT_FINDING;
	}
	if (!a->signature) {
		*sig = &j->sigs[0];
		return TF_EXIT_OK;
	}
	*sig = tf_signature_find(j->sigs, total, a->signature);
	if (*sig)
		return TF_EXIT_OK;
	fprintf(stderr, "trustfuzz minimize: %s: does not show signature \"%s\"; it shows:\n",
		a->file, a->signature);
	for (unsigned i = 0; i < total; i++)
		fprintf(stderr, "  %s  %s\n", j->sigs[i].id, j->sigs[i].text);
	return TF_EXIT_FINDING;
}

static int run_job(const min_args *a, min_job *j)
{
	tf_error err = {0};
	const tf_signature *sig = NULL;
	tf_finding_info info;
	int rc;

	if (tf_fixture_read(a->file, &j->in, &err) != TF_OK)
		return cli_report(&err);
	if (a->evaluators)
		snprintf(j->list, sizeof j->list, "%s", a->evaluators);
	else if (!list_from_expect(&j->in, j->list, sizeof j->list))
		snprintf(j->list, sizeof j->list, "%s", TF_DEFAULT_EVALUATORS);
	if (tf_instances_parse(j->inst, TF_MAX_INSTANCES, &j->n, j->list, &err) != TF_OK)
		return cli_report(&err);
	if (j->n < 2)
		return cli_usage_error("minimize", "--evaluators: need two or more instances, got \"%s\"", j->list);
	for (; j->opened < j->n; j->opened++)
		if (tf_instance_open(&j->inst[j->opened], &err) != TF_OK)
			return cli_report(&err);
	if ((rc = load_known(a, &j->known)) != TF_EXIT_OK)
		return rc;
	tf_diff_run(j->inst, j->n, &j->in.scenario, &j->run);
	if ((rc = pick_signature(a, j, &sig)) != TF_EXIT_OK)
		return rc;

	tf_finding_opts o = {.depth = a->depth,
			     .min = {.max_steps = a->max_steps, .max_ms = a->max_ms},
			     .known = &j->known,
			     .profile = j->in.prov.profile,
			     .has_seed = j->in.prov.has_seed,
			     .seed = j->in.prov.seed};
	if (tf_finding_fixture(j->inst, j->n, &j->in.scenario, sig, &o, &j->out, &info, &err) != TF_OK)
		return cli_report(&err);
	if (a->out)
		snprintf(j->outpath, sizeof j->outpath, "%s", a->out);
	else
		default_out(a->file, j->outpath, sizeof j->outpath);
	if (tf_fixture_write(j->outpath, &j->out, &err) != TF_OK)
		return cli_report(&err);
	printf("signature: %s\n", sig->text);
	printf("id: %s (%s%s)\n", sig->id, info.known ? "known: " : "new",
	       info.known ? info.known->id : "");
	printf("certificates: %u -> %u, steps %u (accepted %u, rounds %u)%s%s\n",
	       info.stats.certs_before, info.stats.certs_after, info.stats.steps,
	       info.stats.accepted, info.stats.rounds,
	       info.stats.hit_step_bound ? ", step bound reached" : "",
	       info.stats.hit_time_bound ? ", time bound reached" : "");
	printf("why: %s\n", j->out.why);
	printf("wrote %s\n", j->outpath);
	return TF_EXIT_OK;
}

int cmd_minimize(int argc, char **argv)
{
	min_args a = {0};
	int rc = parse_args(argc, argv, &a);
	if (rc != TF_EXIT_OK)
		return rc < 0 ? TF_EXIT_OK : rc;
	min_job *j = calloc(1, sizeof *j);
	if (!j) {
		fprintf(stderr, "trustfuzz minimize: out of memory\n");
		return TF_EXIT_INTERNAL;
	}
	tf_fixture_init(&j->in);
	tf_fixture_init(&j->out);
	rc = run_job(&a, j);
	for (unsigned i = 0; i < j->opened; i++)
		tf_instance_close(&j->inst[i]);
	tf_fixture_free(&j->in);
	tf_fixture_free(&j->out);
	free(j);
	return rc;
}
