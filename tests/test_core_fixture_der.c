/*
 * tests/test_core_fixture_der.c — real DER in fixtures (docs/fixture-format.md,
 * "Real certificates"): names as {label, dn_der}, keys as {pool, spki},
 * certificates with "der"; the canonical writer and the exact round trip;
 * and every way a DER field can be wrong, with its one-line message and
 * nothing partially applied (LeakSanitizer checks the arena on error).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "trustfuzz/fixture.h"

/* "CN=A" and "CN=B" as DER, a 2-byte SEQUENCE standing in for an SPKI and
 * a certificate (core only checks that each blob is one DER SEQUENCE). */
#define DN_A "MAwxCjAIBgNVBAMMAUE="
#define DN_B "MAwxCjAIBgNVBAMMAUI="

static char *fixture(const char *names, const char *keys, const char *cert_extra)
{
	static const char fmt[] =
		"{\"schema\": \"trustfuzz-fixture\", \"version\": 1, \"id\": \"d\", \"scenario\": {"
		"\"names\": %s, \"keys\": %s, \"certs\": ["
		"{\"id\": \"R\", \"subject\": \"A\", \"issuer\": \"A\", \"key\": 0},"
		"{\"id\": \"L\", \"subject\": \"B\", \"issuer\": \"A\", \"key\": 1, "
		"\"signing_key\": 0%s}],"
		"\"identities\": [{\"leaf\": \"L\"}]}}";
	size_t n = sizeof fmt + strlen(names) + strlen(keys) + strlen(cert_extra);
	char *s = malloc(n);
	assert_non_null(s);
	snprintf(s, n, fmt, names, keys, cert_extra);
	return s;
}

static const char *good_names = "[{\"label\": \"A\", \"dn_der\": \"" DN_A "\"}, "
				"{\"label\": \"B\", \"dn_der\": \"" DN_B "\"}]";
static const char *good_keys = "[{\"spki\": \"MAMCAQE=\"}, {\"pool\": 7, \"spki\": \"MAMCAQI=\"}, 3]";

static void test_roundtrip(void **state)
{
	(void)state;
	tf_fixture *f = malloc(sizeof *f), *g = malloc(sizeof *g);
	tf_error err = {0};
	char *text = fixture(good_names, good_keys, ", \"der\": \"MAMCAQU=\"");
	char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	assert_non_null(f);
	assert_non_null(g);
	assert_int_equal(tf_fixture_parse(text, strlen(text), "d.json", f, &err), TF_OK);
	const tf_scenario *s = &f->scenario;
	assert_int_equal(s->names[0].der_len, 14);
	assert_memory_equal(s->names[0].der, "\x30\x0c\x31\x0a\x30\x08\x06\x03\x55\x04\x03\x0c\x01\x41", 14);
	assert_int_equal(tf_name_der_len(s, 1), 14);
	assert_int_equal(s->keys[0].spki_len, 5);
	assert_int_equal(s->keys[1].pool, 7);
	assert_null(s->keys[2].spki);
	assert_int_equal(s->keys[2].pool, 3);
	assert_null(s->certs[0].der);
	assert_int_equal(s->certs[1].der_len, 5);
	assert_memory_equal(s->certs[1].der, "\x30\x03\x02\x01\x05", 5);
	assert_false(tf_keys_same(s, 0, 1)); /* different SPKIs */
	assert_false(tf_keys_same(s, 0, 2)); /* bound vs pool */

	assert_int_equal(tf_fixture_to_json(f, &a, &alen, &err), TF_OK);
	assert_non_null(strstr(a, "\"label\": \"A\",\n        \"dn_der\": \"" DN_A "\""));
	assert_non_null(strstr(a, "\"spki\": \"MAMCAQE=\""));
	assert_non_null(strstr(a, "\"pool\": 7,\n        \"spki\": \"MAMCAQI=\""));
	assert_null(strstr(a, "\"pool\": 0"));
	assert_non_null(strstr(a, "\"der\": \"MAMCAQU=\""));
	assert_int_equal(tf_fixture_parse(a, alen, "again", g, &err), TF_OK);
	assert_true(tf_scenario_equal(&f->scenario, &g->scenario));
	assert_int_equal(tf_fixture_to_json(g, &b, &blen, &err), TF_OK);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	/* A deep copy keeps the bytes, in its own arena. */
	tf_scenario c;
	tf_scenario_init(&c);
	assert_int_equal(tf_scenario_copy(&c, &f->scenario), TF_OK);
	assert_true(tf_scenario_equal(&c, &f->scenario));
	assert_ptr_not_equal(c.certs[1].der, f->scenario.certs[1].der);
	tf_scenario_free(&c);
	free(a);
	free(b);
	free(text);
	tf_fixture_free(f);
	tf_fixture_free(g);
	free(f);
	free(g);
}

static void bad(const char *names, const char *keys, const char *extra, tf_err code,
		const char *msg)
{
	tf_fixture *f = malloc(sizeof *f);
	tf_error err = {0};
	char *text = fixture(names, keys, extra);
	assert_non_null(f);
	assert_int_equal(tf_fixture_parse(text, strlen(text), "d.json", f, &err), code);
	assert_string_equal(err.msg, msg);
	assert_int_equal(f->scenario.ncerts, 0);
	assert_null(f->scenario.arena.head);
	free(text);
	free(f);
}

static void test_errors(void **state)
{
	(void)state;
	const char *two = "[\"A\", \"B\"]", *keys = "[0, 1]";
	bad(two, keys, ", \"der\": \"MAMCAQU\"", TF_ERR_SCHEMA,
	    "d.json: scenario.certs[1].der: not base64, expected a DER certificate as one line of "
	    "padded base64");
	bad(two, keys, ", \"der\": \"  MAMCAQU=  \"", TF_ERR_SCHEMA,
	    "d.json: scenario.certs[1].der: not canonical base64, expected a DER certificate as "
	    "one line of padded base64");
	bad(two, keys, ", \"der\": \"MAMCAQV=\"", TF_ERR_SCHEMA,
	    "d.json: scenario.certs[1].der: not canonical base64, expected a DER certificate as "
	    "one line of padded base64");
	bad(two, keys, ", \"der\": \"AgEF\"", TF_ERR_SCHEMA,
	    "d.json: scenario.certs[1].der: 3 bytes that are not one DER SEQUENCE, expected a DER "
	    "certificate as one line of padded base64");
	bad(two, keys, ", \"der\": \"MAMCAQUA\"", TF_ERR_SCHEMA,
	    "d.json: scenario.certs[1].der: 6 bytes that are not one DER SEQUENCE, expected a DER "
	    "certificate as one line of padded base64");
	bad(two, keys, ", \"der\": \"\"", TF_ERR_SCHEMA,
	    "d.json: scenario.certs[1].der: empty, expected a DER certificate as one line of "
	    "padded base64");
	bad(two, keys, ", \"der\": 5", TF_ERR_SCHEMA,
	    "d.json: scenario.certs[1].der: is an integer, expected a DER certificate as one line "
	    "of padded base64");
	bad("[{\"label\": \"A\"}, \"B\"]", keys, "", TF_ERR_SCHEMA,
	    "d.json: scenario.names[0].dn_der: missing, expected a DER DistinguishedName in base64");
	bad("[{\"label\": \"A\", \"dn_der\": \"" DN_A "\", \"x\": 1}, \"B\"]", keys, "",
	    TF_ERR_SCHEMA,
	    "d.json: scenario.names[0].x: unknown field, expected one of label, dn_der");
	bad("[{\"label\": \"A\", \"dn_der\": \"" DN_A "\"}, {\"label\": \"B\", \"dn_der\": \"" DN_A
	    "\"}]",
	    keys, "", TF_ERR_INVALID,
	    "d.json: scenario.names[1].dn_der: the DN of names[0] again, expected each DN once");
	bad("[5, \"B\"]", keys, "", TF_ERR_SCHEMA,
	    "d.json: scenario.names[0]: is an integer, expected a name label, or an object "
	    "{label, dn_der}");
	bad(two, "[{\"pool\": 1}, 1]", "", TF_ERR_SCHEMA,
	    "d.json: scenario.keys[0].spki: missing, expected a DER SubjectPublicKeyInfo in "
	    "base64");
	bad(two, "[{\"pool\": 64, \"spki\": \"MAA=\"}, 1]", "", TF_ERR_RANGE,
	    "d.json: scenario.keys[0].pool: 64 out of range, expected a key-pool index 0..63");
	bad(two, "[\"x\", 1]", "", TF_ERR_SCHEMA,
	    "d.json: scenario.keys[0]: is a string, expected a key-pool index, or an object "
	    "{pool, spki}");
	/* An error after DER was read: the arena is freed, nothing kept. */
	bad(good_names, good_keys, ", \"der\": \"MAMCAQU=\", \"version\": 9", TF_ERR_RANGE,
	    "d.json: scenario.certs[1].version: 9 out of range, expected 1, 2 or 3");
}

/* tf_scenario_copy(dst, src) where src's blobs live in dst's own arena
 * (the minimizer copies a certificate out of its current scenario into a
 * candidate, then makes the candidate current): the bytes survive. */
static void test_copy_aliasing(void **state)
{
	(void)state;
	tf_fixture *f = malloc(sizeof *f);
	tf_error err = {0};
	char *text = fixture(good_names, good_keys, ", \"der\": \"MAMCAQU=\"");
	assert_non_null(f);
	assert_int_equal(tf_fixture_parse(text, strlen(text), "d.json", f, &err), TF_OK);
	tf_scenario cur, cand;
	tf_scenario_init(&cur);
	tf_scenario_init(&cand);
	assert_int_equal(tf_scenario_copy(&cur, &f->scenario), TF_OK);
	tf_cert probe = cur.certs[1]; /* its der points into cur's arena */
	assert_int_equal(tf_scenario_copy(&cand, &cur), TF_OK);
	cand.certs[1] = probe;
	assert_int_equal(tf_scenario_copy(&cur, &cand), TF_OK);
	assert_int_equal(cur.certs[1].der_len, 5);
	assert_memory_equal(cur.certs[1].der, "\x30\x03\x02\x01\x05", 5);
	assert_true(tf_scenario_equal(&cur, &f->scenario));
	assert_int_equal(tf_scenario_copy(&cur, &cur), TF_OK); /* self-copy */
	assert_true(tf_scenario_equal(&cur, &f->scenario));
	tf_scenario_free(&cur);
	tf_scenario_free(&cand);
	tf_fixture_free(f);
	free(f);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_copy_aliasing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
