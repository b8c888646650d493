/*
 * core/fixture_write.c — tf_fixture → canonical JSON.
 *
 * Canonical means: keys in the fixed order of docs/fixture-format.md, every
 * field equal to its JSON default omitted, validity as a preset name when it
 * is one, two-space indentation, a final newline. The same fixture always
 * gives the same bytes, so fixtures diff cleanly and the determinism tests
 * can compare files byte for byte.
 *
 * The writer only emits what the reader accepts: the text it produces is
 * parsed back before it is returned, so a fixture that could not be read
 * (an empty id, an expectation naming a missing identity) is refused at
 * write time with the reader's message rather than discovered later.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_internal.h"
#include "trustfuzz/fixture.h"

/* Builds objects while remembering whether any allocation failed, so that
 * construction reads straight through and is checked once at the end. */
typedef struct wr {
	bool ok;
} wr;

static json_t *put(wr *w, json_t *obj, const char *key, json_t *v)
{
	if (!v || !obj || json_object_set_new(obj, key, v) != 0)
		w->ok = false;
	return v;
}

static json_t *push(wr *w, json_t *arr, json_t *v)
{
	if (!v || !arr || json_array_append_new(arr, v) != 0)
		w->ok = false;
	return v;
}

static json_t *id_list(wr *w, const tf_scenario *s, const uint8_t *idx, unsigned n)
{
	json_t *a = json_array();
	for (unsigned i = 0; i < n; i++)
		push(w, a, json_string(s->certs[idx[i]].id));
	return a;
}

static json_t *word_set(wr *w, const tf_json_word *words, unsigned bits)
{
	json_t *a = json_array();
	for (const tf_json_word *x = words; x->text; x++)
		if (bits & x->value)
			push(w, a, json_string(x->text));
	return a;
}

/* A real DER blob as base64 text (NULL, failing the build, when out of
 * memory). */
static json_t *der_json(wr *w, const uint8_t *p, size_t n)
{
	char *text = tf_json_b64_encode(p, n);
	json_t *v = text ? json_string(text) : NULL;
	if (!v)
		w->ok = false;
	free(text);
	return v;
}

static json_t *cert_json(wr *w, const tf_scenario *s, unsigned i)
{
	const tf_cert *c = &s->certs[i];
	json_t *o = json_object();
	put(w, o, "id", json_string(c->id));
	put(w, o, "subject", json_string(s->names[c->subject].label));
	put(w, o, "issuer", json_string(s->names[c->issuer].label));
	put(w, o, "key", json_integer(c->key));
	if (c->signing_key != c->key)
		put(w, o, "signing_key", json_integer(c->signing_key));
	if (c->bc != TF_BC_ABSENT) {
		json_t *bc = put(w, o, "basic_constraints", json_object());
		put(w, bc, "ca", json_boolean(c->bc == TF_BC_CA_TRUE));
		if (c->pathlen >= 0)
			put(w, bc, "pathlen", json_integer(c->pathlen));
		if (!c->bc_critical)
			put(w, bc, "critical", json_false());
	} else if (c->bc_critical) {
		put(w, o, "basic_constraints_critical", json_true());
	}
	if (c->ku_present)
		put(w, o, "key_usage", word_set(w, tf_json_ku, c->ku));
	if (c->ku_critical != c->ku_present)
		put(w, o, "key_usage_critical", json_boolean(c->ku_critical));
	if (c->eku_present)
		put(w, o, "eku", word_set(w, tf_json_eku, c->eku));
	if (c->eku_critical)
		put(w, o, "eku_critical", json_true());
	const char *preset = tf_json_validity_name(c->not_before, c->not_after);
	if (!preset) {
		put(w, o, "not_before", json_integer(c->not_before));
		put(w, o, "not_after", json_integer(c->not_after));
	} else if (strcmp(preset, "valid")) {
		put(w, o, "validity", json_string(preset));
	}
	if (c->serial != (int64_t)i + 1)
		put(w, o, "serial", json_integer(c->serial));
	if (c->serial_long)
		put(w, o, "serial_long", json_true());
	if (c->version != 3)
		put(w, o, "version", json_integer(c->version));
	if (c->ski != TF_KID_MATCH)
		put(w, o, "ski", json_string(tf_json_word_text(tf_json_kid, c->ski)));
	if (c->aki != TF_KID_MATCH)
		put(w, o, "aki", json_string(tf_json_word_text(tf_json_kid, c->aki)));
	if (c->unknown_critical)
		put(w, o, "unknown_critical_extension", json_true());
	if (c->corrupt_sig)
		put(w, o, "corrupt_signature", json_true());
	if (c->der)
		put(w, o, "der", der_json(w, c->der, c->der_len));
	return o;
}

static json_t *server_json(wr *w, const tf_server *sv)
{
	char when[32];
	json_t *o = json_object();
	if (sv->send_issuer_list)
		put(w, o, "send_issuer_list", json_true());
	if (sv->trust_mode)
		put(w, o, "trust_mode", json_integer(sv->trust_mode));
	/* A validated scenario's validation time has four-digit years
	 * (TF_TIME_MIN..TF_TIME_MAX), so RFC 3339 text always formats. */
	if (sv->validation_time != TF_DEFAULT_VALIDATION_TIME &&
	    tf_time_format(sv->validation_time, when, sizeof when))
		put(w, o, "validation_time", json_string(when));
	if (sv->issuer_list_limit != TF_DEFAULT_ISSUER_LIST_LIMIT)
		put(w, o, "issuer_list_limit", json_integer(sv->issuer_list_limit));
	return o;
}

static json_t *scenario_json(wr *w, const tf_scenario *s)
{
	json_t *o = json_object();
	json_t *names = put(w, o, "names", json_array());
	for (unsigned i = 0; i < s->nnames; i++) {
		const tf_name *nm = &s->names[i];
		if (!nm->der) {
			push(w, names, json_string(nm->label));
			continue;
		}
		json_t *x = push(w, names, json_object());
		put(w, x, "label", json_string(nm->label));
		put(w, x, "dn_der", der_json(w, nm->der, nm->der_len));
	}
	json_t *keys = put(w, o, "keys", json_array());
	for (unsigned i = 0; i < s->nkeys; i++) {
		const tf_key *k = &s->keys[i];
		if (!k->spki) {
			push(w, keys, json_integer(k->pool));
			continue;
		}
		json_t *x = push(w, keys, json_object());
		if (k->pool)
			put(w, x, "pool", json_integer(k->pool));
		put(w, x, "spki", der_json(w, k->spki, k->spki_len));
	}
	json_t *certs = put(w, o, "certs", json_array());
	for (unsigned i = 0; i < s->ncerts; i++)
		push(w, certs, cert_json(w, s, i));

	json_t *stores = json_object();
	for (unsigned id = 0; id < TF_STORE_COUNT; id++)
		if (s->stores[id].n)
			put(w, stores, tf_store_name((tf_store_id)id),
			    id_list(w, s, s->stores[id].cert, s->stores[id].n));
	if (json_object_size(stores))
		put(w, o, "stores", stores);
	else
		json_decref(stores);

	json_t *server = server_json(w, &s->server);
	if (json_object_size(server))
		put(w, o, "server", server);
	else
		json_decref(server);

	json_t *ids = put(w, o, "identities", json_array());
	for (unsigned i = 0; i < s->nidentities; i++) {
		const tf_identity *id = &s->identities[i];
		json_t *x = push(w, ids, json_object());
		put(w, x, "leaf", json_string(s->certs[id->leaf].id));
		if (id->nchain)
			put(w, x, "chain", id_list(w, s, id->chain, id->nchain));
	}

	json_t *knobs = json_object();
	const char *name = NULL;
	char value[32];
	bool dflt = true;
	for (size_t i = 0; tf_knob_get(&s->knobs, i, &name, value, sizeof value, &dflt); i++)
		if (!dflt)
			put(w, knobs, name, json_string(value));
	if (json_object_size(knobs))
		put(w, o, "knobs", knobs);
	else
		json_decref(knobs);
	return o;
}

static json_t *expect_json(wr *w, const tf_fixture *f)
{
	json_t *o = json_object();
	char hr[16];
	for (unsigned i = 0; i < f->nexpect; i++) {
		const tf_expect *e = &f->expect[i].e;
		json_t *x = put(w, o, f->expect[i].evaluator, json_object());
		put(w, x, "status", json_string(tf_status_str(e->v.status)));
		if (e->has_win32) {
			snprintf(hr, sizeof hr, "0x%08" PRIX32, e->v.win32);
			put(w, x, "win32", json_string(hr));
		}
		if (e->has_identity)
			put(w, x, "identity", json_integer(e->v.identity));
		if (e->has_path)
			put(w, x, "path", id_list(w, &f->scenario, e->v.path, e->v.path_len));
	}
	return o;
}

static json_t *provenance_json(wr *w, const tf_provenance *p)
{
	json_t *o = json_object();
	if (p->tool[0])
		put(w, o, "tool", json_string(p->tool));
	if (p->origin[0])
		put(w, o, "origin", json_string(p->origin));
	if (p->profile[0])
		put(w, o, "profile", json_string(p->profile));
	if (p->has_seed) {
		/* jansson integers are signed 64-bit: larger seeds go as text. */
		if (p->seed <= INT64_MAX) {
			put(w, o, "seed", json_integer((json_int_t)p->seed));
		} else {
			char text[24];
			snprintf(text, sizeof text, "%" PRIu64, p->seed);
			put(w, o, "seed", json_string(text));
		}
	}
	if (p->input_len) {
		static const char hex[] = "0123456789abcdef";
		size_t n = p->input_len <= TF_FIXTURE_INPUT_MAX ? p->input_len : TF_FIXTURE_INPUT_MAX;
		char *text = malloc(2 * n + 1);
		if (!text) {
			w->ok = false;
			return o;
		}
		for (size_t i = 0; i < n; i++) {
			text[2 * i] = hex[p->input[i] >> 4];
			text[2 * i + 1] = hex[p->input[i] & 15];
		}
		text[2 * n] = '\0';
		put(w, o, "input", json_string(text));
		free(text);
	}
	return o;
}

/* Adds obj under key unless it is empty (its JSON default). */
static void put_nonempty(wr *w, json_t *root, const char *key, json_t *obj)
{
	if (obj && json_object_size(obj))
		put(w, root, key, obj);
	else if (obj)
		json_decref(obj);
	else
		w->ok = false;
}

static tf_err build(const tf_fixture *f, json_t **out, tf_error *err)
{
	wr w = {.ok = true};
	json_t *root = json_object();

	put(&w, root, "schema", json_string(TF_FIXTURE_SCHEMA));
	put(&w, root, "version", json_integer(TF_FIXTURE_VERSION));
	put(&w, root, "id", json_string(f->id));
	if (f->ntags) {
		json_t *tags = put(&w, root, "tags", json_array());
		for (unsigned i = 0; i < f->ntags && i < TF_FIXTURE_MAX_TAGS; i++)
			push(&w, tags, json_string(f->tags[i]));
	}
	if (f->why[0])
		put(&w, root, "why", json_string(f->why));
	put(&w, root, "scenario", scenario_json(&w, &f->scenario));
	put_nonempty(&w, root, "expect", expect_json(&w, f));
	put_nonempty(&w, root, "provenance", provenance_json(&w, &f->prov));
	if (!w.ok) {
		json_decref(root);
		return tf_error_set(err, TF_ERR_INVALID,
				    "fixture %s: cannot be written as JSON (out of memory or a "
				    "string that is not UTF-8)",
				    f->id);
	}
	*out = root;
	return TF_OK;
}

tf_err tf_fixture_to_json(const tf_fixture *f, char **out, size_t *len, tf_error *err)
{
	tf_err rc = TF_OK;
	json_t *root = NULL;
	char *text = NULL, *res = NULL;
	tf_fixture *check = NULL;
	tf_error verr = {0};

	*out = NULL;
	*len = 0;
	if (tf_scenario_validate(&f->scenario, &verr) != TF_OK)
		return tf_error_set(err, verr.code, "fixture %s: scenario.%s", f->id, verr.msg);
	TF_GUARD(build(f, &root, err));
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text) {
		rc = tf_error_set(err, TF_ERR_NOMEM, "fixture %s: out of memory", f->id);
		goto done;
	}
	size_t n = strlen(text);
	res = malloc(n + 2);
	check = malloc(sizeof *check);
	if (!res || !check) {
		rc = tf_error_set(err, TF_ERR_NOMEM, "fixture %s: out of memory", f->id);
		goto done;
	}
	tf_fixture_init(check);
	memcpy(res, text, n);
	res[n] = '\n';
	res[n + 1] = '\0';
	char origin[TF_FIXTURE_ID_MAX + 16];
	snprintf(origin, sizeof origin, "fixture %s", f->id);
	TF_GUARD_GOTO(tf_fixture_parse(res, n + 1, origin, check, err), rc, done);
	*out = res;
	*len = n + 1;
	res = NULL;
done:
	if (check)
		tf_fixture_free(check);
	free(check);
	free(res);
	free(text);
	json_decref(root);
	return rc;
}

tf_err tf_fixture_write(const char *path, const tf_fixture *f, tf_error *err)
{
	char *text = NULL;
	size_t len = 0;
	tf_err rc = tf_fixture_to_json(f, &text, &len, err);
	if (rc == TF_OK)
		rc = tf_write_file_atomic(path, text, len, err);
	else
		tf_error_prefix(err, path);
	free(text);
	return rc;
}
