/*
 * harness/fuzz/seeds.c — builds the seed corpus of the differential target:
 * the byte form (tf_gen_encode) of every fixture under a folder, plus a few
 * scenarios of each generation profile. Deterministic: the same fixtures
 * give the same files, byte for byte, so the committed corpus can be
 * checked for staleness (scripts/make-seed-corpus.sh --check).
 *
 * Names: a fixture corpus/fixtures/kb/row1.json becomes "fixture-kb-row1";
 * generated seeds are "gen-<profile>-<k>". Fixtures whose scenario the
 * byte format cannot carry (bound real DER) are skipped and listed.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trustfuzz/fixture.h"
#include "trustfuzz/gen.h"
#include "walk.h"

/* Generated seeds per profile: a handful of shapes beside the fixtures. */
#define GEN_SEEDS 4

static int put(const char *out, const char *name, const uint8_t *bytes, size_t len)
{
	char path[PATH_MAX];
	tf_error err = {0};
	snprintf(path, sizeof path, "%s/%s", out, name);
	if (tf_write_file_atomic(path, bytes, len, &err) != TF_OK) {
		fprintf(stderr, "fuzz-seeds: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* "kb/row1.json" under root → "fixture-kb-row1". */
static void seed_name(const char *root, const char *path, char *buf, size_t n)
{
	const char *rel = path + strlen(root);
	while (*rel == '/')
		rel++;
	size_t len = strlen(rel) - 5;
	snprintf(buf, n, "fixture-%.*s", (int)len, rel);
	for (char *p = buf; *p; p++)
		if (*p == '/')
			*p = '-';
}

static int from_fixtures(const char *root, const char *out, unsigned *count)
{
	static tf_fixture f;
	static uint8_t bytes[TF_GEN_MAX_BYTES];
	tf_walk_list l = {0};
	int rc = tf_walk_add(&l, root, ".json", "fuzz-seeds");
	if (rc == 0)
		tf_walk_sort(&l);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		tf_error err = {0};
		size_t len = 0;
		char name[PATH_MAX];
		tf_fixture_init(&f);
		if (tf_fixture_read(l.v[i], &f, &err) != TF_OK) {
			fprintf(stderr, "fuzz-seeds: %s\n", err.msg);
			rc = -1;
		} else if (tf_gen_encode(&f.scenario, bytes, sizeof bytes, &len, &err) != TF_OK) {
			fprintf(stderr, "fuzz-seeds: %s: skipped, no byte form: %s\n", l.v[i],
				err.msg);
		} else {
			seed_name(root, l.v[i], name, sizeof name);
			rc = put(out, name, bytes, len);
			*count += rc == 0;
		}
		tf_fixture_free(&f);
	}
	tf_walk_free(&l);
	return rc;
}

static int from_profiles(const char *out, unsigned *count)
{
	static uint8_t bytes[TF_GEN_MAX_BYTES];
	for (int p = 0; p < TF_GEN_PROFILE_COUNT; p++)
		for (unsigned k = 0; k < GEN_SEEDS; k++) {
			tf_scenario s;
			size_t len = 0;
			char name[64];
			tf_gen_from_seed(&s, k, (tf_profile)p, bytes, &len);
			tf_scenario_free(&s);
			snprintf(name, sizeof name, "gen-%s-%u", tf_profile_str((tf_profile)p), k);
			if (put(out, name, bytes, len) != 0)
				return -1;
			(*count)++;
		}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	if (argc != 3 || argv[1][0] == '-') {
		fprintf(argc == 2 && !strcmp(argv[1], "--help") ? stdout : stderr,
			"usage: fuzz-seeds FIXTURES_DIR OUT_DIR\n\n"
			"Writes the byte form of every fixture under FIXTURES_DIR, and %d\n"
			"generated scenarios per profile, into OUT_DIR (which must exist).\n",
			GEN_SEEDS);
		return argc == 2 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	if (from_fixtures(argv[1], argv[2], &count) != 0 || from_profiles(argv[2], &count) != 0)
		return 2;
	printf("fuzz-seeds: %u seeds in %s\n", count, argv[2]);
	return 0;
}
