/*
 * core/fixture_read.c — fixture JSON → tf_fixture: the top level, the
 * expectations and the provenance (the scenario object is
 * fixture_read_scenario.c).
 *
 * Strict by design: a fixture is a test's oracle, so a misspelt field must
 * fail loudly rather than silently take its default. Parsing fills a
 * temporary and copies it out only when everything, tf_scenario_validate
 * included, has passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_internal.h"
#include "trustfuzz/fixture.h"

static const char *const top_fields[] = {"schema", "version", "id",     "tags",
					 "why",    "scenario", "expect", "provenance", NULL};
static const char *const expect_fields[] = {"status", "win32", "identity", "path", NULL};
static const char *const prov_fields[] = {"tool", "origin", "profile", "seed", "input", NULL};

static tf_err read_tags(tf_rd *r, const json_t *v, tf_fixture *f)
{
	size_t n = 0;
	TF_GUARD(tf_rd_array(r, v, TF_FIXTURE_MAX_TAGS, "a list of tags", &n));
	for (size_t i = 0; i < n; i++) {
		size_t mark = tf_rd_push_index(r, i);
		TF_GUARD(tf_rd_text_value(r, json_array_get(v, i), TF_FIXTURE_TAG_MAX,
					  TF_TEXT_NONEMPTY | TF_TEXT_PRINTABLE,
					  "a tag of printable ASCII", f->tags[i]));
		for (size_t j = 0; j < i; j++)
			if (!strcmp(f->tags[j], f->tags[i]))
				return tf_rd_fail(r, TF_ERR_SCHEMA,
						  "duplicate tag \"%s\", expected each tag once",
						  f->tags[i]);
		tf_rd_pop(r, mark);
	}
	f->ntags = (unsigned)n;
	return TF_OK;
}

static tf_err read_status(tf_rd *r, const json_t *obj, tf_expect *e)
{
	const char *what = "one of 200, 403.7, 403.13, 403.16, 403.17";
	const json_t *v = json_object_get(obj, "status");
	char safe[64];
	size_t mark = tf_rd_push_key(r, "status");
	if (!json_is_string(v))
		return tf_rd_type(r, v, what);
	if (!tf_status_parse(json_string_value(v), &e->v.status))
		return tf_rd_fail(r, TF_ERR_SCHEMA, "unknown status \"%s\", expected %s",
				  tf_rd_quote(json_string_value(v), safe, sizeof safe), what);
	tf_rd_pop(r, mark);
	return TF_OK;
}

static tf_err read_win32(tf_rd *r, const json_t *obj, tf_expect *e)
{
	const char *what = "an HRESULT like \"0x800B0109\", \"2148204809\" or "
			   "\"CERT_E_UNTRUSTEDROOT\"";
	const json_t *v = json_object_get(obj, "win32");
	char safe[64];
	if (!v)
		return TF_OK;
	size_t mark = tf_rd_push_key(r, "win32");
	if (!json_is_string(v))
		return tf_rd_type(r, v, what);
	if (!tf_win32_parse(json_string_value(v), &e->v.win32))
		return tf_rd_fail(r, TF_ERR_SCHEMA, "bad HRESULT \"%s\", expected %s",
				  tf_rd_quote(json_string_value(v), safe, sizeof safe), what);
	e->has_win32 = true;
	tf_rd_pop(r, mark);
	return TF_OK;
}

static tf_err read_one_expect(tf_rd *r, const json_t *v, const tf_scenario *s, tf_expect *e)
{
	char what[64];
	long long identity = -1;
	TF_GUARD(tf_rd_object(r, v, expect_fields, "an object {status, win32, identity, path}"));
	TF_GUARD(tf_rd_require(r, v, "status", "a status like \"403.16\""));
	TF_GUARD(read_status(r, v, e));
	TF_GUARD(read_win32(r, v, e));
	if (json_object_get(v, "identity")) {
		snprintf(what, sizeof what, "an identity index -1..%u (-1: none presented)",
			 s->nidentities - 1u);
		TF_GUARD(tf_rd_int(r, v, "identity", -1, s->nidentities - 1, what, &identity));
		e->has_identity = true;
	}
	e->v.identity = (int8_t)identity;
	if (json_object_get(v, "path")) {
		TF_GUARD(tf_rd_cert_list(r, s, v, "path", TF_MAX_PATH, e->v.path, &e->v.path_len));
		e->has_path = true;
	}
	return TF_OK;
}

static tf_err read_expect(tf_rd *r, const json_t *v, tf_fixture *f)
{
	const char *name = NULL;
	json_t *value = NULL;
	if (!json_is_object(v))
		return tf_rd_type(r, v, "an object of evaluator instances to expected verdicts");
	size_t n = json_object_size(v);
	if (n > TF_FIXTURE_MAX_EXPECT)
		return tf_rd_fail(r, TF_ERR_LIMIT, "%zu evaluators, expected at most %d", n,
				  TF_FIXTURE_MAX_EXPECT);
	json_object_foreach((json_t *)v, name, value) {
		tf_fixture_expect *fe = &f->expect[f->nexpect];
		size_t mark = tf_rd_push_key(r, name);
		json_t *key = json_string(name);
		if (!key)
			return tf_rd_fail(r, TF_ERR_NOMEM, "out of memory");
		tf_err rc = tf_rd_text_value(r, key, TF_FIXTURE_EVAL_MAX,
					     TF_TEXT_NONEMPTY | TF_TEXT_PRINTABLE,
					     "an evaluator instance like \"openssl+partial_chain\"",
					     fe->evaluator);
		json_decref(key);
		TF_GUARD(rc);
		TF_GUARD(read_one_expect(r, value, &f->scenario, &fe->e));
		f->nexpect++;
		tf_rd_pop(r, mark);
	}
	return TF_OK;
}

/* A uint64 seed: a JSON integer, or a decimal string for values that do not
 * fit jansson's signed integers. */
static tf_err read_seed(tf_rd *r, const json_t *v, tf_provenance *p)
{
	const char *what = "a seed 0..18446744073709551615 (integer or decimal string)";
	if (json_is_integer(v)) {
		long long x = json_integer_value(v);
		if (x < 0)
			return tf_rd_fail(r, TF_ERR_RANGE, "%lld out of range, expected %s", x, what);
		p->seed = (uint64_t)x;
		p->has_seed = true;
		return TF_OK;
	}
	if (!json_is_string(v))
		return tf_rd_type(r, v, what);
	const char *t = json_string_value(v);
	size_t n = strlen(t);
	uint64_t x = 0;
	bool ok = n > 0 && n <= 20 && !(n > 1 && t[0] == '0');
	for (size_t i = 0; ok && i < n; i++) {
		unsigned d = (unsigned)(t[i] - '0');
		ok = t[i] >= '0' && t[i] <= '9' && x <= (UINT64_MAX - d) / 10;
		x = x * 10 + d;
	}
	if (!ok) {
		char safe[64];
		return tf_rd_fail(r, TF_ERR_SCHEMA, "bad seed \"%s\", expected %s",
				  tf_rd_quote(t, safe, sizeof safe), what);
	}
	p->seed = x;
	p->has_seed = true;
	return TF_OK;
}

static tf_err read_input(tf_rd *r, const json_t *v, tf_provenance *p)
{
	const char *what = "lower-case hex bytes";
	if (!json_is_string(v))
		return tf_rd_type(r, v, what);
	const char *t = json_string_value(v);
	size_t n = strlen(t);
	if (n / 2 > TF_FIXTURE_INPUT_MAX)
		return tf_rd_fail(r, TF_ERR_LIMIT, "%zu bytes, expected at most %d", n / 2,
				  TF_FIXTURE_INPUT_MAX);
	if (n % 2)
		return tf_rd_fail(r, TF_ERR_SCHEMA, "odd number of hex digits, expected %s", what);
	for (size_t i = 0; i < n; i++) {
		char c = t[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return tf_rd_fail(r, TF_ERR_SCHEMA,
					  "character %zu is not a hex digit, expected %s", i, what);
	}
	for (size_t i = 0; i < n / 2; i++) {
		unsigned hi = (unsigned)(t[2 * i] <= '9' ? t[2 * i] - '0' : t[2 * i] - 'a' + 10);
		unsigned lo = (unsigned)(t[2 * i + 1] <= '9' ? t[2 * i + 1] - '0'
							      : t[2 * i + 1] - 'a' + 10);
		p->input[i] = (uint8_t)(hi << 4 | lo);
	}
	p->input_len = n / 2;
	return TF_OK;
}

static tf_err read_provenance(tf_rd *r, const json_t *v, tf_fixture *f)
{
	tf_provenance *p = &f->prov;
	const json_t *x = NULL;
	TF_GUARD(tf_rd_object(r, v, prov_fields, "a provenance object"));
	TF_GUARD(tf_rd_text(r, v, "tool", sizeof p->tool, TF_TEXT_PRINTABLE,
			    "a tool name like \"trustfuzz " TF_VERSION_STRING "\"", p->tool));
	TF_GUARD(tf_rd_text(r, v, "origin", sizeof p->origin, TF_TEXT_PRINTABLE,
			    "an origin like \"gen\" or \"hand-written\"", p->origin));
	TF_GUARD(tf_rd_text(r, v, "profile", sizeof p->profile, TF_TEXT_PRINTABLE,
			    "a generator profile name", p->profile));
	if ((x = json_object_get(v, "seed")) != NULL) {
		size_t mark = tf_rd_push_key(r, "seed");
		TF_GUARD(read_seed(r, x, p));
		tf_rd_pop(r, mark);
	}
	if ((x = json_object_get(v, "input")) != NULL) {
		size_t mark = tf_rd_push_key(r, "input");
		TF_GUARD(read_input(r, x, p));
		tf_rd_pop(r, mark);
	}
	return TF_OK;
}

static tf_err read_top(tf_rd *r, const json_t *root, tf_fixture *f)
{
	const json_t *v = NULL;
	char safe[64];
	long long version = 0;

	if (!json_is_object(root))
		return tf_rd_type(r, root, "a fixture object");
	TF_GUARD(tf_rd_require(r, root, "schema", "\"" TF_FIXTURE_SCHEMA "\""));
	v = json_object_get(root, "schema");
	tf_rd_push_key(r, "schema");
	if (!json_is_string(v))
		return tf_rd_type(r, v, "\"" TF_FIXTURE_SCHEMA "\"");
	if (strcmp(json_string_value(v), TF_FIXTURE_SCHEMA))
		return tf_rd_fail(r, TF_ERR_SCHEMA, "unknown schema \"%s\", expected \"%s\"",
				  tf_rd_quote(json_string_value(v), safe, sizeof safe),
				  TF_FIXTURE_SCHEMA);
	tf_rd_pop(r, 0);
	TF_GUARD(tf_rd_require(r, root, "version", "1"));
	v = json_object_get(root, "version");
	tf_rd_push_key(r, "version");
	if (!json_is_integer(v))
		return tf_rd_type(r, v, "the integer 1");
	version = json_integer_value(v);
	if (version != TF_FIXTURE_VERSION)
		return tf_rd_fail(r, TF_ERR_SCHEMA, "unsupported version %lld, expected %d", version,
				  TF_FIXTURE_VERSION);
	tf_rd_pop(r, 0);

	TF_GUARD(tf_rd_object(r, root, top_fields, "a fixture object"));
	TF_GUARD(tf_rd_require(r, root, "id", "a fixture id"));
	TF_GUARD(tf_rd_require(r, root, "scenario", "a scenario object"));
	TF_GUARD(tf_rd_text(r, root, "id", sizeof f->id, TF_TEXT_NONEMPTY | TF_TEXT_PRINTABLE,
			    "a fixture id of printable ASCII", f->id));
	if ((v = json_object_get(root, "tags")) != NULL) {
		tf_rd_push_key(r, "tags");
		TF_GUARD(read_tags(r, v, f));
		tf_rd_pop(r, 0);
	}
	TF_GUARD(tf_rd_text(r, root, "why", sizeof f->why, TF_TEXT_ONELINE,
			    "one line of text", f->why));
	tf_rd_push_key(r, "scenario");
	TF_GUARD(tf_rd_scenario(r, json_object_get(root, "scenario"), &f->scenario));
	tf_rd_pop(r, 0);
	if ((v = json_object_get(root, "expect")) != NULL) {
		tf_rd_push_key(r, "expect");
		TF_GUARD(read_expect(r, v, f));
		tf_rd_pop(r, 0);
	}
	if ((v = json_object_get(root, "provenance")) != NULL) {
		tf_rd_push_key(r, "provenance");
		TF_GUARD(read_provenance(r, v, f));
		tf_rd_pop(r, 0);
	}
	return TF_OK;
}

static bool blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", text[i]) || !text[i])
			return false;
	return true;
}

tf_err tf_fixture_parse(const char *text, size_t len, const char *origin, tf_fixture *f,
			tf_error *err)
{
	tf_err rc = TF_OK;
	tf_fixture *tmp = NULL;
	json_t *root = NULL;
	json_error_t je;
	tf_rd r = {.origin = origin ? origin : "<input>", .err = err};

	if (blank(text, len)) {
		rc = tf_error_set(err, TF_ERR_PARSE, "%s: empty file, expected a JSON fixture object",
				  r.origin);
		goto done;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		char safe[200];
		rc = tf_error_set(err, TF_ERR_PARSE, "%s: line %d, column %d: %s, expected valid JSON",
				  r.origin, je.line, je.column, tf_rd_quote(je.text, safe, sizeof safe));
		goto done;
	}
	tmp = malloc(sizeof *tmp);
	if (!tmp) {
		rc = tf_error_set(err, TF_ERR_NOMEM, "%s: out of memory", r.origin);
		goto done;
	}
	tf_fixture_init(tmp);
	rc = read_top(&r, root, tmp);
done:
	if (rc == TF_OK)
		*f = *tmp;
	else
		tf_fixture_init(f);
	if (tmp && rc != TF_OK)
		tf_fixture_free(tmp); /* DER read so far lives in its arena */
	free(tmp);
	json_decref(root);
	return rc;
}

tf_err tf_fixture_read(const char *path, tf_fixture *f, tf_error *err)
{
	char *text = NULL;
	size_t len = 0;
	tf_err rc = tf_read_file(path, &text, &len, err);
	if (rc == TF_OK)
		rc = tf_fixture_parse(text, len, path, f, err);
	else
		tf_fixture_init(f);
	free(text);
	return rc;
}
