/*
 * evaluators/paths.c — RFC 4158-style path building over every candidate
 * path, and the choice of the path that decides the verdict.
 *
 * Depth-first search from the leaf. Each node is a path prefix together with
 * the failures on it so far; a node ends a candidate path when its last
 * certificate is an anchor (complete), is self-signed without being an
 * anchor (untrusted root; the search still tries other issuers above it, for
 * key rollover and cross-signs), has no issuer candidate (partial path), or
 * cannot grow because of the depth limit.
 *
 * Choice: the candidate with the lowest badness (its set of failure kinds
 * compared worst kind first, empty for a valid path), then the shortest,
 * then the first found in search order.
 * Because badness never decreases and length only grows along a branch, a
 * branch that cannot beat the current choice is cut (branch and bound):
 * the result is the same as exploring everything, only faster.
 */
#include <string.h>

#include "paths.h"

typedef struct search {
	const tf_scenario *s;
	const tf_knobs *k;
	const tf_trust *t;
	unsigned max_depth;
	unsigned npool;
	uint8_t pool[TF_MAX_CERTS];
	uint8_t path[TF_MAX_PATH];
	tf_fails fails[TF_MAX_PATH];   /* failures of the prefix ending at i */
	uint8_t nonsi[TF_MAX_PATH];    /* non-self-issued certificates at 1..i */
	unsigned nodes;
	bool exhausted;
	bool have_best;
	tf_fails best;
	unsigned best_len;
	uint8_t best_path[TF_MAX_PATH];
} search;

/* Whether a candidate with failure set `mask` and `len` certificates would
 * beat the current choice (ties go to the one found first). */
static bool beats(const search *q, unsigned mask, unsigned len)
{
	if (!q->have_best)
		return true;
	return mask < q->best.mask || (mask == q->best.mask && len < q->best_len);
}

static void record(search *q, unsigned len, tf_fails f)
{
	if (!beats(q, f.mask, len))
		return;
	q->have_best = true;
	q->best = f;
	q->best_len = len;
	memcpy(q->best_path, q->path, len);
}

/* Whether adding cert above path[0..len-1] would repeat a certificate
 * (docs/evaluators.md, "Loops and repeated subject and key"). The same
 * certificate never appears twice (spec s.4). A certificate with the subject
 * and key of an intermediate path[j] (j >= 1) closes a loop and is pruned,
 * as RFC 4158 s.5.2 advises: path[j-1] names it as issuer and its signature
 * verifies under its key, so the search tries it directly above path[j-1],
 * a shorter path with no more failures. The leaf (j = 0) has no such
 * shortcut, so a certificate sharing only the leaf's subject and key is a
 * genuine issuer candidate: RFC 5280 s.6.1 validates a sequence of
 * certificates and has no rule against it; in particular a self-signed leaf
 * chains to an anchor with its name and key (RFC 5280 s.6.1.1(d): the trust
 * anchor is a name and a key). */
static bool on_path(const search *q, unsigned len, unsigned cert)
{
	const tf_cert *c = &q->s->certs[cert];
	if (q->path[0] == cert)
		return true;
	for (unsigned i = 1; i < len; i++) {
		const tf_cert *p = &q->s->certs[q->path[i]];
		if (q->path[i] == cert ||
		    (p->subject == c->subject && tf_keys_same(q->s, p->key, c->key)))
			return true;
	}
	return false;
}

/* Whether some certificate of the path has the subject and key of an entry
 * of the required list. */
static bool passes_required(const search *q, unsigned len)
{
	const tf_issuer_list *l = q->t->required;
	for (unsigned i = 0; i < len; i++) {
		const tf_cert *p = &q->s->certs[q->path[i]];
		for (unsigned j = 0; j < l->n; j++) {
			const tf_cert *e = &q->s->certs[l->cert[j]];
			if (p->subject == e->subject && tf_keys_same(q->s, p->key, e->key))
				return true;
		}
	}
	return false;
}

static tf_failure at(tf_fail kind, unsigned cert)
{
	tf_failure f = {(uint8_t)kind, (uint8_t)cert, 0, 0};
	return f;
}

/* The failures of the prefix of length len, plus one more. */
static tf_fails plus(const search *q, unsigned len, tf_fail kind, unsigned cert)
{
	tf_fails f = q->fails[len - 1];
	tf_fails_add(&f, at(kind, cert));
	return f;
}

static void visit(search *q, unsigned len);

/* Tries every issuer candidate above path[len-1]; sets *found when one
 * existed (name match, no loop) and *blocked when the depth limit stopped
 * them. */
static void extend(search *q, unsigned len, bool *found, bool *blocked)
{
	const tf_scenario *s = q->s;
	unsigned last = q->path[len - 1];
	unsigned want = s->certs[last].issuer;
	for (unsigned i = 0; i < q->npool && !q->exhausted; i++) {
		unsigned x = q->pool[i];
		if (s->certs[x].subject != want || on_path(q, len, x))
			continue;
		*found = true;
		if (len == q->max_depth) {
			*blocked = true;
			continue;
		}
		bool anchor = TF_CERTSET_HAS(q->t->anchors, x);
		/* Intermediates below x: path[1..len-1] that are not self-issued. */
		unsigned below = q->nonsi[len - 1];
		tf_fails w = q->fails[len - 1];
		tf_check_issuer(s, q->k, last, x, below, anchor, &w);
		if (!beats(q, w.mask, len + 1))
			continue;
		q->path[len] = (uint8_t)x;
		q->fails[len] = w;
		q->nonsi[len] = (uint8_t)(below + !tf_cert_self_issued(s, x));
		visit(q, len + 1);
	}
}

static void visit(search *q, unsigned len)
{
	const tf_scenario *s = q->s;
	unsigned last = q->path[len - 1];
	if (++q->nodes > TF_PATHS_MAX_NODES) {
		q->exhausted = true;
		return;
	}
	if (TF_CERTSET_HAS(q->t->anchors, last)) {
		tf_fails w = q->fails[len - 1];
		if (q->t->required && !passes_required(q, len))
			tf_fails_add(&w, at(TF_FAIL_NOT_IN_LIST, last));
		if (w.mask == 0)
			w.worst.cert = (uint8_t)last; /* the anchor, for the 200 reason */
		record(q, len, w);
		return;
	}
	bool self_signed = tf_cert_self_signed(s, last);
	if (self_signed)
		record(q, len, plus(q, len, TF_FAIL_UNTRUSTED_ROOT, last));
	bool found = false, blocked = false;
	extend(q, len, &found, &blocked);
	if (self_signed || q->exhausted)
		return;
	if (!found)
		record(q, len, plus(q, len, TF_FAIL_NO_ISSUER, last));
	else if (blocked)
		record(q, len, plus(q, len, TF_FAIL_DEPTH, last));
}

/* The candidate pool in search order: sent chain, Intermediate store, anchor
 * set (store order within each), each certificate once. */
static void build_pool(search *q, const tf_identity *id)
{
	const tf_scenario *s = q->s;
	tf_certset seen = 0;
	q->npool = 0;
	for (unsigned i = 0; i < id->nchain; i++) {
		unsigned c = id->chain[i];
		if (!TF_CERTSET_HAS(seen, c)) {
			seen |= 1u << c;
			q->pool[q->npool++] = (uint8_t)c;
		}
	}
	const tf_store *im = &s->stores[TF_STORE_INTERMEDIATE];
	for (unsigned i = 0; i < im->n; i++) {
		unsigned c = im->cert[i];
		if (!TF_CERTSET_HAS(seen, c)) {
			seen |= 1u << c;
			q->pool[q->npool++] = (uint8_t)c;
		}
	}
	for (unsigned c = 0; c < s->ncerts; c++) {
		if (TF_CERTSET_HAS(q->t->anchor_set, c) && !TF_CERTSET_HAS(seen, c)) {
			seen |= 1u << c;
			q->pool[q->npool++] = (uint8_t)c;
		}
	}
}

void tf_paths_judge(const tf_scenario *s, const tf_knobs *k, const tf_trust *t,
		    unsigned identity, tf_verdict *out)
{
	search q;
	q.s = s;
	q.k = k;
	q.t = t;
	q.max_depth = tf_knobs_max_depth(k);
	q.nodes = 0;
	q.exhausted = false;
	unsigned leaf = s->identities[identity].leaf;
	q.have_best = false;
	q.best.mask = 1u << TF_FAIL_NO_ISSUER;
	q.best.worst = at(TF_FAIL_NO_ISSUER, leaf);
	q.best_len = 1;
	q.best_path[0] = (uint8_t)leaf;
	build_pool(&q, &s->identities[identity]);

	q.path[0] = (uint8_t)leaf;
	q.fails[0].mask = 0;
	q.fails[0].worst = at(TF_FAIL_NONE, leaf);
	tf_check_leaf(s, k, leaf, &q.fails[0]);
	q.nonsi[0] = 0;
	visit(&q, 1);

	out->identity = (int8_t)identity;
	tf_failure_verdict(s, k, &q.best.worst, t->required_what, out);
	out->path_len = (uint8_t)q.best_len;
	memcpy(out->path, q.best_path, q.best_len);
	if (q.exhausted && q.best.mask != 0) {
		size_t n = strlen(out->reason);
		const char *note = " (search bound reached)";
		if (n + strlen(note) < sizeof out->reason)
			memcpy(out->reason + n, note, strlen(note) + 1);
	}
}
