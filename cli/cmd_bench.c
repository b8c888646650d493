/*
 * cli/cmd_bench.c — `trustfuzz bench`: throughput against the crypto
 * ceiling, minimizer times, time to the first KB divergence (bench/bench.h).
 * Prints the tables of BENCHMARKS.md, as Markdown, with the machine and the
 * command that produced them.
 */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "bench_tables.h"
#include "cli.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/registry.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: trustfuzz bench [--scenarios N] [--seed S] [--profile P] [--min-cpu SEC]\n"
		"                       [--campaign N] [--first-seeds K] [--first-timeout SEC]\n"
		"                       [--libfuzzer PATH] [--tmp DIR] [--only LIST]\n\n"
		"Measures, on one fixed set of generated scenarios, single-core scenarios per\n"
		"second (CPU time) of the generator, each evaluator, the model-only and the full\n"
		"differential; the crypto ceiling (EVP's sign and verify costs times each\n"
		"scenario's signatures) and the OpenSSL backend's rate against it, with and\n"
		"without its signature cache; the minimizer over a fixed campaign's\n"
		"divergences; and the time from an empty corpus to the first ref~kb finding\n"
		"for `trustfuzz run` and (with --libfuzzer) libFuzzer. Prints Markdown tables.\n\n"
		"  -n, --scenarios N      size of the fixed set (default 2000)\n"
		"  -s, --seed S           seed of the set and the campaign (default 1)\n"
		"  -p, --profile P        mixed (default), kb or rfc5280\n"
		"      --min-cpu SEC      CPU seconds per repeated measurement (default 0.5)\n"
		"      --campaign N       scenarios of the minimizer's campaign (default 2000)\n"
		"      --first-seeds K    seeds for the first-divergence runs, 1..16 (default 5)\n"
		"      --first-timeout S  give up on one seed after S seconds (default 60)\n"
		"      --libfuzzer PATH   the fuzz-diff binary of a -DTF_FUZZ=ON build\n"
		"      --dict PATH        libFuzzer dictionary for the recommended-flags row\n"
		"                         (default corpus/fuzz/trustfuzz.dict when it exists)\n"
		"      --tmp DIR          scratch directory (default: a new /tmp/trustfuzz-bench-*)\n"
		"      --only LIST        sections, comma-separated: rates, crypto, minimize, first\n"
		"  -h, --help             this text\n\n"
		"Timing is never asserted: exit 0 when every section ran, 2 usage, 3 failure.\n");
}


enum { OPT_MIN_CPU = 256, OPT_CAMPAIGN, OPT_FIRST_SEEDS, OPT_FIRST_TIMEOUT, OPT_LIBFUZZER,
       OPT_TMP, OPT_ONLY, OPT_DICT };

static bool parse_seconds(const char *text, double *out)
{
	char *end = NULL;
	double v = strtod(text, &end);
	if (!*text || *end || !(v > 0) || v > 86400)
		return false;
	*out = v;
	return true;
}

static int parse_args(int argc, char **argv, bench_args *a)
{
	static const struct option longopts[] = {
		{"scenarios", required_argument, NULL, 'n'},
		{"seed", required_argument, NULL, 's'},
		{"profile", required_argument, NULL, 'p'},
		{"min-cpu", required_argument, NULL, OPT_MIN_CPU},
		{"campaign", required_argument, NULL, OPT_CAMPAIGN},
		{"first-seeds", required_argument, NULL, OPT_FIRST_SEEDS},
		{"first-timeout", required_argument, NULL, OPT_FIRST_TIMEOUT},
		{"libfuzzer", required_argument, NULL, OPT_LIBFUZZER},
		{"dict", required_argument, NULL, OPT_DICT},
		{"tmp", required_argument, NULL, OPT_TMP},
		{"only", required_argument, NULL, OPT_ONLY},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	long v = 0;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:s:p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!cli_parse_long(optarg, 1, 100000, &v))
				return cli_usage_error("bench", "--scenarios: \"%s\" is not a number 1..100000", optarg);
			a->scenarios = (unsigned)v;
			break;
		case 's':
			if (!cli_parse_u64(optarg, &a->seed))
				return cli_usage_error("bench", "--seed: \"%s\" is not a number 0..2^64-1", optarg);
			break;
		case 'p':
			if (!tf_profile_parse(optarg, &a->profile))
				return cli_usage_error("bench", "--profile: \"%s\" is not mixed, kb or rfc5280", optarg);
			break;
		case OPT_MIN_CPU:
			if (!parse_seconds(optarg, &a->min_cpu))
				return cli_usage_error("bench", "--min-cpu: \"%s\" is not a number of seconds", optarg);
			break;
		case OPT_CAMPAIGN:
			if (!cli_parse_long(optarg, 1, 1000000, &v))
				return cli_usage_error("bench", "--campaign: \"%s\" is not a number 1..1000000", optarg);
			a->campaign = (unsigned)v;
			break;
		case OPT_FIRST_SEEDS:
			if (!cli_parse_long(optarg, 1, TF_BENCH_FIRST_MAX, &v))
				return cli_usage_error("bench", "--first-seeds: \"%s\" is not a number 1..%d", optarg, TF_BENCH_FIRST_MAX);
			a->first_seeds = (unsigned)v;
			break;
		case OPT_FIRST_TIMEOUT:
			if (!parse_seconds(optarg, &a->first_timeout))
				return cli_usage_error("bench", "--first-timeout: \"%s\" is not a number of seconds", optarg);
			break;
		case OPT_LIBFUZZER: a->libfuzzer = optarg; break;
		case OPT_DICT: a->dict = optarg; break;
		case OPT_TMP: a->tmp = optarg; break;
		case OPT_ONLY: a->only = optarg; break;
		case 'h': usage(stdout); return -1;
		default: return cli_bad_option("bench", argv);
		}
	}
	if (optind != argc)
		return cli_usage_error("bench", "unexpected argument \"%s\"", argv[optind]);
	if (a->only) {
		static const char *const known[] = {"rates", "crypto", "minimize", "first"};
		char buf[128];
		snprintf(buf, sizeof buf, "%s", a->only);
		for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			bool ok = false;
			for (unsigned i = 0; i < 4; i++)
				ok |= !strcmp(t, known[i]);
			if (!ok)
				return cli_usage_error("bench", "--only: unknown section \"%s\" (rates, crypto, minimize, first)", t);
		}
	}
	if (a->libfuzzer && access(a->libfuzzer, X_OK) != 0)
		return cli_usage_error("bench", "--libfuzzer: %s is not an executable", a->libfuzzer);
	if (a->dict && access(a->dict, R_OK) != 0)
		return cli_usage_error("bench", "--dict: %s is not a readable file", a->dict);
	if (!a->dict && access("corpus/fuzz/trustfuzz.dict", R_OK) == 0)
		a->dict = "corpus/fuzz/trustfuzz.dict";
	return TF_EXIT_OK;
}

static bool section(const bench_args *a, const char *name)
{
	if (!a->only)
		return true;
	size_t n = strlen(name);
	for (const char *p = a->only; (p = strstr(p, name)); p += n)
		if ((p == a->only || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* ---- Machine -------------------------------------------------------------- */

static void file_field(const char *path, const char *key, char *buf, size_t n)
{
	char line[512];
	FILE *f = fopen(path, "r");
	snprintf(buf, n, "unknown");
	while (f && fgets(line, sizeof line, f)) {
		if (strncmp(line, key, strlen(key)))
			continue;
		const char *v = strchr(line, ':');
		v = v ? v + 1 : line + strlen(key);
		while (*v == ' ' || *v == '\t')
			v++;
		snprintf(buf, n, "%.*s", (int)strcspn(v, "\n"), v);
		break;
	}
	if (f)
		fclose(f);
}

static void print_machine(int argc, char **argv, const bench_args *a)
{
	char cpu[256], mem[64], load[64] = "unknown";
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) {
		if (!fgets(load, sizeof load, f))
			snprintf(load, sizeof load, "unknown");
		/* The three averages; the rest of the line is run-queue state. */
		char *sp = strchr(load, ' ');
		if (sp && (sp = strchr(sp + 1, ' ')) && (sp = strchr(sp + 1, ' ')))
			*sp = '\0';
		load[strcspn(load, "\n")] = '\0';
		fclose(f);
	}
	file_field("/proc/cpuinfo", "model name", cpu, sizeof cpu);
	file_field("/proc/meminfo", "MemTotal", mem, sizeof mem);
	printf("## trustfuzz bench\n\n");
	printf("- command: `trustfuzz");
	for (int i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	printf("`\n- machine: %ld CPUs online, CPU \"%s\", memory %.1f GiB, load average at start "
	       "%s\n",
	       sysconf(_SC_NPROCESSORS_ONLN), cpu, strtod(mem, NULL) / (1024.0 * 1024.0), load);
	printf("- %s; trustfuzz %s\n", OpenSSL_version(OPENSSL_VERSION), TF_VERSION_STRING);
	printf("- fixed set: %u scenarios, seed %" PRIu64 ", profile %s; rates are scenarios per "
	       "CPU second of one thread\n\n",
	       a->scenarios, a->seed, tf_profile_str(a->profile));
}

static int run_bench(int argc, char **argv, const bench_args *a, const char *tmp)
{
	tf_error err = {0};
	tf_bench_set set;
	tf_bench_crypto cr;
	bool have_cr = false;
	double model = NAN, full = NAN, campaign = NAN, min_med = NAN, run_med = NAN, lf_med = NAN,
	       lf_tuned_med = NAN;
	char self[4096];
	int rc = TF_EXIT_OK;
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len <= 0)
		return cli_usage_error("bench", "cannot find its own executable (/proc/self/exe)");
	self[len] = '\0';
	print_machine(argc, argv, a);
	if (tf_bench_set_make(&set, a->seed, a->profile, a->scenarios, &err) != TF_OK)
		return cli_report(&err);
	if (section(a, "crypto") || section(a, "rates")) {
		if (tf_bench_crypto_costs(a->min_cpu / 5, &cr, &err) != TF_OK ||
		    tf_bench_crypto_ceiling(&set, &cr, &err) != TF_OK) {
			tf_bench_set_free(&set);
			return cli_report(&err);
		}
		have_cr = true;
	}
	if (section(a, "rates"))
		rc = bench_print_rates(a, &set, &cr, &model, &full, &campaign);
	if (rc == TF_EXIT_OK && have_cr)
		bench_print_crypto(&set, &cr);
	if (rc == TF_EXIT_OK && section(a, "rates"))
		rc = bench_print_by_alg(a, &set, &cr);
	tf_bench_set_free(&set);
	if (rc == TF_EXIT_OK && section(a, "minimize"))
		rc = bench_print_minimize(a, &min_med);
	if (rc == TF_EXIT_OK && section(a, "first"))
		rc = bench_print_first(a, self, tmp, &run_med, &lf_med, &lf_tuned_med);
	if (rc == TF_EXIT_OK)
		bench_print_targets(model, full, campaign, have_cr ? &cr : NULL, min_med, run_med, lf_med,
				    lf_tuned_med);
	return rc;
}

int cmd_bench(int argc, char **argv)
{
	bench_args a = {.scenarios = 2000, .campaign = 2000, .first_seeds = 5, .seed = 1,
			.min_cpu = 0.5, .first_timeout = 60};
	char tmpbuf[] = "/tmp/trustfuzz-bench-XXXXXX";
	int rc = parse_args(argc, argv, &a);
	if (rc != TF_EXIT_OK)
		return rc < 0 ? TF_EXIT_OK : rc;
	/* Only the first-divergence runs write files (their findings and logs,
	 * kept for inspection). */
	const char *tmp = a.tmp;
	if (section(&a, "first") && !tmp && !(tmp = mkdtemp(tmpbuf))) {
		fprintf(stderr, "trustfuzz bench: cannot create a scratch directory in /tmp\n");
		return TF_EXIT_INTERNAL;
	}
	if (section(&a, "first") && a.tmp) {
		tf_error err = {0};
		if (cli_mkdirs(a.tmp, &err) != TF_OK)
			return cli_report(&err);
	}
	rc = run_bench(argc, argv, &a, tmp);
	if (section(&a, "first"))
		fprintf(stderr, "trustfuzz bench: findings and logs of the first-divergence runs are "
				"in %s\n", tmp);
	return rc;
}
