/*
 * evaluators/checks.c — the per-certificate checks of spec s.4 and the
 * certificate profile, and how a failure reads as a verdict.
 *
 * Each check adds every failure it finds on one certificate in one position
 * to the path's tf_fails; the engine (paths.c) compares paths by them. The ranks are
 * the tf_fail values, documented in docs/evaluators.md.
 */
#include <stdio.h>

#include "paths.h"

static tf_failure fail(tf_fail kind, unsigned cert, unsigned other, unsigned detail)
{
	tf_failure f = {(uint8_t)kind, (uint8_t)cert, (uint8_t)other, (uint8_t)detail};
	return f;
}

static const tf_failure pass = {TF_FAIL_NONE, 0, 0, 0};

/* The strict profile (knob profile=strict) is one rule list shared with the
 * harness's signature features: tf_cert_profile_rule in core. */
static tf_failure check_profile(const tf_scenario *s, unsigned cert)
{
	static const uint8_t detail[] = {
		[TF_PROFILE_OLD_VERSION_EXT] = TF_DETAIL_OLD_VERSION_EXT,
		[TF_PROFILE_SERIAL] = TF_DETAIL_SERIAL,
		[TF_PROFILE_NO_AKI] = TF_DETAIL_NO_AKI,
		[TF_PROFILE_NO_SKI] = TF_DETAIL_NO_SKI,
		[TF_PROFILE_KCS_NO_CA] = TF_DETAIL_KCS_NO_CA,
		[TF_PROFILE_EMPTY_SUBJECT] = TF_DETAIL_EMPTY_SUBJECT,
		[TF_PROFILE_BC_NOT_CRITICAL] = TF_DETAIL_BC_NOT_CRITICAL,
	};
	tf_profile_rule r = tf_cert_profile_rule(s, cert);
	if (r == TF_PROFILE_OK)
		return pass;
	return fail(TF_FAIL_PROFILE, cert, 0, detail[r]);
}

/* The checks every position shares. */
static void check_common(const tf_scenario *s, const tf_knobs *k, unsigned cert, bool check_time,
			 tf_fails *acc)
{
	const tf_cert *c = &s->certs[cert];
	if (k->profile == TF_PROFILE_STRICT)
		tf_fails_add(acc, check_profile(s, cert));
	if (c->unknown_critical)
		tf_fails_add(acc, fail(TF_FAIL_CRITICAL, cert, 0, 0));
	if (check_time) {
		tf_time_class t = tf_cert_time_class(s, cert);
		if (t != TF_TIME_VALID)
			tf_fails_add(acc, fail(TF_FAIL_VALIDITY, cert, 0,
					       t == TF_TIME_EXPIRED ? TF_DETAIL_EXPIRED
								    : TF_DETAIL_NOT_YET_VALID));
	}
}

void tf_check_leaf(const tf_scenario *s, const tf_knobs *k, unsigned cert, tf_fails *acc)
{
	const tf_cert *c = &s->certs[cert];
	check_common(s, k, cert, true, acc);
	if (c->eku_present && !(c->eku & (TF_EKU_CLIENT_AUTH | TF_EKU_ANY)))
		tf_fails_add(acc, fail(TF_FAIL_EKU, cert, 0, 0));
}

void tf_check_issuer(const tf_scenario *s, const tf_knobs *k, unsigned child, unsigned issuer,
		     unsigned below, bool is_anchor, tf_fails *acc)
{
	const tf_cert *c = &s->certs[issuer];
	if (!tf_cert_sig_verifies(s, child, issuer)) {
		bool key_ok = tf_keys_same(s, s->certs[child].signing_key, c->key);
		tf_fails_add(acc, fail(TF_FAIL_SIGNATURE, child, issuer,
				       key_ok ? TF_DETAIL_CORRUPT : TF_DETAIL_WRONG_KEY));
	}
	check_common(s, k, issuer, !(is_anchor && k->anchor_validity == TF_ANCHOR_VALIDITY_IGNORE),
		     acc);
	/* RFC 5280 s.6.1.4 (l)-(m): pathLen counts the non-self-issued
	 * intermediates below the certificate, the leaf excluded. */
	if (c->bc == TF_BC_CA_TRUE && c->pathlen >= 0 && below > (unsigned)c->pathlen)
		tf_fails_add(acc, fail(TF_FAIL_PATHLEN, issuer, below, 0));
	/* s.6.1.4 (k) asks basicConstraints of v3 certificates only: a v1/v2
	 * issuer without the extension is a CA, an explicit cA FALSE never. */
	if (c->bc == TF_BC_CA_FALSE)
		tf_fails_add(acc, fail(TF_FAIL_NOT_CA, issuer, 0, TF_DETAIL_CA_FALSE));
	else if (c->bc == TF_BC_ABSENT && c->version >= 3)
		tf_fails_add(acc, fail(TF_FAIL_NOT_CA, issuer, 0, TF_DETAIL_BC_ABSENT));
	if (c->ku_present && !(c->ku & TF_KU_KEY_CERT_SIGN))
		tf_fails_add(acc, fail(TF_FAIL_KEY_USAGE, issuer, 0, 0));
}

/* ---- Failure → verdict ------------------------------------------------- */

static const char *profile_rule(unsigned detail)
{
	switch (detail) {
	case TF_DETAIL_NO_AKI: return "no AKI keyIdentifier on a certificate that is not self-signed";
	case TF_DETAIL_NO_SKI: return "no SKI on a CA";
	case TF_DETAIL_SERIAL: return "serial not a positive integer of at most 20 octets";
	case TF_DETAIL_KCS_NO_CA: return "keyCertSign without cA";
	case TF_DETAIL_EMPTY_SUBJECT: return "empty subject on a CA";
	case TF_DETAIL_BC_NOT_CRITICAL: return "basicConstraints not critical on a CA";
	case TF_DETAIL_OLD_VERSION_EXT: return "extensions in a v1/v2 certificate";
	}
	return "?";
}

void tf_failure_verdict(const tf_scenario *s, const tf_knobs *k, const tf_failure *f,
			const char *what, tf_verdict *out)
{
	const char *id = s->certs[f->cert].id;
	const char *other = s->certs[f->other < s->ncerts ? f->other : 0].id;
	int identity = out->identity;
	switch ((tf_fail)f->kind) {
	case TF_FAIL_NONE:
		tf_verdict_set(out, TF_STATUS_200, TF_WIN32_OK, identity, "valid path to anchor %s",
			       id);
		break;
	case TF_FAIL_VALIDITY:
		tf_verdict_set(out, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED, identity,
			       "%s %s at validation time", id,
			       f->detail == TF_DETAIL_EXPIRED ? "expired" : "not yet valid");
		break;
	case TF_FAIL_EKU:
		tf_verdict_set(out, TF_STATUS_403_16, TF_WIN32_CERT_E_WRONG_USAGE, identity,
			       "%s EKU lacks clientAuth", id);
		break;
	case TF_FAIL_KEY_USAGE:
		tf_verdict_set(out, TF_STATUS_403_16, TF_WIN32_CERT_E_WRONG_USAGE, identity,
			       "%s key usage lacks keyCertSign", id);
		break;
	case TF_FAIL_NOT_CA:
		tf_verdict_set(out, TF_STATUS_403_16, TF_WIN32_TRUST_E_BASIC_CONSTRAINTS, identity,
			       "%s is not a CA (%s)", id,
			       f->detail == TF_DETAIL_CA_FALSE ? "cA FALSE"
							       : "no basicConstraints in a v3 certificate");
		break;
	case TF_FAIL_PATHLEN:
		tf_verdict_set(out, TF_STATUS_403_16, TF_WIN32_CERT_E_PATHLENCONST, identity,
			       "%s pathLen %d exceeded by %u intermediate(s) below it", id,
			       s->certs[f->cert].pathlen, f->other);
		break;
	case TF_FAIL_CRITICAL:
		tf_verdict_set(out, TF_STATUS_403_16, TF_WIN32_CERT_E_CRITICAL, identity,
			       "%s has an unrecognised critical extension", id);
		break;
	case TF_FAIL_PROFILE:
		tf_verdict_set(out, TF_STATUS_403_16, TF_WIN32_CERT_E_MALFORMED, identity,
			       "%s breaks the strict profile: %s", id, profile_rule(f->detail));
		break;
	case TF_FAIL_SIGNATURE:
		if (f->detail == TF_DETAIL_CORRUPT)
			tf_verdict_set(out, TF_STATUS_403_16, TF_WIN32_TRUST_E_CERT_SIGNATURE,
				       identity, "%s signature is corrupt", id);
		else
			tf_verdict_set(out, TF_STATUS_403_16, TF_WIN32_TRUST_E_CERT_SIGNATURE,
				       identity, "%s signature does not verify under the key of %s",
				       id, other);
		break;
	case TF_FAIL_NOT_IN_LIST:
		tf_verdict_set(out, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, identity,
			       "path to anchor %s does not pass through %s", id, what);
		break;
	case TF_FAIL_UNTRUSTED_ROOT:
		tf_verdict_set(out, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, identity,
			       "%s is self-signed but not a trust anchor", id);
		break;
	case TF_FAIL_DEPTH:
		tf_verdict_set(out, TF_STATUS_403_16, TF_WIN32_CERT_E_CHAINING, identity,
			       "depth limit %u reached at %s before an anchor", tf_knobs_max_depth(k),
			       id);
		break;
	case TF_FAIL_NO_ISSUER:
		tf_verdict_set(out, TF_STATUS_403_16, TF_WIN32_CERT_E_CHAINING, identity,
			       "no issuer found for %s (issuer name \"%s\")", id,
			       s->names[s->certs[f->cert].issuer].label);
		break;
	}
}
