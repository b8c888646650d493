/*
 * trustfuzz/features.h — the shape of a scenario, as a few named facts.
 *
 * tf_features_compute() reads a scenario and says which of the shapes that
 * issue 3 asks generators to produce it has: chain depth, cross-signed
 * subjects, name collisions, bridges, non-self-signed certificates in Root,
 * certificates in several stores, validity and usage variations, several
 * identities, and the server settings. It is a pure function of the scenario
 * (no knobs, no evaluator, no allocation, at most O(ncerts^3) steps), so the
 * generator coverage test, `trustfuzz show` and the differential harness's
 * divergence signatures all mean the same thing by the same word.
 *
 * Every fact is about certificates as the scenario describes them, before any
 * path building: "issued by" means an issuer link — cert c's issuer name is
 * t's subject name and c's signing key is t's subject key (same pool key or
 * same SPKI; tf_cert_names_chain) — whether or not c's signature is corrupt.
 * A "CA" is a certificate with basicConstraints cA TRUE.
 *
 * Not here: anything that needs a verdict (which path was chosen, whether an
 * anchor was non-self-signed on it): diff.h adds those to its signatures.
 */
#ifndef TRUSTFUZZ_FEATURES_H
#define TRUSTFUZZ_FEATURES_H

#include <stdbool.h>
#include <stdint.h>

#include "trustfuzz/scenario.h"

typedef struct tf_features {
	/* The largest, over the identities, of the number of certificates on
	 * the shortest chain of issuer links from the identity's leaf to a
	 * self-issued certificate, both ends included: 1 when the leaf is
	 * self-issued itself, 2 for leaf + root, and so on; at most
	 * TF_MAX_PATH (longer chains count as TF_MAX_PATH). An identity whose
	 * leaf reaches no self-issued certificate counts 0. Issuer links to
	 * the certificate itself are ignored; the sent chain and the stores
	 * play no part: this is the depth of the PKI, not of a path. */
	uint8_t chain_depth;

	/* Two certificates with the same subject name and the same subject
	 * key but different issuers (issuer name or signing key differs). */
	bool has_cross_sign;

	/* Two certificates with the same subject name and different subject
	 * keys. */
	bool has_name_collision;

	/* A bridge: some (subject name, subject key) pair B is issued, across
	 * all certificates with that subject and key, by at least two distinct
	 * issuer names other than B's own name, and B issues at least one CA
	 * with a different subject name. */
	bool has_bridge;

	/* Root holds a certificate that is not self-issued (issuer name !=
	 * subject name): the trigger of KB 2802568 as KB 2795828 detects it. */
	bool nss_in_root;

	/* Root holds a certificate that is not self-signed by signature
	 * (tf_cert_self_signed false: not self-issued, signed by another key,
	 * or a corrupt signature). Implied by nss_in_root. */
	bool nss_sig_in_root;

	/* Some certificate is in at least two of the three stores. */
	bool multi_store;

	/* Some certificate is expired / not yet valid at the validation time
	 * (tf_cert_time_class). */
	bool has_expired;
	bool has_not_yet_valid;

	/* Extended key usage differs from the usual: a CA that carries EKU, or
	 * a non-CA whose EKU is anything but exactly {clientAuth}. */
	bool eku_variation;

	/* Key usage differs from the usual: a CA without exactly {keyCertSign,
	 * cRLSign}, or a non-CA without exactly {digitalSignature}. */
	bool ku_variation;

	/* Some certificate has a corrupted signature. */
	bool has_bad_signature;

	uint8_t n_identities; /* client identities */
	bool issuer_list;     /* server.send_issuer_list */
	uint8_t trust_mode;   /* server.trust_mode, 0..2 */
	bool cai_nonempty;    /* the Client Authentication Issuers store is not empty */
} tf_features;

/* Computes the features of s, which must validate. Pure and total on valid
 * scenarios; never allocates. */
void tf_features_compute(const tf_scenario *s, tf_features *out);

#endif
