/*
 * trustfuzz/diff.h — run evaluator instances side by side and name what
 * they disagree on (spec section 5).
 *
 * A *run* is every instance's verdict on one scenario. A *divergence* is two
 * instances disagreeing at the compared depth (verdict.h). Its *signature* is
 * the instance pair, both verdict classes and a feature vector (TF_FEAT_*:
 * server settings and stores from the scenario, certificate facts from the
 * pair's verdict paths): two divergences with the same signature are taken
 * to be the same finding, so the signature is coarse on purpose — it names
 * shapes, not sizes. The signature's text form is stable across runs and
 * builds (it is a file name and a SARIF rule id).
 *
 * Known divergences are data (corpus/known-divergences.json): patterns over
 * signatures with an explanation each. tf_known_match classifies a signature
 * as known (with the entry's id and explanation) or new.
 *
 * Not here: shrinking (minimize.h), campaigns and the findings directory
 * (findings.h, campaign.h).
 */
#ifndef TRUSTFUZZ_DIFF_H
#define TRUSTFUZZ_DIFF_H

#include <stdbool.h>
#include <stdint.h>

#include "trustfuzz/err.h"
#include "trustfuzz/registry.h"
#include "trustfuzz/scenario.h"
#include "trustfuzz/verdict.h"

/* Features that enter a signature (bit i of tf_signature.features). Server
 * settings and stores are read from the scenario; everything about
 * certificates is read from the two verdicts' paths only (TF_FEAT_STORE_TWIN
 * also looks for a twin of a path certificate in the anchor stores), so that
 * a certificate no verdict rests on does not split one finding into many.
 * Each is documented in docs/harness.md; the order is part of the stable
 * text form, so append only. */
enum {
	TF_FEAT_TRIGGER = 1u << 0,          /* the trusted issuer list's source store (Client
					       Authentication Issuers if non-empty, else Root)
					       holds a certificate that is not self-signed: the
					       KB trigger (by signature, which includes the
					       trigger by name, not self-issued) */
	TF_FEAT_ISSUER_LIST = 1u << 1,      /* SendTrustedIssuerList=1 */
	TF_FEAT_MODE1 = 1u << 2,            /* ClientAuthTrustMode=1 */
	TF_FEAT_MODE2 = 1u << 3,            /* ClientAuthTrustMode=2 */
	TF_FEAT_NSS_ANCHOR_ON_PATH = 1u << 4, /* a verdict path holds a non-self-signed
						 certificate of Root or Client Authentication
						 Issuers: an anchor for RFC 5280, none for
						 OpenSSL's default */
	TF_FEAT_NAME_COLLISION = 1u << 5,   /* a certificate on a verdict path shares its subject
					       name with a certificate of another key */
	TF_FEAT_CROSS_SIGN = 1u << 6,       /* a certificate on a verdict path shares subject and
					       key with a certificate of another issuer */
	TF_FEAT_EXPIRED_ON_PATH = 1u << 7,  /* a certificate on a verdict path is expired or not yet valid */
	TF_FEAT_CAI_STORE = 1u << 8,        /* Client Authentication Issuers is non-empty */
	TF_FEAT_LIST_TRUNCATED = 1u << 9,   /* the trusted issuer list exceeds its size limit */
	TF_FEAT_MULTI_IDENTITY = 1u << 10,  /* a verdict presents an identity other than the first */
	TF_FEAT_BAD_SIGNATURE = 1u << 11,   /* a certificate on a verdict path has a corrupt signature */
	TF_FEAT_PROFILE_ISSUE = 1u << 12,   /* a certificate on a verdict path breaks the strict profile */
	TF_FEAT_USAGE = 1u << 13,           /* a verdict path's leaf has keyUsage without
					       digitalSignature or keyAgreement, or an EKU
					       without clientAuth (anyExtendedKeyUsage
					       alone), or a CA on it has an EKU without
					       clientAuth: what OpenSSL's SSL-client purpose
					       rejects and spec s.4 does not check */
	TF_FEAT_KEY_ID = 1u << 14,          /* a certificate on a verdict path has a
					       mismatching SKI or AKI */
	TF_FEAT_VALIDITY_EDGE = 1u << 15,   /* a certificate on a verdict path has notBefore or
					       notAfter exactly at the validation time */
	TF_FEAT_ANCHOR_NOT_CA = 1u << 16,   /* a verdict path ends at a certificate of Root or
					       Client Authentication Issuers that is no CA by
					       its own extensions (no cA TRUE, or keyUsage
					       without keyCertSign) */
	TF_FEAT_REISSUED_ANCHOR = 1u << 17, /* a verdict path holds two certificates with the
					       same subject name and the same key: a path
					       through a re-issued (or self-signed) copy of a
					       certificate to that certificate */
	TF_FEAT_PATHLEN_SELF_ISSUED = 1u << 18, /* a verdict path holds a self-issued CA
						   below a certificate with a
						   pathLenConstraint (which RFC 5280
						   does not count against it) */
	TF_FEAT_STORE_TWIN = 1u << 19,      /* a certificate on a verdict path has a twin in
					       Root or Client Authentication Issuers: another
					       certificate with its subject name and key that
					       is not on that path (a look beyond the path:
					       lookups by subject may find the twin first) */
	TF_FEAT_COUNT = 20
};

/* The features read from the scenario alone (settings and stores); the
 * others come from the verdicts' paths. */
#define TF_FEAT_SCENARIO_MASK                                                              \
	(TF_FEAT_TRIGGER | TF_FEAT_ISSUER_LIST | TF_FEAT_MODE1 | TF_FEAT_MODE2 |           \
	 TF_FEAT_CAI_STORE | TF_FEAT_LIST_TRUNCATED)

/* Name of feature bit i ("trigger", "issuer-list", ...), NULL past the end. */
const char *tf_feature_name(unsigned bit);

/* Every instance's verdict on one scenario. rc[i] != TF_OK means instance i
 * could not judge; msg[i] says why (TF_ERR_ORACLE is a finding). */
typedef struct tf_run {
	unsigned n;
	tf_verdict v[TF_MAX_INSTANCES];
	tf_err rc[TF_MAX_INSTANCES];
	char msg[TF_MAX_INSTANCES][160];
} tf_run;

/* Evaluates s with each of the n (opened) instances. Never fails as a whole:
 * per-instance failures are recorded in the run. */
void tf_diff_run(tf_instance *inst, unsigned n, const tf_scenario *s, tf_run *out);

/* A divergence signature. Text form (docs/harness.md):
 *
 *   A~B:CA/CB:FEATURES
 *
 * A, B the instance names in instance order; CA, CB the verdict classes at
 * the compared depth: the status ("403.16"), at win32 depth followed by the
 * HRESULT's name ("403.16[CERT_E_UNTRUSTEDROOT]"), at path depth also by the
 * path length ("200[S_OK]{3}"); FEATURES the set TF_FEAT_* names joined by
 * "+" in bit order, or "-". Example: "ref~kb:200/403.16:trigger". */
typedef struct tf_signature {
	uint8_t a, b;        /* instance indexes, a < b */
	tf_status sa, sb;    /* verdict classes */
	uint32_t wa, wb;     /* HRESULTs (0 unless compared at depth >= win32) */
	uint32_t features;   /* TF_FEAT_* in the text: all facts, or the mechanism's once
				known (tf_known_coarsen) */
	char text[256];      /* stable text form, e.g. "ref~kb:200/403.16:trigger+issuer-list" */
	char id[17];         /* 16 hex digits: FNV-1a 64 of text; a file-name-safe key */
	uint32_t facts;      /* every feature of the pair (tf_diff_pair_features), kept when
				features is coarsened */
} tf_signature;

/* Every pairwise divergence of a run at depth d, in instance order (pairs
 * where either instance failed to judge are skipped); writes at most max and
 * returns how many there are. */
unsigned tf_diff_signatures(const tf_instance *inst, const tf_run *run, const tf_scenario *s,
			    tf_depth d, tf_signature *out, unsigned max);

/* The signature of one pair: false when va and vb agree at depth d (out is
 * then untouched). inst gives the names; a < b are their indexes. */
bool tf_diff_pair_signature(const tf_instance *inst, unsigned a, unsigned b, const tf_verdict *va,
			    const tf_verdict *vb, const tf_scenario *s, tf_depth d,
			    tf_signature *out);

/* The feature vector of a signature: the scenario features (trigger,
 * issuer-list, mode1, mode2, cai-store, list-truncated) plus the path
 * features of the two verdicts (the rest); either verdict may be NULL. */
uint32_t tf_diff_pair_features(const tf_scenario *s, const tf_verdict *va, const tf_verdict *vb);

/* The scenario's features plus the path features of every verdict of the
 * run that judged (run may be NULL: scenario features only). Signatures use
 * the pair form above, so that a signature does not depend on which other
 * instances ran. */
uint32_t tf_diff_features(const tf_scenario *s, const tf_run *run);

/* (Re)computes sig->text and sig->id from its other fields and the two
 * verdicts (their classes at depth d). */
void tf_signature_format(const tf_instance *inst, tf_signature *sig, const tf_verdict *va,
			 const tf_verdict *vb, tf_depth d);

/* Sets sig->features and rewrites the features part of sig->text (and the
 * id); the pair and the verdict classes are kept. */
void tf_signature_set_features(tf_signature *sig, uint32_t features);

/* The signature among sigs[0..n) whose text or id is key, or NULL. */
const tf_signature *tf_signature_find(const tf_signature *sigs, unsigned n, const char *key);

/* ---- Known divergences ------------------------------------------------- */

#define TF_KNOWN_MAX 64

typedef struct tf_known_entry {
	char id[64];
	/* Instance-name patterns: "|"-separated alternatives, each a name, a
	 * "PREFIX*" or "*" (any). */
	char pair_a[TF_INSTANCE_NAME_MAX], pair_b[TF_INSTANCE_NAME_MAX];
	char sa[16], sb[16];              /* status texts, "*" matches any */
	uint32_t require, forbid;         /* features that must be set / must not be set */
	char explanation[600];
} tf_known_entry;

typedef struct tf_known_table {
	unsigned n;
	tf_known_entry e[TF_KNOWN_MAX];
} tf_known_table;

/* Loads the table (JSON, schema in docs/harness.md); errors name the file and
 * the JSON path, like fixtures; on error t->n is 0. */
tf_err tf_known_load(const char *path, tf_known_table *t, tf_error *err) TF_MUST_USE;
/* Where the CLI looks for the table when not told: $TRUSTFUZZ_KNOWN when
 * set, else "corpus/known-divergences.json" when that file exists (relative
 * to the working directory), else the source tree's table the binary was
 * built from (a CMake build sets TF_KNOWN_SOURCE_PATH) when it still
 * exists, else NULL (every signature counts as new). */
const char *tf_known_default_path(void);
/* The first entry matching sig (pair and statuses matched in either order,
 * together), or NULL. t may be NULL (no table: NULL). */
const tf_known_entry *tf_known_match(const tf_known_table *t, const tf_instance *inst,
				     const tf_signature *sig);

/* The mechanism form of a signature (docs/harness.md, "Signatures"): when
 * an entry of t explains sig, sig's features become the entry's required
 * features plus, for each earlier entry those would match, the forbidden
 * features by which sig escaped it; text and id follow; the entry is
 * returned. An unexplained (new)
 * signature keeps every feature; NULL is returned. Idempotent: the coarse
 * signature matches the same entry. One signature per pair, verdict
 * classes and explanation is what makes a campaign's findings readable;
 * the full feature set stays in sig->facts. Two divergences explained by
 * different entries never share a coarse signature. */
const tf_known_entry *tf_known_coarsen(const tf_known_table *t, const tf_instance *inst,
				       tf_signature *sig);
/* tf_known_coarsen on sigs[0..n). */
void tf_known_coarsen_all(const tf_known_table *t, const tf_instance *inst, tf_signature *sigs,
			  unsigned n);

#endif
