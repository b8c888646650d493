/*
 * backends/gnutls_internal.h — the GnuTLS backend's insides (private to
 * backends/).
 *
 * gnutls_verify.c turns a rendered scenario into GnuTLS objects, runs one
 * verification and records what GnuTLS reported through its verify-output
 * callback; gnutls_path.c turns those records into the verdict's path;
 * gnutls_eval.c is the evaluator around them. Every certificate object is
 * tagged with the scenario certificate it was rendered from, so that what
 * GnuTLS reports maps back to certificate ids.
 */
#ifndef TRUSTFUZZ_GNUTLS_INTERNAL_H
#define TRUSTFUZZ_GNUTLS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "trustfuzz/gnutls_backend.h"
#include "trustfuzz/render.h"

/* Verify-output records kept per verification. GnuTLS reports at most one
 * per certificate per attempt and makes at most two attempts, on lists of
 * at most 25 certificates (the leaf, 8 sent, 16 from the issuer callback);
 * the cap is a guard, and overflowing it is an internal error rather than
 * a silently cut path. */
#define TF_GNUTLS_MAX_RECORDS 64

/* Where a certificate object came from. */
typedef enum tf_gnutls_role {
	TF_GNUTLS_NONE = 0,      /* not one of ours (could not be mapped) */
	TF_GNUTLS_PRESENTED = 1, /* the leaf or the client's sent chain */
	TF_GNUTLS_TRUSTED = 2,   /* the trust list (anchor set) */
	TF_GNUTLS_STORE = 3      /* the Intermediate store, via the issuer callback */
} tf_gnutls_role;

/* A certificate as GnuTLS named it in one verify-output call. */
typedef struct tf_gnutls_ref {
	int8_t cert;  /* scenario certificate index, -1 when none/unmapped */
	uint8_t role; /* tf_gnutls_role */
	uint8_t pos;  /* PRESENTED: position in the presented list (0 = the leaf) */
} tf_gnutls_ref;

/* One verify-output call: GnuTLS checked `cert` against `issuer` (role
 * NONE and cert -1 when GnuTLS found no issuer) with this outcome. */
typedef struct tf_gnutls_record {
	tf_gnutls_ref cert, issuer;
	uint32_t output;
} tf_gnutls_record;

/* Everything one verification needs and reports. Objects are owned here
 * until handed to GnuTLS (trusted certificates belong to the trust list). */
typedef struct tf_gnutls_run {
	const tf_scenario *s;
	const tf_rendered *rd;
	/* presented: leaf first, then the sent chain */
	unsigned npresented;
	gnutls_x509_crt_t presented[1 + TF_MAX_CHAIN];
	uint8_t presented_idx[1 + TF_MAX_CHAIN];
	/* trust list members, deduplicated by certificate index */
	unsigned ntrusted;
	gnutls_x509_crt_t trusted[TF_MAX_STORE];
	uint8_t trusted_idx[TF_MAX_STORE];
	unsigned trusted_skipped; /* anchors GnuTLS could not parse */
	/* Intermediate store, deduplicated, in store order */
	unsigned nstore;
	gnutls_x509_crt_t store[TF_MAX_STORE];
	uint8_t store_idx[TF_MAX_STORE];
	unsigned store_skipped;   /* store certificates GnuTLS could not parse */
	gnutls_x509_trust_list_t tl;
	/* results */
	unsigned callback_calls;  /* get-issuer callbacks answered */
	bool callback_failed;     /* the callback ran out of memory */
	unsigned nrecords;
	unsigned records_dropped;
	tf_gnutls_record records[TF_GNUTLS_MAX_RECORDS];
} tf_gnutls_run;

/* Imports DER into a new certificate object. Returns a GnuTLS error code
 * (0 on success); *out is NULL on failure. */
int tf_gnutls_import(const tf_der *der, gnutls_x509_crt_t *out);

/* Builds run from (s, rd) for identity `identity` and the anchor set
 * `anchors` (certificate indexes in store order, possibly repeated).
 * run must be zeroed. A presented certificate GnuTLS cannot parse is not an
 * error: *bad_presented receives its index (else -1) and *bad_what GnuTLS's
 * message, and the caller judges. TF_ERR_NOMEM on failure; call
 * tf_gnutls_run_free either way. */
tf_err tf_gnutls_run_build(tf_gnutls_run *run, const tf_scenario *s, const tf_rendered *rd,
			   unsigned identity, const uint8_t *anchors, unsigned nanchors,
			   int *bad_presented, const char **bad_what, tf_error *err) TF_MUST_USE;

/* Runs gnutls_x509_trust_list_verify_crt2 at time `now` with `flags`,
 * recording every verify-output call. *status receives the status word. */
tf_err tf_gnutls_run_verify(tf_gnutls_run *run, int64_t now, unsigned flags, unsigned *status,
			    tf_error *err) TF_MUST_USE;

void tf_gnutls_run_free(tf_gnutls_run *run);

/* The path of a verification (gnutls_path.c; docs/gnutls-backend.md,
 * "Path"). GnuTLS reports, per *attempt*, its checks from the top of the
 * chain down to the leaf, stopping at the first failure, and may make a
 * second attempt; `status` picks the attempt that decided. The path runs
 * leaf first: on success the chain GnuTLS verified, ending at the trusted
 * certificate; on failure the chain up to the failing check (its issuer
 * included when GnuTLS had one), the part below the failing certificate
 * rebuilt with GnuTLS's own issuer matching. */
typedef struct tf_gnutls_path {
	uint8_t n;
	uint8_t cert[TF_MAX_PATH];
	bool complete;  /* the deciding attempt runs from the leaf to a trusted certificate */
	bool truncated; /* longer than TF_MAX_PATH: cut */
	int top;        /* certificate whose issuer was not found, -1 none */
	int dropped_root; /* a presented self-issued issuer of `top` GnuTLS dropped, -1 none */
	int failed;     /* certificate whose check failed, -1 none */
	int signer;     /* issuer used in the failing check, -1 none */
} tf_gnutls_path;

void tf_gnutls_path_of(const tf_gnutls_run *run, uint32_t status, unsigned flags,
		       tf_gnutls_path *out);

#endif
