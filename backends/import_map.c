/*
 * backends/import_map.c — real certificates → one scenario (import.h).
 *
 * The relations between certificates are settled here, once, with OpenSSL,
 * so that the evaluators can keep comparing indexes: names are one table
 * entry per DN under RFC 5280 name matching, keys one entry per SPKI, and
 * every certificate's signing key is the key that really verifies its
 * signature. After this, tf_cert_names_chain / tf_cert_sig_verifies answer
 * for real certificates exactly what they answer for generated ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "import_internal.h"

/* Importer state: the scenario under construction and the OpenSSL objects
 * behind its table entries (borrowed from x[] where not owned). */
typedef struct imp {
	const tf_import_spec *sp;
	tf_scenario *s;
	tf_error *err;
	X509 *x[TF_MAX_CERTS];
	const char *origin[TF_MAX_CERTS];
	const X509_NAME *name[TF_MAX_NAMES];
	int holder[TF_MAX_KEYS]; /* first certificate holding key k; -1: the unknown signer */
	int unknown;             /* key index of the unknown signer, -1 until needed */
	unsigned counter[TF_IMPORT_ROLES];
	uint8_t index[TF_IMPORT_ROLES][TF_MAX_STORE]; /* (role, item) → cert */
} imp;

static const char *const role_names[TF_IMPORT_ROLES] = {"leaf", "chain", "root", "intermediate",
							"client_auth_issuers"};
static const char *const id_prefix[TF_IMPORT_ROLES] = {"leaf", "chain", "root", "inter", "cai"};

const char *tf_import_role_name(tf_import_role role)
{
	return role < TF_IMPORT_ROLES ? role_names[role] : "?";
}

void tf_import_spec_init(tf_import_spec *sp)
{
	memset(sp, 0, sizeof *sp);
	sp->server.validation_time = TF_DEFAULT_VALIDATION_TIME;
	sp->server.issuer_list_limit = TF_DEFAULT_ISSUER_LIST_LIMIT;
}

void tf_import_spec_free(tf_import_spec *sp)
{
	for (unsigned r = 0; r < TF_IMPORT_ROLES; r++)
		tf_import_list_free(&sp->role[r]);
	tf_import_spec_init(sp);
}

/* ---- Certificates ------------------------------------------------------ */

static tf_err add_cert(imp *m, unsigned role, size_t item, uint8_t *out)
{
	const tf_import_cert *ic = &m->sp->role[role].v[item];
	tf_scenario *s = m->s;
	for (unsigned i = 0; i < s->ncerts; i++) {
		if (s->certs[i].der_len == ic->der.len &&
		    !memcmp(s->certs[i].der, ic->der.data, ic->der.len)) {
			*out = (uint8_t)i;
			return TF_OK;
		}
	}
	TF_ENSURE(s->ncerts < TF_MAX_CERTS, m->err, TF_ERR_LIMIT,
		  "%s: more than %d distinct certificates in all, at most %d in a scenario "
		  "(trustfuzz audit reads whole stores)",
		  ic->origin, TF_MAX_CERTS, TF_MAX_CERTS);
	unsigned i = s->ncerts;
	tf_cert *c = &s->certs[i];
	m->x[i] = tf_import_x509(ic->der.data, ic->der.len);
	TF_ENSURE(m->x[i], m->err, TF_ERR_PARSE, "%s: DER does not parse as one X.509 certificate",
		  ic->origin);
	s->ncerts++; /* from here on x[i] is freed with the others */
	m->origin[i] = ic->origin;
	c->der = tf_arena_dup(&s->arena, ic->der.data, ic->der.len);
	TF_ENSURE(c->der, m->err, TF_ERR_NOMEM, "%s: out of memory", ic->origin);
	c->der_len = ic->der.len;
	/* The leaf list's first certificate is "the" leaf; the rest of that
	 * list is sent chain and numbered with it. */
	unsigned kind = role == TF_IMPORT_LEAF && item > 0 ? TF_IMPORT_CHAIN : role;
	if (role == TF_IMPORT_LEAF && item == 0)
		snprintf(c->id, sizeof c->id, "leaf");
	else
		snprintf(c->id, sizeof c->id, "%s%u", id_prefix[kind], ++m->counter[kind]);
	TF_GUARD(tf_import_fields(m->x[i], m->sp->server.validation_time, ic->origin, c, m->err));
	*out = (uint8_t)i;
	return TF_OK;
}

/* ---- Names ------------------------------------------------------------- */

static bool label_taken(const tf_scenario *s, const char *label)
{
	return tf_scenario_find_name(s, label) >= 0;
}

/* The DN's text, unique in the table: cut to fit, "~2", "~3"... on a clash. */
static void unique_label(const tf_scenario *s, const X509_NAME *name, char out[TF_LABEL_MAX])
{
	char text[TF_LABEL_MAX];
	tf_import_dn_text(name, text, sizeof text);
	memcpy(out, text, sizeof text);
	for (unsigned k = 2; label_taken(s, out); k++) {
		char suffix[16];
		int n = snprintf(suffix, sizeof suffix, "~%u", k);
		size_t keep = strlen(text);
		if (keep > TF_LABEL_MAX - 1 - (size_t)n)
			keep = TF_LABEL_MAX - 1 - (size_t)n;
		snprintf(out, TF_LABEL_MAX, "%.*s%s", (int)keep, text, suffix);
	}
}

static tf_err add_name(imp *m, const X509_NAME *name, unsigned cert, uint8_t *out)
{
	tf_scenario *s = m->s;
	unsigned char *der = NULL;
	for (unsigned i = 0; i < s->nnames; i++) {
		if (X509_NAME_cmp(m->name[i], name) == 0) {
			ERR_clear_error();
			*out = (uint8_t)i;
			return TF_OK;
		}
	}
	ERR_clear_error();
	TF_ENSURE(s->nnames < TF_MAX_NAMES, m->err, TF_ERR_LIMIT,
		  "%s: more than %d distinct names in all, at most %d in a scenario",
		  m->origin[cert], TF_MAX_NAMES, TF_MAX_NAMES);
	tf_name *nm = &s->names[s->nnames];
	int len = i2d_X509_NAME(name, &der);
	if (len > 0)
		nm->der = tf_arena_dup(&s->arena, der, (size_t)len);
	OPENSSL_free(der);
	ERR_clear_error();
	TF_ENSURE(len > 0 && nm->der, m->err, TF_ERR_NOMEM, "%s: DN encoding failed",
		  m->origin[cert]);
	nm->der_len = (size_t)len;
	unique_label(s, name, nm->label);
	m->name[s->nnames] = name;
	*out = s->nnames++;
	return TF_OK;
}

/* Subjects first, so that a name carries the encoding a certificate's
 * subject has (what the issuer list sends), then issuers. */
static tf_err map_names(imp *m)
{
	tf_scenario *s = m->s;
	for (unsigned i = 0; i < s->ncerts; i++)
		TF_GUARD(add_name(m, X509_get_subject_name(m->x[i]), i, &s->certs[i].subject));
	for (unsigned i = 0; i < s->ncerts; i++)
		TF_GUARD(add_name(m, X509_get_issuer_name(m->x[i]), i, &s->certs[i].issuer));
	return TF_OK;
}

/* ---- Keys and signers -------------------------------------------------- */

static tf_err map_keys(imp *m)
{
	tf_scenario *s = m->s;
	for (unsigned i = 0; i < s->ncerts; i++) {
		unsigned char *spki = NULL;
		int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(m->x[i]), &spki);
		ERR_clear_error();
		TF_ENSURE(len > 0, m->err, TF_ERR_PARSE, "%s: subjectPublicKeyInfo does not encode",
			  m->origin[i]);
		unsigned k = 0;
		while (k < s->nkeys && !(s->keys[k].spki_len == (size_t)len &&
					 !memcmp(s->keys[k].spki, spki, (size_t)len)))
			k++;
		if (k == s->nkeys && s->nkeys < TF_MAX_KEYS) {
			s->keys[k].spki = tf_arena_dup(&s->arena, spki, (size_t)len);
			s->keys[k].spki_len = (size_t)len;
			m->holder[k] = (int)i;
			s->nkeys++;
		}
		OPENSSL_free(spki);
		TF_ENSURE(k < s->nkeys, m->err, TF_ERR_LIMIT,
			  "%s: more than %d distinct keys in all, at most %d in a scenario",
			  m->origin[i], TF_MAX_KEYS, TF_MAX_KEYS);
		TF_ENSURE(s->keys[k].spki, m->err, TF_ERR_NOMEM, "%s: out of memory", m->origin[i]);
		s->certs[i].key = (uint8_t)k;
	}
	return TF_OK;
}

/* The key that verifies certs[i]: its own first (roots), then those of the
 * certificates named as its issuer, then any other. */
static tf_err find_signer(imp *m, unsigned i)
{
	tf_scenario *s = m->s;
	tf_cert *c = &s->certs[i];
	bool tried[TF_MAX_KEYS] = {false};
	for (unsigned pass = 0; pass < 3; pass++) {
		for (unsigned j = 0; j < s->ncerts; j++) {
			unsigned k = s->certs[j].key;
			if (tried[k] || (pass == 0 && j != i) ||
			    (pass == 1 && X509_NAME_cmp(X509_get_subject_name(m->x[j]),
							X509_get_issuer_name(m->x[i])) != 0))
				continue;
			ERR_clear_error();
			tried[k] = true;
			if (tf_import_verifies(m->x[i], m->x[j])) {
				c->signing_key = (uint8_t)k;
				return TF_OK;
			}
		}
	}
	/* Signed by a key none of these certificates holds: one shared entry
	 * that is nobody's subject key, so no issuer ever matches it. */
	if (m->unknown < 0) {
		TF_ENSURE(s->nkeys < TF_MAX_KEYS, m->err, TF_ERR_LIMIT,
			  "%s: its signer is not among the certificates, and the key table is "
			  "full (%d keys)",
			  m->origin[i], TF_MAX_KEYS);
		m->unknown = s->nkeys;
		m->holder[s->nkeys] = -1;
		s->keys[s->nkeys++].pool = 0;
	}
	c->signing_key = (uint8_t)m->unknown;
	return TF_OK;
}

/* ---- SKI/AKI ----------------------------------------------------------- */

static bool octets_eq(const ASN1_OCTET_STRING *a, const uint8_t *p, size_t n)
{
	return a && (size_t)ASN1_STRING_length(a) == n && !memcmp(ASN1_STRING_get0_data(a), p, n);
}

/* Whether id is an identifier of key k: the SKI of a certificate holding
 * it, or the RFC 5280 method-1 hash of it. */
static bool key_has_id(const imp *m, unsigned k, const ASN1_OCTET_STRING *id)
{
	const tf_scenario *s = m->s;
	if (m->holder[k] < 0)
		return false;
	for (unsigned j = 0; j < s->ncerts; j++)
		if (s->certs[j].key == k) {
			const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(m->x[j]);
			if (ski && !ASN1_STRING_cmp(ski, id))
				return true;
		}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	bool ok = X509_pubkey_digest(m->x[m->holder[k]], EVP_sha1(), md, &n) &&
		  octets_eq(id, md, n);
	ERR_clear_error();
	return ok;
}

/* Whether id is an identifier of a key other than `k`. */
static bool other_key_has_id(const imp *m, unsigned k, const ASN1_OCTET_STRING *id)
{
	for (unsigned o = 0; o < m->s->nkeys; o++)
		if (o != k && key_has_id(m, o, id))
			return true;
	return false;
}

static void map_key_ids(imp *m, unsigned i)
{
	tf_cert *c = &m->s->certs[i];
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(m->x[i]);
	const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(m->x[i]);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	/* SKI: its own key's identifier unless it names another imported key
	 * (and is not the method-1 hash of its own). */
	if (c->ski != TF_KID_ABSENT && ski && other_key_has_id(m, c->key, ski) &&
	    !(X509_pubkey_digest(m->x[i], EVP_sha1(), md, &n) && octets_eq(ski, md, n)))
		c->ski = TF_KID_MISMATCH;
	ERR_clear_error();
	/* AKI: must name the signing key; for an unknown signer, it must at
	 * least not name a known key that did not sign. */
	if (c->aki != TF_KID_ABSENT && aki) {
		bool known = m->holder[c->signing_key] >= 0;
		if (known ? !key_has_id(m, c->signing_key, aki)
			  : other_key_has_id(m, c->signing_key, aki))
			c->aki = TF_KID_MISMATCH;
	}
}

/* ---- Stores and the identity ------------------------------------------- */

static tf_err map_roles(imp *m)
{
	for (unsigned r = 0; r < TF_IMPORT_ROLES; r++) {
		const tf_import_list *l = &m->sp->role[r];
		TF_ENSURE(l->n <= TF_MAX_STORE, m->err, TF_ERR_LIMIT,
			  "%s: %zu certificates, at most %d in a scenario (trustfuzz audit reads "
			  "whole stores)",
			  role_names[r], l->n, TF_MAX_STORE);
		for (size_t j = 0; j < l->n; j++)
			TF_GUARD(add_cert(m, r, j, &m->index[r][j]));
	}
	return TF_OK;
}

static tf_err fill_stores(imp *m)
{
	static const struct {
		tf_import_role role;
		tf_store_id store;
	} map[] = {{TF_IMPORT_ROOT, TF_STORE_ROOT},
		   {TF_IMPORT_INTERMEDIATE, TF_STORE_INTERMEDIATE},
		   {TF_IMPORT_CAI, TF_STORE_CAI}};
	for (unsigned i = 0; i < sizeof map / sizeof map[0]; i++) {
		const tf_import_list *l = &m->sp->role[map[i].role];
		tf_store *st = &m->s->stores[map[i].store];
		for (size_t j = 0; j < l->n; j++)
			st->cert[st->n++] = m->index[map[i].role][j];
	}
	tf_identity *id = &m->s->identities[0];
	const tf_import_list *leaf = &m->sp->role[TF_IMPORT_LEAF];
	const tf_import_list *chain = &m->sp->role[TF_IMPORT_CHAIN];
	size_t sent = leaf->n - 1 + chain->n;
	TF_ENSURE(sent <= TF_MAX_CHAIN, m->err, TF_ERR_LIMIT,
		  "chain: the client would send %zu certificates after its leaf, at most %d", sent,
		  TF_MAX_CHAIN);
	id->leaf = m->index[TF_IMPORT_LEAF][0];
	for (size_t j = 1; j < leaf->n; j++)
		id->chain[id->nchain++] = m->index[TF_IMPORT_LEAF][j];
	for (size_t j = 0; j < chain->n; j++)
		id->chain[id->nchain++] = m->index[TF_IMPORT_CHAIN][j];
	m->s->nidentities = 1;
	return TF_OK;
}

static tf_err run(imp *m)
{
	tf_scenario *s = m->s;
	TF_ENSURE(m->sp->role[TF_IMPORT_LEAF].n > 0, m->err, TF_ERR_USAGE,
		  "leaf: no certificate, expected the client's leaf certificate");
	TF_GUARD(map_roles(m));
	TF_GUARD(fill_stores(m));
	TF_GUARD(map_names(m));
	TF_GUARD(map_keys(m));
	for (unsigned i = 0; i < s->ncerts; i++)
		TF_GUARD(find_signer(m, i));
	for (unsigned i = 0; i < s->ncerts; i++)
		map_key_ids(m, i);
	s->server = m->sp->server;
	tf_error verr = {0};
	if (tf_scenario_validate(s, &verr) != TF_OK)
		return tf_error_set(m->err, TF_ERR_INTERNAL, "import: the scenario does not validate: %s",
				    verr.msg);
	return TF_OK;
}

tf_err tf_import_scenario(const tf_import_spec *sp, tf_scenario *out, tf_error *err)
{
	imp *m = calloc(1, sizeof *m);
	tf_err rc = TF_OK;
	tf_scenario_init(out);
	if (!m)
		return tf_error_set(err, TF_ERR_NOMEM, "import: out of memory");
	m->sp = sp;
	m->s = out;
	m->err = err;
	m->unknown = -1;
	rc = run(m);
	for (unsigned i = 0; i < out->ncerts; i++)
		X509_free(m->x[i]);
	free(m);
	if (rc != TF_OK)
		tf_scenario_free(out);
	ERR_clear_error();
	return rc;
}

tf_err tf_import_fixture(const tf_import_spec *sp, const char *id, const char *why,
			 tf_fixture *f, tf_error *err)
{
	tf_fixture_init(f);
	TF_ENSURE(id && *id && strlen(id) < sizeof f->id, err, TF_ERR_USAGE,
		  "import: fixture id of %zu bytes, expected 1..%zu", id ? strlen(id) : 0,
		  sizeof f->id - 1);
	snprintf(f->id, sizeof f->id, "%s", id);
	snprintf(f->why, sizeof f->why, "%s", why ? why : "");
	snprintf(f->prov.tool, sizeof f->prov.tool, "trustfuzz %s", TF_VERSION_STRING);
	snprintf(f->prov.origin, sizeof f->prov.origin, "import");
	TF_GUARD(tf_fixture_add_tag(f, "imported", err));
	return tf_import_scenario(sp, &f->scenario, err);
}
