/*
 * backends/render_ecdsa.c — deterministic ECDSA P-256 / SHA-256 (RFC 6979).
 *
 * OpenSSL 3.0 draws ECDSA nonces from its RNG, so the same certificate would
 * get a different signature on every run. RFC 6979 section 3.2 derives the
 * nonce from the private key and the message digest with HMAC-DRBG; the rest
 * is textbook ECDSA on OpenSSL's EC_POINT/BIGNUM arithmetic, and the result
 * verifies with any ECDSA implementation. Checked against RFC 6979 A.2.5 in
 * tests/test_backend_keys.c. Not constant-time: these keys are test keys.
 */
#include <string.h>

#include <openssl/ec.h>
#include <openssl/hmac.h>

#include "render_internal.h"

#define QLEN 32 /* octets of the P-256 group order and of SHA-256 */

/* K, V of the HMAC-DRBG of RFC 6979 s.3.2. */
typedef struct drbg {
	uint8_t k[QLEN], v[QLEN];
} drbg;

/* K = HMAC_K(V || sep || a || b), then V = HMAC_K(V); sep < 0 means no
 * separator octet and no a, b (the retry step's "V || 0x00" is sep 0). */
static bool drbg_step(drbg *d, int sep, const uint8_t *a, const uint8_t *b)
{
	uint8_t msg[QLEN + 1 + 2 * QLEN];
	size_t n = 0;
	unsigned outlen = 0;
	memcpy(msg, d->v, QLEN), n = QLEN;
	msg[n++] = (uint8_t)sep;
	if (a)
		memcpy(msg + n, a, QLEN), n += QLEN;
	if (b)
		memcpy(msg + n, b, QLEN), n += QLEN;
	if (!HMAC(EVP_sha256(), d->k, QLEN, msg, n, d->k, &outlen))
		return false;
	return HMAC(EVP_sha256(), d->k, QLEN, d->v, QLEN, d->v, &outlen) != NULL;
}

tf_err tf_ecdsa_p256_sign_rfc6979(const EC_GROUP *group, const BIGNUM *priv, const uint8_t *msg,
				  size_t msglen, uint8_t *sig, size_t *siglen, tf_error *err)
{
	tf_err rc = TF_OK;
	uint8_t h1[QLEN], x[QLEN], hred[QLEN];
	drbg d;
	unsigned outlen = 0;
	BN_CTX *bn = NULL;
	BIGNUM *e = NULL, *k = NULL, *kinv = NULL, *r = NULL, *s = NULL, *t = NULL;
	EC_POINT *R = NULL;
	ECDSA_SIG *es = NULL;
	const BIGNUM *q = EC_GROUP_get0_order(group);

	bn = BN_CTX_new();
	e = BN_new(), k = BN_new(), kinv = BN_new(), r = BN_new(), s = BN_new(), t = BN_new();
	R = EC_POINT_new(group);
	es = ECDSA_SIG_new();
	if (!bn || !e || !k || !kinv || !r || !s || !t || !R || !es ||
	    !EVP_Digest(msg, msglen, h1, &outlen, EVP_sha256(), NULL) ||
	    BN_bn2binpad(priv, x, QLEN) != QLEN || !BN_bin2bn(h1, QLEN, e))
		goto ossl_fail;
	/* bits2octets(h1): the digest reduced once modulo q (qlen == hlen). */
	if (BN_cmp(e, q) >= 0) {
		if (!BN_sub(t, e, q) || BN_bn2binpad(t, hred, QLEN) != QLEN)
			goto ossl_fail;
	} else {
		memcpy(hred, h1, QLEN);
	}
	memset(d.v, 0x01, QLEN);
	memset(d.k, 0x00, QLEN);
	if (!drbg_step(&d, 0x00, x, hred) || !drbg_step(&d, 0x01, x, hred))
		goto ossl_fail;
	for (int tries = 0; tries < 64; tries++) {
		if (!HMAC(EVP_sha256(), d.k, QLEN, d.v, QLEN, d.v, &outlen) ||
		    !BN_bin2bn(d.v, QLEN, k))
			goto ossl_fail;
		if (!BN_is_zero(k) && BN_cmp(k, q) < 0) {
			/* r = (kG).x mod q; s = k^-1 (e + x r) mod q */
			if (!EC_POINT_mul(group, R, k, NULL, NULL, bn) ||
			    !EC_POINT_get_affine_coordinates(group, R, t, NULL, bn) ||
			    !BN_nnmod(r, t, q, bn) || !BN_mod_inverse(kinv, k, q, bn) ||
			    !BN_mod_mul(t, priv, r, q, bn) || !BN_mod_add(t, t, e, q, bn) ||
			    !BN_mod_mul(s, kinv, t, q, bn))
				goto ossl_fail;
			if (!BN_is_zero(r) && !BN_is_zero(s))
				break;
		}
		if (!drbg_step(&d, 0x00, NULL, NULL))
			goto ossl_fail;
	}
	if (BN_is_zero(r) || BN_is_zero(s)) {
		rc = tf_error_set(err, TF_ERR_INTERNAL, "RFC 6979: no nonce found");
		goto done;
	}
	if (!ECDSA_SIG_set0(es, r, s))
		goto ossl_fail;
	r = s = NULL; /* owned by es now */
	int len = i2d_ECDSA_SIG(es, NULL);
	if (len <= 0 || len > TF_RENDER_SIG_MAX)
		goto ossl_fail;
	unsigned char *p = sig;
	*siglen = (size_t)i2d_ECDSA_SIG(es, &p);
	goto done;
ossl_fail:
	rc = tf_ossl_error(err, TF_ERR_BACKEND, "RFC 6979 ECDSA");
done:
	OPENSSL_cleanse(x, sizeof x);
	OPENSSL_cleanse(&d, sizeof d);
	ECDSA_SIG_free(es);
	EC_POINT_free(R);
	BN_free(e), BN_clear_free(k), BN_clear_free(kinv), BN_free(r), BN_free(s), BN_clear_free(t);
	BN_CTX_free(bn);
	return rc;
}
