/*
 * trustfuzz/render.h — scenario → real certificates (DER) and key material.
 *
 * The renderer turns the plain data of a scenario (scenario.h) into DER
 * certificates signed by keys of a deterministic key pool. Every backend that
 * runs real code (OpenSSL, GnuTLS) uses it, so that all of them
 * judge byte-identical certificates; that is why this API speaks DER bytes and
 * key bytes only, never a library's types. (The implementation uses OpenSSL's
 * X509 APIs; OpenSSL-typed helpers stay in backends/render_internal.h.)
 *
 * Key pool. TF_RENDER_POOL_SLOTS keys per algorithm (the `keys` knob):
 * slots 0..TF_KEY_POOL_SIZE-1 are what tf_key.pool refers to, and slot
 * TF_RENDER_SERVER_KEY is reserved for the TLS server of handshake mode.
 *   ed25519  (default) the 32-byte seed is SHA-256("trustfuzz key pool v1" ||
 *            "ed25519" || slot as 2 bytes big-endian); signatures are
 *            deterministic (RFC 8032).
 *   p256     the private scalar is (SHA-256 of the same label with "p256"
 *            mod (n-1)) + 1; signatures use RFC 6979 deterministic nonces
 *            with SHA-256, implemented here (OpenSSL 3.0 has no deterministic
 *            ECDSA), so P-256 certificates are byte-stable too.
 *   rsa2048  e = 65537; p and q are the first primes at or above 1024-bit
 *            numbers expanded from SHA-256 of the same label with "rsa2048",
 *            "p"/"q" and a counter (top two bits and the low bit set).
 *            Derived once per slot and state (tens of milliseconds), never per
 *            scenario. PKCS#1 v1.5 signatures with SHA-256 are deterministic.
 * Keys are built lazily, on first use, and kept in the renderer.
 *
 * Certificates. One rendering per tf_cert, every field faithful:
 *   version      v1/v2/v3 as given (extensions are written whatever the version)
 *   serial       the int64 as a DER INTEGER (0 and negatives as they are);
 *                serial_long: the 21-octet value 0x01 || 12 zero octets ||
 *                |serial| as 8 octets, negated when serial < 0
 *   signature    Ed25519 | ecdsa-with-SHA256 | sha256WithRSAEncryption
 *   names        "CN=<label>" as one UTF8String; the empty label is the empty
 *                DN; a bound real DN (tf_name.der) is used verbatim
 *   validity     validation_time + not_before / not_after, each as UTCTime
 *                for 1950..2049 and GeneralizedTime otherwise (RFC 5280)
 *   public key   the pool key of certs[i].key (or the bound SPKI)
 *   extensions   in this order, each only when the certificate has it:
 *                basicConstraints (cA, pathLen, critical flag), keyUsage,
 *                extendedKeyUsage (clientAuth, serverAuth, anyExtendedKeyUsage,
 *                codeSigning, in that order), subjectKeyIdentifier,
 *                authorityKeyIdentifier (keyIdentifier only), and the
 *                unrecognised critical extension 1.3.6.1.4.1.32473.1 (the
 *                RFC 5612 documentation enterprise number) holding a DER NULL
 *   key ids      a key's identifier is SHA-1 of its subjectPublicKey bits
 *                (RFC 5280 s.4.2.1.2 method 1); SKI match = the subject key's
 *                id, AKI match = the signing key's id; a mismatching id is
 *                SHA-1("trustfuzz unrelated key id" || slot), which is the id
 *                of no pool key
 *   corrupt_sig  the lowest bit of the last signature octet is flipped after
 *                signing
 * Everything goes through OpenSSL's setters except the signature algorithm
 * and value: OpenSSL 3.0 only writes those inside X509_sign, which cannot
 * take a cached signature, so they are written into the certificate's own
 * fields (see backends/render.c).
 * A certificate with bound DER (tf_cert.der) is returned as it is.
 *
 * Determinism. The same scenario and `keys` value give byte-identical DER on
 * every run and build: nothing reads a clock or an RNG, and every encoding
 * choice is fixed above.
 *
 * Signature cache. Signatures are cached by (SHA-256 of the TBSCertificate,
 * key slot, algorithm): campaigns re-sign the same TBS often. At most
 * TF_RENDER_CACHE_ENTRIES entries of at most TF_RENDER_SIG_MAX signature
 * bytes (about 1.2 MB, allocated once); when full, the cache is cleared and
 * refilled (counted in `sig_clears`).
 *
 * Certificate cache. In front of it, whole certificates are cached by
 * (SHA-256 of everything their DER depends on: the certificate's fields, the
 * subject and issuer labels, the key slots and ids, the algorithm, the
 * validation time), so a certificate rendered before is neither rebuilt nor
 * signed again; a hit counts as a signature-cache hit too (`sig_hits`), since
 * the signature it carries was reused. At most TF_RENDER_DER_ENTRIES
 * certificates and TF_RENDER_DER_BYTES bytes of DER (4 MiB); when full it is
 * cleared (`der_clears`). Certificates with a bound name or public key are
 * not cached. Both caches are off together with tf_render_set_cache.
 *
 * Sharing. tf_render_shared() hands every backend instance of a thread the
 * same renderer (reference-counted), so that when the OpenSSL and GnuTLS
 * backends judge one scenario, the second finds every certificate in the
 * first one's cache instead of rendering it again.
 *
 * Threads: a renderer belongs to one thread at a time; the shared renderer
 * of a thread is used and released on that thread only.
 *
 * Not here: judging certificates (backends' evaluators), PEM bundles and
 * scripts (cli/cmd_export.c), imported-certificate parsing.
 */
#ifndef TRUSTFUZZ_RENDER_H
#define TRUSTFUZZ_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trustfuzz/err.h"
#include "trustfuzz/scenario.h"

/* Key slots per algorithm: the TF_KEY_POOL_SIZE scenario keys plus the
 * handshake server's key. */
#define TF_RENDER_SERVER_KEY TF_KEY_POOL_SIZE
#define TF_RENDER_POOL_SLOTS (TF_KEY_POOL_SIZE + 1)
#define TF_RENDER_CACHE_ENTRIES 4096
#define TF_RENDER_SIG_MAX 256
#define TF_RENDER_KEY_ID_LEN 20
#define TF_RENDER_DER_ENTRIES 4096
#define TF_RENDER_DER_BYTES (4u * 1024 * 1024)

/* The renderer: key pool plus signature cache. Opaque. */
typedef struct tf_render tf_render;

/* A malloc'ed byte string; free with tf_der_free. */
typedef struct tf_der {
	uint8_t *data;
	size_t len;
} tf_der;

/* Frees d->data and empties d. Safe on an empty tf_der. */
void tf_der_free(tf_der *d);

/* Every certificate of one scenario, by certificate index. */
typedef struct tf_rendered {
	unsigned ncerts;
	tf_der cert[TF_MAX_CERTS];
} tf_rendered;

void tf_rendered_free(tf_rendered *rd);

/* Counters for benchmarks and tests. */
typedef struct tf_render_stats {
	uint64_t sig_hits;     /* signatures served from the cache */
	uint64_t sig_misses;   /* signatures computed */
	uint64_t sig_clears;   /* times the full cache was emptied */
	uint32_t sig_entries;  /* entries now cached */
	size_t sig_bytes;      /* bytes the cache holds allocated */
	uint32_t keys_built;   /* pool keys derived so far */
	uint64_t der_hits;     /* certificates served whole from the certificate cache */
	uint64_t der_misses;   /* certificates built (cacheable ones) */
	uint64_t der_clears;   /* times the full certificate cache was emptied */
	size_t der_bytes;      /* DER bytes the certificate cache holds now */
} tf_render_stats;

/* Creates a renderer (no key is derived yet). *out is freed with
 * tf_render_free. TF_ERR_NOMEM or TF_ERR_BACKEND. */
tf_err tf_render_new(tf_render **out, tf_error *err) TF_MUST_USE;
void tf_render_free(tf_render *r);

/* The calling thread's shared renderer (created on first use; a reference
 * is taken): what backend instances use, so that they share one key pool
 * and both caches. Release each reference with tf_render_shared_release on
 * the same thread; the last release frees it. TF_ERR_NOMEM or
 * TF_ERR_BACKEND. */
tf_err tf_render_shared(tf_render **out, tf_error *err) TF_MUST_USE;
void tf_render_shared_release(tf_render *r);

/* Renders certificate `cert` of s with the `keys` algorithm (tf_keys_knob).
 * TF_ERR_RANGE when a time falls outside years 0..9999; TF_ERR_INVALID when
 * the signing key is a bound SPKI (no private key to sign with). */
tf_err tf_render_cert(tf_render *r, const tf_scenario *s, unsigned cert, unsigned keys,
		      tf_der *out, tf_error *err) TF_MUST_USE;

/* Renders every certificate of s into out (initialised here; on error it is
 * left empty). */
tf_err tf_render_scenario(tf_render *r, const tf_scenario *s, unsigned keys, tf_rendered *out,
			  tf_error *err) TF_MUST_USE;

/* DER of name `name` of s, as the certificates carry it. Its length is
 * tf_name_der_len(s, name). */
tf_err tf_render_name(const tf_scenario *s, unsigned name, tf_der *out, tf_error *err) TF_MUST_USE;

/* Key material of pool slot `slot` (< TF_RENDER_POOL_SLOTS): the private key
 * as unencrypted PKCS#8 DER, the SubjectPublicKeyInfo DER, the key id. */
tf_err tf_render_key_private(tf_render *r, unsigned keys, unsigned slot, tf_der *pkcs8,
			     tf_error *err) TF_MUST_USE;
tf_err tf_render_key_public(tf_render *r, unsigned keys, unsigned slot, tf_der *spki,
			    tf_error *err) TF_MUST_USE;
tf_err tf_render_key_id(tf_render *r, unsigned keys, unsigned slot,
			uint8_t id[TF_RENDER_KEY_ID_LEN], tf_error *err) TF_MUST_USE;

/* The handshake server's certificate: self-signed "CN=trustfuzz server" with
 * the key of slot TF_RENDER_SERVER_KEY, valid one day either side of
 * validation_time, serverAuth, digitalSignature. */
tf_err tf_render_server_cert(tf_render *r, unsigned keys, int64_t validation_time, tf_der *out,
			     tf_error *err) TF_MUST_USE;

/* Appends the PEM encoding of der (64-column base64 between "-----BEGIN
 * <label>-----" and "-----END <label>-----") to the malloc'ed text *buf of
 * length *len (both may start NULL/0); NUL-terminated. */
tf_err tf_render_pem_append(char **buf, size_t *len, const char *label, const tf_der *der,
			    tf_error *err) TF_MUST_USE;

void tf_render_get_stats(const tf_render *r, tf_render_stats *out);

/* Turns the signature and certificate caches off (every certificate built,
 * every signature computed and counted as a miss, nothing stored) or back on
 * (what they held is kept). On by default; benchmarks measure the renderer
 * without them (trustfuzz bench). */
void tf_render_set_cache(tf_render *r, bool enabled);

#endif
