/*
 * backends/render_keys.c — the deterministic key pool and signing.
 *
 * Every key is a function of (algorithm, slot) only, derived on first use and
 * kept in the renderer, so a campaign pays for each key once and two runs (or
 * two builds) sign with the same keys. Derivations are in render.h.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "render_internal.h"

#define POOL_LABEL "trustfuzz key pool v1"
/* Prime search bound: a 1024-bit prime gap is far smaller than this. */
#define PRIME_SEARCH_MAX 200000

static const char *const alg_label[TF_RENDER_ALGS] = {"ed25519", "p256", "rsa2048"};

tf_err tf_ossl_error(tf_error *err, tf_err code, const char *what)
{
	unsigned long e = ERR_peek_error();
	char buf[256] = "no OpenSSL error queued";
	if (e != 0)
		ERR_error_string_n(e, buf, sizeof buf);
	ERR_clear_error();
	return tf_error_set(err, code, "%s: %s", what, buf);
}

/* SHA-256(POOL_LABEL || alg || slot (2 octets BE) [|| part || counter (4 octets BE)]). */
static tf_err derive(unsigned alg, unsigned slot, const char *part, uint32_t counter,
		     uint8_t out[32], tf_error *err)
{
	uint8_t buf[64];
	size_t n = 0;
	size_t l = strlen(POOL_LABEL), a = strlen(alg_label[alg]);
	memcpy(buf + n, POOL_LABEL, l), n += l;
	memcpy(buf + n, alg_label[alg], a), n += a;
	buf[n++] = (uint8_t)(slot >> 8);
	buf[n++] = (uint8_t)slot;
	if (part) {
		size_t p = strlen(part);
		memcpy(buf + n, part, p), n += p;
		for (int i = 3; i >= 0; i--)
			buf[n++] = (uint8_t)(counter >> (8 * i));
	}
	if (!EVP_Digest(buf, n, out, NULL, EVP_sha256(), NULL))
		return tf_ossl_error(err, TF_ERR_BACKEND, "key pool: SHA-256");
	return TF_OK;
}

static tf_err pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld, EVP_PKEY **out, tf_error *err)
{
	tf_err rc = TF_OK;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;

	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, out, EVP_PKEY_KEYPAIR, params) <= 0)
		rc = tf_ossl_error(err, TF_ERR_BACKEND, "key pool: building a key");
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return rc;
}

static tf_err make_ed25519(unsigned slot, EVP_PKEY **out, tf_error *err)
{
	uint8_t seed[32];
	TF_GUARD(derive(TF_KEYS_ED25519, slot, NULL, 0, seed, err));
	*out = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, sizeof seed);
	OPENSSL_cleanse(seed, sizeof seed);
	if (!*out)
		return tf_ossl_error(err, TF_ERR_BACKEND, "key pool: Ed25519 key");
	return TF_OK;
}

static tf_err make_p256(tf_render *r, unsigned slot, EVP_PKEY **out, tf_error *err)
{
	tf_err rc = TF_OK;
	uint8_t seed[32], pub[65];
	BIGNUM *d = NULL, *nm1 = NULL;
	BN_CTX *bn = NULL;
	EC_POINT *q = NULL;
	OSSL_PARAM_BLD *bld = NULL;

	TF_GUARD(derive(TF_KEYS_P256, slot, NULL, 0, seed, err));
	bn = BN_CTX_new();
	d = BN_bin2bn(seed, sizeof seed, NULL);
	nm1 = BN_dup(EC_GROUP_get0_order(r->p256));
	q = EC_POINT_new(r->p256);
	bld = OSSL_PARAM_BLD_new();
	if (!bn || !d || !nm1 || !q || !bld || !BN_sub_word(nm1, 1) ||
	    !BN_nnmod(d, d, nm1, bn) || !BN_add_word(d, 1) ||
	    !EC_POINT_mul(r->p256, q, d, NULL, NULL, bn) ||
	    EC_POINT_point2oct(r->p256, q, POINT_CONVERSION_UNCOMPRESSED, pub, sizeof pub, bn) !=
		    sizeof pub ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub)) {
		rc = tf_ossl_error(err, TF_ERR_BACKEND, "key pool: P-256 key");
		goto done;
	}
	TF_GUARD_GOTO(pkey_fromdata("EC", bld, out, err), rc, done);
	r->ec_priv[slot] = d;
	d = NULL;
done:
	OPENSSL_cleanse(seed, sizeof seed);
	OSSL_PARAM_BLD_free(bld);
	EC_POINT_free(q);
	BN_free(nm1);
	BN_clear_free(d);
	BN_CTX_free(bn);
	return rc;
}

/* First prime >= a 1024-bit number with its top two bits set (so that p*q
 * has exactly 2048 bits) whose p-1 is coprime to e = 65537. */
static tf_err rsa_prime(unsigned slot, const char *which, BIGNUM *p, BN_CTX *bn, tf_error *err)
{
	uint8_t buf[128];
	for (uint32_t i = 0; i < 4; i++)
		TF_GUARD(derive(TF_KEYS_RSA2048, slot, which, i, buf + 32 * i, err));
	buf[0] |= 0xc0;
	buf[127] |= 0x01;
	if (!BN_bin2bn(buf, sizeof buf, p))
		return tf_ossl_error(err, TF_ERR_BACKEND, "key pool: RSA prime");
	OPENSSL_cleanse(buf, sizeof buf);
	for (int tries = 0; tries < PRIME_SEARCH_MAX; tries++) {
		BN_ULONG m = BN_mod_word(p, 65537);
		if (m == (BN_ULONG)-1)
			return tf_ossl_error(err, TF_ERR_BACKEND, "key pool: RSA prime");
		if (m != 1) {
			int is = BN_check_prime(p, bn, NULL);
			if (is < 0)
				return tf_ossl_error(err, TF_ERR_BACKEND, "key pool: RSA prime");
			if (is == 1)
				return TF_OK;
		}
		if (!BN_add_word(p, 2))
			return tf_ossl_error(err, TF_ERR_BACKEND, "key pool: RSA prime");
	}
	TF_BAIL(err, TF_ERR_INTERNAL, "key pool: no RSA prime found for slot %u", slot);
}

static tf_err make_rsa(unsigned slot, EVP_PKEY **out, tf_error *err)
{
	tf_err rc = TF_OK;
	BN_CTX *bn = NULL;
	BIGNUM *p = NULL, *q = NULL, *n = NULL, *e = NULL, *d = NULL, *p1 = NULL, *q1 = NULL;
	BIGNUM *g = NULL, *lcm = NULL, *dp = NULL, *dq = NULL, *qinv = NULL;
	OSSL_PARAM_BLD *bld = NULL;

	bn = BN_CTX_new();
	p = BN_secure_new(), q = BN_secure_new(), n = BN_new(), e = BN_new(), d = BN_secure_new();
	p1 = BN_new(), q1 = BN_new(), g = BN_new(), lcm = BN_new();
	dp = BN_secure_new(), dq = BN_secure_new(), qinv = BN_secure_new();
	bld = OSSL_PARAM_BLD_new();
	if (!bn || !p || !q || !n || !e || !d || !p1 || !q1 || !g || !lcm || !dp || !dq || !qinv ||
	    !bld) {
		rc = tf_error_set(err, TF_ERR_NOMEM, "key pool: out of memory");
		goto done;
	}
	TF_GUARD_GOTO(rsa_prime(slot, "p", p, bn, err), rc, done);
	TF_GUARD_GOTO(rsa_prime(slot, "q", q, bn, err), rc, done);
	if (BN_cmp(p, q) == 0) {
		rc = tf_error_set(err, TF_ERR_INTERNAL, "key pool: RSA slot %u: p == q", slot);
		goto done;
	}
	if (BN_cmp(p, q) < 0)
		BN_swap(p, q);
	/* d = e^-1 mod lcm(p-1, q-1), as FIPS 186-4 and OpenSSL's own keygen. */
	if (!BN_set_word(e, 65537) || !BN_mul(n, p, q, bn) || !BN_sub(p1, p, BN_value_one()) ||
	    !BN_sub(q1, q, BN_value_one()) || !BN_gcd(g, p1, q1, bn) || !BN_mul(lcm, p1, q1, bn) ||
	    !BN_div(lcm, NULL, lcm, g, bn) || !BN_mod_inverse(d, e, lcm, bn) ||
	    !BN_mod(dp, d, p1, bn) || !BN_mod(dq, d, q1, bn) || !BN_mod_inverse(qinv, q, p, bn) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, q) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dp) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dq) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qinv)) {
		rc = tf_ossl_error(err, TF_ERR_BACKEND, "key pool: RSA key");
		goto done;
	}
	rc = pkey_fromdata("RSA", bld, out, err);
done:
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(p), BN_clear_free(q), BN_free(n), BN_free(e), BN_clear_free(d);
	BN_clear_free(p1), BN_clear_free(q1), BN_clear_free(g), BN_clear_free(lcm);
	BN_clear_free(dp), BN_clear_free(dq), BN_clear_free(qinv);
	BN_CTX_free(bn);
	return rc;
}

/* The encoded public key, and its id by RFC 5280 s.4.2.1.2 method 1: SHA-1
 * of the subjectPublicKey BIT STRING value. */
static tf_err encode_public(tf_render *r, EVP_PKEY *pk, X509_PUBKEY **xp,
			    uint8_t id[TF_RENDER_KEY_ID_LEN], tf_error *err)
{
	const unsigned char *bits = NULL;
	int nbits = 0;
	unsigned idlen = 0;

	if (!X509_PUBKEY_set(xp, pk) || !X509_PUBKEY_get0_param(NULL, &bits, &nbits, NULL, *xp) ||
	    !EVP_Digest(bits, (size_t)nbits, id, &idlen, r->sha1, NULL) ||
	    idlen != TF_RENDER_KEY_ID_LEN) {
		X509_PUBKEY_free(*xp);
		*xp = NULL;
		return tf_ossl_error(err, TF_ERR_BACKEND, "key pool: public key encoding");
	}
	return TF_OK;
}

tf_err tf_render_set_pubkey(tf_render *r, unsigned alg, unsigned slot, X509 *x, tf_error *err)
{
	EVP_PKEY *pk = NULL;
	ASN1_OBJECT *oid = NULL;
	const unsigned char *bits = NULL;
	int nbits = 0, ptype = V_ASN1_UNDEF;
	X509_ALGOR *algor = NULL;
	const void *pval = NULL;

	TF_GUARD(tf_render_pool_key(r, alg, slot, &pk, err));
	if (!X509_PUBKEY_get0_param(&oid, &bits, &nbits, &algor, r->xpub[alg][slot]))
		return tf_ossl_error(err, TF_ERR_BACKEND, "public key");
	X509_ALGOR_get0(NULL, &ptype, &pval, algor);
	/* Parameters are absent (Ed25519), NULL (RSA) or a curve OID (P-256). */
	ASN1_OBJECT *oid_copy = OBJ_dup(oid);
	void *pval_copy = ptype == V_ASN1_OBJECT ? (void *)OBJ_dup(pval) : NULL;
	unsigned char *bits_copy = OPENSSL_memdup(bits, (size_t)nbits);
	if (!oid_copy || (ptype == V_ASN1_OBJECT && !pval_copy) || !bits_copy ||
	    (ptype != V_ASN1_OBJECT && ptype != V_ASN1_NULL && ptype != V_ASN1_UNDEF) ||
	    !X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(x), oid_copy, ptype, pval_copy, bits_copy,
				    nbits)) {
		ASN1_OBJECT_free(oid_copy);
		ASN1_OBJECT_free(pval_copy);
		OPENSSL_free(bits_copy);
		return tf_ossl_error(err, TF_ERR_BACKEND, "public key");
	}
	return TF_OK;
}

tf_err tf_render_pool_key(tf_render *r, unsigned alg, unsigned slot, EVP_PKEY **out,
			  tf_error *err)
{
	TF_ENSURE(alg < TF_RENDER_ALGS, err, TF_ERR_RANGE, "keys: algorithm %u out of range", alg);
	TF_ENSURE(slot < TF_RENDER_POOL_SLOTS, err, TF_ERR_RANGE,
		  "key pool: slot %u out of range (%u slots)", slot, TF_RENDER_POOL_SLOTS);
	if (!r->key[alg][slot]) {
		EVP_PKEY *pk = NULL;
		switch (alg) {
		case TF_KEYS_ED25519: TF_GUARD(make_ed25519(slot, &pk, err)); break;
		case TF_KEYS_P256: TF_GUARD(make_p256(r, slot, &pk, err)); break;
		default: TF_GUARD(make_rsa(slot, &pk, err)); break;
		}
		tf_err rc = encode_public(r, pk, &r->xpub[alg][slot], r->kid[alg][slot], err);
		if (rc != TF_OK) {
			EVP_PKEY_free(pk);
			return rc;
		}
		r->key[alg][slot] = pk;
		r->keys_built++;
	}
	*out = r->key[alg][slot];
	return TF_OK;
}

static tf_err sign_raw(tf_render *r, unsigned alg, unsigned slot, const uint8_t *msg,
		       size_t msglen, uint8_t *sig, size_t *siglen, tf_error *err)
{
	EVP_PKEY *pk = NULL;
	EVP_MD_CTX *md = NULL;
	tf_err rc = TF_OK;

	TF_GUARD(tf_render_pool_key(r, alg, slot, &pk, err));
	if (alg == TF_KEYS_P256)
		return tf_ecdsa_p256_sign_rfc6979(r->p256, r->ec_priv[slot], msg, msglen, sig,
						  siglen, err);
	md = EVP_MD_CTX_new();
	*siglen = TF_RENDER_SIG_MAX;
	/* Ed25519 takes no digest; RSA defaults to PKCS#1 v1.5 padding. */
	if (!md ||
	    EVP_DigestSignInit(md, NULL, alg == TF_KEYS_ED25519 ? NULL : r->sha256, NULL, pk) <= 0 ||
	    EVP_DigestSign(md, sig, siglen, msg, msglen) <= 0)
		rc = tf_ossl_error(err, TF_ERR_BACKEND, "signing");
	EVP_MD_CTX_free(md);
	return rc;
}

tf_err tf_render_sign(tf_render *r, unsigned alg, unsigned slot, const uint8_t *msg,
		      size_t msglen, uint8_t *sig, size_t *siglen, tf_error *err)
{
	uint8_t hash[32];
	if (!EVP_Digest(msg, msglen, hash, NULL, r->sha256, NULL))
		return tf_ossl_error(err, TF_ERR_BACKEND, "signature cache: SHA-256");
	if (tf_sigcache_get(&r->cache, hash, slot, alg, sig, siglen))
		return TF_OK;
	TF_GUARD(sign_raw(r, alg, slot, msg, msglen, sig, siglen, err));
	tf_sigcache_put(&r->cache, hash, slot, alg, sig, *siglen);
	return TF_OK;
}

static tf_err take_der(int len, unsigned char *buf, tf_der *out, tf_error *err)
{
	if (len <= 0 || !buf) {
		OPENSSL_free(buf);
		return tf_ossl_error(err, TF_ERR_BACKEND, "key pool: encoding a key");
	}
	out->data = malloc((size_t)len);
	if (!out->data) {
		OPENSSL_clear_free(buf, (size_t)len);
		TF_BAIL(err, TF_ERR_NOMEM, "key pool: out of memory");
	}
	memcpy(out->data, buf, (size_t)len);
	out->len = (size_t)len;
	OPENSSL_clear_free(buf, (size_t)len);
	return TF_OK;
}

tf_err tf_render_key_private(tf_render *r, unsigned keys, unsigned slot, tf_der *pkcs8,
			     tf_error *err)
{
	EVP_PKEY *pk = NULL;
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	unsigned char *buf = NULL;

	memset(pkcs8, 0, sizeof *pkcs8);
	TF_GUARD(tf_render_pool_key(r, keys, slot, &pk, err));
	p8 = EVP_PKEY2PKCS8(pk);
	if (!p8)
		return tf_ossl_error(err, TF_ERR_BACKEND, "key pool: PKCS#8");
	int len = i2d_PKCS8_PRIV_KEY_INFO(p8, &buf);
	PKCS8_PRIV_KEY_INFO_free(p8);
	return take_der(len, buf, pkcs8, err);
}

tf_err tf_render_key_public(tf_render *r, unsigned keys, unsigned slot, tf_der *spki,
			    tf_error *err)
{
	EVP_PKEY *pk = NULL;
	unsigned char *buf = NULL;

	memset(spki, 0, sizeof *spki);
	TF_GUARD(tf_render_pool_key(r, keys, slot, &pk, err));
	int len = i2d_PUBKEY(pk, &buf);
	return take_der(len, buf, spki, err);
}

tf_err tf_render_key_id(tf_render *r, unsigned keys, unsigned slot,
			uint8_t id[TF_RENDER_KEY_ID_LEN], tf_error *err)
{
	EVP_PKEY *pk = NULL;
	TF_GUARD(tf_render_pool_key(r, keys, slot, &pk, err));
	memcpy(id, r->kid[keys][slot], TF_RENDER_KEY_ID_LEN);
	return TF_OK;
}
