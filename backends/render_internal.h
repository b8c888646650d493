/*
 * backends/render_internal.h — the renderer's OpenSSL-typed insides.
 *
 * Private to backends/: the key pool (render_keys.c), RFC 6979 ECDSA
 * (render_ecdsa.c), the signature cache (render_sigcache.c), the extensions
 * (render_ext.c), the certificate cache (render_dercache.c) and certificate
 * construction (render.c) share the struct
 * below. Other modules use trustfuzz/render.h, which speaks bytes only.
 */
#ifndef TRUSTFUZZ_RENDER_INTERNAL_H
#define TRUSTFUZZ_RENDER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "trustfuzz/render.h"

#define TF_RENDER_ALGS 3 /* tf_keys_knob values */

/* One cached signature. */
typedef struct tf_sig_entry {
	uint8_t hash[32]; /* SHA-256 of the TBS bytes */
	uint16_t slot;
	uint8_t alg;
	uint16_t len;
	uint8_t sig[TF_RENDER_SIG_MAX];
} tf_sig_entry;

/* Open addressing over 2 * TF_RENDER_CACHE_ENTRIES slots (load at most 1/2);
 * index[i] is entry number + 1, 0 when empty. */
#define TF_SIGCACHE_SLOTS (2 * TF_RENDER_CACHE_ENTRIES)
typedef struct tf_sigcache {
	tf_sig_entry *entry;
	uint16_t *index;
	uint32_t n;
	uint64_t hits, misses, clears;
	bool off; /* tf_render_set_cache(r, false): every signature is computed */
} tf_sigcache;

/* One cached certificate (render_dercache.c). */
typedef struct tf_der_entry {
	uint8_t hash[32]; /* SHA-256 of the rendering's inputs (render.c, job_key) */
	uint8_t *der;
	size_t len;
} tf_der_entry;

#define TF_DERCACHE_SLOTS (2 * TF_RENDER_DER_ENTRIES)
typedef struct tf_dercache {
	tf_der_entry *entry;
	uint16_t *index; /* as tf_sigcache's */
	uint32_t n;
	size_t bytes;
	uint64_t hits, misses, clears;
	bool off;
} tf_dercache;

struct tf_render {
	EVP_PKEY *key[TF_RENDER_ALGS][TF_RENDER_POOL_SLOTS];
	/* The encoded public key of each pool key: OpenSSL 3.0's X509_set_pubkey
	 * goes through its encoder and decoder on every call, the slowest step
	 * of rendering; copying these fields into a certificate is not. */
	X509_PUBKEY *xpub[TF_RENDER_ALGS][TF_RENDER_POOL_SLOTS];
	BIGNUM *ec_priv[TF_RENDER_POOL_SLOTS]; /* P-256 scalars, for RFC 6979 */
	uint8_t kid[TF_RENDER_ALGS][TF_RENDER_POOL_SLOTS][TF_RENDER_KEY_ID_LEN];
	EC_GROUP *p256;
	EVP_MD *sha256, *sha1; /* fetched once: EVP_sha256() fetches on every use */
	uint32_t keys_built;
	tf_sigcache cache;
	tf_dercache certs;
};

/* The pool key of (alg, slot), derived on first use; borrowed (owned by r). */
tf_err tf_render_pool_key(tf_render *r, unsigned alg, unsigned slot, EVP_PKEY **out,
			  tf_error *err) TF_MUST_USE;

/* Sets x's subjectPublicKeyInfo to the pool key (alg, slot). */
tf_err tf_render_set_pubkey(tf_render *r, unsigned alg, unsigned slot, X509 *x,
			    tf_error *err) TF_MUST_USE;

/* Signs msg with the pool key (alg, slot) as the certificate signature
 * algorithm of `alg` prescribes (Ed25519; ECDSA-SHA256 with RFC 6979 nonces;
 * RSA PKCS#1 v1.5 SHA-256), through the cache. sig holds TF_RENDER_SIG_MAX. */
tf_err tf_render_sign(tf_render *r, unsigned alg, unsigned slot, const uint8_t *msg,
		      size_t msglen, uint8_t *sig, size_t *siglen, tf_error *err) TF_MUST_USE;

/* RFC 6979 ECDSA over P-256 with SHA-256: DER ECDSA-Sig-Value into sig
 * (TF_RENDER_SIG_MAX bytes). `priv` is the scalar. */
tf_err tf_ecdsa_p256_sign_rfc6979(const EC_GROUP *group, const BIGNUM *priv, const uint8_t *msg,
				  size_t msglen, uint8_t *sig, size_t *siglen,
				  tf_error *err) TF_MUST_USE;

/* Appends the extensions c asks for to x (render_ext.c); ski and aki are the
 * identifiers to write when those extensions are present. */
tf_err tf_render_extensions(X509 *x, const tf_cert *c, const uint8_t ski[TF_RENDER_KEY_ID_LEN],
			    const uint8_t aki[TF_RENDER_KEY_ID_LEN], tf_error *err) TF_MUST_USE;

/* Signature cache (render_sigcache.c). */
tf_err tf_sigcache_init(tf_sigcache *c, tf_error *err) TF_MUST_USE;
void tf_sigcache_free(tf_sigcache *c);
/* Looks up (hash, slot, alg); on a hit copies the signature out. */
bool tf_sigcache_get(tf_sigcache *c, const uint8_t hash[32], unsigned slot, unsigned alg,
		     uint8_t *sig, size_t *siglen);
void tf_sigcache_put(tf_sigcache *c, const uint8_t hash[32], unsigned slot, unsigned alg,
		     const uint8_t *sig, size_t siglen);

/* Certificate cache (render_dercache.c). */
tf_err tf_dercache_init(tf_dercache *c, tf_error *err) TF_MUST_USE;
void tf_dercache_free(tf_dercache *c);
bool tf_dercache_get(tf_dercache *c, const uint8_t hash[32], tf_der *out);
void tf_dercache_put(tf_dercache *c, const uint8_t hash[32], const tf_der *der);

/* Sets err to code with "what: <first OpenSSL error>" and empties OpenSSL's
 * error queue, so that no stale error leaks into the next evaluation. */
tf_err tf_ossl_error(tf_error *err, tf_err code, const char *what);

#endif
