/*
 * trustfuzz/openssl_backend.h — the OpenSSL 3 backend: real code judging
 * real certificates (spec s.4, "OpenSSL backend"; docs/openssl-backend.md).
 *
 * tf_eval_openssl renders the scenario with the shared renderer (render.h)
 * and runs OpenSSL on it, in one of two modes (knob openssl.mode):
 *
 *   verify     (default) X509_verify_cert with the anchor set as trusted
 *              certificates, the client's sent chain then the Intermediate
 *              store as untrusted ones, the validation time, the SSL-client
 *              purpose, and the knobs openssl.partial_chain
 *              (X509_V_FLAG_PARTIAL_CHAIN) and openssl.x509_strict
 *              (X509_V_FLAG_X509_STRICT). This is exactly
 *              `openssl verify -attime T -purpose sslclient -CAfile ANCHORS
 *              -untrusted UNTRUSTED [-partial_chain] [-x509_strict] LEAF`
 *              (cli: `trustfuzz export` writes that command).
 *   handshake  a real in-memory mutual-TLS handshake (TLS 1.3, or 1.2 with
 *              openssl.tls=1.2) between an OpenSSL server that requires a
 *              client certificate, trusts the anchor set and sends the
 *              trusted issuer list as its client CA list when
 *              SendTrustedIssuerList=1, and an OpenSSL client whose
 *              certificate callback picks an identity from the list it
 *              received, by the shared selection rule.
 *
 * Anchor set, by ClientAuthTrustMode, as the reference evaluator computes it:
 * 0 → the Root store; 1 → the self-signed certificates (tf_cert_self_signed)
 * of the source store (Client Authentication Issuers if non-empty, else
 * Root); 2 → the whole source store. OpenSSL has no counterpart of mode 0's
 * "the path must pass through the issuer list": that rule is not applied.
 *
 * Verdicts: a chain OpenSSL accepts is 200 with the chain OpenSSL built as
 * the path (mapped back to certificate indexes by DER); an X509_V_ERR_* code
 * maps to (status, HRESULT) by tf_openssl_error_map, with the code and its
 * X509_verify_cert_error_string() in the reason; no identity offered (or no
 * certificate sent in the handshake) is 403.7. Consistency oracle:
 * X509_verify_cert() returns 1 iff the context error is X509_V_OK; a
 * violation is returned as TF_ERR_ORACLE (a finding), never mapped.
 *
 * State (init/cleanup): a reference to the thread's shared renderer
 * (tf_render_shared: key pool, certificate and signature caches), parsed
 * certificates by DER (at most TF_OPENSSL_X509_CACHE) and the TLS context
 * templates; caches only, the verdict is a pure function of (scenario,
 * knobs). One thread per state: the thread that made it.
 *
 * Not here: GnuTLS; CRL/OCSP checking (never enabled).
 */
#ifndef TRUSTFUZZ_OPENSSL_BACKEND_H
#define TRUSTFUZZ_OPENSSL_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "trustfuzz/evaluator.h"
#include "trustfuzz/render.h"

/* The evaluator "openssl", knob prefix "openssl.". */
extern const tf_evaluator tf_eval_openssl;

/* Parsed certificates the state keeps (by SHA-256 of their DER); when full,
 * all are released and the cache starts over. */
#define TF_OPENSSL_X509_CACHE 4096

/* Highest X509_V_ERR_* code of OpenSSL 3.0 (X509_V_ERR_EC_KEY_EXPLICIT_PARAMS). */
#define TF_OPENSSL_ERR_MAX 94

/* One line of the X509_V_ERR_* table. `backend_failure` marks codes that
 * describe a failure of OpenSSL itself (out of memory, invalid call): those
 * make evaluate return TF_ERR_BACKEND instead of a verdict. */
typedef struct tf_openssl_errmap {
	int code;
	const char *name; /* "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT" */
	tf_status status;
	uint32_t win32;
	bool backend_failure;
} tf_openssl_errmap;

/* The table line of `code` (0 = X509_V_OK .. TF_OPENSSL_ERR_MAX), or NULL for
 * a code this table does not know (evaluate then answers 403.16 TRUST_E_FAIL,
 * 0x800B010B, naming the code). */
const tf_openssl_errmap *tf_openssl_error_map(int code);

/* What the backend hands OpenSSL for a scenario: knob-independent. */
typedef struct tf_openssl_inputs {
	int identity;             /* the identity the client offers, -1 none (→ 403.7) */
	tf_issuer_list trusted;   /* the trusted issuer list, untruncated */
	tf_issuer_list sent;      /* the list the server sends (n = 0 when none is sent) */
	uint8_t nanchors;
	uint8_t anchors[TF_MAX_STORE];    /* trusted certificates, in order */
	uint8_t nuntrusted;
	uint8_t untrusted[TF_MAX_CHAIN + TF_MAX_STORE]; /* sent chain, then Intermediate */
} tf_openssl_inputs;

/* Computes the inputs above from s (which must validate). */
void tf_openssl_inputs_get(const tf_scenario *s, tf_openssl_inputs *out);

/* Verify mode whatever knobs->ossl_mode says: the verdict, and the raw
 * X509_V_ERR code in *x509_error (-1 when no identity was offered). `state`
 * comes from tf_eval_openssl.init. */
tf_err tf_openssl_verify_detail(void *state, const tf_scenario *s, const tf_knobs *knobs,
				tf_verdict *out, int *x509_error, tf_error *err) TF_MUST_USE;

/* The state's renderer (borrowed), so that exported files are the very
 * certificates the backend judged. */
tf_render *tf_openssl_renderer(void *state);

/* Cache counters of a state, for benchmarks. */
typedef struct tf_openssl_stats {
	tf_render_stats render;  /* key pool and signature cache */
	uint64_t x509_hits;      /* certificates served already parsed */
	uint64_t x509_misses;    /* certificates parsed (d2i_X509) */
	uint64_t x509_clears;    /* times the full parsed-certificate cache was emptied */
} tf_openssl_stats;

void tf_openssl_get_stats(void *state, tf_openssl_stats *out);

#endif
