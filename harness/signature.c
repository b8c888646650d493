/* harness/signature.c — divergence signatures: features, text form, id.
 *
 * The text form is the signature's identity (docs/harness.md):
 *
 *   A~B:CA/CB:F1+F2+...
 *
 * A and B are instance names in instance order; CA and CB the verdict
 * classes at the compared depth ("403.16"; at win32 depth
 * "403.16[CERT_E_UNTRUSTEDROOT]"; at path depth also the path length,
 * "200[S_OK]{3}"); the features are TF_FEAT_* names in bit order, or "-"
 * when there are none. The id is FNV-1a 64 of the text in 16 lower-case hex
 * digits. Nothing in it depends on the order of certificates or on their
 * labels, so the same shape found twice gets the same signature. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "trustfuzz/diff.h"
#include "trustfuzz/evaluator.h"
#include "trustfuzz/features.h"

static const char *const feature_names[TF_FEAT_COUNT] = {
	"trigger",	    "issuer-list",    "mode1",	       "mode2",
	"nss-anchor",	    "name-collision", "cross-sign",    "expired-on-path",
	"cai-store",	    "list-truncated", "multi-identity", "bad-signature",
	"profile-issue",    "usage",	      "key-id",	       "validity-edge",
	"anchor-not-ca",    "reissued-anchor", "pathlen-self-issued", "store-twin",
};

const char *tf_feature_name(unsigned bit)
{
	return bit < TF_FEAT_COUNT ? feature_names[bit] : NULL;
}

/* ---- Scenario features ------------------------------------------------- */

/* The server's settings come from features.h, so that `show`, the
 * generator coverage test and signatures mean the same by the same word.
 * The trigger is read from the source store of the trusted issuer list
 * (evaluator.h), not from Root alone: when Client Authentication Issuers
 * holds certificates, that is the store the KB mechanism looks at. It is
 * the signature-based test (not self-signed), which contains the name-based
 * one (not self-issued), so one feature covers both kb.trigger values. */
static uint32_t scenario_features(const tf_scenario *s)
{
	tf_features f;
	tf_issuer_list l;
	uint32_t out = 0;
	tf_features_compute(s, &f);
	tf_issuer_list_trusted(s, &l);
	for (unsigned i = 0; i < l.n; i++)
		if (!tf_cert_self_signed(s, l.cert[i]))
			out |= TF_FEAT_TRIGGER;
	out |= f.issuer_list ? TF_FEAT_ISSUER_LIST : 0;
	out |= f.trust_mode == 1 ? TF_FEAT_MODE1 : 0;
	out |= f.trust_mode == 2 ? TF_FEAT_MODE2 : 0;
	out |= f.cai_nonempty ? TF_FEAT_CAI_STORE : 0;
	tf_issuer_list_truncate(s, &l, s->server.issuer_list_limit);
	out |= l.n < l.ntotal ? TF_FEAT_LIST_TRUNCATED : 0;
	return out;
}

/* ---- Path features ----------------------------------------------------- */

/* The strict profile of spec s.4 (producer MUSTs), the rules the evaluators
 * enforce under profile=strict (tf_cert_profile_rule). A path feature, not a
 * scenario one: generated scenarios break some rule somewhere most of the
 * time, so only a certificate a verdict rests on says something about the
 * divergence. */
static bool profile_issue(const tf_scenario *s, unsigned i)
{
	return tf_cert_profile_rule(s, i) != TF_PROFILE_OK;
}

/* An anchor in any evaluator's sense lives in Root or in Client
 * Authentication Issuers; which of those a given evaluator trusts depends on
 * its knobs, so the feature uses store membership, which all share. */
static bool in_anchor_store(const tf_scenario *s, unsigned c)
{
	return tf_store_has(&s->stores[TF_STORE_ROOT], c) ||
	       tf_store_has(&s->stores[TF_STORE_CAI], c);
}

/* Name collisions and cross-signs that touch certificate c: another
 * certificate with c's subject name and a different key (a collision), or
 * with c's subject and key but another issuer (a cross-sign). */
static uint32_t twins(const tf_scenario *s, unsigned c)
{
	const tf_cert *x = &s->certs[c];
	uint32_t f = 0;
	for (unsigned t = 0; t < s->ncerts; t++) {
		const tf_cert *y = &s->certs[t];
		if (t == c || y->subject != x->subject)
			continue;
		if (!tf_keys_same(s, x->key, y->key))
			f |= TF_FEAT_NAME_COLLISION;
		else if (x->issuer != y->issuer || !tf_keys_same(s, x->signing_key, y->signing_key))
			f |= TF_FEAT_CROSS_SIGN;
	}
	return f;
}

/* Usage restrictions beyond spec s.4's leaf-EKU rule (TF_FEAT_USAGE). */
static bool usage_restricted(const tf_scenario *s, unsigned c, bool leaf)
{
	const tf_cert *x = &s->certs[c];
	const unsigned sign = TF_KU_DIGITAL_SIGNATURE | TF_KU_KEY_AGREEMENT;
	bool eku_no_client = x->eku_present && !(x->eku & TF_EKU_CLIENT_AUTH);
	if (leaf)
		return (x->ku_present && !(x->ku & sign)) ||
		       (eku_no_client && (x->eku & TF_EKU_ANY));
	return x->bc == TF_BC_CA_TRUE && eku_no_client;
}

/* A self-issued CA strictly between the leaf and a certificate above it on
 * the path that carries a pathLenConstraint: RFC 5280 s.4.2.1.9 does not
 * count it, an implementation that does fails the path (the path is
 * v->path[0] = leaf .. v->path[n-1] = anchor). */
static uint32_t pathlen_self_issued(const tf_scenario *s, const tf_verdict *v)
{
	unsigned n = v->path_len < TF_MAX_PATH ? v->path_len : TF_MAX_PATH;
	for (unsigned i = 1; i + 1 < n; i++) {
		unsigned c = v->path[i];
		if (c >= s->ncerts || !tf_cert_self_issued(s, c) ||
		    s->certs[c].bc != TF_BC_CA_TRUE)
			continue;
		for (unsigned j = i + 1; j < n; j++)
			if (v->path[j] < s->ncerts && s->certs[v->path[j]].pathlen >= 0)
				return TF_FEAT_PATHLEN_SELF_ISSUED;
	}
	return 0;
}

static bool on_path(const tf_verdict *v, unsigned c)
{
	for (unsigned i = 0; i < v->path_len && i < TF_MAX_PATH; i++)
		if (v->path[i] == c)
			return true;
	return false;
}

/* A certificate of an anchor store with the subject and key of a path
 * certificate but not itself on the path. Unlike the other path features
 * it looks beyond the path, because the twin is what a lookup by subject
 * (OpenSSL's X509_STORE) may return first: the verdict then rests on a
 * certificate the path does not show. */
static uint32_t store_twin(const tf_scenario *s, const tf_verdict *v)
{
	for (unsigned i = 0; i < v->path_len && i < TF_MAX_PATH; i++) {
		unsigned c = v->path[i];
		if (c >= s->ncerts)
			continue;
		for (unsigned t = 0; t < s->ncerts; t++)
			if (t != c && in_anchor_store(s, t) &&
			    s->certs[t].subject == s->certs[c].subject &&
			    tf_keys_same(s, s->certs[t].key, s->certs[c].key) && !on_path(v, t))
				return TF_FEAT_STORE_TWIN;
	}
	return 0;
}

static uint32_t path_features(const tf_scenario *s, const tf_verdict *v)
{
	uint32_t f = 0;
	if (!v || v->path_len == 0)
		return 0;
	unsigned last = v->path[v->path_len - 1];
	if (last < s->ncerts && in_anchor_store(s, last)) {
		const tf_cert *a = &s->certs[last];
		if (a->bc != TF_BC_CA_TRUE || (a->ku_present && !(a->ku & TF_KU_KEY_CERT_SIGN)))
			f |= TF_FEAT_ANCHOR_NOT_CA;
	}
	for (unsigned i = 0; i < v->path_len && i < TF_MAX_PATH; i++) {
		unsigned c = v->path[i];
		if (c >= s->ncerts)
			continue;
		/* Anywhere on the path, not only at its end: OpenSSL's default
		 * goes on past such a certificate, and its path then ends above. */
		if (in_anchor_store(s, c) && !tf_cert_self_signed(s, c))
			f |= TF_FEAT_NSS_ANCHOR_ON_PATH;
		if (tf_cert_time_class(s, c) != TF_TIME_VALID)
			f |= TF_FEAT_EXPIRED_ON_PATH;
		if (s->certs[c].not_before == 0 || s->certs[c].not_after == 0)
			f |= TF_FEAT_VALIDITY_EDGE;
		if (profile_issue(s, c))
			f |= TF_FEAT_PROFILE_ISSUE;
		if (s->certs[c].corrupt_sig)
			f |= TF_FEAT_BAD_SIGNATURE;
		if (usage_restricted(s, c, i == 0))
			f |= TF_FEAT_USAGE;
		if (s->certs[c].ski == TF_KID_MISMATCH || s->certs[c].aki == TF_KID_MISMATCH)
			f |= TF_FEAT_KEY_ID;
		f |= twins(s, c);
	}
	for (unsigned i = 0; i < v->path_len && i < TF_MAX_PATH; i++)
		for (unsigned j = i + 1; j < v->path_len && j < TF_MAX_PATH; j++) {
			unsigned x = v->path[i], y = v->path[j];
			if (x < s->ncerts && y < s->ncerts &&
			    s->certs[x].subject == s->certs[y].subject &&
			    tf_keys_same(s, s->certs[x].key, s->certs[y].key))
				f |= TF_FEAT_REISSUED_ANCHOR;
		}
	f |= pathlen_self_issued(s, v) | store_twin(s, v);
	if (v->identity > 0)
		f |= TF_FEAT_MULTI_IDENTITY;
	return f;
}

uint32_t tf_diff_pair_features(const tf_scenario *s, const tf_verdict *va, const tf_verdict *vb)
{
	return scenario_features(s) | path_features(s, va) | path_features(s, vb);
}

uint32_t tf_diff_features(const tf_scenario *s, const tf_run *run)
{
	uint32_t f = scenario_features(s);
	for (unsigned i = 0; run && i < run->n; i++)
		if (run->rc[i] == TF_OK)
			f |= path_features(s, &run->v[i]);
	return f;
}

/* ---- Text form and id -------------------------------------------------- */

static void class_text(const tf_verdict *v, tf_depth d, char *buf, size_t n)
{
	char hr[16];
	const char *name = tf_win32_str(v->win32);
	if (!name) {
		snprintf(hr, sizeof hr, "0x%08" PRIX32, v->win32);
		name = hr;
	}
	if (d == TF_DEPTH_STATUS)
		snprintf(buf, n, "%s", tf_status_str(v->status));
	else if (d == TF_DEPTH_WIN32)
		snprintf(buf, n, "%s[%s]", tf_status_str(v->status), name);
	else
		snprintf(buf, n, "%s[%s]{%u}", tf_status_str(v->status), name, v->path_len);
}

static uint64_t fnv1a64(const char *text)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		h ^= *p;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

static void feature_text(uint32_t features, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < TF_FEAT_COUNT && used < n; i++) {
		if (!(features & (1u << i)))
			continue;
		int w = snprintf(buf + used, n - used, "%s%s", used ? "+" : "", feature_names[i]);
		if (w > 0)
			used += (size_t)w;
	}
	if (!used)
		snprintf(buf, n, "-");
}

void tf_signature_format(const tf_instance *inst, tf_signature *sig, const tf_verdict *va,
			 const tf_verdict *vb, tf_depth d)
{
	char ca[64], cb[64], feats[200];
	class_text(va, d, ca, sizeof ca);
	class_text(vb, d, cb, sizeof cb);
	feature_text(sig->features, feats, sizeof feats);
	snprintf(sig->text, sizeof sig->text, "%s~%s:%s/%s:%s", inst[sig->a].name,
		 inst[sig->b].name, ca, cb, feats);
	snprintf(sig->id, sizeof sig->id, "%016" PRIx64, fnv1a64(sig->text));
}

/* The verdict classes never hold a ':' (class_text), so the features are
 * what follows the last one. */
void tf_signature_set_features(tf_signature *sig, uint32_t features)
{
	char feats[200];
	char *colon = strrchr(sig->text, ':');
	if (!colon)
		return;
	feature_text(features, feats, sizeof feats);
	sig->features = features;
	snprintf(colon + 1, sizeof sig->text - (size_t)(colon + 1 - sig->text), "%s", feats);
	snprintf(sig->id, sizeof sig->id, "%016" PRIx64, fnv1a64(sig->text));
}

bool tf_diff_pair_signature(const tf_instance *inst, unsigned a, unsigned b, const tf_verdict *va,
			    const tf_verdict *vb, const tf_scenario *s, tf_depth d,
			    tf_signature *out)
{
	if (tf_verdict_equal(va, vb, d))
		return false;
	memset(out, 0, sizeof *out);
	out->a = (uint8_t)a;
	out->b = (uint8_t)b;
	out->sa = va->status;
	out->sb = vb->status;
	if (d >= TF_DEPTH_WIN32) {
		out->wa = va->win32;
		out->wb = vb->win32;
	}
	out->features = tf_diff_pair_features(s, va, vb);
	out->facts = out->features;
	tf_signature_format(inst, out, va, vb, d);
	return true;
}
