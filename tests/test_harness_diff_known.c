/* Unit tests for the known-divergence table (harness/known.c): loading
 * errors with their exact messages, matching rules, and the shipped table. */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <ftw.h>

#include "trustfuzz/diff.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/gen.h"

static char tmpdir[4096];
static tf_known_table table; /* large: static rather than on the stack */

static const char *write_tmp(const char *name, const char *text)
{
	static char path[8192];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		fail_msg("cannot write %s", path);
	fputs(text, f);
	fclose(f);
	return path;
}

#define HEAD "{\"schema\": \"trustfuzz-known-divergences\", \"version\": 1, \"entries\": ["
#define ENTRY(id) \
	"{\"id\": \"" id "\", \"pair\": [\"ref\", \"kb\"], \"status\": [\"200\", \"403.16\"], " \
	"\"require\": [\"trigger\"], \"explanation\": \"the KB bug\"}"

/* Loads text; expects code and the message after "PATH: ". */
static void expect_error(const char *text, tf_err code, const char *msg)
{
	tf_error err = {0};
	char want[1024];
	const char *path = write_tmp("bad.json", text);
	assert_int_equal(tf_known_load(path, &table, &err), code);
	snprintf(want, sizeof want, "%s: %s", path, msg);
	assert_string_equal(err.msg, want);
	assert_int_equal(table.n, 0);
}

static void test_load_errors(void **state)
{
	(void)state;
	expect_error("[]", TF_ERR_SCHEMA, "expected a JSON object");
	expect_error("{\"schema\": \"x\", \"version\": 1, \"entries\": []}", TF_ERR_SCHEMA,
		     "schema: expected \"trustfuzz-known-divergences\"");
	expect_error("{\"schema\": \"trustfuzz-known-divergences\", \"version\": 2, \"entries\": []}",
		     TF_ERR_SCHEMA, "version: expected 1");
	expect_error("{\"schema\": \"trustfuzz-known-divergences\", \"version\": 1, \"entries\": {}}",
		     TF_ERR_SCHEMA, "entries: expected an array");
	expect_error("{\"schema\": \"trustfuzz-known-divergences\", \"version\": 1, \"entries\": [], "
		     "\"extra\": 0}",
		     TF_ERR_SCHEMA, "unknown field \"extra\" (fields: schema, version, entries)");
	expect_error(HEAD "7]}", TF_ERR_SCHEMA, "entries[0]: expected an object");
	expect_error(HEAD ENTRY("a") ", {\"id\": \"a\"}]}", TF_ERR_SCHEMA,
		     "entries[1].id: duplicate id \"a\" (also entries[0])");
	expect_error(HEAD "{\"id\": \"Upper\"}]}", TF_ERR_SCHEMA,
		     "entries[0].id: expected 1..40 characters of [a-z0-9.-]");
	expect_error(HEAD "{\"id\": \"a\", \"colour\": 1}]}", TF_ERR_SCHEMA,
		     "entries[0]: unknown field \"colour\" (fields: id, pair, status, require, "
		     "forbid, explanation)");
	expect_error(HEAD "{\"id\": \"a\", \"pair\": [\"ref\"]}]}", TF_ERR_SCHEMA,
		     "entries[0].pair: expected an array of two instance-name patterns (\"ref\", "
		     "\"openssl*\", \"*\", \"a|b\")");
	expect_error(HEAD "{\"id\": \"a\", \"pair\": [\"ref\", \"o*ssl\"]}]}", TF_ERR_SCHEMA,
		     "entries[0].pair[1]: \"o*ssl\" is not one of the instance-name patterns "
		     "(\"ref\", \"openssl*\", \"*\", \"a|b\")");
	expect_error(HEAD "{\"id\": \"a\", \"pair\": [\"ref\", \"kb\"], \"status\": [\"200\", "
			  "\"404\"]}]}",
		     TF_ERR_SCHEMA,
		     "entries[0].status[1]: \"404\" is not one of the statuses (\"200\", \"403.7\", "
		     "\"403.13\", \"403.16\", \"403.17\" or \"*\")");
	expect_error(HEAD "{\"id\": \"a\", \"pair\": [\"ref\", \"kb\"], \"status\": [\"*\", \"*\"], "
			  "\"require\": [\"trigger\", \"sparkle\"]}]}",
		     TF_ERR_SCHEMA,
		     "entries[0].require[1]: unknown feature \"sparkle\" (features: trigger, "
		     "issuer-list, mode1, mode2, nss-anchor, name-collision, cross-sign, "
		     "expired-on-path, cai-store, list-truncated, multi-identity, bad-signature, "
		     "profile-issue, usage, key-id, validity-edge, anchor-not-ca, "
		     "reissued-anchor, pathlen-self-issued, store-twin)");
	expect_error(HEAD "{\"id\": \"a\", \"pair\": [\"ref\", \"kb\"], \"status\": [\"*\", \"*\"], "
			  "\"forbid\": [1]}]}",
		     TF_ERR_SCHEMA, "entries[0].forbid[0]: expected a feature name (a string)");
	expect_error(HEAD "{\"id\": \"a\", \"pair\": [\"ref\", \"kb\"], \"status\": [\"*\", \"*\"], "
			  "\"require\": [\"trigger\"], \"forbid\": [\"trigger\"]}]}",
		     TF_ERR_SCHEMA,
		     "entries[0].forbid: a feature is both required and forbidden");
	expect_error(HEAD "{\"id\": \"a\", \"pair\": [\"ref\", \"kb\"], \"status\": [\"*\", \"*\"], "
			  "\"explanation\": \"\"}]}",
		     TF_ERR_SCHEMA, "entries[0].explanation: expected a string of 1..599 bytes");
}

static void test_load_syntax_and_io(void **state)
{
	(void)state;
	tf_error err = {0};
	char want[8192];
	const char *path = write_tmp("broken.json", "{\"schema\": ");
	assert_int_equal(tf_known_load(path, &table, &err), TF_ERR_PARSE);
	snprintf(want, sizeof want, "%s:1:", path);
	assert_memory_equal(err.msg, want, strlen(want));
	assert_non_null(strstr(err.msg, ": not valid JSON: "));

	snprintf(want, sizeof want, "%s/absent.json", tmpdir);
	assert_int_equal(tf_known_load(want, &table, &err), TF_ERR_IO);
	assert_memory_equal(err.msg, want, strlen(want));
}

static tf_instance named(const char *name)
{
	tf_instance i;
	memset(&i, 0, sizeof i);
	snprintf(i.name, sizeof i.name, "%s", name);
	return i;
}

static tf_signature sig_of(unsigned a, unsigned b, tf_status sa, tf_status sb, uint32_t f)
{
	tf_signature s;
	memset(&s, 0, sizeof s);
	s.a = (uint8_t)a, s.b = (uint8_t)b, s.sa = sa, s.sb = sb, s.features = f;
	return s;
}

static void test_matching(void **state)
{
	(void)state;
	tf_error err = {0};
	const char *path = write_tmp(
		"ok.json",
		HEAD "{\"id\": \"kb-row1\", \"pair\": [\"kb*\", \"*\"], \"status\": [\"403.16\", "
		     "\"200\"], \"require\": [\"trigger\"], \"forbid\": [\"issuer-list\"], "
		     "\"explanation\": \"row 1\"},"
		     "{\"id\": \"ossl\", \"pair\": [\"ref\", \"openssl|gnutls*\"], \"status\": [\"200\", "
		     "\"*\"], \"require\": [\"nss-anchor\"], \"explanation\": \"partial chain\"},"
		     "{\"id\": \"catch-all\", \"pair\": [\"*\", \"*\"], \"status\": [\"*\", \"*\"], "
		     "\"require\": [\"bad-signature\", \"cross-sign\"], \"explanation\": \"x\"}]}");
	assert_int_equal(tf_known_load(path, &table, &err), TF_OK);
	assert_int_equal(table.n, 3);
	assert_string_equal(table.e[0].pair_a, "kb*");
	assert_int_equal(table.e[0].require, TF_FEAT_TRIGGER);
	assert_int_equal(table.e[0].forbid, TF_FEAT_ISSUER_LIST);
	assert_string_equal(table.e[1].explanation, "partial chain");

	tf_instance inst[6] = {named("ref"),
			       named("kb"),
			       named("openssl"),
			       named("kb+variant=any-trigger"),
			       named("gnutls+flags=3"),
			       named("openssl+partial_chain")};
	tf_signature s = sig_of(0, 1, TF_STATUS_200, TF_STATUS_403_16, TF_FEAT_TRIGGER);
	/* Pair and statuses match in the swapped order. */
	assert_string_equal(tf_known_match(&table, inst, &s)->id, "kb-row1");
	/* A prefix pattern covers the variants. */
	s.b = 3;
	assert_string_equal(tf_known_match(&table, inst, &s)->id, "kb-row1");
	/* Swapped statuses do not match. */
	s.sa = TF_STATUS_403_16, s.sb = TF_STATUS_200;
	assert_null(tf_known_match(&table, inst, &s));
	/* Forbidden feature, missing required feature. */
	s = sig_of(0, 1, TF_STATUS_200, TF_STATUS_403_16, TF_FEAT_TRIGGER | TF_FEAT_ISSUER_LIST);
	assert_null(tf_known_match(&table, inst, &s));
	s.features = 0;
	assert_null(tf_known_match(&table, inst, &s));
	/* Exact name: "openssl" but not the kb variant in its place. */
	s = sig_of(0, 2, TF_STATUS_200, TF_STATUS_403_16, TF_FEAT_NSS_ANCHOR_ON_PATH);
	assert_string_equal(tf_known_match(&table, inst, &s)->id, "ossl");
	s.b = 3;
	assert_null(tf_known_match(&table, inst, &s));
	/* Alternatives: the second one, a prefix, matches. */
	s.b = 4;
	assert_string_equal(tf_known_match(&table, inst, &s)->id, "ossl");
	s.b = 5;
	assert_null(tf_known_match(&table, inst, &s));
	s.b = 3;
	/* The first matching entry wins; "*" matches anything. */
	s.features = TF_FEAT_TRIGGER | TF_FEAT_BAD_SIGNATURE | TF_FEAT_CROSS_SIGN;
	s.a = 3, s.b = 2, s.sa = TF_STATUS_403_16, s.sb = TF_STATUS_200;
	assert_string_equal(tf_known_match(&table, inst, &s)->id, "kb-row1");
	s.sa = TF_STATUS_403_7;
	assert_string_equal(tf_known_match(&table, inst, &s)->id, "catch-all");
	assert_null(tf_known_match(NULL, inst, &s));
}

/* The shipped table loads, and every entry explains itself. */
static void test_shipped_table(void **state)
{
	(void)state;
	tf_error err = {0};
	char path[4096];
	const char *src = getenv("TF_SRC");
	snprintf(path, sizeof path, "%s/corpus/known-divergences.json", src ? src : ".");
	if (tf_known_load(path, &table, &err) != TF_OK)
		fail_msg("%s", err.msg);
	assert_true(table.n >= 5);
	for (unsigned i = 0; i < table.n; i++)
		assert_true(strlen(table.e[i].explanation) > 80);
	tf_instance inst[2] = {named("ref"), named("kb")};
	tf_signature s = sig_of(0, 1, TF_STATUS_200, TF_STATUS_403_16, TF_FEAT_TRIGGER);
	assert_non_null(tf_known_match(&table, inst, &s));
	s = sig_of(0, 1, TF_STATUS_200, TF_STATUS_403_7, TF_FEAT_TRIGGER | TF_FEAT_ISSUER_LIST);
	assert_non_null(tf_known_match(&table, inst, &s));
}

static void load_shipped(void)
{
	tf_error err = {0};
	char path[4096];
	const char *src = getenv("TF_SRC");
	snprintf(path, sizeof path, "%s/corpus/known-divergences.json", src ? src : ".");
	if (tf_known_load(path, &table, &err) != TF_OK)
		fail_msg("%s", err.msg);
}

/* A backend entry names the evaluators its explanation is about on the other
 * side: a bare "*" there would also claim divergences between two backends
 * that the other backend's own entries explain. */
static void test_shipped_no_bare_star(void **state)
{
	(void)state;
	load_shipped();
	for (unsigned i = 0; i < table.n; i++) {
		const tf_known_entry *e = &table.e[i];
		bool ossl = !strncmp(e->id, "openssl-", 8), gnu = !strncmp(e->id, "gnutls-", 7);
		if ((ossl || gnu) && (!strcmp(e->pair_a, "*") || !strcmp(e->pair_b, "*")))
			fail_msg("%s: pair [\"%s\", \"%s\"] has a bare \"*\"", e->id, e->pair_a,
				 e->pair_b);
	}
}

static bool known_tag(const tf_fixture *f, char *id, size_t n)
{
	for (unsigned t = 0; t < f->ntags; t++)
		if (!strncmp(f->tags[t], "known:gnutls-", 13)) {
			snprintf(id, n, "%s", f->tags[t] + 6);
			return true;
		}
	return false;
}

static const char *class_of(const tf_instance *inst, const tf_run *run, const tf_scenario *s,
			    unsigned a, unsigned b)
{
	tf_signature sig;
	if (!tf_diff_pair_signature(inst, a, b, &run->v[a], &run->v[b], s, TF_DEPTH_STATUS, &sig))
		return NULL;
	const tf_known_entry *e = tf_known_match(&table, inst, &sig);
	return e ? e->id : "new";
}

/* Every GnuTLS fixture tagged known:gnutls-X: its divergence from the
 * reference is classified X, and against OpenSSL, when OpenSSL with and
 * without PARTIAL_CHAIN says what the reference says (so OpenSSL is not the
 * side that deviates), by a GnuTLS entry (no OpenSSL entry shadows it). The
 * KB model's rows still claim kb~gnutls under the trigger: a signature
 * cannot tell which side of that pair deviates. */
static void test_gnutls_fixtures_classified(void **state)
{
	(void)state;
	enum { REF, KB, OSSL, GNU, OSSL_PC };
	tf_instance inst[TF_MAX_INSTANCES];
	unsigned n = 0, checked = 0, against_openssl = 0;
	tf_error err = {0};
	char pattern[4096], id[64];
	const char *src = getenv("TF_SRC");
	glob_t g;
	tf_fixture *f = malloc(sizeof *f);
	tf_run *run = malloc(sizeof *run);
	assert_non_null(f);
	assert_non_null(run);
	load_shipped();
	assert_int_equal(tf_instances_parse(inst, TF_MAX_INSTANCES, &n, "ref,kb,openssl,gnutls,openssl+partial_chain",
					    &err),
			 TF_OK);
	for (unsigned i = 0; i < n; i++)
		if (tf_instance_open(&inst[i], &err) != TF_OK)
			fail_msg("%s", err.msg);
	snprintf(pattern, sizeof pattern, "%s/corpus/fixtures/gnutls/*.json", src ? src : ".");
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	for (size_t k = 0; k < g.gl_pathc; k++) {
		tf_fixture_init(f);
		if (tf_fixture_read(g.gl_pathv[k], f, &err) != TF_OK)
			fail_msg("%s", err.msg);
		if (known_tag(f, id, sizeof id)) {
			tf_diff_run(inst, n, &f->scenario, run);
			for (unsigned i = 0; i < n; i++)
				if (run->rc[i] != TF_OK)
					fail_msg("%s: %s: %s", g.gl_pathv[k], inst[i].name, run->msg[i]);
			const char *c = class_of(inst, run, &f->scenario, REF, GNU);
			if (c) {
				if (strcmp(c, id) != 0)
					fail_msg("%s: ref~gnutls is %s, expected %s", g.gl_pathv[k], c, id);
				checked++;
			}
			c = class_of(inst, run, &f->scenario, OSSL, GNU);
			if (c && run->v[OSSL].status == run->v[REF].status &&
			    run->v[OSSL_PC].status == run->v[REF].status) {
				if (strncmp(c, "gnutls-", 7) != 0)
					fail_msg("%s: openssl~gnutls is %s, expected a gnutls-* entry",
						 g.gl_pathv[k], c);
				against_openssl++;
			}
		}
		tf_fixture_free(f);
	}
	globfree(&g);
	for (unsigned i = 0; i < n; i++)
		tf_instance_close(&inst[i]);
	free(f);
	free(run);
	assert_true(checked >= 10);
	assert_true(against_openssl >= 2);
}

/* nftw gives no user pointer: the walk's state lives here. */
static unsigned tags_seen;
static char tag_problem[512];

static int check_fixture_tags(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	size_t len = strlen(path);
	if (type != FTW_F || len < 5 || strcmp(path + len - 5, ".json") != 0)
		return 0;
	tf_error err = {0};
	tf_fixture *f = malloc(sizeof *f);
	if (!f)
		return -1;
	tf_fixture_init(f);
	if (tf_fixture_read(path, f, &err) != TF_OK) {
		snprintf(tag_problem, sizeof tag_problem, "%s", err.msg);
		free(f);
		return 1;
	}
	int rc = 0;
	for (unsigned t = 0; t < f->ntags && !rc; t++) {
		if (strncmp(f->tags[t], "known:", 6) != 0)
			continue;
		bool found = false;
		for (unsigned i = 0; i < table.n && !found; i++)
			found = !strcmp(table.e[i].id, f->tags[t] + 6);
		tags_seen++;
		if (!found) {
			snprintf(tag_problem, sizeof tag_problem,
				 "%s: tag \"%s\" names no entry of the known table", path, f->tags[t]);
			rc = 1;
		}
	}
	tf_fixture_free(f);
	free(f);
	return rc;
}

/* Every known:<id> tag of every shipped fixture names an entry of the
 * shipped table: a removed or renamed entry must take its tags with it. */
static void test_fixture_known_tags_exist(void **state)
{
	(void)state;
	char root[4096];
	const char *src = getenv("TF_SRC");
	load_shipped();
	snprintf(root, sizeof root, "%s/corpus/fixtures", src ? src : ".");
	tags_seen = 0;
	tag_problem[0] = '\0';
	if (nftw(root, check_fixture_tags, 16, FTW_PHYS) != 0)
		fail_msg("%s", tag_problem[0] ? tag_problem : "cannot walk corpus/fixtures");
	assert_true(tags_seen >= 10);
}

/* The mechanism form: the entry's required features, plus forbidden ones
 * only where an earlier entry would otherwise claim it; idempotent; new
 * signatures keep every feature; no two entries share a coarse signature
 * over generated scenarios with four instances. */
static void test_coarsen(void **state)
{
	(void)state;
	tf_error err = {0};
	tf_instance inst[TF_MAX_INSTANCES];
	unsigned n = 0;
	const char *path = write_tmp(
		"coarse.json",
		HEAD "{\"id\": \"row1\", \"pair\": [\"kb\", \"ref\"], \"status\": [\"403.16\", "
		     "\"200\"], \"require\": [\"trigger\"], \"forbid\": [\"issuer-list\"], "
		     "\"explanation\": \"row 1\"},"
		     "{\"id\": \"any\", \"pair\": [\"kb\", \"ref\"], \"status\": [\"*\", \"*\"], "
		     "\"require\": [\"trigger\"], \"explanation\": \"x\"}]}");
	assert_int_equal(tf_known_load(path, &table, &err), TF_OK);
	tf_instance two[2] = {named("ref"), named("kb")};
	tf_signature s = sig_of(0, 1, TF_STATUS_200, TF_STATUS_403_16,
				TF_FEAT_TRIGGER | TF_FEAT_USAGE | TF_FEAT_MODE2);
	snprintf(s.text, sizeof s.text, "ref~kb:200/403.16:x");
	assert_string_equal(tf_known_coarsen(&table, two, &s)->id, "row1");
	assert_string_equal(s.text, "ref~kb:200/403.16:trigger");
	s.features = TF_FEAT_TRIGGER | TF_FEAT_ISSUER_LIST | TF_FEAT_USAGE;
	assert_string_equal(tf_known_coarsen(&table, two, &s)->id, "any");
	/* Escaped row1 by its forbidden feature: that feature stays. */
	assert_string_equal(s.text, "ref~kb:200/403.16:trigger+issuer-list");
	assert_string_equal(tf_known_coarsen(&table, two, &s)->id, "any");
	assert_string_equal(s.text, "ref~kb:200/403.16:trigger+issuer-list");
	s.features = TF_FEAT_USAGE;
	snprintf(s.text, sizeof s.text, "ref~kb:200/403.16:usage");
	assert_null(tf_known_coarsen(&table, two, &s));
	assert_string_equal(s.text, "ref~kb:200/403.16:usage");

	load_shipped();
	assert_int_equal(tf_instances_parse(inst, TF_MAX_INSTANCES, &n, "ref,kb,openssl,gnutls", &err),
			 TF_OK);
	for (unsigned i = 0; i < n; i++)
		if (tf_instance_open(&inst[i], &err) != TF_OK)
			fail_msg("%s", err.msg);
	static tf_run run;
	static char seen_text[512][256], seen_id[512][64];
	unsigned nseen = 0, known = 0;
	for (uint64_t seed = 0; seed < 300; seed++) {
		tf_scenario sc;
		tf_signature sigs[8];
		tf_gen_from_seed(&sc, seed, (tf_profile)(seed % TF_GEN_PROFILE_COUNT), NULL, NULL);
		tf_diff_run(inst, n, &sc, &run);
		unsigned k = tf_diff_signatures(inst, &run, &sc, TF_DEPTH_STATUS, sigs, 8);
		for (unsigned j = 0; j < k && j < 8; j++) {
			tf_signature c = sigs[j];
			const tf_known_entry *e = tf_known_coarsen(&table, inst, &c);
			assert_ptr_equal(e, tf_known_match(&table, inst, &sigs[j]));
			if (!e) {
				assert_string_equal(c.text, sigs[j].text);
				continue;
			}
			known++;
			assert_int_equal(c.features & ~sigs[j].features, 0);
			assert_int_equal(c.facts, sigs[j].facts);
			tf_signature again = c;
			assert_ptr_equal(tf_known_coarsen(&table, inst, &again), e);
			assert_string_equal(again.text, c.text);
			unsigned q = 0;
			while (q < nseen && strcmp(seen_text[q], c.text))
				q++;
			if (q < nseen) {
				if (strcmp(seen_id[q], e->id))
					fail_msg("%s: both %s and %s", c.text, seen_id[q], e->id);
			} else if (nseen < 512) {
				snprintf(seen_text[nseen], sizeof seen_text[0], "%s", c.text);
				snprintf(seen_id[nseen++], sizeof seen_id[0], "%s", e->id);
			}
		}
		tf_scenario_free(&sc);
	}
	for (unsigned i = 0; i < n; i++)
		tf_instance_close(&inst[i]);
	assert_true(known > 100);
	assert_true(nseen < known / 2);
}

static void test_default_path(void **state)
{
	(void)state;
	setenv("TRUSTFUZZ_KNOWN", "/some/where.json", 1);
	assert_string_equal(tf_known_default_path(), "/some/where.json");
	unsetenv("TRUSTFUZZ_KNOWN");
	if (chdir(tmpdir) != 0)
		fail_msg("chdir %s", tmpdir);
	unlink("corpus/known-divergences.json"); /* from an earlier run */
	/* No table here: the source tree's, compiled in by CMake (absolute). */
	const char *src = tf_known_default_path();
	assert_non_null(src);
	const char *tail = "/corpus/known-divergences.json";
	assert_true(src[0] == '/' && strlen(src) > strlen(tail));
	assert_string_equal(src + strlen(src) - strlen(tail), tail);
	mkdir("corpus", 0777);
	write_tmp("corpus/known-divergences.json", "{}");
	assert_string_equal(tf_known_default_path(), "corpus/known-divergences.json");
}

int main(void)
{
	const char *t = getenv("TF_TMP");
	snprintf(tmpdir, sizeof tmpdir, "%s/harness_known", t ? t : "/tmp");
	mkdir(t ? t : "/tmp", 0777);
	mkdir(tmpdir, 0777);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_errors),   cmocka_unit_test(test_load_syntax_and_io),
		cmocka_unit_test(test_matching),      cmocka_unit_test(test_shipped_table),
		cmocka_unit_test(test_shipped_no_bare_star),
		cmocka_unit_test(test_gnutls_fixtures_classified),
		cmocka_unit_test(test_fixture_known_tags_exist),
		cmocka_unit_test(test_coarsen),
		cmocka_unit_test(test_default_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
