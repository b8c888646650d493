/*
 * backends/render.c — scenario certificates as DER, with OpenSSL's X509 APIs.
 *
 * A certificate is built field by field with OpenSSL's setters (the encoding
 * choices are listed in render.h), then signed through the signature cache.
 * OpenSSL 3.0 has no setter for a certificate's signature fields other than
 * X509_sign, which would sign on every call; to install a cached signature we
 * write the certificate's own AlgorithmIdentifier and signature BIT STRING
 * through the pointers its getters return — the same fields X509_sign_ctx
 * fills. That, and the flipped bit of corrupt_sig, is all that bypasses the
 * setters.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "render_internal.h"

#define UNRELATED_LABEL "trustfuzz unrelated key id"
#define SERVER_LABEL "trustfuzz server"

/* What a certificate is made of, resolved from the scenario. */
typedef struct cert_job {
	const tf_cert *c;
	int64_t validation_time;
	X509_NAME *subject, *issuer; /* borrowed */
	EVP_PKEY *bound_pub;         /* a bound SPKI's key (borrowed), or NULL: */
	unsigned pub_slot;           /* the pool key of this slot */
	uint8_t ski[TF_RENDER_KEY_ID_LEN], aki[TF_RENDER_KEY_ID_LEN];
	unsigned alg, sign_slot;
} cert_job;

void tf_der_free(tf_der *d)
{
	free(d->data);
	d->data = NULL;
	d->len = 0;
}

void tf_rendered_free(tf_rendered *rd)
{
	for (unsigned i = 0; i < TF_MAX_CERTS; i++)
		tf_der_free(&rd->cert[i]);
	rd->ncerts = 0;
}

tf_err tf_render_new(tf_render **out, tf_error *err)
{
	tf_render *r = calloc(1, sizeof *r);
	*out = NULL;
	if (!r)
		TF_BAIL(err, TF_ERR_NOMEM, "renderer: out of memory");
	tf_err rc = tf_sigcache_init(&r->cache, err);
	if (rc == TF_OK)
		rc = tf_dercache_init(&r->certs, err);
	if (rc != TF_OK) {
		tf_sigcache_free(&r->cache);
		free(r);
		return rc;
	}
	r->p256 = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	r->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	r->sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	if (!r->p256 || !r->sha256 || !r->sha1) {
		tf_render_free(r);
		return tf_ossl_error(err, TF_ERR_BACKEND, "renderer: P-256 group and digests");
	}
	*out = r;
	return TF_OK;
}

void tf_render_free(tf_render *r)
{
	if (!r)
		return;
	for (unsigned a = 0; a < TF_RENDER_ALGS; a++)
		for (unsigned i = 0; i < TF_RENDER_POOL_SLOTS; i++) {
			EVP_PKEY_free(r->key[a][i]);
			X509_PUBKEY_free(r->xpub[a][i]);
		}
	for (unsigned i = 0; i < TF_RENDER_POOL_SLOTS; i++)
		BN_clear_free(r->ec_priv[i]);
	EC_GROUP_free(r->p256);
	EVP_MD_free(r->sha256);
	EVP_MD_free(r->sha1);
	tf_sigcache_free(&r->cache);
	tf_dercache_free(&r->certs);
	free(r);
}

/* The thread's shared renderer (render.h). Thread-local, so that instances
 * on different threads never share one. */
static _Thread_local tf_render *shared;
static _Thread_local unsigned shared_refs;

tf_err tf_render_shared(tf_render **out, tf_error *err)
{
	*out = NULL;
	if (!shared)
		TF_GUARD(tf_render_new(&shared, err));
	shared_refs++;
	*out = shared;
	return TF_OK;
}

void tf_render_shared_release(tf_render *r)
{
	if (!r || r != shared || shared_refs == 0)
		return;
	if (--shared_refs == 0) {
		tf_render_free(shared);
		shared = NULL;
	}
}

void tf_render_get_stats(const tf_render *r, tf_render_stats *out)
{
	memset(out, 0, sizeof *out);
	out->sig_hits = r->cache.hits;
	out->sig_misses = r->cache.misses;
	out->sig_clears = r->cache.clears;
	out->sig_entries = r->cache.n;
	out->sig_bytes = TF_RENDER_CACHE_ENTRIES * sizeof(tf_sig_entry) +
			 TF_SIGCACHE_SLOTS * sizeof(uint16_t);
	out->keys_built = r->keys_built;
	out->der_hits = r->certs.hits;
	out->der_misses = r->certs.misses;
	out->der_clears = r->certs.clears;
	out->der_bytes = r->certs.bytes;
}

static tf_err copy_der(int len, unsigned char *buf, tf_der *out, const char *what, tf_error *err)
{
	if (len <= 0 || !buf) {
		OPENSSL_free(buf);
		return tf_ossl_error(err, TF_ERR_BACKEND, what);
	}
	out->data = malloc((size_t)len);
	if (!out->data) {
		OPENSSL_free(buf);
		TF_BAIL(err, TF_ERR_NOMEM, "%s: out of memory", what);
	}
	memcpy(out->data, buf, (size_t)len);
	out->len = (size_t)len;
	OPENSSL_free(buf);
	return TF_OK;
}

/* ---- Names and keys ----------------------------------------------------- */

static tf_err name_from_label(const char *label, X509_NAME **out, tf_error *err)
{
	X509_NAME *n = X509_NAME_new();
	if (!n)
		return tf_ossl_error(err, TF_ERR_NOMEM, "name");
	/* An explicit string type (not MBSTRING_*) keeps OpenSSL's string-mask
	 * defaults out of the encoding: always one UTF8String. */
	if (label[0] && !X509_NAME_add_entry_by_NID(n, NID_commonName, V_ASN1_UTF8STRING,
						   (const unsigned char *)label,
						   (int)strlen(label), -1, 0)) {
		X509_NAME_free(n);
		return tf_ossl_error(err, TF_ERR_BACKEND, "name");
	}
	*out = n;
	return TF_OK;
}

static tf_err scenario_name(const tf_scenario *s, unsigned name, X509_NAME **out, tf_error *err)
{
	TF_ENSURE(name < s->nnames, err, TF_ERR_RANGE, "name index %u out of range (%u names)",
		  name, (unsigned)s->nnames);
	const tf_name *n = &s->names[name];
	if (!n->der)
		return name_from_label(n->label, out, err);
	const unsigned char *p = n->der;
	*out = d2i_X509_NAME(NULL, &p, (long)n->der_len);
	if (!*out || p != n->der + n->der_len) {
		X509_NAME_free(*out);
		*out = NULL;
		ERR_clear_error();
		TF_BAIL(err, TF_ERR_PARSE, "names[%u]: bound DER is not one Name", name);
	}
	return TF_OK;
}

tf_err tf_render_name(const tf_scenario *s, unsigned name, tf_der *out, tf_error *err)
{
	X509_NAME *n = NULL;
	unsigned char *buf = NULL;
	memset(out, 0, sizeof *out);
	TF_GUARD(scenario_name(s, name, &n, err));
	int len = i2d_X509_NAME(n, &buf);
	X509_NAME_free(n);
	return copy_der(len, buf, out, "name encoding", err);
}

static tf_err unrelated_id(const tf_render *r, unsigned slot, uint8_t id[TF_RENDER_KEY_ID_LEN],
			   tf_error *err)
{
	const size_t n = sizeof UNRELATED_LABEL - 1;
	uint8_t buf[sizeof UNRELATED_LABEL - 1 + 2];
	memcpy(buf, UNRELATED_LABEL, n);
	buf[n] = (uint8_t)(slot >> 8);
	buf[n + 1] = (uint8_t)slot;
	if (!EVP_Digest(buf, sizeof buf, id, NULL, r->sha1, NULL))
		return tf_ossl_error(err, TF_ERR_BACKEND, "unrelated key id");
	return TF_OK;
}

/* The public key of key-table entry `key` and its id: a pool key, or for a
 * bound SPKI a parsed key in *bound (a new reference). */
static tf_err scenario_key(tf_render *r, const tf_scenario *s, unsigned key, unsigned alg,
			   EVP_PKEY **bound, uint8_t id[TF_RENDER_KEY_ID_LEN], tf_error *err)
{
	TF_ENSURE(key < s->nkeys, err, TF_ERR_RANGE, "key index %u out of range (%u keys)", key,
		  (unsigned)s->nkeys);
	const tf_key *k = &s->keys[key];
	if (!k->spki)
		return tf_render_key_id(r, alg, k->pool, id, err);
	EVP_PKEY **pk = bound;
	const unsigned char *p = k->spki;
	X509_PUBKEY *xp = d2i_X509_PUBKEY(NULL, &p, (long)k->spki_len);
	const unsigned char *bits = NULL;
	int nbits = 0;
	if (!xp || !X509_PUBKEY_get0_param(NULL, &bits, &nbits, NULL, xp) ||
	    !EVP_Digest(bits, (size_t)nbits, id, NULL, r->sha1, NULL) ||
	    !(*pk = X509_PUBKEY_get(xp))) {
		X509_PUBKEY_free(xp);
		ERR_clear_error();
		TF_BAIL(err, TF_ERR_PARSE, "keys[%u]: bound SPKI is not a usable public key", key);
	}
	X509_PUBKEY_free(xp);
	return TF_OK;
}

/* ---- Fields ------------------------------------------------------------- */

static tf_err set_serial(X509 *x, const tf_cert *c, tf_error *err)
{
	ASN1_INTEGER *ai = NULL;
	BIGNUM *bn = NULL;
	tf_err rc = TF_OK;

	if (!c->serial_long) {
		ai = ASN1_INTEGER_new();
		if (!ai || !ASN1_INTEGER_set_int64(ai, c->serial))
			goto fail;
	} else {
		uint8_t v[21] = {0x01};
		uint64_t mag = c->serial < 0 ? (uint64_t)0 - (uint64_t)c->serial : (uint64_t)c->serial;
		for (int i = 0; i < 8; i++)
			v[20 - i] = (uint8_t)(mag >> (8 * i));
		bn = BN_bin2bn(v, sizeof v, NULL);
		if (!bn)
			goto fail;
		BN_set_negative(bn, c->serial < 0);
		ai = BN_to_ASN1_INTEGER(bn, NULL);
		if (!ai)
			goto fail;
	}
	if (!X509_set_serialNumber(x, ai))
		goto fail;
	goto done;
fail:
	rc = tf_ossl_error(err, TF_ERR_BACKEND, "serial");
done:
	ASN1_INTEGER_free(ai);
	BN_free(bn);
	return rc;
}

static tf_err set_time(ASN1_TIME *t, int64_t base, int64_t offset, const char *field,
		       const tf_cert *c, tf_error *err)
{
	/* GeneralizedTime holds years 0000..9999; OpenSSL would print a
	 * five-digit year rather than fail. Bounding both terms first keeps the
	 * sum inside int64. */
	const int64_t lim = INT64_C(1) << 40;
	const int64_t first = INT64_C(-62167219200), last = INT64_C(253402300799);
	bool ok = base >= -lim && base <= lim && offset >= -lim && offset <= lim;
	int64_t v = ok ? base + offset : 0;
	if (!ok || v < first || v > last || !ASN1_TIME_set(t, (time_t)v)) {
		ERR_clear_error();
		TF_BAIL(err, TF_ERR_RANGE,
			"certs \"%s\": %s = validation time %+lld s falls outside the years "
			"0000..9999 that X.509 can encode",
			c->id, field, (long long)offset);
	}
	return TF_OK;
}

static tf_err build_tbs(tf_render *r, X509 *x, const cert_job *j, tf_error *err)
{
	const tf_cert *c = j->c;
	if (!X509_set_version(x, (long)c->version - 1) || !X509_set_subject_name(x, j->subject) ||
	    !X509_set_issuer_name(x, j->issuer) || (j->bound_pub && !X509_set_pubkey(x, j->bound_pub)))
		return tf_ossl_error(err, TF_ERR_BACKEND, "certificate fields");
	if (!j->bound_pub)
		TF_GUARD(tf_render_set_pubkey(r, j->alg, j->pub_slot, x, err));
	TF_GUARD(set_serial(x, c, err));
	TF_GUARD(set_time(X509_getm_notBefore(x), j->validation_time, c->not_before, "notBefore",
			  c, err));
	TF_GUARD(set_time(X509_getm_notAfter(x), j->validation_time, c->not_after, "notAfter", c,
			  err));
	return tf_render_extensions(x, c, j->ski, j->aki, err);
}

/* ---- Signing ------------------------------------------------------------ */

static tf_err set_sig_alg(X509_ALGOR *a, unsigned alg, tf_error *err)
{
	int nid = alg == TF_KEYS_ED25519 ? NID_ED25519
		  : alg == TF_KEYS_P256  ? NID_ecdsa_with_SHA256
					 : NID_sha256WithRSAEncryption;
	/* RFC 8410 and RFC 5758 omit the parameters; RFC 4055 writes NULL. */
	int ptype = alg == TF_KEYS_RSA2048 ? V_ASN1_NULL : V_ASN1_UNDEF;
	if (!X509_ALGOR_set0(a, OBJ_nid2obj(nid), ptype, NULL))
		return tf_ossl_error(err, TF_ERR_BACKEND, "signature algorithm");
	return TF_OK;
}

static tf_err sign_cert(tf_render *r, X509 *x, const cert_job *j, tf_error *err)
{
	const ASN1_BIT_STRING *csig = NULL;
	const X509_ALGOR *calg = NULL;
	unsigned char *tbs = NULL;
	uint8_t sig[TF_RENDER_SIG_MAX];
	size_t siglen = 0;
	tf_err rc = TF_OK;

	X509_get0_signature(&csig, &calg, x);
	TF_GUARD(set_sig_alg((X509_ALGOR *)X509_get0_tbs_sigalg(x), j->alg, err));
	TF_GUARD(set_sig_alg((X509_ALGOR *)calg, j->alg, err));
	int tbslen = i2d_re_X509_tbs(x, &tbs);
	if (tbslen <= 0)
		return tf_ossl_error(err, TF_ERR_BACKEND, "TBSCertificate encoding");
	TF_GUARD_GOTO(tf_render_sign(r, j->alg, j->sign_slot, tbs, (size_t)tbslen, sig, &siglen,
				     err),
		      rc, done);
	if (j->c->corrupt_sig)
		sig[siglen - 1] ^= 0x01;
	ASN1_BIT_STRING *bs = (ASN1_BIT_STRING *)csig;
	if (!ASN1_BIT_STRING_set(bs, sig, (int)siglen)) {
		rc = tf_ossl_error(err, TF_ERR_BACKEND, "signature value");
		goto done;
	}
	/* A signature is a whole number of octets: no unused bits, and no
	 * trimming of trailing zero octets as for named bit lists. */
	bs->flags &= ~(ASN1_STRING_FLAG_BITS_LEFT | 0x07);
	bs->flags |= ASN1_STRING_FLAG_BITS_LEFT;
done:
	OPENSSL_free(tbs);
	return rc;
}

static tf_err render_job(tf_render *r, const cert_job *j, tf_der *out, tf_error *err)
{
	X509 *x = X509_new();
	unsigned char *buf = NULL;
	tf_err rc = TF_OK;
	if (!x)
		return tf_ossl_error(err, TF_ERR_NOMEM, "certificate");
	TF_GUARD_GOTO(build_tbs(r, x, j, err), rc, done);
	TF_GUARD_GOTO(sign_cert(r, x, j, err), rc, done);
	int len = i2d_X509(x, &buf);
	rc = copy_der(len, buf, out, "certificate encoding", err);
done:
	X509_free(x);
	return rc;
}

/* ---- The certificate cache's key ---------------------------------------- */

static uint8_t *put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
		*p++ = (uint8_t)(v >> (8 * i));
	return p;
}

static uint8_t *put_label(uint8_t *p, const char *label)
{
	size_t n = strnlen(label, TF_LABEL_MAX);
	*p++ = (uint8_t)n;
	memcpy(p, label, n);
	return p + n;
}

/* SHA-256 of everything render_job reads, field by field (never the struct
 * bytes: padding is not data). Names are label-rendered and the public key
 * is a pool key (the caller checks). */
static tf_err job_key(const tf_render *r, const tf_scenario *s, const cert_job *j,
		      uint8_t hash[32], tf_error *err)
{
	const tf_cert *c = j->c;
	uint8_t buf[64 + 2 * TF_RENDER_KEY_ID_LEN + 2 * (TF_LABEL_MAX + 1)];
	uint8_t *p = buf;
	*p++ = 1; /* version of this layout */
	*p++ = (uint8_t)j->alg;
	*p++ = (uint8_t)j->sign_slot;
	*p++ = (uint8_t)j->pub_slot;
	p = put_u64(p, (uint64_t)j->validation_time);
	p = put_u64(p, (uint64_t)c->serial);
	p = put_u64(p, (uint64_t)c->not_before);
	p = put_u64(p, (uint64_t)c->not_after);
	*p++ = c->serial_long;
	*p++ = c->version;
	*p++ = c->bc;
	*p++ = (uint8_t)c->pathlen;
	*p++ = c->bc_critical;
	*p++ = c->ku_present;
	*p++ = c->ku;
	*p++ = c->ku_critical;
	*p++ = c->eku_present;
	*p++ = c->eku;
	*p++ = c->eku_critical;
	*p++ = c->ski;
	*p++ = c->aki;
	*p++ = c->unknown_critical;
	*p++ = c->corrupt_sig;
	memcpy(p, j->ski, TF_RENDER_KEY_ID_LEN);
	p += TF_RENDER_KEY_ID_LEN;
	memcpy(p, j->aki, TF_RENDER_KEY_ID_LEN);
	p += TF_RENDER_KEY_ID_LEN;
	p = put_label(p, s->names[c->subject].label);
	p = put_label(p, s->names[c->issuer].label);
	if (!EVP_Digest(buf, (size_t)(p - buf), hash, NULL, r->sha256, NULL))
		return tf_ossl_error(err, TF_ERR_BACKEND, "certificate cache: SHA-256");
	return TF_OK;
}

/* ---- Public entry points ------------------------------------------------- */

tf_err tf_render_cert(tf_render *r, const tf_scenario *s, unsigned cert, unsigned keys,
		      tf_der *out, tf_error *err)
{
	cert_job j;
	EVP_PKEY *pub = NULL;
	X509_NAME *subject = NULL, *issuer = NULL;
	uint8_t signer_id[TF_RENDER_KEY_ID_LEN], key[32];
	bool cacheable = false;
	tf_err rc = TF_OK;

	memset(out, 0, sizeof *out);
	memset(&j, 0, sizeof j);
	TF_ENSURE(cert < s->ncerts, err, TF_ERR_RANGE, "certificate index %u out of range", cert);
	TF_ENSURE(keys < TF_RENDER_ALGS, err, TF_ERR_RANGE, "keys: algorithm %u out of range",
		  keys);
	const tf_cert *c = &s->certs[cert];
	if (c->der) {
		out->data = malloc(c->der_len ? c->der_len : 1);
		TF_ENSURE(out->data, err, TF_ERR_NOMEM, "certificate: out of memory");
		memcpy(out->data, c->der, c->der_len);
		out->len = c->der_len;
		return TF_OK;
	}
	TF_ENSURE(c->signing_key < s->nkeys, err, TF_ERR_RANGE,
		  "certs \"%s\": signing key index %u out of range", c->id, c->signing_key);
	const tf_key *sk = &s->keys[c->signing_key];
	TF_ENSURE(!sk->spki, err, TF_ERR_INVALID,
		  "certs \"%s\": signing key %u is a bound public key; nothing can sign with it",
		  c->id, c->signing_key);
	j.c = c;
	j.validation_time = s->server.validation_time;
	j.alg = keys;
	j.sign_slot = sk->pool;
	TF_GUARD_GOTO(scenario_key(r, s, c->key, keys, &pub, j.ski, err), rc, done);
	if (c->ski == TF_KID_MISMATCH)
		TF_GUARD_GOTO(unrelated_id(r, s->keys[c->key].pool, j.ski, err), rc, done);
	if (c->aki == TF_KID_MISMATCH) {
		TF_GUARD_GOTO(unrelated_id(r, sk->pool, j.aki, err), rc, done);
	} else {
		TF_GUARD_GOTO(tf_render_key_id(r, keys, sk->pool, signer_id, err), rc, done);
		memcpy(j.aki, signer_id, sizeof signer_id);
	}
	j.pub_slot = s->keys[c->key].pool;
	cacheable = !pub && c->subject < s->nnames && c->issuer < s->nnames &&
		    !s->names[c->subject].der && !s->names[c->issuer].der;
	if (cacheable) {
		TF_GUARD_GOTO(job_key(r, s, &j, key, err), rc, done);
		if (tf_dercache_get(&r->certs, key, out)) {
			r->cache.hits++; /* its signature was reused, too */
			goto done;
		}
	}
	TF_GUARD_GOTO(scenario_name(s, c->subject, &subject, err), rc, done);
	TF_GUARD_GOTO(scenario_name(s, c->issuer, &issuer, err), rc, done);
	j.subject = subject;
	j.issuer = issuer;
	j.bound_pub = pub;
	rc = render_job(r, &j, out, err);
	if (rc == TF_OK && cacheable)
		tf_dercache_put(&r->certs, key, out);
done:
	EVP_PKEY_free(pub);
	X509_NAME_free(subject);
	X509_NAME_free(issuer);
	return rc;
}

tf_err tf_render_scenario(tf_render *r, const tf_scenario *s, unsigned keys, tf_rendered *out,
			  tf_error *err)
{
	memset(out, 0, sizeof *out);
	for (unsigned i = 0; i < s->ncerts; i++) {
		tf_err rc = tf_render_cert(r, s, i, keys, &out->cert[i], err);
		if (rc != TF_OK) {
			tf_rendered_free(out);
			return rc;
		}
	}
	out->ncerts = s->ncerts;
	return TF_OK;
}

tf_err tf_render_server_cert(tf_render *r, unsigned keys, int64_t validation_time, tf_der *out,
			     tf_error *err)
{
	tf_cert c;
	cert_job j;
	EVP_PKEY *pk = NULL;
	X509_NAME *name = NULL;
	tf_err rc = TF_OK;

	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	memset(&j, 0, sizeof j);
	TF_ENSURE(keys < TF_RENDER_ALGS, err, TF_ERR_RANGE, "keys: algorithm %u out of range",
		  keys);
	snprintf(c.id, sizeof c.id, "%s", SERVER_LABEL);
	c.serial = 1;
	c.version = 3;
	/* A day either side of the validation time, clamped to what X.509 can
	 * encode: a validation time in the first or last day of years
	 * 0000..9999 is valid scenario input. */
	c.not_before = validation_time - TF_TIME_MIN < TF_DAY ? TF_TIME_MIN - validation_time
							       : -TF_DAY;
	c.not_after = TF_TIME_MAX - validation_time < TF_DAY ? TF_TIME_MAX - validation_time
							     : TF_DAY;
	c.bc = TF_BC_CA_FALSE;
	c.pathlen = -1;
	c.ku_present = true;
	c.ku = TF_KU_DIGITAL_SIGNATURE;
	c.eku_present = true;
	c.eku = TF_EKU_SERVER_AUTH;
	c.ski = c.aki = TF_KID_MATCH;
	TF_GUARD(tf_render_pool_key(r, keys, TF_RENDER_SERVER_KEY, &pk, err));
	TF_GUARD(name_from_label(SERVER_LABEL, &name, err));
	j.c = &c;
	j.validation_time = validation_time;
	j.subject = j.issuer = name;
	j.pub_slot = TF_RENDER_SERVER_KEY;
	j.alg = keys;
	j.sign_slot = TF_RENDER_SERVER_KEY;
	memcpy(j.ski, r->kid[keys][TF_RENDER_SERVER_KEY], TF_RENDER_KEY_ID_LEN);
	memcpy(j.aki, j.ski, TF_RENDER_KEY_ID_LEN);
	rc = render_job(r, &j, out, err);
	X509_NAME_free(name);
	return rc;
}

tf_err tf_render_pem_append(char **buf, size_t *len, const char *label, const tf_der *der,
			    tf_error *err)
{
	TF_ENSURE(der->len > 0 && der->len < INT_MAX / 2, err, TF_ERR_RANGE,
		  "PEM: %zu bytes of DER", der->len);
	size_t b64 = 4 * ((der->len + 2) / 3);
	size_t need = *len + 2 * (strlen(label) + 32) + b64 + b64 / 64 + 2;
	char *text = realloc(*buf, need);
	TF_ENSURE(text, err, TF_ERR_NOMEM, "PEM: out of memory");
	*buf = text;
	size_t n = *len;
	n += (size_t)sprintf(text + n, "-----BEGIN %s-----\n", label);
	for (size_t off = 0; off < der->len; off += 48) {
		size_t chunk = der->len - off < 48 ? der->len - off : 48;
		n += (size_t)EVP_EncodeBlock((unsigned char *)text + n, der->data + off, (int)chunk);
		text[n++] = '\n';
	}
	n += (size_t)sprintf(text + n, "-----END %s-----\n", label);
	*len = n;
	return TF_OK;
}
