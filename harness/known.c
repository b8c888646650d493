/* harness/known.c — the known-divergence table: loading and matching.
 *
 * The table is data (corpus/known-divergences.json, schema in
 * docs/harness.md) so that explaining a divergence never needs a rebuild.
 * The reader is as strict as the fixture reader: unknown fields, wrong
 * types, unknown features or statuses, duplicate ids are errors naming the
 * file and the JSON path. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trustfuzz/diff.h"

#define KNOWN_SCHEMA "trustfuzz-known-divergences"
#define KNOWN_VERSION 1
#define TF_KNOWN_DEFAULT "corpus/known-divergences.json"
/* Entry ids become fixture tags "known:<id>" (TF_FIXTURE_TAG_MAX 48). */
#define KNOWN_ID_MAX 40

static bool id_ok(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > KNOWN_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
			return false;
	}
	return true;
}

/* An instance-name pattern: alternatives separated by "|", each "*",
 * "NAME" or "PREFIX*" ("openssl|openssl+mode=handshake", "kb*"). */
static bool alternative_ok(const char *p, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((p[i] == '*' && i != n - 1) || (unsigned char)p[i] <= ' ')
			return false;
	return true;
}

static bool pattern_ok(const char *p)
{
	size_t n = strlen(p);
	if (n == 0 || n >= TF_INSTANCE_NAME_MAX)
		return false;
	for (const char *alt = p;;) {
		const char *bar = strchr(alt, '|');
		size_t len = bar ? (size_t)(bar - alt) : strlen(alt);
		if (!alternative_ok(alt, len))
			return false;
		if (!bar)
			return true;
		alt = bar + 1;
	}
}

static bool pattern_match(const char *p, const char *name)
{
	for (const char *alt = p;;) {
		const char *bar = strchr(alt, '|');
		size_t len = bar ? (size_t)(bar - alt) : strlen(alt);
		if (alt[len - 1] == '*' ? strncmp(alt, name, len - 1) == 0
					: strlen(name) == len && strncmp(alt, name, len) == 0)
			return true;
		if (!bar)
			return false;
		alt = bar + 1;
	}
}

static bool status_match(const char *p, tf_status s)
{
	return !strcmp(p, "*") || !strcmp(p, tf_status_str(s));
}

static int feature_bit(const char *name)
{
	for (unsigned i = 0; i < TF_FEAT_COUNT; i++)
		if (!strcmp(tf_feature_name(i), name))
			return (int)i;
	return -1;
}

static void feature_list(char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < TF_FEAT_COUNT && used < n; i++) {
		int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", tf_feature_name(i));
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static tf_err load_pair(const char *path, unsigned k, const char *field, json_t *v, char *a,
			char *b, size_t cap, bool statuses, tf_error *err)
{
	const char *what = statuses ? "statuses (\"200\", \"403.7\", \"403.13\", \"403.16\", "
				      "\"403.17\" or \"*\")"
				    : "instance-name patterns (\"ref\", \"openssl*\", \"*\", \"a|b\")";
	TF_ENSURE(json_is_array(v) && json_array_size(v) == 2 &&
			  json_is_string(json_array_get(v, 0)) && json_is_string(json_array_get(v, 1)),
		  err, TF_ERR_SCHEMA, "%s: entries[%u].%s: expected an array of two %s", path, k, field,
		  what);
	for (unsigned i = 0; i < 2; i++) {
		const char *t = json_string_value(json_array_get(v, i));
		tf_status st;
		bool ok = statuses ? (!strcmp(t, "*") || tf_status_parse(t, &st)) : pattern_ok(t);
		TF_ENSURE(ok && strlen(t) < cap, err, TF_ERR_SCHEMA,
			  "%s: entries[%u].%s[%u]: \"%s\" is not one of the %s", path, k, field, i, t,
			  what);
		snprintf(i ? b : a, cap, "%s", t);
	}
	return TF_OK;
}

static tf_err load_features(const char *path, unsigned k, const char *field, json_t *v,
			    uint32_t *out, tf_error *err)
{
	char all[400];
	*out = 0;
	if (!v)
		return TF_OK;
	TF_ENSURE(json_is_array(v), err, TF_ERR_SCHEMA,
		  "%s: entries[%u].%s: expected an array of feature names", path, k, field);
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *f = json_array_get(v, i);
		TF_ENSURE(json_is_string(f), err, TF_ERR_SCHEMA,
			  "%s: entries[%u].%s[%zu]: expected a feature name (a string)", path, k,
			  field, i);
		int bit = feature_bit(json_string_value(f));
		if (bit < 0) {
			feature_list(all, sizeof all);
			TF_BAIL(err, TF_ERR_SCHEMA,
				"%s: entries[%u].%s[%zu]: unknown feature \"%s\" (features: %s)", path,
				k, field, i, json_string_value(f), all);
		}
		*out |= 1u << bit;
	}
	return TF_OK;
}

static tf_err load_entry(const char *path, const tf_known_table *t, unsigned k, json_t *o,
			 tf_known_entry *e, tf_error *err)
{
	static const char *const fields[] = {"id",	"pair",	  "status",
					     "require", "forbid", "explanation"};
	const char *key;
	json_t *v;
	TF_ENSURE(json_is_object(o), err, TF_ERR_SCHEMA, "%s: entries[%u]: expected an object",
		  path, k);
	json_object_foreach(o, key, v) {
		bool known = false;
		for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
			known = known || !strcmp(key, fields[i]);
		TF_ENSURE(known, err, TF_ERR_SCHEMA,
			  "%s: entries[%u]: unknown field \"%s\" (fields: id, pair, status, require, "
			  "forbid, explanation)",
			  path, k, key);
	}
	memset(e, 0, sizeof *e);
	v = json_object_get(o, "id");
	TF_ENSURE(json_is_string(v) && id_ok(json_string_value(v)), err, TF_ERR_SCHEMA,
		  "%s: entries[%u].id: expected 1..%d characters of [a-z0-9.-]", path, k,
		  KNOWN_ID_MAX);
	snprintf(e->id, sizeof e->id, "%s", json_string_value(v));
	for (unsigned j = 0; j < k; j++)
		TF_ENSURE(strcmp(t->e[j].id, e->id) != 0, err, TF_ERR_SCHEMA,
			  "%s: entries[%u].id: duplicate id \"%s\" (also entries[%u])", path, k, e->id,
			  j);
	TF_GUARD(load_pair(path, k, "pair", json_object_get(o, "pair"), e->pair_a, e->pair_b,
			   sizeof e->pair_a, false, err));
	TF_GUARD(load_pair(path, k, "status", json_object_get(o, "status"), e->sa, e->sb,
			   sizeof e->sa, true, err));
	TF_GUARD(load_features(path, k, "require", json_object_get(o, "require"), &e->require, err));
	TF_GUARD(load_features(path, k, "forbid", json_object_get(o, "forbid"), &e->forbid, err));
	TF_ENSURE(!(e->require & e->forbid), err, TF_ERR_SCHEMA,
		  "%s: entries[%u].forbid: a feature is both required and forbidden", path, k);
	v = json_object_get(o, "explanation");
	TF_ENSURE(json_is_string(v) && json_string_length(v) > 0 &&
			  json_string_length(v) < sizeof e->explanation,
		  err, TF_ERR_SCHEMA, "%s: entries[%u].explanation: expected a string of 1..%zu bytes",
		  path, k, sizeof e->explanation - 1);
	snprintf(e->explanation, sizeof e->explanation, "%s", json_string_value(v));
	return TF_OK;
}

static tf_err load_root(const char *path, json_t *root, tf_known_table *t, tf_error *err)
{
	const char *key;
	json_t *v;
	TF_ENSURE(json_is_object(root), err, TF_ERR_SCHEMA, "%s: expected a JSON object", path);
	json_object_foreach(root, key, v) {
		TF_ENSURE(!strcmp(key, "schema") || !strcmp(key, "version") || !strcmp(key, "entries"),
			  err, TF_ERR_SCHEMA,
			  "%s: unknown field \"%s\" (fields: schema, version, entries)", path, key);
	}
	v = json_object_get(root, "schema");
	TF_ENSURE(json_is_string(v) && !strcmp(json_string_value(v), KNOWN_SCHEMA), err,
		  TF_ERR_SCHEMA, "%s: schema: expected \"%s\"", path, KNOWN_SCHEMA);
	v = json_object_get(root, "version");
	TF_ENSURE(json_is_integer(v) && json_integer_value(v) == KNOWN_VERSION, err, TF_ERR_SCHEMA,
		  "%s: version: expected %d", path, KNOWN_VERSION);
	v = json_object_get(root, "entries");
	TF_ENSURE(json_is_array(v), err, TF_ERR_SCHEMA, "%s: entries: expected an array", path);
	TF_ENSURE(json_array_size(v) <= TF_KNOWN_MAX, err, TF_ERR_LIMIT,
		  "%s: entries: %zu entries, at most %d", path, json_array_size(v), TF_KNOWN_MAX);
	for (size_t k = 0; k < json_array_size(v); k++) {
		TF_GUARD(load_entry(path, t, (unsigned)k, json_array_get(v, k), &t->e[k], err));
		t->n = (unsigned)k + 1;
	}
	return TF_OK;
}

tf_err tf_known_load(const char *path, tf_known_table *t, tf_error *err)
{
	json_error_t jerr;
	tf_err rc = TF_OK;
	t->n = 0;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		/* jansson says "unable to open" for I/O failures; everything else is syntax. */
		bool io = json_error_code(&jerr) == json_error_cannot_open_file;
		if (io)
			return tf_error_set(err, TF_ERR_IO, "%s: %s", path, jerr.text);
		return tf_error_set(err, TF_ERR_PARSE, "%s:%d:%d: not valid JSON: %s", path,
				    jerr.line, jerr.column, jerr.text);
	}
	rc = load_root(path, root, t, err);
	if (rc != TF_OK)
		t->n = 0;
	json_decref(root);
	return rc;
}

static bool entry_match(const tf_known_entry *e, const char *na, const char *nb, tf_status sa,
			tf_status sb)
{
	return pattern_match(e->pair_a, na) && pattern_match(e->pair_b, nb) &&
	       status_match(e->sa, sa) && status_match(e->sb, sb);
}

const tf_known_entry *tf_known_match(const tf_known_table *t, const tf_instance *inst,
				     const tf_signature *sig)
{
	const char *na = inst[sig->a].name, *nb = inst[sig->b].name;
	for (unsigned i = 0; t && i < t->n; i++) {
		const tf_known_entry *e = &t->e[i];
		if ((sig->features & e->require) != e->require || (sig->features & e->forbid))
			continue;
		if (entry_match(e, na, nb, sig->sa, sig->sb) || entry_match(e, nb, na, sig->sb, sig->sa))
			return e;
	}
	return NULL;
}

const char *tf_known_default_path(void)
{
	const char *env = getenv("TRUSTFUZZ_KNOWN");
	if (env && *env)
		return env;
	if (access(TF_KNOWN_DEFAULT, R_OK) == 0)
		return TF_KNOWN_DEFAULT;
#ifdef TF_KNOWN_SOURCE_PATH
	/* The table of the source tree this binary was built from (set by
	 * CMake), so that a build run from another directory still tells
	 * known divergences from new ones. */
	if (access(TF_KNOWN_SOURCE_PATH, R_OK) == 0)
		return TF_KNOWN_SOURCE_PATH;
#endif
	return NULL;
}

static bool pair_status_match(const tf_known_entry *e, const tf_instance *inst,
			      const tf_signature *sig)
{
	const char *na = inst[sig->a].name, *nb = inst[sig->b].name;
	return entry_match(e, na, nb, sig->sa, sig->sb) || entry_match(e, nb, na, sig->sb, sig->sa);
}

/* The coarse features start as the matching entry's required ones; while an
 * earlier entry would match them, the features by which the signature
 * escaped that entry (its forbidden ones the signature has) are added. Then
 * no earlier entry matches the coarse signature and the entry itself does:
 * coarsening is idempotent, and two signatures explained by different
 * entries never share a coarse form. */
const tf_known_entry *tf_known_coarsen(const tf_known_table *t, const tf_instance *inst,
				       tf_signature *sig)
{
	const tf_known_entry *e = tf_known_match(t, inst, sig);
	uint32_t coarse, before;
	if (!e)
		return NULL;
	coarse = e->require;
	do {
		before = coarse;
		for (const tf_known_entry *p = t->e; p < e; p++)
			if ((coarse & p->require) == p->require && !(coarse & p->forbid) &&
			    pair_status_match(p, inst, sig))
				coarse |= sig->features & p->forbid;
	} while (coarse != before);
	tf_signature_set_features(sig, coarse);
	return e;
}

void tf_known_coarsen_all(const tf_known_table *t, const tf_instance *inst, tf_signature *sigs,
			  unsigned n)
{
	for (unsigned i = 0; t && i < n; i++)
		(void)tf_known_coarsen(t, inst, &sigs[i]);
}
