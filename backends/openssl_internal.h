/*
 * backends/openssl_internal.h — shared insides of the OpenSSL backend:
 * the state, the per-evaluation certificate set, and the helpers verify mode
 * (openssl_verify.c) and handshake mode (openssl_handshake.c) both use.
 */
#ifndef TRUSTFUZZ_OPENSSL_INTERNAL_H
#define TRUSTFUZZ_OPENSSL_INTERNAL_H

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "render_internal.h"
#include "trustfuzz/openssl_backend.h"

/* Parsed certificates by DER (openssl_x509cache.c): at most this many. */
#define TF_OSSL_X509_CACHE TF_OPENSSL_X509_CACHE
typedef struct tf_ossl_x509cache tf_ossl_x509cache;
tf_err tf_ossl_x509cache_new(tf_ossl_x509cache **out, tf_error *err) TF_MUST_USE;
void tf_ossl_x509cache_free(tf_ossl_x509cache *c);
/* The parsed certificate of der: a new reference (X509_free it). */
tf_err tf_ossl_x509cache_get(tf_ossl_x509cache *c, const tf_der *der, X509 **out,
			     tf_error *err) TF_MUST_USE;
void tf_ossl_x509cache_stats(const tf_ossl_x509cache *c, uint64_t *hits, uint64_t *misses,
			     uint64_t *clears);

/* The state: renderer, parsed certificates, and TLS context templates (one
 * per openssl.tls value, created on first use; everything scenario-specific
 * is set per SSL object). Caches only. */
typedef struct tf_ossl_state {
	tf_render *render;
	tf_ossl_x509cache *x509;
	SSL_CTX *server_ctx[2];
	SSL_CTX *client_ctx[2];
} tf_ossl_state;

/* The scenario's certificates for one evaluation: DER and parsed. */
typedef struct tf_ossl_certs {
	tf_rendered der;
	X509 *x[TF_MAX_CERTS];
	unsigned keys; /* tf_keys_knob used to render */
} tf_ossl_certs;

tf_err tf_ossl_certs_load(tf_ossl_state *st, const tf_scenario *s, unsigned keys,
			  tf_ossl_certs *out, tf_error *err) TF_MUST_USE;
void tf_ossl_certs_free(tf_ossl_certs *c);

/* A new X509_STORE trusting the anchors of `in`. */
tf_err tf_ossl_anchor_store(const tf_ossl_certs *c, const tf_openssl_inputs *in,
			    X509_STORE **out, tf_error *err) TF_MUST_USE;

/* Validation time, purpose SSL client, and the knobs' flags into p. */
tf_err tf_ossl_set_param(X509_VERIFY_PARAM *p, const tf_scenario *s, const tf_knobs *k,
			 tf_error *err) TF_MUST_USE;

/* What one X509_verify_cert run said, in scenario terms. */
typedef struct tf_ossl_outcome {
	int ret;          /* X509_verify_cert's return */
	int error;        /* X509_STORE_CTX_get_error */
	int error_depth;
	int error_cert;   /* certificate index of the current cert at the error, -1 unknown */
	uint8_t path_len;
	uint8_t path[TF_MAX_PATH];
	bool path_cut;    /* the chain was longer than TF_MAX_PATH */
} tf_ossl_outcome;

/* Reads the outcome out of a verified (or failed) context, checks the
 * consistency oracle (TF_ERR_ORACLE), maps the chain back to certificates
 * (TF_ERR_INTERNAL when a chain element is not one of them). */
tf_err tf_ossl_outcome_read(X509_STORE_CTX *ctx, int ret, const tf_scenario *s,
			    const tf_ossl_certs *c, const tf_openssl_inputs *in,
			    tf_ossl_outcome *out, tf_error *err) TF_MUST_USE;

/* Certificate index of x by DER identity, preferring, for chain position pos
 * of n: the identity's leaf at 0, then the sent chain, the Intermediate
 * store, the anchors, any certificate. -1 when none. */
int tf_ossl_cert_index(const tf_scenario *s, const tf_ossl_certs *c, const tf_openssl_inputs *in,
		       X509 *x, unsigned pos);

/* The verdict of an outcome (200 or the mapped X509_V_ERR); `mode` names the
 * mode in the reason. TF_ERR_BACKEND for codes marked backend_failure. */
tf_err tf_ossl_verdict(const tf_scenario *s, const tf_ossl_outcome *o, int identity,
		       const char *mode, tf_verdict *v, tf_error *err) TF_MUST_USE;

/* The table line of a code, or the "unknown code" line. Never NULL. */
const tf_openssl_errmap *tf_ossl_map_or_unknown(int code);

/* Modes. The certificate set is loaded; in->identity may be -1. */
tf_err tf_ossl_run_verify(tf_ossl_state *st, const tf_scenario *s, const tf_knobs *k,
			  const tf_ossl_certs *c, const tf_openssl_inputs *in, tf_verdict *v,
			  int *x509_error, tf_error *err) TF_MUST_USE;
tf_err tf_ossl_run_handshake(tf_ossl_state *st, const tf_scenario *s, const tf_knobs *k,
			     const tf_ossl_certs *c, const tf_openssl_inputs *in, tf_verdict *v,
			     tf_error *err) TF_MUST_USE;
void tf_ossl_handshake_free(tf_ossl_state *st);

#endif
