/*
 * evaluators/paths.h — the one path-building engine of the pure evaluators
 * (private to evaluators/).
 *
 * The reference and the KB model differ only in the *trust context* they
 * hand to this engine: which certificates form the anchor set, which of
 * them are anchors, and which list a path must pass through. Everything
 * else — candidate issuers, the checks, the order that picks the reported
 * failure — is here once (docs/evaluators.md, "Path building").
 *
 * Engine, RFC 4158 style: depth-first from the leaf; the candidates for the
 * issuer of the certificate at the end of the path are every certificate of
 * the pool (the identity's sent chain, then the Intermediate store, then the
 * anchor set, in that order, each certificate once) whose subject is that
 * certificate's issuer name. Every candidate is tried (backtracking across
 * name collisions and cross-signs). A path never holds the same certificate
 * twice nor two intermediates with the same subject and key (a loop, pruned
 * because the shorter path without it is tried too); a certificate may share
 * the leaf's subject and key (docs/evaluators.md, "Loops and repeated subject
 * and key"). A path never grows past tf_knobs_max_depth and ends at the
 * first anchor it reaches. Search bound: TF_PATHS_MAX_NODES
 * visited nodes per evaluation; branch-and-bound pruning keeps real searches
 * far below it.
 *
 * No heap, no globals: the search state lives on the caller's stack.
 */
#ifndef TRUSTFUZZ_EVAL_PATHS_H
#define TRUSTFUZZ_EVAL_PATHS_H

#include <stdbool.h>
#include <stdint.h>

#include "trustfuzz/evaluator.h"

/* At most this many nodes (path prefixes) are visited per evaluation. */
#define TF_PATHS_MAX_NODES 4096

/* Certificate sets as bitmasks of certificate indexes. */
typedef uint32_t tf_certset;
_Static_assert(TF_MAX_CERTS <= 32, "tf_certset holds one bit per certificate");
#define TF_CERTSET_HAS(set, i) ((((set) >> (i)) & 1u) != 0)

/* Failure kinds. The value is the rank: a higher value is a worse failure.
 * A path's badness is the set of kinds failing on it, compared worst kind
 * first (tf_fails); the reported path is the one with the lowest badness
 * (docs/evaluators.md, "Which failure is reported"). */
typedef enum tf_fail {
	TF_FAIL_NONE = 0,          /* valid */
	TF_FAIL_VALIDITY = 1,      /* 403.17 CERT_E_EXPIRED: expired or not yet valid */
	TF_FAIL_EKU = 2,           /* leaf EKU lacks clientAuth: CERT_E_WRONG_USAGE */
	TF_FAIL_KEY_USAGE = 3,     /* issuer keyUsage lacks keyCertSign: CERT_E_WRONG_USAGE */
	TF_FAIL_NOT_CA = 4,        /* issuer is no CA: TRUST_E_BASIC_CONSTRAINTS */
	TF_FAIL_PATHLEN = 5,       /* pathLenConstraint exceeded: CERT_E_PATHLENCONST */
	TF_FAIL_CRITICAL = 6,      /* unrecognised critical extension: CERT_E_CRITICAL */
	TF_FAIL_PROFILE = 7,       /* strict profile violated: CERT_E_MALFORMED */
	TF_FAIL_SIGNATURE = 8,     /* signature does not verify: TRUST_E_CERT_SIGNATURE */
	TF_FAIL_NOT_IN_LIST = 9,   /* complete path misses the required list: CERT_E_UNTRUSTEDROOT */
	TF_FAIL_UNTRUSTED_ROOT = 10, /* ends at a self-signed non-anchor: CERT_E_UNTRUSTEDROOT */
	TF_FAIL_DEPTH = 11,        /* depth limit reached before an anchor: CERT_E_CHAINING */
	TF_FAIL_NO_ISSUER = 12     /* no issuer candidate: CERT_E_CHAINING */
} tf_fail;

/* Details, per kind. */
enum {
	TF_DETAIL_EXPIRED = 0, TF_DETAIL_NOT_YET_VALID = 1,         /* VALIDITY */
	TF_DETAIL_CA_FALSE = 0, TF_DETAIL_BC_ABSENT = 1,            /* NOT_CA */
	TF_DETAIL_WRONG_KEY = 0, TF_DETAIL_CORRUPT = 1,             /* SIGNATURE */
	TF_DETAIL_NO_AKI = 0, TF_DETAIL_NO_SKI = 1, TF_DETAIL_SERIAL = 2, /* PROFILE */
	TF_DETAIL_KCS_NO_CA = 3, TF_DETAIL_EMPTY_SUBJECT = 4,
	TF_DETAIL_BC_NOT_CRITICAL = 5, TF_DETAIL_OLD_VERSION_EXT = 6
};

/* One failed check: what, on which certificate. */
typedef struct tf_failure {
	uint8_t kind;   /* tf_fail */
	uint8_t cert;   /* the certificate the check failed on */
	uint8_t other;  /* SIGNATURE: the issuer; PATHLEN: intermediates below */
	uint8_t detail; /* TF_DETAIL_* of the kind */
} tf_failure;

/* The trust context: the only thing that differs between the reference and
 * the KB model. */
typedef struct tf_trust {
	tf_certset anchor_set; /* certificates of the anchor set: issuer candidates */
	tf_certset anchors;    /* those of them that are anchors */
	/* When not NULL, a complete path must hold a certificate with the
	 * subject and key of an entry of this list (any position). */
	const tf_issuer_list *required;
	const char *required_what; /* "the trusted issuer list (client_auth_issuers)" */
} tf_trust;

/* Judges identity `identity` of s: every candidate path under t, then the
 * verdict of the best one (status, win32, path, reason; identity set). */
void tf_paths_judge(const tf_scenario *s, const tf_knobs *k, const tf_trust *t,
		    unsigned identity, tf_verdict *out);

/* ---- Checks (evaluators/checks.c) ------------------------------------- */

/* Every failure found on a path prefix: the set of kinds (bit k for kind
 * k) and the worst one, which the reason names (the one nearest the leaf
 * on a tie). Comparing two masks as numbers compares the worst kinds first,
 * then the next worst, and so on: the path order of docs/evaluators.md. */
typedef struct tf_fails {
	uint16_t mask;
	tf_failure worst;
} tf_fails;

static inline void tf_fails_add(tf_fails *a, tf_failure f)
{
	if (f.kind == TF_FAIL_NONE)
		return;
	a->mask = (uint16_t)(a->mask | 1u << f.kind);
	if (f.kind > a->worst.kind)
		a->worst = f;
}

/* Adds the failures of cert as the leaf (position 0): validity, EKU,
 * critical extension, strict profile. */
void tf_check_leaf(const tf_scenario *s, const tf_knobs *k, unsigned cert, tf_fails *acc);
/* Adds the failures of `issuer` placed above `child`: the child's
 * signature, the issuer's validity (skipped for an anchor under
 * anchor_validity=ignore), CA, pathLen (`below` = non-self-issued
 * intermediates between it and the leaf), keyCertSign, critical extension,
 * strict profile. */
void tf_check_issuer(const tf_scenario *s, const tf_knobs *k, unsigned child, unsigned issuer,
		     unsigned below, bool is_anchor, tf_fails *acc);
/* Verdict fields for a failure: status, HRESULT, reason (identity and path
 * are left to the caller). `what` describes the required list. */
void tf_failure_verdict(const tf_scenario *s, const tf_knobs *k, const tf_failure *f,
			const char *what, tf_verdict *out);

/* ---- Shared pipeline (evaluators/judge.c) ----------------------------- */

/* How an evaluator derived its lists, for the pipeline. */
typedef struct tf_judge_lists {
	const tf_issuer_list *trusted;  /* untruncated; what is sent (cut at the limit) */
	const tf_issuer_list *required; /* NULL or the list a path must pass through */
	const char *what;               /* describes `trusted` in reasons */
} tf_judge_lists;

/* The anchor set and anchors of spec s.4 for the scenario's trust mode and
 * the `anchors` knob (docs/evaluators.md, "Anchors"). */
void tf_trust_anchors(const tf_scenario *s, const tf_knobs *k, const tf_issuer_list *trusted,
		      tf_trust *t);

/* The whole judgement: issuer list sent (or not), client selection
 * (403.7 when nothing is offered), then path building for the identity. */
void tf_judge(const tf_scenario *s, const tf_knobs *k, const tf_judge_lists *lists,
	      tf_verdict *out);

/* The reference judgement (spec s.4): the trusted issuer list of
 * tf_issuer_list_trusted, required in mode 0 when its source is Client
 * Authentication Issuers. The KB model calls it outside the trigger. */
void tf_ref_judge(const tf_scenario *s, const tf_knobs *k, tf_verdict *out);

#endif
