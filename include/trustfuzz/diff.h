/*
 * trustfuzz/diff.h — run evaluator instances side by side and name what
 * they disagree on (spec section 5).
 *
 * A *run* is every instance's verdict on one scenario. A *divergence* is two
 * instances disagreeing at the compared depth (verdict.h). Its *signature* is
 * the instance pair, both verdict classes and a feature vector of the
 * scenario (TF_FEAT_*): two divergences with the same signature are taken to
 * be the same finding, so the signature is coarse on purpose — it names
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

/* Scenario features that enter a signature (bit i of tf_signature.features).
 * Each is documented in docs/harness.md; the order is part of the stable
 * text form, so append only. */
enum {
	TF_FEAT_TRIGGER = 1u << 0,          /* a non-self-issued certificate in Root (KB trigger by name) */
	TF_FEAT_ISSUER_LIST = 1u << 1,      /* SendTrustedIssuerList=1 */
	TF_FEAT_MODE1 = 1u << 2,            /* ClientAuthTrustMode=1 */
	TF_FEAT_MODE2 = 1u << 3,            /* ClientAuthTrustMode=2 */
	TF_FEAT_NSS_ANCHOR_ON_PATH = 1u << 4, /* a verdict path ends at a non-self-signed anchor */
	TF_FEAT_NAME_COLLISION = 1u << 5,   /* two certificates: same subject, different keys */
	TF_FEAT_CROSS_SIGN = 1u << 6,       /* two certificates: same subject and key, different issuers */
	TF_FEAT_EXPIRED_ON_PATH = 1u << 7,  /* a certificate on a verdict path is expired or not yet valid */
	TF_FEAT_CAI_STORE = 1u << 8,        /* Client Authentication Issuers is non-empty */
	TF_FEAT_LIST_TRUNCATED = 1u << 9,   /* the issuer list exceeds its size limit */
	TF_FEAT_MULTI_IDENTITY = 1u << 10,  /* more than one client identity */
	TF_FEAT_BAD_SIGNATURE = 1u << 11,   /* a certificate has a corrupt signature */
	TF_FEAT_PROFILE_ISSUE = 1u << 12,   /* a strict-profile violation (v1 with extensions, bad serial, ...) */
	TF_FEAT_COUNT = 13
};

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

typedef struct tf_signature {
	uint8_t a, b;        /* instance indexes, a < b */
	tf_status sa, sb;    /* verdict classes */
	uint32_t wa, wb;     /* HRESULTs (0 unless compared at depth >= win32) */
	uint32_t features;   /* TF_FEAT_* */
	char text[256];      /* stable text form, e.g. "ref~kb:200/403.16:trigger+issuer-list" */
	char id[17];         /* 16 hex digits: FNV-1a 64 of text; a file-name-safe key */
} tf_signature;

/* Every pairwise divergence of a run at depth d, in instance order; writes at
 * most max and returns how many there are. */
unsigned tf_diff_signatures(const tf_instance *inst, const tf_run *run, const tf_scenario *s,
			    tf_depth d, tf_signature *out, unsigned max);

/* The scenario-only part of the feature vector (the path features need the
 * run). */
uint32_t tf_diff_features(const tf_scenario *s, const tf_run *run);

/* ---- Known divergences ------------------------------------------------- */

#define TF_KNOWN_MAX 64

typedef struct tf_known_entry {
	char id[64];
	char pair_a[TF_INSTANCE_NAME_MAX], pair_b[TF_INSTANCE_NAME_MAX]; /* "*" matches any */
	char sa[16], sb[16];              /* status texts, "*" matches any */
	uint32_t require, forbid;         /* features that must be set / must not be set */
	char explanation[600];
} tf_known_entry;

typedef struct tf_known_table {
	unsigned n;
	tf_known_entry e[TF_KNOWN_MAX];
} tf_known_table;

/* Loads the table (JSON, schema in docs/harness.md); errors name the file and
 * the JSON path, like fixtures. */
tf_err tf_known_load(const char *path, tf_known_table *t, tf_error *err) TF_MUST_USE;
/* The first entry matching sig (pair matched in either order), or NULL. */
const tf_known_entry *tf_known_match(const tf_known_table *t, const tf_instance *inst,
				     const tf_signature *sig);

#endif
