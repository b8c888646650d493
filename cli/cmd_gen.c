/*
 * cli/cmd_gen.c — `trustfuzz gen`: scenarios from seeds, as fixtures.
 *
 * Seeds N..N+count-1 of one profile each give one fixture. With --out they
 * are written atomically as DIR/gen-<profile>-<seed>.json (the directory is
 * created); without it the fixtures go to stdout one after another. The
 * output is a pure function of (seed, profile): running the same command
 * twice gives byte-identical files.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/gen.h"

/* A guard against a typo filling a disk; campaigns run in-process. */
#define GEN_MAX_COUNT 1000000u

static void usage(FILE *out)
{
	fprintf(out,
		"usage: trustfuzz gen [--seed N] [--profile mixed|kb|rfc5280] [--count N] [--out DIR]\n"
		"\n"
		"Generate the scenarios of seeds N..N+count-1 as fixtures (docs/fixture-format.md).\n"
		"\n"
		"  -s, --seed N       first seed, 0..2^64-1 (default 1)\n"
		"  -p, --profile P    mixed (default), kb or rfc5280 (docs/generators.md)\n"
		"  -n, --count N      number of fixtures, 1..%u (default 1)\n"
		"  -o, --out DIR      write DIR/gen-<profile>-<seed>.json atomically (DIR is\n"
		"                     created); without it, print the fixtures to stdout\n"
		"  -h, --help         this help\n"
		"\n"
		"The same seed and profile always give the same bytes.\n"
		"exit codes: 0 ok, 2 usage error, 3 internal error\n",
		GEN_MAX_COUNT);
}

/* Fills f with the fixture of (seed, profile). */
static void make_fixture(tf_fixture *f, uint64_t seed, tf_profile profile)
{
	const char *pname = tf_profile_str(profile);
	tf_fixture_init(f);
	tf_gen_from_seed(&f->scenario, seed, profile, NULL, NULL);
	snprintf(f->id, sizeof f->id, "gen-%s-%" PRIu64, pname, seed);
	snprintf(f->why, sizeof f->why, "generated from seed %" PRIu64 " with profile %s", seed,
		 pname);
	snprintf(f->prov.tool, sizeof f->prov.tool, "trustfuzz %s", TF_VERSION_STRING);
	snprintf(f->prov.origin, sizeof f->prov.origin, "gen");
	snprintf(f->prov.profile, sizeof f->prov.profile, "%s", pname);
	f->prov.has_seed = true;
	f->prov.seed = seed;
}

/* A generated scenario that cannot be written is a generator bug. */
static int internal(const tf_error *err)
{
	fprintf(stderr, "trustfuzz gen: internal error: %s\n", err->msg);
	return TF_EXIT_INTERNAL;
}

static int run(uint64_t seed, uint64_t count, tf_profile profile, const char *outdir)
{
	int rc = TF_EXIT_OK;
	tf_error err = {0};
	tf_fixture *f = malloc(sizeof *f);
	char *path = NULL;
	size_t pathsz = outdir ? strlen(outdir) + 64 : 0;

	if (!f || (outdir && !(path = malloc(pathsz)))) {
		fprintf(stderr, "trustfuzz gen: out of memory\n");
		rc = TF_EXIT_INTERNAL;
		goto done;
	}
	if (outdir && cli_mkdirs(outdir, &err) != TF_OK) {
		rc = cli_report(&err);
		goto done;
	}
	for (uint64_t i = 0; i < count; i++) {
		char *text = NULL;
		size_t len = 0;
		make_fixture(f, seed + i, profile);
		tf_err e = tf_fixture_to_json(f, &text, &len, &err);
		tf_fixture_free(f);
		if (e != TF_OK) {
			rc = internal(&err);
			goto done;
		}
		if (outdir) {
			snprintf(path, pathsz, "%s/gen-%s-%" PRIu64 ".json", outdir,
				 tf_profile_str(profile), seed + i);
			e = tf_write_file_atomic(path, text, len, &err);
		} else if (fwrite(text, 1, len, stdout) != len) {
			e = tf_error_set(&err, TF_ERR_IO, "<stdout>: write failed");
		}
		free(text);
		if (e != TF_OK) {
			rc = cli_report(&err);
			goto done;
		}
	}
	if (!outdir && fflush(stdout) != 0) {
		fprintf(stderr, "trustfuzz: <stdout>: write failed\n");
		rc = TF_EXIT_INTERNAL;
		goto done;
	}
	if (outdir) {
		if (count == 1)
			fprintf(stderr, "trustfuzz gen: wrote %s (profile %s, seed %" PRIu64 ")\n",
				path, tf_profile_str(profile), seed);
		else
			fprintf(stderr,
				"trustfuzz gen: wrote %" PRIu64 " fixtures to %s (profile %s, seeds %" PRIu64
				"..%" PRIu64 ")\n",
				count, outdir, tf_profile_str(profile), seed, seed + count - 1);
	}
done:
	free(path);
	free(f);
	return rc;
}

int cmd_gen(int argc, char **argv)
{
	static const struct option opts[] = {
		{"seed", required_argument, NULL, 's'},  {"profile", required_argument, NULL, 'p'},
		{"count", required_argument, NULL, 'n'}, {"out", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
	};
	uint64_t seed = 1, count = 1;
	tf_profile profile = TF_GEN_PROFILE_MIXED;
	const char *outdir = NULL;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":s:p:n:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!cli_parse_u64(optarg, &seed))
				return cli_usage_error("gen", "--seed: bad number '%s'", optarg);
			break;
		case 'p':
			if (!tf_profile_parse(optarg, &profile))
				return cli_usage_error("gen",
						       "--profile: unknown profile '%s', expected "
						       "mixed, kb or rfc5280",
						       optarg);
			break;
		case 'n':
			if (!cli_parse_u64(optarg, &count) || count < 1 || count > GEN_MAX_COUNT)
				return cli_usage_error("gen", "--count: bad count '%s', expected 1..%u",
						       optarg, GEN_MAX_COUNT);
			break;
		case 'o':
			if (!*optarg)
				return cli_usage_error("gen", "--out: empty directory name");
			outdir = optarg;
			break;
		case 'h':
			usage(stdout);
			return TF_EXIT_OK;
		case ':':
			return cli_usage_error("gen", "option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt)
				return cli_usage_error("gen", "unknown option '-%c'", optopt);
			return cli_usage_error("gen", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("gen", "unexpected argument '%s'", argv[optind]);
	if (count - 1 > UINT64_MAX - seed)
		return cli_usage_error("gen", "--seed %" PRIu64 " with --count %" PRIu64
					      " runs past the largest seed",
				       seed, count);
	return run(seed, count, profile, outdir);
}
