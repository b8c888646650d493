/*
 * core/fixture_read_cert.c — one certificate object of a fixture.
 *
 * Subject and issuer are name labels, key and signing_key key-table
 * indexes; every other field has the default of docs/fixture-format.md.
 * Extensions read as absent unless given, and the criticality of an absent
 * extension reads as false unless given (it has no effect, but the scenario
 * model stores it, so the format carries it for exact round trips).
 * An imported certificate also carries its real DER ("der"); its other
 * fields are then the importer's reading of that DER, taken as given.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "fixture_internal.h"
#include "trustfuzz/fixture.h"

static const char *const cert_fields[] = {
	"id",           "subject",       "issuer",
	"key",          "signing_key",   "basic_constraints",
	"basic_constraints_critical",    "key_usage",
	"key_usage_critical",            "eku",
	"eku_critical", "validity",      "not_before",
	"not_after",    "serial",        "serial_long",
	"version",      "ski",           "aki",
	"unknown_critical_extension",    "corrupt_signature",
	"der",          NULL};
static const char *const bc_fields[] = {"ca", "pathlen", "critical", NULL};

/* A name label (subject or issuer) resolved in the name table. */
static tf_err read_name_ref(tf_rd *r, const tf_scenario *s, const json_t *obj, const char *key,
			    uint8_t *out)
{
	const json_t *v = json_object_get(obj, key);
	char safe[64];
	size_t mark = tf_rd_push_key(r, key);
	if (!json_is_string(v))
		return tf_rd_type(r, v, "a name label of scenario.names");
	int i = tf_scenario_find_name(s, json_string_value(v));
	if (i < 0)
		return tf_rd_fail(r, TF_ERR_SCHEMA,
				  "unknown name \"%s\", expected a label of scenario.names",
				  tf_rd_quote(json_string_value(v), safe, sizeof safe));
	*out = (uint8_t)i;
	tf_rd_pop(r, mark);
	return TF_OK;
}

static tf_err read_key_ref(tf_rd *r, const tf_scenario *s, const json_t *obj, const char *key,
			   uint8_t *out)
{
	char what[64];
	long long k = *out;
	snprintf(what, sizeof what, "a key-table index 0..%u", s->nkeys - 1u);
	TF_GUARD(tf_rd_int(r, obj, key, 0, s->nkeys - 1, what, &k));
	*out = (uint8_t)k;
	return TF_OK;
}

static tf_err read_word(tf_rd *r, const json_t *obj, const char *key, const tf_json_word *words,
			uint8_t *out)
{
	const json_t *v = json_object_get(obj, key);
	char list[160], safe[64];
	unsigned value = 0;
	if (!v)
		return TF_OK;
	size_t mark = tf_rd_push_key(r, key);
	tf_json_word_list(words, list, sizeof list);
	if (!json_is_string(v)) {
		char what[200];
		snprintf(what, sizeof what, "one of %s", list);
		return tf_rd_type(r, v, what);
	}
	if (!tf_json_word_find(words, json_string_value(v), &value))
		return tf_rd_fail(r, TF_ERR_SCHEMA, "unknown value \"%s\", expected one of %s",
				  tf_rd_quote(json_string_value(v), safe, sizeof safe), list);
	*out = (uint8_t)value;
	tf_rd_pop(r, mark);
	return TF_OK;
}

/* A non-empty list of distinct words, OR-ed into *bits. */
static tf_err read_word_set(tf_rd *r, const json_t *obj, const char *key,
			    const tf_json_word *words, const char *kind, bool *present,
			    uint8_t *bits)
{
	const json_t *v = json_object_get(obj, key);
	char list[160], what[200], safe[64];
	size_t n = 0;
	if (!v)
		return TF_OK;
	size_t mark = tf_rd_push_key(r, key);
	tf_json_word_list(words, list, sizeof list);
	snprintf(what, sizeof what, "a list of %s from %s", kind, list);
	TF_GUARD(tf_rd_array(r, v, 16, what, &n));
	if (n == 0)
		return tf_rd_fail(r, TF_ERR_SCHEMA, "empty list, expected at least one of %s",
				  list);
	*bits = 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *e = json_array_get(v, i);
		unsigned bit = 0;
		size_t m = tf_rd_push_index(r, i);
		if (!json_is_string(e))
			return tf_rd_type(r, e, what);
		if (!tf_json_word_find(words, json_string_value(e), &bit))
			return tf_rd_fail(r, TF_ERR_SCHEMA, "unknown %s \"%s\", expected one of %s",
					  kind, tf_rd_quote(json_string_value(e), safe, sizeof safe),
					  list);
		if (*bits & bit)
			return tf_rd_fail(r, TF_ERR_SCHEMA, "duplicate \"%s\", expected each once",
					  json_string_value(e));
		*bits |= (uint8_t)bit;
		tf_rd_pop(r, m);
	}
	*present = true;
	tf_rd_pop(r, mark);
	return TF_OK;
}

static tf_err read_bc(tf_rd *r, const json_t *obj, tf_cert *c)
{
	const json_t *v = json_object_get(obj, "basic_constraints");
	bool ca = false;
	long long pathlen = -1;
	if (!v) {
		/* Criticality of the absent extension: no effect, carried so that
		 * every valid scenario round-trips. */
		c->bc_critical = false;
		return tf_rd_bool(r, obj, "basic_constraints_critical", &c->bc_critical);
	}
	if (json_object_get(obj, "basic_constraints_critical")) {
		tf_rd_push_key(r, "basic_constraints_critical");
		return tf_rd_fail(r, TF_ERR_SCHEMA, "given with basic_constraints, expected "
						    "basic_constraints.critical instead");
	}
	size_t mark = tf_rd_push_key(r, "basic_constraints");
	TF_GUARD(tf_rd_object(r, v, bc_fields, "an object {ca, pathlen, critical}"));
	TF_GUARD(tf_rd_require(r, v, "ca", "true or false"));
	TF_GUARD(tf_rd_bool(r, v, "ca", &ca));
	TF_GUARD(tf_rd_int(r, v, "pathlen", 0, TF_MAX_PATH, NULL, &pathlen));
	if (pathlen >= 0 && !ca) {
		tf_rd_push_key(r, "pathlen");
		return tf_rd_fail(r, TF_ERR_SCHEMA, "given with ca false, expected pathlen only "
						    "when ca is true");
	}
	c->bc = ca ? TF_BC_CA_TRUE : TF_BC_CA_FALSE;
	c->pathlen = (int8_t)pathlen;
	c->bc_critical = true;
	TF_GUARD(tf_rd_bool(r, v, "critical", &c->bc_critical));
	tf_rd_pop(r, mark);
	return TF_OK;
}

static tf_err read_validity(tf_rd *r, const json_t *obj, tf_cert *c)
{
	const json_t *preset = json_object_get(obj, "validity");
	const json_t *nb = json_object_get(obj, "not_before");
	const json_t *na = json_object_get(obj, "not_after");
	const char *what = "valid, expired or not-yet-valid";
	char safe[64];
	long long x = 0;

	if (preset && (nb || na)) {
		tf_rd_push_key(r, "validity");
		return tf_rd_fail(r, TF_ERR_SCHEMA, "given with not_before/not_after, expected "
						    "either a preset or both bounds");
	}
	if (nb || na) {
		if (!nb || !na) {
			tf_rd_push_key(r, nb ? "not_after" : "not_before");
			return tf_rd_fail(r, TF_ERR_SCHEMA, "missing, expected with %s",
					  nb ? "not_before" : "not_after");
		}
		TF_GUARD(tf_rd_int(r, obj, "not_before", LLONG_MIN, LLONG_MAX,
				   "an integer (seconds relative to validation_time)", &x));
		c->not_before = x;
		TF_GUARD(tf_rd_int(r, obj, "not_after", LLONG_MIN, LLONG_MAX,
				   "an integer (seconds relative to validation_time)", &x));
		c->not_after = x;
		return TF_OK;
	}
	c->not_before = TF_VALID_NOT_BEFORE;
	c->not_after = TF_VALID_NOT_AFTER;
	if (!preset)
		return TF_OK;
	size_t mark = tf_rd_push_key(r, "validity");
	if (!json_is_string(preset))
		return tf_rd_type(r, preset, what);
	const tf_json_validity *p = tf_json_validity_presets;
	while (p->text && strcmp(p->text, json_string_value(preset)))
		p++;
	if (!p->text)
		return tf_rd_fail(r, TF_ERR_SCHEMA, "unknown preset \"%s\", expected %s",
				  tf_rd_quote(json_string_value(preset), safe, sizeof safe), what);
	c->not_before = p->not_before;
	c->not_after = p->not_after;
	tf_rd_pop(r, mark);
	return TF_OK;
}

tf_err tf_rd_cert(tf_rd *r, tf_scenario *s, const json_t *obj, unsigned i)
{
	tf_cert *c = &s->certs[i];
	long long x = 0;

	TF_GUARD(tf_rd_object(r, obj, cert_fields, "a certificate object"));
	TF_GUARD(tf_rd_require(r, obj, "id", "a certificate id"));
	TF_GUARD(tf_rd_require(r, obj, "subject", "a name label of scenario.names"));
	TF_GUARD(tf_rd_require(r, obj, "issuer", "a name label of scenario.names"));
	TF_GUARD(tf_rd_require(r, obj, "key", "a key-table index"));
	TF_GUARD(tf_rd_text(r, obj, "id", TF_LABEL_MAX, TF_TEXT_NONEMPTY | TF_TEXT_PRINTABLE,
			    "a certificate id of printable ASCII", c->id));
	for (unsigned j = 0; j < i; j++) {
		if (strcmp(s->certs[j].id, c->id))
			continue;
		tf_rd_push_key(r, "id");
		return tf_rd_fail(r, TF_ERR_INVALID,
				  "duplicate certificate id \"%s\" (also certs[%u]), expected "
				  "unique ids",
				  c->id, j);
	}
	TF_GUARD(read_name_ref(r, s, obj, "subject", &c->subject));
	TF_GUARD(read_name_ref(r, s, obj, "issuer", &c->issuer));
	TF_GUARD(read_key_ref(r, s, obj, "key", &c->key));
	c->signing_key = c->key;
	TF_GUARD(read_key_ref(r, s, obj, "signing_key", &c->signing_key));

	c->bc = TF_BC_ABSENT;
	c->pathlen = -1;
	TF_GUARD(read_bc(r, obj, c));
	TF_GUARD(read_word_set(r, obj, "key_usage", tf_json_ku, "key usage", &c->ku_present,
			       &c->ku));
	/* Criticality of an absent extension means nothing; it reads as false. */
	c->ku_critical = c->ku_present;
	TF_GUARD(tf_rd_bool(r, obj, "key_usage_critical", &c->ku_critical));
	TF_GUARD(read_word_set(r, obj, "eku", tf_json_eku, "purpose", &c->eku_present, &c->eku));
	TF_GUARD(tf_rd_bool(r, obj, "eku_critical", &c->eku_critical));
	TF_GUARD(read_validity(r, obj, c));

	x = (long long)i + 1;
	TF_GUARD(tf_rd_int(r, obj, "serial", LLONG_MIN, LLONG_MAX, "an integer", &x));
	c->serial = x;
	TF_GUARD(tf_rd_bool(r, obj, "serial_long", &c->serial_long));
	x = 3;
	TF_GUARD(tf_rd_int(r, obj, "version", 1, 3, "1, 2 or 3", &x));
	c->version = (uint8_t)x;
	TF_GUARD(read_word(r, obj, "ski", tf_json_kid, &c->ski));
	TF_GUARD(read_word(r, obj, "aki", tf_json_kid, &c->aki));
	TF_GUARD(tf_rd_bool(r, obj, "unknown_critical_extension", &c->unknown_critical));
	TF_GUARD(tf_rd_bool(r, obj, "corrupt_signature", &c->corrupt_sig));
	if (json_object_get(obj, "der")) {
		size_t mark = tf_rd_push_key(r, "der");
		TF_GUARD(tf_rd_der(r, s, json_object_get(obj, "der"), "a DER certificate", &c->der,
				   &c->der_len));
		tf_rd_pop(r, mark);
	}
	return TF_OK;
}
