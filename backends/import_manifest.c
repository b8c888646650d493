/*
 * backends/import_manifest.c — a directory with a manifest.json → a fixture
 * and its expected result (import.h; the format is docs/import.md,
 * "Manifest").
 *
 * The manifest exists so that external test suites can be converted in
 * bulk: one directory per case, its certificate files, and a few lines of
 * JSON naming their roles, the validation time and the expected result.
 * Reading is strict, like the fixture reader: an unknown field is an error
 * naming it, so a misspelt "expect" never silently makes a case pass.
 */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trustfuzz/import.h"

static const char *const fields[] = {
	"id",         "why",     "leaf",       "chain",      "root",
	"intermediate", "client_auth_issuers", "validation_time", "purpose",
	"send_issuer_list", "trust_mode", "expect", "evaluators", NULL};

/* The JSON key of each import role. */
static const char *const role_keys[TF_IMPORT_ROLES] = {"leaf", "chain", "root", "intermediate",
							"client_auth_issuers"};

bool tf_import_is_manifest_dir(const char *path)
{
	char file[PATH_MAX];
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return false;
	if (snprintf(file, sizeof file, "%s/%s", path, TF_MANIFEST_FILE) >= (int)sizeof file)
		return false;
	return stat(file, &st) == 0 && S_ISREG(st.st_mode);
}

typedef struct mf {
	const char *dir;
	char file[PATH_MAX]; /* DIR/manifest.json, for messages */
	tf_error *err;
} mf;

static tf_err fail_field(mf *r, tf_err code, const char *key, const char *problem,
			 const char *expected)
{
	return tf_error_set(r->err, code, "%s: %s: %s, expected %s", r->file, key, problem,
			    expected);
}

/* One file or directory of a role, relative to the manifest's directory. */
static tf_err load_path(mf *r, const char *key, const json_t *v, tf_import_list *l)
{
	char path[PATH_MAX];
	const char *expected = "a file or directory name relative to the manifest";
	if (!json_is_string(v) || !json_string_length(v))
		return fail_field(r, TF_ERR_SCHEMA, key, "not a non-empty string", expected);
	const char *name = json_string_value(v);
	int n = name[0] == '/' ? snprintf(path, sizeof path, "%s", name)
			       : snprintf(path, sizeof path, "%s/%s", r->dir, name);
	if (n < 0 || n >= (int)sizeof path)
		return fail_field(r, TF_ERR_SCHEMA, key, "path too long", expected);
	return tf_import_load(path, l, r->err);
}

static tf_err load_role(mf *r, const json_t *root, unsigned role, tf_import_spec *sp)
{
	const char *key = role_keys[role];
	const json_t *v = json_object_get(root, key);
	if (!v)
		return TF_OK;
	if (role == TF_IMPORT_LEAF || json_is_string(v))
		return load_path(r, key, v, &sp->role[role]);
	if (!json_is_array(v))
		return fail_field(r, TF_ERR_SCHEMA, key, "neither a string nor a list",
				  "a file name or a list of file and directory names");
	size_t i = 0;
	const json_t *x = NULL;
	json_array_foreach(v, i, x) TF_GUARD(load_path(r, key, x, &sp->role[role]));
	return TF_OK;
}

static tf_err read_settings(mf *r, const json_t *root, tf_import_spec *sp)
{
	const json_t *v = json_object_get(root, "validation_time");
	const char *rfc = "an RFC 3339 UTC time like \"2024-01-01T00:00:00Z\"";
	if (!v)
		return fail_field(r, TF_ERR_SCHEMA, "validation_time", "missing", rfc);
	if (!json_is_string(v) ||
	    !tf_time_parse(json_string_value(v), &sp->server.validation_time))
		return fail_field(r, TF_ERR_SCHEMA, "validation_time", "not a time", rfc);
	if ((v = json_object_get(root, "purpose")) != NULL) {
		if (!json_is_string(v) || (strcmp(json_string_value(v), "client") &&
					   strcmp(json_string_value(v), "server")))
			return fail_field(r, TF_ERR_SCHEMA, "purpose", "unknown purpose",
					  "\"client\" or \"server\"");
		/* See docs/import.md, "Purpose": every evaluator judges a client
		 * certificate; relabelling serverAuth as clientAuth in the model
		 * would make the OpenSSL backend (which judges the DER with the
		 * SSL-client purpose) disagree on every such case. */
		if (!strcmp(json_string_value(v), "server"))
			return fail_field(r, TF_ERR_SCHEMA, "purpose",
					  "\"server\" is not modelled (trustfuzz judges client "
					  "certificates for TLS client authentication)",
					  "\"client\"");
	}
	if ((v = json_object_get(root, "send_issuer_list")) != NULL) {
		if (!json_is_boolean(v))
			return fail_field(r, TF_ERR_SCHEMA, "send_issuer_list", "not a boolean",
					  "true or false");
		sp->server.send_issuer_list = json_is_true(v);
	}
	if ((v = json_object_get(root, "trust_mode")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 2)
			return fail_field(r, TF_ERR_SCHEMA, "trust_mode", "not 0, 1 or 2",
					  "ClientAuthTrustMode 0, 1 or 2");
		sp->server.trust_mode = (uint8_t)json_integer_value(v);
	}
	return TF_OK;
}

static tf_err read_text(mf *r, const json_t *root, const char *key, size_t cap, char *out)
{
	const json_t *v = json_object_get(root, key);
	if (!v)
		return TF_OK;
	if (!json_is_string(v) || json_string_length(v) >= cap || !json_string_length(v))
		return fail_field(r, TF_ERR_SCHEMA, key, "not a string of the right length",
				  "one line of printable text");
	const char *t = json_string_value(v);
	for (size_t i = 0; t[i]; i++)
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			return fail_field(r, TF_ERR_SCHEMA, key, "a control character",
					  "one line of printable text");
	snprintf(out, cap, "%s", t);
	return TF_OK;
}

static const char result_what[] = "\"accept\", \"reject\" or an IIS status (\"200\", "
				   "\"403.7\", \"403.16\", \"403.17\")";

/* One expected result `v` for evaluator instance `name`. */
static tf_err add_expect(mf *r, const char *key, const json_t *v, const char *name,
			 tf_manifest *m)
{
	tf_manifest_expect *x = &m->expect[m->nexpect];
	if (!json_is_string(v))
		return fail_field(r, TF_ERR_SCHEMA, key, "not a string", result_what);
	const char *t = json_string_value(v);
	x->status = TF_STATUS_200;
	x->reject = !strcmp(t, "reject");
	if (!x->reject && strcmp(t, "accept") && !tf_status_parse(t, &x->status))
		return fail_field(r, TF_ERR_SCHEMA, key, "unknown result", result_what);
	if (!name || !*name || strlen(name) >= sizeof x->evaluator)
		return fail_field(r, TF_ERR_SCHEMA, key, "an evaluator name is empty or too long",
				  "evaluator instance specs like \"ref\" or \"openssl+partial_chain\"");
	for (unsigned i = 0; i < m->nexpect; i++)
		if (!strcmp(m->expect[i].evaluator, name))
			return fail_field(r, TF_ERR_SCHEMA, key, "an evaluator named twice",
					  "each evaluator once");
	snprintf(x->evaluator, sizeof x->evaluator, "%s", name);
	m->nexpect++;
	return TF_OK;
}

/* The expected result: one result for the evaluators listed (default
 * "ref"), or an object of evaluator → result. */
static tf_err read_expect(mf *r, const json_t *root, tf_manifest *m)
{
	const json_t *v = json_object_get(root, "expect");
	const json_t *evs = json_object_get(root, "evaluators");
	const char *specs = "a list of 1..12 evaluator instance specs like \"ref\"";
	if (evs && (!v || json_is_object(v)))
		return fail_field(r, TF_ERR_SCHEMA, "evaluators", "given without one expected result",
				  "evaluators only with \"expect\": \"RESULT\"");
	if (!v)
		return TF_OK;
	if (json_is_object(v)) {
		const char *name = NULL;
		json_t *x = NULL;
		if (json_object_size(v) == 0 || json_object_size(v) > TF_FIXTURE_MAX_EXPECT)
			return fail_field(r, TF_ERR_SCHEMA, "expect", "an object of 0 or over 12 entries",
					  "evaluator → result, 1..12 entries");
		json_object_foreach((json_t *)v, name, x)
			TF_GUARD(add_expect(r, "expect", x, name, m));
		return TF_OK;
	}
	if (!evs)
		return add_expect(r, "expect", v, "ref", m);
	if (!json_is_array(evs) || json_array_size(evs) == 0 ||
	    json_array_size(evs) > TF_FIXTURE_MAX_EXPECT)
		return fail_field(r, TF_ERR_SCHEMA, "evaluators", "not a list of 1..12 names", specs);
	for (size_t i = 0; i < json_array_size(evs); i++)
		TF_GUARD(add_expect(r, "expect", v, json_string_value(json_array_get(evs, i)), m));
	return TF_OK;
}

/* The fixture id by default: "manifest-<directory name>". */
static void default_id(const char *dir, char *id, size_t n)
{
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	size_t start = len;
	while (start > 0 && dir[start - 1] != '/')
		start--;
	snprintf(id, n, "manifest-%.*s", (int)(len - start), dir + start);
	for (char *p = id; *p; p++)
		if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
			*p = '-';
}

static tf_err apply_expect(tf_fixture *f, const tf_manifest *m, tf_error *err)
{
	for (unsigned i = 0; i < m->nexpect; i++) {
		if (m->expect[i].reject) {
			TF_GUARD(tf_fixture_add_tag(f, "expect-reject", err));
			continue;
		}
		tf_expect e = {.v = {.status = m->expect[i].status}};
		TF_GUARD(tf_fixture_set_expect(f, m->expect[i].evaluator, &e, err));
	}
	return TF_OK;
}

static tf_err read_manifest(mf *r, const json_t *root, tf_fixture *f, tf_manifest *m,
			    tf_import_spec *sp)
{
	char id[TF_FIXTURE_ID_MAX], why[TF_FIXTURE_WHY_MAX] = "";
	const char *key = NULL;
	json_t *v = NULL;
	if (!json_is_object(root))
		return tf_error_set(r->err, TF_ERR_SCHEMA, "%s: not a JSON object, expected a "
					    "manifest object", r->file);
	json_object_foreach((json_t *)root, key, v) {
		size_t i = 0;
		while (fields[i] && strcmp(fields[i], key))
			i++;
		if (!fields[i])
			return fail_field(r, TF_ERR_SCHEMA, key, "unknown field",
					  "id, why, leaf, chain, root, intermediate, "
					  "client_auth_issuers, validation_time, purpose, "
					  "send_issuer_list, trust_mode, expect, evaluators");
	}
	if (!json_object_get(root, "leaf"))
		return fail_field(r, TF_ERR_SCHEMA, "leaf", "missing", "the client's certificate file");
	if (!json_object_get(root, "root"))
		return fail_field(r, TF_ERR_SCHEMA, "root", "missing",
				  "the Root store's file(s) or directory");
	default_id(r->dir, id, sizeof id);
	TF_GUARD(read_text(r, root, "id", sizeof id, id));
	TF_GUARD(read_text(r, root, "why", sizeof why, why));
	TF_GUARD(read_settings(r, root, sp));
	TF_GUARD(read_expect(r, root, m));
	for (unsigned role = 0; role < TF_IMPORT_ROLES; role++)
		TF_GUARD(load_role(r, root, role, sp));
	TF_GUARD(tf_import_fixture(sp, id, why, f, r->err));
	return apply_expect(f, m, r->err);
}

tf_err tf_import_manifest(const char *dir, tf_fixture *f, tf_manifest *m, tf_error *err)
{
	mf r = {.dir = dir, .err = err};
	tf_import_spec *sp = malloc(sizeof *sp);
	json_t *root = NULL;
	json_error_t je;
	tf_err rc = TF_OK;

	tf_fixture_init(f);
	memset(m, 0, sizeof *m);
	if (!sp)
		return tf_error_set(err, TF_ERR_NOMEM, "%s: out of memory", dir);
	tf_import_spec_init(sp);
	snprintf(r.file, sizeof r.file, "%s/%s", dir, TF_MANIFEST_FILE);
	char *text = NULL;
	size_t len = 0;
	rc = tf_read_file(r.file, &text, &len, err);
	if (rc == TF_OK && !(root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je)))
		rc = tf_error_set(err, TF_ERR_PARSE, "%s: line %d, column %d: %s, expected valid JSON",
				  r.file, je.line, je.column, je.text);
	free(text);
	if (rc == TF_OK)
		rc = read_manifest(&r, root, f, m, sp);
	if (rc != TF_OK) {
		tf_fixture_free(f);
		memset(m, 0, sizeof *m);
	}
	json_decref(root);
	tf_import_spec_free(sp);
	free(sp);
	return rc;
}
