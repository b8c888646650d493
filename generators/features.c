/* generators/features.c — the shape facts of a scenario (features.h). */
#include <string.h>

#include "trustfuzz/features.h"

/* Breadth-first over issuer links from leaf: certificates on the shortest
 * chain to a self-issued certificate, or 0. */
static unsigned depth_from(const tf_scenario *s, unsigned leaf)
{
	uint8_t dist[TF_MAX_CERTS] = {0}; /* 0 = not reached */
	uint8_t queue[TF_MAX_CERTS];
	unsigned head = 0, tail = 0;
	dist[leaf] = 1;
	queue[tail++] = (uint8_t)leaf;
	while (head < tail) {
		unsigned c = queue[head++];
		if (tf_cert_self_issued(s, c))
			return dist[c] < TF_MAX_PATH ? dist[c] : TF_MAX_PATH;
		for (unsigned t = 0; t < s->ncerts; t++) {
			if (t == c || dist[t] || !tf_cert_names_chain(s, c, t))
				continue;
			dist[t] = (uint8_t)(dist[c] + 1);
			queue[tail++] = (uint8_t)t;
		}
	}
	return 0;
}

static bool same_subject(const tf_scenario *s, unsigned a, unsigned b)
{
	return s->certs[a].subject == s->certs[b].subject &&
	       tf_keys_same(s, s->certs[a].key, s->certs[b].key);
}

/* Whether cert b's (subject, key) is a bridge (features.h). */
static bool is_bridge(const tf_scenario *s, unsigned b)
{
	const tf_cert *cb = &s->certs[b];
	int first_issuer = -1;
	bool two_issuers = false;
	for (unsigned c = 0; c < s->ncerts && !two_issuers; c++) {
		const tf_cert *cc = &s->certs[c];
		if (!same_subject(s, b, c) || cc->issuer == cc->subject)
			continue;
		if (first_issuer < 0)
			first_issuer = cc->issuer;
		else if (first_issuer != cc->issuer)
			two_issuers = true;
	}
	if (!two_issuers)
		return false;
	for (unsigned x = 0; x < s->ncerts; x++) {
		const tf_cert *cx = &s->certs[x];
		if (cx->bc == TF_BC_CA_TRUE && cx->subject != cb->subject && tf_cert_names_chain(s, x, b))
			return true;
	}
	return false;
}

static void pairs(const tf_scenario *s, tf_features *f)
{
	for (unsigned a = 0; a < s->ncerts; a++) {
		const tf_cert *ca = &s->certs[a];
		for (unsigned b = a + 1; b < s->ncerts; b++) {
			const tf_cert *cb = &s->certs[b];
			if (ca->subject != cb->subject)
				continue;
			if (!tf_keys_same(s, ca->key, cb->key))
				f->has_name_collision = true;
			else if (ca->issuer != cb->issuer ||
				 !tf_keys_same(s, ca->signing_key, cb->signing_key))
				f->has_cross_sign = true;
		}
	}
}

static void per_cert(const tf_scenario *s, tf_features *f)
{
	for (unsigned i = 0; i < s->ncerts; i++) {
		const tf_cert *c = &s->certs[i];
		bool ca = c->bc == TF_BC_CA_TRUE;
		tf_time_class t = tf_cert_time_class(s, i);
		f->has_expired |= t == TF_TIME_EXPIRED;
		f->has_not_yet_valid |= t == TF_TIME_NOT_YET_VALID;
		f->has_bad_signature |= c->corrupt_sig;
		if (ca)
			f->eku_variation |= c->eku_present;
		else
			f->eku_variation |= !c->eku_present || c->eku != TF_EKU_CLIENT_AUTH;
		unsigned usual = ca ? TF_KU_KEY_CERT_SIGN | TF_KU_CRL_SIGN : TF_KU_DIGITAL_SIGNATURE;
		f->ku_variation |= !c->ku_present || c->ku != usual;
		if (!f->has_bridge && is_bridge(s, i))
			f->has_bridge = true;
	}
}

static void stores(const tf_scenario *s, tf_features *f)
{
	const tf_store *root = &s->stores[TF_STORE_ROOT];
	for (unsigned j = 0; j < root->n; j++) {
		f->nss_in_root |= !tf_cert_self_issued(s, root->cert[j]);
		f->nss_sig_in_root |= !tf_cert_self_signed(s, root->cert[j]);
	}
	for (unsigned c = 0; c < s->ncerts && !f->multi_store; c++) {
		unsigned in = 0;
		for (unsigned id = 0; id < TF_STORE_COUNT; id++)
			in += tf_store_has(&s->stores[id], c);
		f->multi_store = in >= 2;
	}
	f->cai_nonempty = s->stores[TF_STORE_CAI].n > 0;
}

void tf_features_compute(const tf_scenario *s, tf_features *f)
{
	memset(f, 0, sizeof *f);
	for (unsigned k = 0; k < s->nidentities; k++) {
		unsigned d = depth_from(s, s->identities[k].leaf);
		if (d > f->chain_depth)
			f->chain_depth = (uint8_t)d;
	}
	pairs(s, f);
	per_cert(s, f);
	stores(s, f);
	f->n_identities = s->nidentities;
	f->issuer_list = s->server.send_issuer_list;
	f->trust_mode = s->server.trust_mode;
}
