/* Unit tests for the known-divergence table (harness/known.c): loading
 * errors with their exact messages, matching rules, and the shipped table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "trustfuzz/diff.h"

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
		     "profile-issue, usage, key-id, validity-edge, anchor-not-ca)");
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

static void test_default_path(void **state)
{
	(void)state;
	setenv("TRUSTFUZZ_KNOWN", "/some/where.json", 1);
	assert_string_equal(tf_known_default_path(), "/some/where.json");
	unsetenv("TRUSTFUZZ_KNOWN");
	if (chdir(tmpdir) != 0)
		fail_msg("chdir %s", tmpdir);
	unlink("corpus/known-divergences.json"); /* from an earlier run */
	assert_null(tf_known_default_path());
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
		cmocka_unit_test(test_default_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
