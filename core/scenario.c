/* core/scenario.c — the scenario's lifecycle, invariants and derived facts. */
#include <string.h>

#include "trustfuzz/scenario.h"

void tf_scenario_init(tf_scenario *s)
{
	memset(s, 0, sizeof *s);
	s->server.validation_time = TF_DEFAULT_VALIDATION_TIME;
	s->server.issuer_list_limit = TF_DEFAULT_ISSUER_LIST_LIMIT;
}

void tf_scenario_free(tf_scenario *s)
{
	tf_arena_free(&s->arena);
	tf_scenario_init(s);
}

/* Re-homes one arena blob of src into dst's arena. */
static tf_err dup_blob(tf_arena *a, const uint8_t **p, size_t n)
{
	if (!*p)
		return TF_OK;
	const uint8_t *q = tf_arena_dup(a, *p, n);
	if (!q)
		return TF_ERR_NOMEM;
	*p = q;
	return TF_OK;
}

tf_err tf_scenario_copy(tf_scenario *dst, const tf_scenario *src)
{
	/* The old arena goes last: src's blobs may live in it (a certificate
	 * copied from dst into src, or dst == src). */
	tf_arena old = dst->arena;
	tf_scenario tmp = *src;
	tmp.arena.head = NULL;
	tmp.arena.used = 0;
	for (unsigned i = 0; i < tmp.nnames; i++)
		if (dup_blob(&tmp.arena, &tmp.names[i].der, tmp.names[i].der_len))
			goto oom;
	for (unsigned i = 0; i < tmp.nkeys; i++)
		if (dup_blob(&tmp.arena, &tmp.keys[i].spki, tmp.keys[i].spki_len))
			goto oom;
	for (unsigned i = 0; i < tmp.ncerts; i++)
		if (dup_blob(&tmp.arena, &tmp.certs[i].der, tmp.certs[i].der_len))
			goto oom;
	*dst = tmp;
	tf_arena_free(&old);
	return TF_OK;
oom:
	tf_arena_free(&tmp.arena);
	tf_arena_free(&old);
	tf_scenario_init(dst);
	return TF_ERR_NOMEM;
}

/* ---- Validation -------------------------------------------------------- */

static bool label_ok(const char *label, bool allow_empty)
{
	size_t n = strnlen(label, TF_LABEL_MAX);
	if (n == TF_LABEL_MAX || (n == 0 && !allow_empty))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)label[i] < 32 || (unsigned char)label[i] > 126)
			return false;
	return true;
}

/* Which end of the X.509 time range a time fell past. The range holds the
 * validation time, so only a positive offset can pass its upper end. */
static const char *time_past(bool after)
{
	return after ? "after 9999-12-31T23:59:59Z, the last"
		     : "before 0000-01-01T00:00:00Z, the first";
}

static tf_err validate_cert(const tf_scenario *s, unsigned i, tf_error *err)
{
	const tf_cert *c = &s->certs[i];
	TF_ENSURE(label_ok(c->id, false), err, TF_ERR_INVALID,
		  "certs[%u].id: must be 1..%d printable ASCII characters", i, TF_LABEL_MAX - 1);
	for (unsigned j = 0; j < i; j++)
		TF_ENSURE(strcmp(s->certs[j].id, c->id) != 0, err, TF_ERR_INVALID,
			  "certs[%u].id: duplicate id \"%s\" (also certs[%u])", i, c->id, j);
	TF_ENSURE(c->subject < s->nnames, err, TF_ERR_INVALID,
		  "certs[%u].subject: name index %u out of range (%u names)", i, c->subject, s->nnames);
	TF_ENSURE(c->issuer < s->nnames, err, TF_ERR_INVALID,
		  "certs[%u].issuer: name index %u out of range (%u names)", i, c->issuer, s->nnames);
	TF_ENSURE(c->key < s->nkeys, err, TF_ERR_INVALID,
		  "certs[%u].key: key index %u out of range (%u keys)", i, c->key, s->nkeys);
	TF_ENSURE(c->signing_key < s->nkeys, err, TF_ERR_INVALID,
		  "certs[%u].signing_key: key index %u out of range (%u keys)", i, c->signing_key,
		  s->nkeys);
	TF_ENSURE(c->version >= 1 && c->version <= 3, err, TF_ERR_INVALID,
		  "certs[%u].version: %u is not 1, 2 or 3", i, c->version);
	TF_ENSURE(c->bc <= TF_BC_CA_TRUE, err, TF_ERR_INVALID,
		  "certs[%u].basic_constraints: unknown form %u", i, c->bc);
	TF_ENSURE(c->pathlen >= -1 && c->pathlen <= TF_MAX_PATH, err, TF_ERR_INVALID,
		  "certs[%u].pathlen: %d not in -1..%d", i, c->pathlen, TF_MAX_PATH);
	TF_ENSURE(c->pathlen == -1 || c->bc == TF_BC_CA_TRUE, err, TF_ERR_INVALID,
		  "certs[%u].pathlen: set without CA:TRUE", i);
	TF_ENSURE(!c->ku_present || (c->ku && !(c->ku & ~TF_KU_ALL)), err, TF_ERR_INVALID,
		  "certs[%u].key_usage: must be a non-empty set of known bits", i);
	TF_ENSURE(c->ku_present || c->ku == 0, err, TF_ERR_INVALID,
		  "certs[%u].key_usage: bits set while absent", i);
	TF_ENSURE(!c->eku_present || (c->eku && !(c->eku & ~TF_EKU_ALL)), err, TF_ERR_INVALID,
		  "certs[%u].eku: must be a non-empty set of known purposes", i);
	TF_ENSURE(c->eku_present || c->eku == 0, err, TF_ERR_INVALID,
		  "certs[%u].eku: purposes set while absent", i);
	TF_ENSURE(c->ski <= TF_KID_MISMATCH, err, TF_ERR_INVALID,
		  "certs[%u].ski: unknown form %u", i, c->ski);
	TF_ENSURE(c->aki <= TF_KID_MISMATCH, err, TF_ERR_INVALID,
		  "certs[%u].aki: unknown form %u", i, c->aki);
	TF_ENSURE(c->der == NULL || c->der_len > 0, err, TF_ERR_INVALID,
		  "certs[%u].der: empty", i);
	int64_t vt = s->server.validation_time;
	TF_ENSURE(tf_time_representable(vt, c->not_before), err, TF_ERR_INVALID,
		  "certs[%u].not_before: validation time %+lld s falls %s time an X.509 "
		  "certificate can encode",
		  i, (long long)c->not_before, time_past(c->not_before > 0));
	TF_ENSURE(tf_time_representable(vt, c->not_after), err, TF_ERR_INVALID,
		  "certs[%u].not_after: validation time %+lld s falls %s time an X.509 "
		  "certificate can encode",
		  i, (long long)c->not_after, time_past(c->not_after > 0));
	return TF_OK;
}

bool tf_time_representable(int64_t vt, int64_t offset)
{
	/* Both terms bounded first, so the sum cannot overflow. */
	if (vt < TF_TIME_MIN || vt > TF_TIME_MAX || offset < TF_TIME_MIN - TF_TIME_MAX ||
	    offset > TF_TIME_MAX - TF_TIME_MIN)
		return false;
	int64_t t = vt + offset;
	return t >= TF_TIME_MIN && t <= TF_TIME_MAX;
}

static tf_err validate_store(const tf_scenario *s, tf_store_id id, tf_error *err)
{
	const tf_store *st = &s->stores[id];
	TF_ENSURE(st->n <= TF_MAX_STORE, err, TF_ERR_INVALID, "stores.%s: %u entries, at most %d",
		  tf_store_name(id), st->n, TF_MAX_STORE);
	for (unsigned j = 0; j < st->n; j++)
		TF_ENSURE(st->cert[j] < s->ncerts, err, TF_ERR_INVALID,
			  "stores.%s[%u]: certificate index %u out of range (%u certs)",
			  tf_store_name(id), j, st->cert[j], s->ncerts);
	return TF_OK;
}

static tf_err validate_knobs(const tf_knobs *k, tf_error *err)
{
	TF_ENSURE(k->anchors <= TF_ANCHORS_SELF_SIGNED_ONLY, err, TF_ERR_INVALID, "knobs.anchors: out of range");
	TF_ENSURE(k->anchor_validity <= TF_ANCHOR_VALIDITY_IGNORE, err, TF_ERR_INVALID,
		  "knobs.anchor_validity: out of range");
	TF_ENSURE(k->profile <= TF_PROFILE_STRICT, err, TF_ERR_INVALID, "knobs.profile: out of range");
	TF_ENSURE(k->max_depth <= TF_MAX_PATH, err, TF_ERR_INVALID, "knobs.max_depth: %u over %d",
		  k->max_depth, TF_MAX_PATH);
	TF_ENSURE(k->kb_trigger <= TF_KB_TRIGGER_SIGNATURE, err, TF_ERR_INVALID, "knobs.kb.trigger: out of range");
	TF_ENSURE(k->kb_variant <= TF_KB_VARIANT_CUT_AT_FIRST, err, TF_ERR_INVALID,
		  "knobs.kb.variant: out of range");
	TF_ENSURE(k->ossl_mode <= TF_OSSL_MODE_HANDSHAKE, err, TF_ERR_INVALID, "knobs.openssl.mode: out of range");
	TF_ENSURE(k->ossl_partial_chain <= 1, err, TF_ERR_INVALID, "knobs.openssl.partial_chain: not 0 or 1");
	TF_ENSURE(k->ossl_x509_strict <= 1, err, TF_ERR_INVALID, "knobs.openssl.x509_strict: not 0 or 1");
	TF_ENSURE(k->tls <= TF_TLS_12, err, TF_ERR_INVALID, "knobs.openssl.tls: out of range");
	TF_ENSURE(k->keys <= TF_KEYS_RSA2048, err, TF_ERR_INVALID, "knobs.keys: out of range");
	return TF_OK;
}

tf_err tf_scenario_validate(const tf_scenario *s, tf_error *err)
{
	TF_ENSURE(s->nnames >= 1 && s->nnames <= TF_MAX_NAMES, err, TF_ERR_INVALID,
		  "names: %u entries, expected 1..%d", s->nnames, TF_MAX_NAMES);
	TF_ENSURE(s->nkeys >= 1 && s->nkeys <= TF_MAX_KEYS, err, TF_ERR_INVALID,
		  "keys: %u entries, expected 1..%d", s->nkeys, TF_MAX_KEYS);
	TF_ENSURE(s->ncerts >= 1 && s->ncerts <= TF_MAX_CERTS, err, TF_ERR_INVALID,
		  "certs: %u entries, expected 1..%d", s->ncerts, TF_MAX_CERTS);
	TF_ENSURE(s->nidentities >= 1 && s->nidentities <= TF_MAX_IDENTITIES, err, TF_ERR_INVALID,
		  "identities: %u entries, expected 1..%d", s->nidentities, TF_MAX_IDENTITIES);
	for (unsigned i = 0; i < s->nnames; i++) {
		TF_ENSURE(label_ok(s->names[i].label, true), err, TF_ERR_INVALID,
			  "names[%u]: must be at most %d printable ASCII characters", i,
			  TF_LABEL_MAX - 1);
		for (unsigned j = 0; j < i; j++)
			TF_ENSURE(strcmp(s->names[i].label, s->names[j].label) != 0, err,
				  TF_ERR_INVALID, "names[%u]: duplicate name \"%s\" (also names[%u])", i,
				  s->names[i].label, j);
	}
	for (unsigned i = 0; i < s->nkeys; i++)
		TF_ENSURE(s->keys[i].pool < TF_KEY_POOL_SIZE, err, TF_ERR_INVALID,
			  "keys[%u]: pool index %u out of range (pool of %d)", i, s->keys[i].pool,
			  TF_KEY_POOL_SIZE);
	TF_ENSURE(tf_time_representable(s->server.validation_time, 0), err, TF_ERR_INVALID,
		  "server.validation_time: %lld falls %s time an X.509 certificate can encode",
		  (long long)s->server.validation_time, time_past(s->server.validation_time > 0));
	for (unsigned i = 0; i < s->ncerts; i++)
		TF_GUARD(validate_cert(s, i, err));
	for (unsigned id = 0; id < TF_STORE_COUNT; id++)
		TF_GUARD(validate_store(s, (tf_store_id)id, err));
	TF_ENSURE(s->server.trust_mode <= 2, err, TF_ERR_INVALID,
		  "server.trust_mode: %u is not 0, 1 or 2", s->server.trust_mode);
	for (unsigned i = 0; i < s->nidentities; i++) {
		const tf_identity *id = &s->identities[i];
		TF_ENSURE(id->leaf < s->ncerts, err, TF_ERR_INVALID,
			  "identities[%u].leaf: certificate index %u out of range (%u certs)", i,
			  id->leaf, s->ncerts);
		TF_ENSURE(id->nchain <= TF_MAX_CHAIN, err, TF_ERR_INVALID,
			  "identities[%u].chain: %u entries, at most %d", i, id->nchain, TF_MAX_CHAIN);
		for (unsigned j = 0; j < id->nchain; j++)
			TF_ENSURE(id->chain[j] < s->ncerts, err, TF_ERR_INVALID,
				  "identities[%u].chain[%u]: certificate index %u out of range (%u certs)",
				  i, j, id->chain[j], s->ncerts);
	}
	return validate_knobs(&s->knobs, err);
}

/* ---- Equality ---------------------------------------------------------- */

static bool blob_eq(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	if (!a || !b)
		return a == b;
	return an == bn && memcmp(a, b, an) == 0;
}

static bool cert_eq(const tf_cert *a, const tf_cert *b)
{
	return !strcmp(a->id, b->id) && a->subject == b->subject && a->issuer == b->issuer &&
	       a->key == b->key && a->signing_key == b->signing_key && a->serial == b->serial &&
	       a->serial_long == b->serial_long && a->version == b->version &&
	       a->not_before == b->not_before && a->not_after == b->not_after && a->bc == b->bc &&
	       a->pathlen == b->pathlen && a->bc_critical == b->bc_critical &&
	       a->ku_present == b->ku_present && a->ku == b->ku && a->ku_critical == b->ku_critical &&
	       a->eku_present == b->eku_present && a->eku == b->eku &&
	       a->eku_critical == b->eku_critical && a->ski == b->ski && a->aki == b->aki &&
	       a->unknown_critical == b->unknown_critical && a->corrupt_sig == b->corrupt_sig &&
	       blob_eq(a->der, a->der_len, b->der, b->der_len);
}

bool tf_scenario_equal(const tf_scenario *a, const tf_scenario *b)
{
	if (a->nnames != b->nnames || a->nkeys != b->nkeys || a->ncerts != b->ncerts ||
	    a->nidentities != b->nidentities)
		return false;
	for (unsigned i = 0; i < a->nnames; i++)
		if (strcmp(a->names[i].label, b->names[i].label) ||
		    !blob_eq(a->names[i].der, a->names[i].der_len, b->names[i].der, b->names[i].der_len))
			return false;
	for (unsigned i = 0; i < a->nkeys; i++)
		if (a->keys[i].pool != b->keys[i].pool ||
		    !blob_eq(a->keys[i].spki, a->keys[i].spki_len, b->keys[i].spki, b->keys[i].spki_len))
			return false;
	for (unsigned i = 0; i < a->ncerts; i++)
		if (!cert_eq(&a->certs[i], &b->certs[i]))
			return false;
	for (unsigned id = 0; id < TF_STORE_COUNT; id++) {
		const tf_store *x = &a->stores[id], *y = &b->stores[id];
		if (x->n != y->n || memcmp(x->cert, y->cert, x->n))
			return false;
	}
	if (a->server.send_issuer_list != b->server.send_issuer_list ||
	    a->server.trust_mode != b->server.trust_mode ||
	    a->server.validation_time != b->server.validation_time ||
	    a->server.issuer_list_limit != b->server.issuer_list_limit)
		return false;
	for (unsigned i = 0; i < a->nidentities; i++) {
		const tf_identity *x = &a->identities[i], *y = &b->identities[i];
		if (x->leaf != y->leaf || x->nchain != y->nchain || memcmp(x->chain, y->chain, x->nchain))
			return false;
	}
	const tf_knobs *p = &a->knobs, *q = &b->knobs;
	return p->anchors == q->anchors && p->anchor_validity == q->anchor_validity &&
	       p->profile == q->profile && p->max_depth == q->max_depth &&
	       p->kb_trigger == q->kb_trigger && p->kb_variant == q->kb_variant &&
	       p->ossl_mode == q->ossl_mode && p->ossl_partial_chain == q->ossl_partial_chain &&
	       p->ossl_x509_strict == q->ossl_x509_strict && p->tls == q->tls && p->keys == q->keys &&
	       p->gnutls_flags == q->gnutls_flags;
}

/* ---- Derived facts ----------------------------------------------------- */

bool tf_keys_same(const tf_scenario *s, unsigned a, unsigned b)
{
	if (a == b)
		return true;
	const tf_key *x = &s->keys[a], *y = &s->keys[b];
	if (x->spki || y->spki)
		return blob_eq(x->spki, x->spki_len, y->spki, y->spki_len);
	return x->pool == y->pool;
}

bool tf_cert_self_issued(const tf_scenario *s, unsigned cert)
{
	return s->certs[cert].subject == s->certs[cert].issuer;
}

bool tf_cert_self_signed(const tf_scenario *s, unsigned cert)
{
	return tf_cert_sig_verifies(s, cert, cert);
}

bool tf_cert_names_chain(const tf_scenario *s, unsigned cert, unsigned issuer)
{
	return s->certs[cert].issuer == s->certs[issuer].subject &&
	       tf_keys_same(s, s->certs[cert].signing_key, s->certs[issuer].key);
}

bool tf_cert_sig_verifies(const tf_scenario *s, unsigned cert, unsigned issuer)
{
	return tf_cert_names_chain(s, cert, issuer) && !s->certs[cert].corrupt_sig;
}

tf_time_class tf_cert_time_class(const tf_scenario *s, unsigned cert)
{
	const tf_cert *c = &s->certs[cert];
	if (c->not_before > 0)
		return TF_TIME_NOT_YET_VALID;
	if (c->not_after < 0)
		return TF_TIME_EXPIRED;
	return TF_TIME_VALID;
}

int tf_scenario_find_cert(const tf_scenario *s, const char *id)
{
	for (unsigned i = 0; i < s->ncerts; i++)
		if (!strcmp(s->certs[i].id, id))
			return (int)i;
	return -1;
}

int tf_scenario_find_name(const tf_scenario *s, const char *label)
{
	for (unsigned i = 0; i < s->nnames; i++)
		if (!strcmp(s->names[i].label, label))
			return (int)i;
	return -1;
}

bool tf_store_has(const tf_store *st, unsigned cert)
{
	for (unsigned i = 0; i < st->n; i++)
		if (st->cert[i] == cert)
			return true;
	return false;
}

const char *tf_store_name(tf_store_id id)
{
	switch (id) {
	case TF_STORE_ROOT: return "root";
	case TF_STORE_INTERMEDIATE: return "intermediate";
	case TF_STORE_CAI: return "client_auth_issuers";
	case TF_STORE_COUNT: break;
	}
	return "?";
}

/* DER length of a TLV whose content is n bytes. */
static size_t tlv_len(size_t n)
{
	size_t ll = n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 4;
	return 1 + ll + n;
}

size_t tf_name_der_len(const tf_scenario *s, unsigned name)
{
	const tf_name *nm = &s->names[name];
	if (nm->der)
		return nm->der_len;
	size_t label = strnlen(nm->label, TF_LABEL_MAX);
	if (label == 0)
		return tlv_len(0); /* the empty SEQUENCE */
	/* Name ::= SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, UTF8String label } } } */
	size_t atv = tlv_len(tlv_len(3) + tlv_len(label));
	return tlv_len(tlv_len(atv));
}

static bool has_extensions(const tf_cert *c)
{
	return c->bc != TF_BC_ABSENT || c->ku_present || c->eku_present ||
	       c->ski != TF_KID_ABSENT || c->aki != TF_KID_ABSENT || c->unknown_critical;
}

tf_profile_rule tf_cert_profile_rule(const tf_scenario *s, unsigned cert)
{
	const tf_cert *c = &s->certs[cert];
	bool ca = c->bc == TF_BC_CA_TRUE;
	/* Structurally self-signed, whatever the signature bytes say: what a
	 * producer means by "self-signed" when the AKI MAY be omitted (RFC 5280
	 * s.4.2.1.1). */
	bool producer_self_signed = c->subject == c->issuer && tf_keys_same(s, c->key, c->signing_key);
	if (c->version < 3 && has_extensions(c))
		return TF_PROFILE_OLD_VERSION_EXT;
	if (c->serial <= 0 || c->serial_long)
		return TF_PROFILE_SERIAL;
	/* Extension MUSTs bind v3 certificates; v1/v2 cannot carry any. */
	if (c->version == 3 && c->aki == TF_KID_ABSENT && !producer_self_signed)
		return TF_PROFILE_NO_AKI;
	if (ca && c->ski == TF_KID_ABSENT)
		return TF_PROFILE_NO_SKI;
	if (c->ku_present && (c->ku & TF_KU_KEY_CERT_SIGN) && !ca)
		return TF_PROFILE_KCS_NO_CA;
	/* The empty DN encodes as the bare SEQUENCE 30 00. */
	if (ca && tf_name_der_len(s, c->subject) <= 2)
		return TF_PROFILE_EMPTY_SUBJECT;
	if (ca && !c->bc_critical)
		return TF_PROFILE_BC_NOT_CRITICAL;
	return TF_PROFILE_OK;
}
