/*
 * harness/prop_openssl.c — properties 6 and 8: where OpenSSL must agree with
 * the reference, and where its two modes must agree with each other
 * (docs/properties.md).
 */
#include <stdio.h>
#include <string.h>

#include "prop_internal.h"
#include "trustfuzz/diff.h"
#include "trustfuzz/features.h"

/* ---- 6. OpenSSL agreement where it must agree ------------------------------ */

/* Whether every certificate of the anchor set (by trust mode, as the
 * reference and the OpenSSL backend compute it) is self-signed. Mode 1's
 * anchors are self-signed by definition. */
static bool anchors_self_signed(const tf_scenario *s)
{
	tf_store_id src = s->stores[TF_STORE_CAI].n ? TF_STORE_CAI : TF_STORE_ROOT;
	const tf_store *st = s->server.trust_mode == 0   ? &s->stores[TF_STORE_ROOT]
			     : s->server.trust_mode == 2 ? &s->stores[src]
							 : NULL;
	for (unsigned i = 0; st && i < st->n; i++)
		if (!tf_cert_self_signed(s, st->cert[i]))
			return false;
	return true;
}

/* Whether two certificates share subject name and key. features.h calls
 * such a pair a cross-sign when the issuers differ; this also catches the
 * pair with the same issuer — a re-issued certificate, the degenerate
 * cross-sign ("twins"). OpenSSL looks trusted
 * and untrusted issuers up by subject and takes the first that fits, so
 * between twins it picks by store order where the reference backtracks —
 * the mechanism of the issue's "name collisions, cross-signs" exclusion —
 * and it recognises a trusted self-signed leaf only when its twin does not
 * come first in the trust store (docs/properties.md). */
static bool has_twin(const tf_scenario *s)
{
	for (unsigned i = 0; i < s->ncerts; i++)
		for (unsigned j = i + 1; j < s->ncerts; j++)
			if (s->certs[i].subject == s->certs[j].subject &&
			    tf_keys_same(s, s->certs[i].key, s->certs[j].key))
				return true;
	return false;
}

/* The documented divergences the property excuses, beyond the three the
 * issue names. (openssl-builds-past-trusted-leaf is not one: under the
 * precondition a trusted leaf is self-signed, so the trusted issuer OpenSSL
 * would extend it with is the leaf itself or a twin, which is skipped.)
 * Each row is a known-divergence entry (corpus/known-
 * divergences.json, same id), restated here on purpose: the precondition of
 * a property must not widen silently when someone broadens that table. A
 * mismatch is excused when the reference's and OpenSSL's statuses match the
 * row (0 = any), the pair's features (diff.h: the scenario's settings plus
 * both verdicts' paths) include `require` and avoid `forbid`. */
typedef struct excuse {
	const char *known_id;
	tf_status ref, ossl;
	uint32_t require, forbid;
	/* When set, must also hold: what the features cannot say precisely. */
	bool (*also)(const tf_scenario *s, const tf_verdict *ossl);
} excuse;

/* A version 1 or 2 certificate without basicConstraints serves as an issuer
 * (anywhere above the leaf) on OpenSSL's path. RFC 5280 s.6.1.4 (k) lets a
 * relying party accept it or reject every v1/v2 intermediate; OpenSSL 3.0
 * rejects it (X509_V_ERR_INVALID_CA) unless it is a self-signed v1 root. */
static bool v1_v2_issuer(const tf_scenario *s, const tf_verdict *ossl)
{
	for (unsigned i = 1; i < ossl->path_len; i++) {
		const tf_cert *c = &s->certs[ossl->path[i]];
		if (c->version < 3 && c->bc == TF_BC_ABSENT)
			return true;
	}
	return false;
}

static const excuse excuses[] = {
	{"openssl-ssl-client-purpose", TF_STATUS_200, TF_STATUS_403_16, TF_FEAT_USAGE, 0},
	{"openssl-key-identifier-filter", TF_STATUS_200, TF_STATUS_403_16, TF_FEAT_KEY_ID, 0},
	{"openssl-notafter-exclusive", TF_STATUS_200, TF_STATUS_403_17, TF_FEAT_VALIDITY_EDGE, 0},
	{"openssl-anchor-extensions-unchecked", TF_STATUS_403_16, 0, TF_FEAT_ANCHOR_NOT_CA, 0},
	{"openssl-no-schannel-issuer-list", TF_STATUS_403_16, 0, TF_FEAT_CAI_STORE,
	 TF_FEAT_MODE1 | TF_FEAT_MODE2},
	{"openssl-reports-another-failure", TF_STATUS_403_17, TF_STATUS_403_16,
	 TF_FEAT_EXPIRED_ON_PATH, 0},
	{"openssl-reports-expiry-first", TF_STATUS_403_16, TF_STATUS_403_17,
	 TF_FEAT_EXPIRED_ON_PATH, 0},
	/* Found by this property (appended to the known table with it). */
	{"openssl-v1-v2-issuer-not-ca", TF_STATUS_200, TF_STATUS_403_16, TF_FEAT_PROFILE_ISSUE, 0,
	 v1_v2_issuer},
	{"openssl-notafter-edge-reported-first", TF_STATUS_403_16, TF_STATUS_403_17,
	 TF_FEAT_VALIDITY_EDGE, 0},
};

static const excuse *excused(const tf_scenario *s, const tf_verdict *vr, const tf_verdict *vo)
{
	uint32_t features = tf_diff_pair_features(s, vr, vo);
	for (size_t i = 0; i < sizeof excuses / sizeof excuses[0]; i++) {
		const excuse *e = &excuses[i];
		if ((!e->ref || e->ref == vr->status) && (!e->ossl || e->ossl == vo->status) &&
		    (features & e->require) == e->require && !(features & e->forbid) &&
		    (!e->also || e->also(s, vo)))
			return e;
	}
	return NULL;
}

size_t tf_prop_openssl_excuses(const char **ids, size_t max)
{
	size_t n = sizeof excuses / sizeof excuses[0];
	for (size_t i = 0; i < n && i < max; i++)
		ids[i] = excuses[i].known_id;
	return n;
}

static tf_err agree_check(tf_prop_env *env, const tf_scenario *s, uint64_t aux,
			  tf_prop_outcome *out, tf_prop_detail *d, tf_error *err)
{
	tf_features f;
	tf_verdict vr, vo;
	(void)aux;
	*out = TF_PROP_SKIP;
	tf_features_compute(s, &f);
	if (f.has_name_collision || f.has_cross_sign || has_twin(s) || !anchors_self_signed(s))
		return TF_OK;
	TF_GUARD(tf_prop_eval(env, 0, s, &vr, err));
	TF_GUARD(tf_prop_eval(env, 1, s, &vo, err));
	if (tf_verdict_equal(&vr, &vo, TF_DEPTH_STATUS)) {
		*out = TF_PROP_PASS;
		return TF_OK;
	}
	if (excused(s, &vr, &vo))
		return TF_OK;
	*out = TF_PROP_FAIL;
	if (d) {
		char a[256], b[256];
		tf_signature sig;
		memset(&sig, 0, sizeof sig);
		tf_diff_pair_signature(env->inst, 0, 1, &vr, &vo, s, TF_DEPTH_STATUS, &sig);
		snprintf(d->what, sizeof d->what, "%s says %s, %s says %s (signature %s)",
			 env->inst[0].name, tf_prop_say(s, &vr, true, a, sizeof a), env->inst[1].name,
			 tf_prop_say(s, &vo, true, b, sizeof b), sig.text);
	}
	return TF_OK;
}

const tf_property tf_prop_openssl_agreement = {
	.name = "openssl-agreement",
	.summary = "the reference and OpenSSL (verify mode) give the same status class",
	.precondition = "no name collision, no cross-sign, no two certificates sharing subject "
			"and key (a re-issue: the degenerate cross-sign), every anchor self-signed",
	.instances = "ref,openssl+mode=verify",
	.ninstances = 2,
	.nprofiles = 3,
	.profiles = {TF_GEN_PROFILE_MIXED, TF_GEN_PROFILE_RFC5280, TF_GEN_PROFILE_KB},
	.default_trials = 1000,
	.check = agree_check,
};

/* ---- 8. Verify and handshake agree ----------------------------------------- */

static tf_err modes_check(tf_prop_env *env, const tf_scenario *s, uint64_t aux,
			  tf_prop_outcome *out, tf_prop_detail *d, tf_error *err)
{
	tf_verdict vv, vh;
	(void)aux;
	/* The issue claims this with the issuer list off; it is claimed with
	 * the list sent too: the handshake server sends the same cut list the
	 * verify mode computes, and its client picks by the same rule. */
	TF_GUARD(tf_prop_eval(env, 0, s, &vv, err));
	TF_GUARD(tf_prop_eval(env, 1, s, &vh, err));
	if (tf_verdict_equal(&vv, &vh, TF_DEPTH_PATH) && vv.identity == vh.identity) {
		*out = TF_PROP_PASS;
		return TF_OK;
	}
	*out = TF_PROP_FAIL;
	if (d) {
		char a[256], b[256];
		snprintf(d->what, sizeof d->what, "%s says %s, %s says %s", env->inst[0].name,
			 tf_prop_say(s, &vv, true, a, sizeof a), env->inst[1].name,
			 tf_prop_say(s, &vh, true, b, sizeof b));
	}
	return TF_OK;
}

const tf_property tf_prop_verify_handshake = {
	.name = "verify-handshake",
	.summary = "OpenSSL's verify mode and its handshake mode give the same verdict (status, "
		   "HRESULT, identity, path)",
	.precondition = "none (the issue asks for SendTrustedIssuerList=0; it is claimed with the "
			"list sent too)",
	.instances = "openssl+mode=verify,openssl+mode=handshake",
	.ninstances = 2,
	.nprofiles = 3,
	.profiles = {TF_GEN_PROFILE_MIXED, TF_GEN_PROFILE_KB, TF_GEN_PROFILE_RFC5280},
	.default_trials = 300,
	.check = modes_check,
};
