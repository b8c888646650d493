/*
 * core/fixture_read_scenario.c — the "scenario" object of a fixture.
 *
 * Tables first (names, keys), then certificates (fixture_read_cert.c),
 * which refer to names by label and to keys by table index, then everything
 * that refers to certificates by id (stores, identities). Fields absent from
 * the JSON take the defaults of docs/fixture-format.md. The result is then
 * checked with tf_scenario_validate, so a scenario that reads is a scenario
 * that validates.
 */
#include <stdio.h>
#include <string.h>

#include "fixture_internal.h"
#include "trustfuzz/fixture.h"

static const char *const scenario_fields[] = {"names",  "keys",       "certs", "stores",
					      "server", "identities", "knobs", NULL};
static const char *const store_fields[] = {"root", "intermediate", "client_auth_issuers", NULL};
static const char *const server_fields[] = {"send_issuer_list", "trust_mode", "validation_time",
					    "issuer_list_limit", NULL};
static const char *const identity_fields[] = {"leaf", "chain", NULL};

static const char *const name_fields[] = {"label", "dn_der", NULL};
static const char *const key_fields[] = {"pool", "spki", NULL};

/* One name: a label, or {label, dn_der} for a name bound to a real DN. */
static tf_err read_name(tf_rd *r, const json_t *v, tf_scenario *s, size_t i)
{
	const char *what = "a name label of printable ASCII";
	tf_name *nm = &s->names[i];
	if (!json_is_object(v))
		return json_is_string(v)
			       ? tf_rd_text_value(r, v, TF_LABEL_MAX, TF_TEXT_PRINTABLE, what,
						  nm->label)
			       : tf_rd_type(r, v, "a name label, or an object {label, dn_der}");
	TF_GUARD(tf_rd_object(r, v, name_fields, "an object {label, dn_der}"));
	TF_GUARD(tf_rd_require(r, v, "label", what));
	TF_GUARD(tf_rd_require(r, v, "dn_der", "a DER DistinguishedName in base64"));
	TF_GUARD(tf_rd_text(r, v, "label", TF_LABEL_MAX, TF_TEXT_PRINTABLE, what, nm->label));
	size_t mark = tf_rd_push_key(r, "dn_der");
	TF_GUARD(tf_rd_der(r, s, json_object_get(v, "dn_der"), "a DER DistinguishedName",
			   &nm->der, &nm->der_len));
	/* Name equality is index equality (scenario.h): one DN, one entry. */
	for (size_t j = 0; j < i; j++)
		if (s->names[j].der && s->names[j].der_len == nm->der_len &&
		    !memcmp(s->names[j].der, nm->der, nm->der_len))
			return tf_rd_fail(r, TF_ERR_INVALID,
					  "the DN of names[%zu] again, expected each DN once", j);
	tf_rd_pop(r, mark);
	return TF_OK;
}

static tf_err read_names(tf_rd *r, const json_t *v, tf_scenario *s)
{
	size_t n = 0;
	TF_GUARD(tf_rd_array(r, v, TF_MAX_NAMES, "a list of name labels", &n));
	if (n == 0)
		return tf_rd_fail(r, TF_ERR_SCHEMA, "empty, expected at least one name");
	for (size_t i = 0; i < n; i++) {
		size_t mark = tf_rd_push_index(r, i);
		TF_GUARD(read_name(r, json_array_get(v, i), s, i));
		for (size_t j = 0; j < i; j++)
			if (!strcmp(s->names[j].label, s->names[i].label))
				return tf_rd_fail(r, TF_ERR_INVALID,
						  "duplicate name \"%s\" (also names[%zu]), expected "
						  "unique labels",
						  s->names[i].label, j);
		tf_rd_pop(r, mark);
	}
	s->nnames = (uint8_t)n;
	return TF_OK;
}

/* One key: a pool index, or {pool, spki} for a key bound to a real
 * SubjectPublicKeyInfo (pool default 0; it only matters when unbound). */
static tf_err read_key(tf_rd *r, const json_t *v, tf_scenario *s, size_t i, const char *what)
{
	long long pool = 0;
	tf_key *k = &s->keys[i];
	if (!json_is_object(v)) {
		if (!json_is_integer(v))
			return tf_rd_type(r, v, "a key-pool index, or an object {pool, spki}");
		TF_GUARD(tf_rd_int_value(r, v, 0, TF_KEY_POOL_SIZE - 1, what, &pool));
		k->pool = (uint16_t)pool;
		return TF_OK;
	}
	TF_GUARD(tf_rd_object(r, v, key_fields, "an object {pool, spki}"));
	TF_GUARD(tf_rd_require(r, v, "spki", "a DER SubjectPublicKeyInfo in base64"));
	TF_GUARD(tf_rd_int(r, v, "pool", 0, TF_KEY_POOL_SIZE - 1, what, &pool));
	k->pool = (uint16_t)pool;
	size_t mark = tf_rd_push_key(r, "spki");
	TF_GUARD(tf_rd_der(r, s, json_object_get(v, "spki"), "a DER SubjectPublicKeyInfo",
			   &k->spki, &k->spki_len));
	tf_rd_pop(r, mark);
	return TF_OK;
}

static tf_err read_keys(tf_rd *r, const json_t *v, tf_scenario *s)
{
	size_t n = 0;
	char what[64];
	snprintf(what, sizeof what, "a key-pool index 0..%d", TF_KEY_POOL_SIZE - 1);
	TF_GUARD(tf_rd_array(r, v, TF_MAX_KEYS, "a list of key-pool indexes", &n));
	if (n == 0)
		return tf_rd_fail(r, TF_ERR_SCHEMA, "empty, expected at least one key");
	for (size_t i = 0; i < n; i++) {
		size_t mark = tf_rd_push_index(r, i);
		TF_GUARD(read_key(r, json_array_get(v, i), s, i, what));
		tf_rd_pop(r, mark);
	}
	s->nkeys = (uint8_t)n;
	return TF_OK;
}

static tf_err read_certs(tf_rd *r, const json_t *v, tf_scenario *s)
{
	size_t n = 0;
	TF_GUARD(tf_rd_array(r, v, TF_MAX_CERTS, "a list of certificate objects", &n));
	if (n == 0)
		return tf_rd_fail(r, TF_ERR_SCHEMA, "empty, expected at least one certificate");
	for (size_t i = 0; i < n; i++) {
		size_t mark = tf_rd_push_index(r, i);
		TF_GUARD(tf_rd_cert(r, s, json_array_get(v, i), (unsigned)i));
		s->ncerts = (uint8_t)(i + 1); /* ids so far are visible to the duplicate check */
		tf_rd_pop(r, mark);
	}
	return TF_OK;
}

static tf_err read_stores(tf_rd *r, const json_t *v, tf_scenario *s)
{
	TF_GUARD(tf_rd_object(r, v, store_fields, "an object of certificate-id lists"));
	for (unsigned id = 0; id < TF_STORE_COUNT; id++) {
		tf_store *st = &s->stores[id];
		TF_GUARD(tf_rd_cert_list(r, s, v, tf_store_name((tf_store_id)id), TF_MAX_STORE,
					 st->cert, &st->n));
	}
	return TF_OK;
}

static tf_err read_server(tf_rd *r, const json_t *v, tf_scenario *s)
{
	tf_server *sv = &s->server;
	const json_t *t = NULL;
	long long x = 0;
	TF_GUARD(tf_rd_object(r, v, server_fields, "a server settings object"));
	TF_GUARD(tf_rd_bool(r, v, "send_issuer_list", &sv->send_issuer_list));
	x = sv->trust_mode;
	TF_GUARD(tf_rd_int(r, v, "trust_mode", 0, 2, "0, 1 or 2", &x));
	sv->trust_mode = (uint8_t)x;
	if ((t = json_object_get(v, "validation_time")) != NULL) {
		const char *what = "an RFC 3339 UTC time like \"2024-01-01T00:00:00Z\" or "
				   "Unix seconds";
		char safe[64];
		size_t mark = tf_rd_push_key(r, "validation_time");
		/* Unix seconds carry the times RFC 3339's four-digit years cannot. */
		if (json_is_integer(t))
			sv->validation_time = json_integer_value(t);
		else if (!json_is_string(t))
			return tf_rd_type(r, t, what);
		else if (!tf_time_parse(json_string_value(t), &sv->validation_time))
			return tf_rd_fail(r, TF_ERR_SCHEMA, "bad time \"%s\", expected %s",
					  tf_rd_quote(json_string_value(t), safe, sizeof safe),
					  what);
		tf_rd_pop(r, mark);
	}
	x = sv->issuer_list_limit;
	TF_GUARD(tf_rd_int(r, v, "issuer_list_limit", 0, UINT32_MAX, "a byte count 0..4294967295",
			   &x));
	sv->issuer_list_limit = (uint32_t)x;
	return TF_OK;
}

static tf_err read_identities(tf_rd *r, const json_t *v, tf_scenario *s)
{
	size_t n = 0;
	TF_GUARD(tf_rd_array(r, v, TF_MAX_IDENTITIES, "a list of identity objects", &n));
	if (n == 0)
		return tf_rd_fail(r, TF_ERR_SCHEMA, "empty, expected at least one identity");
	for (size_t i = 0; i < n; i++) {
		const json_t *obj = json_array_get(v, i);
		tf_identity *id = &s->identities[i];
		size_t mark = tf_rd_push_index(r, i);
		TF_GUARD(tf_rd_object(r, obj, identity_fields, "an object {leaf, chain}"));
		TF_GUARD(tf_rd_require(r, obj, "leaf", "a certificate id"));
		size_t m = tf_rd_push_key(r, "leaf");
		TF_GUARD(tf_rd_cert_ref(r, s, json_object_get(obj, "leaf"), &id->leaf));
		tf_rd_pop(r, m);
		TF_GUARD(tf_rd_cert_list(r, s, obj, "chain", TF_MAX_CHAIN, id->chain, &id->nchain));
		tf_rd_pop(r, mark);
	}
	s->nidentities = (uint8_t)n;
	return TF_OK;
}

static bool knob_known(const char *name)
{
	const char *kname = NULL;
	char buf[32];
	bool dflt = false;
	tf_knobs k = {0};
	for (size_t i = 0; tf_knob_get(&k, i, &kname, buf, sizeof buf, &dflt); i++)
		if (!strcmp(kname, name))
			return true;
	return false;
}

static tf_err read_knobs(tf_rd *r, const json_t *v, tf_scenario *s)
{
	const char *name = NULL;
	json_t *value = NULL;
	if (!json_is_object(v))
		return tf_rd_type(r, v, "an object of knob names to values");
	json_object_foreach((json_t *)v, name, value) {
		size_t mark = tf_rd_push_key(r, name);
		if (!knob_known(name)) {
			char list[300] = "";
			const char *kname = NULL;
			char buf[32];
			bool dflt = false;
			size_t used = 0;
			for (size_t i = 0; tf_knob_get(&s->knobs, i, &kname, buf, sizeof buf, &dflt) &&
					   used < sizeof list;
			     i++) {
				int w = snprintf(list + used, sizeof list - used, "%s%s",
						 i ? ", " : "", kname);
				if (w < 0)
					break;
				used += (size_t)w;
			}
			return tf_rd_fail(r, TF_ERR_SCHEMA, "unknown knob, expected one of %s", list);
		}
		if (!json_is_string(value))
			return tf_rd_type(r, value, "the knob's value as a string");
		tf_error kerr = {0};
		if (tf_knob_set(&s->knobs, name, json_string_value(value), &kerr) != TF_OK) {
			/* Drop tf_knob_set's own "knob NAME: " prefix: the path says it. */
			char prefix[80];
			const char *msg = kerr.msg;
			snprintf(prefix, sizeof prefix, "knob %s: ", name);
			if (!strncmp(msg, prefix, strlen(prefix)))
				msg += strlen(prefix);
			return tf_rd_fail(r, TF_ERR_SCHEMA, "%s", msg);
		}
		tf_rd_pop(r, mark);
	}
	return TF_OK;
}

/* Runs a section reader on obj[key] with the path extended by key. */
static tf_err section(tf_rd *r, const json_t *obj, const char *key, tf_scenario *s,
		      tf_err (*fn)(tf_rd *, const json_t *, tf_scenario *))
{
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return TF_OK;
	size_t mark = tf_rd_push_key(r, key);
	TF_GUARD(fn(r, v, s));
	tf_rd_pop(r, mark);
	return TF_OK;
}

tf_err tf_rd_scenario(tf_rd *r, const json_t *v, tf_scenario *s)
{
	TF_GUARD(tf_rd_object(r, v, scenario_fields, "a scenario object"));
	TF_GUARD(tf_rd_require(r, v, "names", "a list of name labels"));
	TF_GUARD(tf_rd_require(r, v, "keys", "a list of key-pool indexes"));
	TF_GUARD(tf_rd_require(r, v, "certs", "a list of certificate objects"));
	TF_GUARD(tf_rd_require(r, v, "identities", "a list of identity objects"));
	TF_GUARD(section(r, v, "names", s, read_names));
	TF_GUARD(section(r, v, "keys", s, read_keys));
	TF_GUARD(section(r, v, "certs", s, read_certs));
	TF_GUARD(section(r, v, "stores", s, read_stores));
	TF_GUARD(section(r, v, "server", s, read_server));
	TF_GUARD(section(r, v, "identities", s, read_identities));
	TF_GUARD(section(r, v, "knobs", s, read_knobs));

	tf_error verr = {0};
	if (tf_scenario_validate(s, &verr) != TF_OK)
		return tf_error_set(r->err, verr.code, "%s: %s.%s", r->origin, r->path, verr.msg);
	return TF_OK;
}
