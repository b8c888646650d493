/*
 * Unit tests for fixtures (core/fixture_*.c) and the file helpers
 * (fileio.c): the documented examples, defaults, alternative forms,
 * canonical output, error codes and messages, atomic writes. Times are in
 * test_core_fixture_time.c, random round trips in test_core_fixture_random.c.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "trustfuzz/fixture.h"

/* ---- helpers ----------------------------------------------------------- */

/* The nth (0-based) ```json block of docs/fixture-format.md, malloc'ed. */
static char *doc_block(unsigned nth)
{
	const char *src = getenv("TF_SRC");
	char path[4096], *text = NULL;
	size_t len = 0;
	tf_error err = {0};
	snprintf(path, sizeof path, "%s/docs/fixture-format.md", src ? src : ".");
	assert_int_equal(tf_read_file(path, &text, &len, &err), TF_OK);
	char *p = text;
	for (unsigned i = 0; i <= nth; i++) {
		p = strstr(p, "```json\n");
		assert_non_null(p);
		p += strlen("```json\n");
	}
	char *end = strstr(p, "```");
	assert_non_null(end);
	char *block = strndup(p, (size_t)(end - p));
	assert_non_null(block);
	free(text);
	return block;
}

static void parse_ok(const char *text, tf_fixture *f)
{
	tf_error err = {0};
	tf_err rc = tf_fixture_parse(text, strlen(text), "t.json", f, &err);
	if (rc != TF_OK)
		fail_msg("parse failed: %s", err.msg);
}

static char *to_json(const tf_fixture *f)
{
	char *out = NULL;
	size_t len = 0;
	tf_error err = {0};
	tf_err rc = tf_fixture_to_json(f, &out, &len, &err);
	if (rc != TF_OK)
		fail_msg("write failed: %s", err.msg);
	assert_int_equal(strlen(out), len);
	assert_int_equal(out[len - 1], '\n');
	return out;
}

static void parse_err(const char *text, tf_err code, const char *msg)
{
	tf_fixture f;
	tf_error err = {0};
	tf_fixture_init(&f);
	assert_int_equal(tf_fixture_parse(text, strlen(text), "t.json", &f, &err), code);
	assert_string_equal(err.msg, msg);
}

/* A scratch directory under $TF_TMP (or /tmp), made fresh. */
static void scratch_dir(char *buf, size_t n)
{
	const char *base = getenv("TF_TMP");
	if (!base || !*base)
		base = "/tmp";
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", base);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(tmp, 0777);
		*p = '/';
	}
	mkdir(tmp, 0777);
	snprintf(buf, n, "%s/fixture.XXXXXX", base);
	assert_non_null(mkdtemp(buf));
}

static unsigned dir_entries(const char *dir, char names[][256], unsigned max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n < max)
			snprintf(names[n], 256, "%s", e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

/* ---- the documented examples ------------------------------------------ */

static void test_docs_example_is_canonical(void **state)
{
	(void)state;
	char *block = doc_block(0);
	tf_fixture f;
	parse_ok(block, &f);
	char *out = to_json(&f);
	assert_string_equal(out, block);

	const tf_scenario *s = &f.scenario;
	assert_string_equal(f.id, "kb2802568-through-the-intermediate");
	assert_int_equal(s->ncerts, 3);
	assert_int_equal(s->stores[TF_STORE_ROOT].n, 2);
	assert_false(tf_cert_self_issued(s, 1)); /* I1 in Root: the trigger */
	assert_int_equal(f.nexpect, 2);
	assert_string_equal(f.expect[0].evaluator, "ref");
	assert_true(f.expect[0].e.has_path);
	assert_int_equal(f.expect[0].e.v.path_len, 3);
	assert_memory_equal(f.expect[0].e.v.path, ((uint8_t[]){2, 1, 0}), 3);
	assert_string_equal(f.expect[1].evaluator, "kb");
	assert_int_equal(f.expect[1].e.v.status, TF_STATUS_200);
	assert_int_equal(f.expect[1].e.v.win32, TF_WIN32_OK);
	assert_false(f.expect[1].e.has_identity);
	free(out);
	free(block);
}

static void test_docs_every_field(void **state)
{
	(void)state;
	char *block = doc_block(1);
	tf_fixture f;
	parse_ok(block, &f);
	const tf_scenario *s = &f.scenario;

	assert_string_equal(f.id, "every-field");
	assert_int_equal(f.ntags, 2);
	assert_string_equal(f.tags[1], "hand-written");
	assert_int_equal(s->nnames, 4);
	assert_string_equal(s->names[3].label, "");
	assert_int_equal(s->nkeys, 4);
	assert_int_equal(s->keys[3].pool, 63);

	const tf_cert *r0 = &s->certs[0], *b1 = &s->certs[1], *l2 = &s->certs[2], *e3 = &s->certs[3];
	assert_int_equal(r0->bc, TF_BC_CA_TRUE);
	assert_int_equal(r0->pathlen, 2);
	assert_true(r0->bc_critical);
	assert_int_equal(r0->ku, TF_KU_KEY_CERT_SIGN | TF_KU_CRL_SIGN);
	assert_true(r0->ku_critical);
	assert_int_equal(r0->serial, 1000);
	assert_int_equal(r0->signing_key, 0);

	assert_int_equal(b1->subject, 1);
	assert_int_equal(b1->issuer, 0);
	assert_int_equal(b1->signing_key, 0);
	assert_int_equal(b1->pathlen, -1);
	assert_true(b1->eku_present);
	assert_int_equal(b1->eku, TF_EKU_CLIENT_AUTH | TF_EKU_SERVER_AUTH);
	assert_true(b1->eku_critical);
	assert_false(b1->ku_present);
	assert_false(b1->ku_critical);
	assert_int_equal(b1->not_before, TF_EXPIRED_NOT_BEFORE);
	assert_int_equal(b1->not_after, TF_EXPIRED_NOT_AFTER);
	assert_true(b1->serial_long);
	assert_int_equal(b1->serial, 2);
	assert_int_equal(b1->ski, TF_KID_ABSENT);
	assert_int_equal(b1->aki, TF_KID_MISMATCH);
	assert_true(b1->unknown_critical);

	assert_int_equal(l2->bc, TF_BC_CA_FALSE);
	assert_false(l2->bc_critical);
	assert_int_equal(l2->ku, TF_KU_DIGITAL_SIGNATURE | TF_KU_KEY_ENCIPHERMENT);
	assert_false(l2->ku_critical);
	assert_int_equal(l2->not_before, -3600);
	assert_int_equal(l2->not_after, 0);
	assert_int_equal(l2->serial, -5);
	assert_int_equal(l2->version, 1);
	assert_true(l2->corrupt_sig);

	assert_int_equal(e3->bc, TF_BC_ABSENT);
	assert_true(e3->bc_critical);
	assert_int_equal(e3->not_before, TF_NYV_NOT_BEFORE);
	assert_int_equal(e3->serial, 0);
	assert_int_equal(e3->version, 2);

	assert_int_equal(s->stores[TF_STORE_ROOT].n, 2);
	assert_int_equal(s->stores[TF_STORE_INTERMEDIATE].cert[0], 1);
	assert_int_equal(s->stores[TF_STORE_CAI].cert[0], 0);
	assert_true(s->server.send_issuer_list);
	assert_int_equal(s->server.trust_mode, 2);
	assert_int_equal(s->server.validation_time, INT64_C(1907757296));
	assert_int_equal(s->server.issuer_list_limit, 100);
	assert_int_equal(s->nidentities, 2);
	assert_int_equal(s->identities[0].nchain, 2);
	assert_int_equal(s->identities[0].chain[1], 0);
	assert_int_equal(s->identities[1].leaf, 3);
	assert_int_equal(s->identities[1].nchain, 0);
	assert_int_equal(s->knobs.anchors, TF_ANCHORS_SELF_SIGNED_ONLY);
	assert_int_equal(s->knobs.max_depth, 5);
	assert_int_equal(s->knobs.kb_variant, TF_KB_VARIANT_CUT_AT_FIRST);
	assert_int_equal(s->knobs.ossl_partial_chain, 1);
	assert_int_equal(s->knobs.profile, TF_PROFILE_RFC5280);

	assert_int_equal(f.nexpect, 3);
	assert_int_equal(f.expect[0].e.v.win32, TF_WIN32_CERT_E_EXPIRED);
	assert_int_equal(f.expect[0].e.v.identity, 0);
	assert_string_equal(f.expect[1].evaluator, "kb+variant=any-trigger");
	assert_int_equal(f.expect[1].e.v.status, TF_STATUS_403_7);
	assert_int_equal(f.expect[1].e.v.identity, -1);
	assert_true(f.expect[1].e.has_path);
	assert_int_equal(f.expect[1].e.v.path_len, 0);
	assert_false(f.expect[1].e.has_win32);
	assert_int_equal(f.expect[2].e.v.win32, TF_WIN32_CERT_E_UNTRUSTEDROOT);

	assert_string_equal(f.prov.origin, "minimized");
	assert_string_equal(f.prov.profile, "kb");
	assert_true(f.prov.has_seed);
	assert_true(f.prov.seed == UINT64_MAX);
	assert_int_equal(f.prov.input_len, 3);
	assert_memory_equal(f.prov.input, "\x00\xff\x10", 3);

	/* Canonical: write, read, write gives the same bytes and fixture. */
	char *a = to_json(&f);
	tf_fixture g;
	parse_ok(a, &g);
	assert_true(tf_scenario_equal(&f.scenario, &g.scenario));
	assert_memory_equal(&f.expect, &g.expect, sizeof f.expect);
	assert_memory_equal(&f.prov, &g.prov, sizeof f.prov);
	char *b = to_json(&g);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "\"seed\": \"18446744073709551615\""));
	assert_non_null(strstr(a, "\"input\": \"00ff10\""));
	assert_non_null(strstr(a, "\"win32\": \"0x800B0101\""));
	assert_non_null(strstr(a, "\"basic_constraints_critical\": true"));
	assert_non_null(strstr(a, "\"validation_time\": \"2030-06-15T12:34:56Z\""));
	free(a);
	free(b);
	free(block);
}

/* ---- defaults and alternative forms ------------------------------------ */

static const char minimal_json[] =
	"{\"schema\": \"trustfuzz-fixture\", \"version\": 1, \"id\": \"m\", \"scenario\": {"
	"\"names\": [\"A\", \"B\"], \"keys\": [5, 9], \"certs\": ["
	"{\"id\": \"R\", \"subject\": \"A\", \"issuer\": \"A\", \"key\": 0},"
	"{\"id\": \"L\", \"subject\": \"B\", \"issuer\": \"A\", \"key\": 1}],"
	"\"identities\": [{\"leaf\": \"L\"}]}}";

static void test_defaults(void **state)
{
	(void)state;
	tf_fixture f;
	parse_ok(minimal_json, &f);
	const tf_scenario *s = &f.scenario;
	for (unsigned i = 0; i < 2; i++) {
		const tf_cert *c = &s->certs[i];
		assert_int_equal(c->signing_key, c->key);
		assert_int_equal(c->serial, i + 1);
		assert_false(c->serial_long);
		assert_int_equal(c->version, 3);
		assert_int_equal(c->not_before, TF_VALID_NOT_BEFORE);
		assert_int_equal(c->not_after, TF_VALID_NOT_AFTER);
		assert_int_equal(c->bc, TF_BC_ABSENT);
		assert_int_equal(c->pathlen, -1);
		assert_false(c->bc_critical || c->ku_present || c->ku_critical);
		assert_false(c->eku_present || c->eku_critical);
		assert_int_equal(c->ski, TF_KID_MATCH);
		assert_int_equal(c->aki, TF_KID_MATCH);
		assert_false(c->unknown_critical || c->corrupt_sig);
	}
	assert_int_equal(s->keys[1].pool, 9);
	for (unsigned id = 0; id < TF_STORE_COUNT; id++)
		assert_int_equal(s->stores[id].n, 0);
	assert_false(s->server.send_issuer_list);
	assert_int_equal(s->server.trust_mode, 0);
	assert_int_equal(s->server.validation_time, TF_DEFAULT_VALIDATION_TIME);
	assert_int_equal(s->server.issuer_list_limit, TF_DEFAULT_ISSUER_LIST_LIMIT);
	tf_knobs dk = {0};
	assert_memory_equal(&s->knobs, &dk, sizeof dk);
	assert_int_equal(f.nexpect, 0);
	assert_int_equal(f.ntags, 0);
	assert_false(f.prov.has_seed);

	/* Everything at its default is omitted from the canonical text (the
	 * one "version" is the schema version). */
	char *out = to_json(&f);
	static const char *const absent[] = {
		"signing_key", "serial", "serial_long", "validity", "not_before", "basic_constraints",
		"basic_constraints_critical", "key_usage", "key_usage_critical", "eku",
		"eku_critical", "ski", "aki", "unknown_critical_extension", "corrupt_signature",
		"stores", "server", "knobs", "expect", "provenance", "tags", "why", "chain"};
	char key[64];
	for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
		snprintf(key, sizeof key, "\"%s\":", absent[i]);
		if (strstr(out, key))
			fail_msg("default field %s written:\n%s", key, out);
	}
	const char *v = strstr(out, "\"version\":");
	assert_non_null(v);
	assert_null(strstr(v + 1, "\"version\":"));
	free(out);
}

static void test_alternative_forms(void **state)
{
	(void)state;
	tf_fixture f;
	/* An integer validation time in the RFC 3339 range reads, and is
	 * written back as text; a seed as a string below 2^63 as an integer. */
	char text[2048];
	snprintf(text, sizeof text,
		 "{\"schema\": \"trustfuzz-fixture\", \"version\": 1, \"id\": \"alt\", "
		 "\"scenario\": {\"names\": [\"A\"], \"keys\": [0], \"certs\": [{\"id\": \"R\", "
		 "\"subject\": \"A\", \"issuer\": \"A\", \"key\": 0}], \"server\": "
		 "{\"validation_time\": 0}, \"identities\": [{\"leaf\": \"R\"}]}, "
		 "\"provenance\": {\"seed\": \"42\"}}");
	parse_ok(text, &f);
	assert_int_equal(f.scenario.server.validation_time, 0);
	assert_int_equal(f.prov.seed, 42);
	char *out = to_json(&f);
	assert_non_null(strstr(out, "\"validation_time\": \"1970-01-01T00:00:00Z\""));
	assert_non_null(strstr(out, "\"seed\": 42"));
	free(out);

	/* The extreme times X.509 can encode are written as text; one second
	 * beyond is no valid scenario, and the writer refuses it. */
	f.scenario.server.validation_time = TF_TIME_MIN;
	f.scenario.certs[0].not_before = 0;
	f.scenario.certs[0].not_after = TF_TIME_MAX - TF_TIME_MIN;
	f.prov.seed = (uint64_t)INT64_MAX;
	out = to_json(&f);
	assert_non_null(strstr(out, "\"validation_time\": \"0000-01-01T00:00:00Z\""));
	assert_non_null(strstr(out, "\"not_after\": 315569519999"));
	assert_non_null(strstr(out, "\"seed\": 9223372036854775807"));
	tf_fixture g;
	parse_ok(out, &g);
	assert_true(tf_scenario_equal(&f.scenario, &g.scenario));
	assert_true(g.prov.seed == (uint64_t)INT64_MAX);
	free(out);
	tf_error err = {0};
	f.scenario.certs[0].not_after++;
	assert_int_equal(tf_fixture_to_json(&f, &out, &(size_t){0}, &err), TF_ERR_INVALID);
	assert_string_equal(err.msg, "fixture alt: scenario.certs[0].not_after: validation time "
				     "+315569520000 s falls after 9999-12-31T23:59:59Z, the last "
				     "time an X.509 certificate can encode");
	f.scenario.certs[0].not_after--;
	f.scenario.server.validation_time = INT64_MIN;
	assert_int_equal(tf_fixture_to_json(&f, &out, &(size_t){0}, &err), TF_ERR_INVALID);
	assert_string_equal(err.msg, "fixture alt: scenario.server.validation_time: "
				     "-9223372036854775808 falls before 0000-01-01T00:00:00Z, the "
				     "first time an X.509 certificate can encode");
}

/* ---- errors ------------------------------------------------------------ */

#define HEAD "{\"schema\": \"trustfuzz-fixture\", \"version\": 1, \"id\": \"e\", "
#define SCEN(extra)                                                                        \
	HEAD "\"scenario\": {\"names\": [\"A\"], \"keys\": [0], \"certs\": [{\"id\": \"R\", " \
	     "\"subject\": \"A\", \"issuer\": \"A\", \"key\": 0}], \"identities\": "       \
	     "[{\"leaf\": \"R\"}]" extra "}}"

static void test_error_codes(void **state)
{
	(void)state;
	parse_ok(SCEN(""), &(tf_fixture){0});
	parse_err("", TF_ERR_PARSE, "t.json: empty file, expected a JSON fixture object");
	parse_err(" \n\t", TF_ERR_PARSE, "t.json: empty file, expected a JSON fixture object");
	parse_err("{\"schema\": ", TF_ERR_PARSE,
		  "t.json: line 1, column 11: unexpected token near end of file, expected valid "
		  "JSON");
	parse_err(HEAD "\"scenario\": 7}", TF_ERR_SCHEMA,
		  "t.json: scenario: is an integer, expected a scenario object");
	parse_err(SCEN(", \"server\": {\"trust_mode\": 7}"), TF_ERR_RANGE,
		  "t.json: scenario.server.trust_mode: 7 out of range, expected 0, 1 or 2");
	parse_err(SCEN(", \"stores\": {\"root\": [\"R\", \"R\", \"R\", \"R\", \"R\", \"R\", \"R\", "
		       "\"R\", \"R\", \"R\", \"R\", \"R\", \"R\", \"R\", \"R\", \"R\", \"R\", \"R\", "
		       "\"R\", \"R\", \"R\", \"R\", \"R\", \"R\", \"R\"]}"),
		  TF_ERR_LIMIT, "t.json: scenario.stores.root: 25 entries, expected at most 24");
	parse_err(HEAD "\"scenario\": {\"names\": [\"A\", \"A\"], \"keys\": [0], \"certs\": [], "
		       "\"identities\": []}}",
		  TF_ERR_INVALID,
		  "t.json: scenario.names[1]: duplicate name \"A\" (also names[0]), expected "
		  "unique labels");
	parse_err(SCEN(", \"knobs\": {\"max_depth\": \"99\"}"), TF_ERR_SCHEMA,
		  "t.json: scenario.knobs.max_depth: bad value \"99\", expected a number 0..12");
	/* Non-printable bytes never reach a message. */
	parse_err(HEAD "\"scenario\": {}, \"x\\ny\": 1}", TF_ERR_SCHEMA,
		  "t.json: x?y: unknown field, expected one of schema, version, id, tags, why, "
		  "scenario, expect, provenance");
	parse_err(SCEN(", \"server\": {\"validation_time\": \"2024-01-01T00:00:00z\"}"),
		  TF_ERR_SCHEMA,
		  "t.json: scenario.server.validation_time: bad time \"2024-01-01T00:00:00z\", "
		  "expected an RFC 3339 UTC time like \"2024-01-01T00:00:00Z\" or Unix seconds");
	parse_err(SCEN(", \"server\": {\"validation_time\": 253402300800}"), TF_ERR_INVALID,
		  "t.json: scenario.server.validation_time: 253402300800 falls after "
		  "9999-12-31T23:59:59Z, the last time an X.509 certificate can encode");
	parse_err(HEAD "\"scenario\": {\"names\": [\"A\"], \"keys\": [0], \"certs\": [{\"id\": "
		       "\"R\", \"subject\": \"A\", \"issuer\": \"A\", \"key\": 0, \"validity\": "
		       "\"expired\"}], \"server\": {\"validation_time\": \"0000-01-01T00:00:00Z\"}, "
		       "\"identities\": [{\"leaf\": \"R\"}]}}",
		  TF_ERR_INVALID,
		  "t.json: scenario.certs[0].not_before: validation time -63072000 s falls before "
		  "0000-01-01T00:00:00Z, the first time an X.509 certificate can encode");
	parse_err(HEAD "\"scenario\": {}, \"why\": \"two\\nlines\"}", TF_ERR_SCHEMA,
		  "t.json: why: character 3 is a control character, expected one line of text");
	parse_err(SCEN(""
		       "}, \"provenance\": {\"seed\": \"018\""),
		  TF_ERR_SCHEMA,
		  "t.json: provenance.seed: bad seed \"018\", expected a seed "
		  "0..18446744073709551615 (integer or decimal string)");
	parse_err(SCEN("}, \"provenance\": {\"seed\": \"18446744073709551616\""), TF_ERR_SCHEMA,
		  "t.json: provenance.seed: bad seed \"18446744073709551616\", expected a seed "
		  "0..18446744073709551615 (integer or decimal string)");
}

static void test_nothing_partially_applied(void **state)
{
	(void)state;
	tf_fixture f, empty;
	tf_error err = {0};
	parse_ok(minimal_json, &f);
	assert_int_equal(f.scenario.ncerts, 2);
	/* Fails late (dangling identity), after names and certificates read. */
	const char *bad = HEAD "\"tags\": [\"t\"], \"scenario\": {\"names\": [\"A\"], \"keys\": "
			       "[0], \"certs\": [{\"id\": \"R\", \"subject\": \"A\", \"issuer\": "
			       "\"A\", \"key\": 0}], \"identities\": [{\"leaf\": \"Q\"}]}}";
	assert_int_equal(tf_fixture_parse(bad, strlen(bad), "b.json", &f, &err), TF_ERR_SCHEMA);
	assert_string_equal(err.msg, "b.json: scenario.identities[0].leaf: unknown certificate "
				     "\"Q\", expected an id of scenario.certs");
	tf_fixture_init(&empty);
	assert_memory_equal(&f, &empty, sizeof f);
}

static void test_writer_refuses(void **state)
{
	(void)state;
	tf_fixture f;
	char *out = NULL;
	size_t len = 0;
	tf_error err = {0};
	parse_ok(minimal_json, &f);

	f.id[0] = '\0';
	assert_int_equal(tf_fixture_to_json(&f, &out, &len, &err), TF_ERR_SCHEMA);
	assert_string_equal(err.msg, "fixture : id: empty, expected a fixture id of printable "
				     "ASCII");
	assert_null(out);
	strcpy(f.id, "m");

	f.scenario.certs[1].issuer = 7;
	assert_int_equal(tf_fixture_to_json(&f, &out, &len, &err), TF_ERR_INVALID);
	assert_string_equal(err.msg, "fixture m: scenario.certs[1].issuer: name index 7 out of "
				     "range (2 names)");
	f.scenario.certs[1].issuer = 0;

	tf_expect e = {.v = {.status = TF_STATUS_200, .identity = 3}, .has_identity = true};
	assert_int_equal(tf_fixture_set_expect(&f, "ref", &e, &err), TF_OK);
	assert_int_equal(tf_fixture_to_json(&f, &out, &len, &err), TF_ERR_RANGE);
	assert_string_equal(err.msg, "fixture m: expect.ref.identity: 3 out of range, expected "
				     "an identity index -1..0 (-1: none presented)");

	assert_int_equal(tf_fixture_write("/nonexistent-dir/x.json", &f, &err), TF_ERR_RANGE);
	assert_true(!strncmp(err.msg, "/nonexistent-dir/x.json: fixture m: ", 36));
}

static void test_tags_and_expect(void **state)
{
	(void)state;
	tf_fixture f;
	tf_error err = {0};
	tf_fixture_init(&f);
	char tag[8];
	for (unsigned i = 0; i < TF_FIXTURE_MAX_TAGS; i++) {
		snprintf(tag, sizeof tag, "t%u", i);
		assert_int_equal(tf_fixture_add_tag(&f, tag, &err), TF_OK);
		assert_int_equal(tf_fixture_add_tag(&f, tag, &err), TF_OK); /* no duplicate */
	}
	assert_int_equal(f.ntags, TF_FIXTURE_MAX_TAGS);
	assert_int_equal(tf_fixture_add_tag(&f, "one-more", &err), TF_ERR_LIMIT);
	assert_int_equal(tf_fixture_add_tag(&f, "", &err), TF_ERR_LIMIT);

	tf_expect e = {.v = {.status = TF_STATUS_200}};
	char name[16];
	for (unsigned i = 0; i < TF_FIXTURE_MAX_EXPECT; i++) {
		snprintf(name, sizeof name, "ev%u", i);
		assert_int_equal(tf_fixture_set_expect(&f, name, &e, &err), TF_OK);
	}
	e.v.status = TF_STATUS_403_16;
	assert_int_equal(tf_fixture_set_expect(&f, "ev3", &e, &err), TF_OK); /* replaces */
	assert_int_equal(f.nexpect, TF_FIXTURE_MAX_EXPECT);
	assert_int_equal(f.expect[3].e.v.status, TF_STATUS_403_16);
	assert_int_equal(f.expect[4].e.v.status, TF_STATUS_200);
	assert_int_equal(tf_fixture_set_expect(&f, "extra", &e, &err), TF_ERR_LIMIT);
	tf_fixture_free(&f);
}

/* ---- files ------------------------------------------------------------- */

static void test_atomic_write(void **state)
{
	(void)state;
	char dir[4096], path[4200], names[4][256];
	char *text = NULL;
	size_t len = 0;
	tf_error err = {0};
	struct stat st;
	scratch_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/out.json", dir);

	assert_int_equal(tf_write_file_atomic(path, "first\n", 6, &err), TF_OK);
	assert_int_equal(tf_write_file_atomic(path, "second, longer\n", 15, &err), TF_OK);
	assert_int_equal(tf_read_file(path, &text, &len, &err), TF_OK);
	assert_int_equal(len, 15);
	assert_string_equal(text, "second, longer\n");
	free(text);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* The temp file was renamed into place: nothing else is left behind. */
	assert_int_equal(dir_entries(dir, names, 4), 1);
	assert_string_equal(names[0], "out.json");

	/* A fixture too, and an empty file reads as empty. */
	tf_fixture f;
	parse_ok(minimal_json, &f);
	assert_int_equal(tf_fixture_write(path, &f, &err), TF_OK);
	tf_fixture g;
	assert_int_equal(tf_fixture_read(path, &g, &err), TF_OK);
	assert_true(tf_scenario_equal(&f.scenario, &g.scenario));
	assert_int_equal(tf_write_file_atomic(path, "", 0, &err), TF_OK);
	assert_int_equal(tf_read_file(path, &text, &len, &err), TF_OK);
	assert_int_equal(len, 0);
	assert_string_equal(text, "");
	free(text);
	assert_int_equal(tf_fixture_read(path, &g, &err), TF_ERR_PARSE);
	assert_true(strstr(err.msg, "out.json: empty file, expected a JSON fixture object") != NULL);
	assert_int_equal(dir_entries(dir, names, 4), 1);

	/* Failures: a missing directory, a directory as target, a missing file. */
	char bad[4300];
	snprintf(bad, sizeof bad, "%s/no/such/x.json", dir);
	assert_int_equal(tf_write_file_atomic(bad, "x", 1, &err), TF_ERR_IO);
	assert_true(!strncmp(err.msg, bad, strlen(bad)));
	assert_int_equal(tf_write_file_atomic(dir, "x", 1, &err), TF_ERR_IO);
	assert_int_equal(dir_entries(dir, names, 4), 1);
	snprintf(bad, sizeof bad, "%s/missing.json", dir);
	assert_int_equal(tf_read_file(bad, &text, &len, &err), TF_ERR_IO);
	assert_null(text);
	char want[4400];
	snprintf(want, sizeof want, "%s: cannot open: %s", bad, strerror(ENOENT));
	assert_string_equal(err.msg, want);
	assert_int_equal(tf_read_file(dir, &text, &len, &err), TF_ERR_IO);
	assert_null(text);

	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docs_example_is_canonical),
		cmocka_unit_test(test_docs_every_field),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_alternative_forms),
		cmocka_unit_test(test_error_codes),
		cmocka_unit_test(test_nothing_partially_applied),
		cmocka_unit_test(test_writer_refuses),
		cmocka_unit_test(test_tags_and_expect),
		cmocka_unit_test(test_atomic_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
