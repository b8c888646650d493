/*
 * backends/gnutls_path.c — the verdict's path from GnuTLS's verify-output
 * records (docs/gnutls-backend.md, "Path").
 *
 * gnutls_x509_trust_list_verify_crt2() does not return the chain it built;
 * what it exposes is the verify-output callback, called once per check
 * from the top of the chain down to the leaf. A verification is one or two
 * *attempts* (the second looks the top certificate itself up in the trust
 * list when its issuer was not found); an attempt ends at its first
 * failing check or at the leaf. The attempt that decided is the one whose
 * failing check carries the status word GnuTLS returned (the last clean
 * attempt when it returned success, or when only the leaf's purpose failed,
 * a flag GnuTLS adds after the chain checks).
 *
 * A check of a presented certificate against a trusted one with the same
 * subject and key is no signature check: GnuTLS takes the presented copy
 * *as* the trusted certificate (that is how a non-self-signed anchor, or a
 * re-issued one, is recognised). The path then shows the trusted
 * certificate in its place, once.
 */
#include <string.h>

#include "gnutls_internal.h"

static bool same_der(const tf_gnutls_run *run, int a, int b)
{
	const tf_der *x = &run->rd->cert[a], *y = &run->rd->cert[b];
	return x->len == y->len && !memcmp(x->data, y->data, x->len);
}

/* Whether check r identifies a presented certificate with a trusted one,
 * the way GnuTLS shortens a chain before verifying it: the leaf only when
 * it is the very trusted certificate (same DER), a CA certificate when it
 * has the trusted one's subject and key. Anything else is a signature
 * check, even between two certificates with one name and key. */
static bool is_identification(const tf_gnutls_run *run, const tf_gnutls_record *r)
{
	if (r->issuer.role != TF_GNUTLS_TRUSTED || r->cert.cert < 0 || r->issuer.cert < 0)
		return false;
	if (r->cert.role == TF_GNUTLS_PRESENTED && r->cert.pos == 0)
		return same_der(run, r->cert.cert, r->issuer.cert);
	const tf_scenario *s = run->s;
	const tf_cert *c = &s->certs[r->cert.cert];
	const tf_cert *t = &s->certs[r->issuer.cert];
	return c->subject == t->subject && tf_keys_same(s, c->key, t->key);
}

static bool is_leaf(const tf_gnutls_ref *ref)
{
	return ref->role == TF_GNUTLS_PRESENTED && ref->pos == 0;
}

/* Attempt boundaries: attempt a is records [start[a], start[a+1]). */
typedef struct attempts {
	unsigned n;
	unsigned start[TF_GNUTLS_MAX_RECORDS + 1];
} attempts;

static void split(const tf_gnutls_run *run, attempts *at)
{
	at->n = 0;
	unsigned begin = 0;
	for (unsigned i = 0; i < run->nrecords; i++) {
		const tf_gnutls_record *r = &run->records[i];
		if (r->output != 0 || is_leaf(&r->cert)) {
			at->start[at->n++] = begin;
			begin = i + 1;
		}
	}
	if (begin < run->nrecords)
		at->start[at->n++] = begin;
	at->start[at->n] = run->nrecords;
}

static const tf_gnutls_record *last_of(const tf_gnutls_run *run, const attempts *at, unsigned a)
{
	return &run->records[at->start[a + 1] - 1];
}

static bool clean(const tf_gnutls_run *run, const attempts *at, unsigned a)
{
	const tf_gnutls_record *last = last_of(run, at, a);
	return last->output == 0 && is_leaf(&last->cert);
}

/* The deciding attempt, or -1 when there is none. */
static int deciding(const tf_gnutls_run *run, const attempts *at, uint32_t status)
{
	uint32_t chain = status;
	if (status & GNUTLS_CERT_PURPOSE_MISMATCH) {
		/* A purpose failure inside the chain is reported by its check;
		 * the leaf's own is added afterwards, to a clean chain. */
		for (unsigned a = at->n; a-- > 0;)
			if (last_of(run, at, a)->output == status)
				return (int)a;
		chain = status & ~(uint32_t)GNUTLS_CERT_PURPOSE_MISMATCH;
		if (chain == GNUTLS_CERT_INVALID)
			chain = 0;
	}
	for (unsigned a = at->n; a-- > 0;) {
		if (chain == 0 ? clean(run, at, a)
			       : (last_of(run, at, a)->output | GNUTLS_CERT_INVALID) == chain)
			return (int)a;
	}
	return at->n ? (int)at->n - 1 : -1;
}

/* Marks presented certificate j and every presented copy of it (same
 * DER) as placed: GnuTLS drops a certificate it has already seen. */
static void place(const tf_gnutls_run *run, bool *used, unsigned j)
{
	for (unsigned k = 0; k < run->npresented; k++)
		if (k == j || same_der(run, run->presented_idx[k], run->presented_idx[j]))
			used[k] = true;
}

static bool is_stop(const tf_gnutls_run *run, const tf_gnutls_ref *stop, gnutls_x509_crt_t crt,
		    int idx)
{
	if (stop->role == TF_GNUTLS_PRESENTED)
		return crt == run->presented[stop->pos];
	return idx == stop->cert;
}

/* The chain from the leaf up to (excluding) certificate `stop`, laid out
 * the way gnutls_x509_trust_list_verify_crt2 (3.7.9) lays out the list it
 * verifies: segments sorted from their first certificate by
 * gnutls_x509_crt_check_issuer over the unplaced presented certificates (a
 * self-issued certificate ends a segment); at the end of a segment, a
 * trusted issuer ends the list, else the issuer callback's answer (the
 * first Intermediate store certificate accepted) continues it, else the
 * next unplaced presented certificate in the order sent starts the next
 * segment. Returns the count, 0 when `stop` is not met. */
static unsigned rebuild_below(const tf_gnutls_run *run, const tf_gnutls_ref *stop, uint8_t *out,
			      unsigned max)
{
	gnutls_x509_crt_t cur = run->presented[0];
	int cur_idx = run->presented_idx[0];
	bool used[1 + TF_MAX_CHAIN] = {false};
	unsigned n = 0;
	place(run, used, 0);
	while (!is_stop(run, stop, cur, cur_idx)) {
		if (n == max)
			return 0;
		out[n++] = (uint8_t)cur_idx;
		gnutls_x509_crt_t next = NULL;
		unsigned j;
		if (!gnutls_x509_crt_check_issuer(cur, cur)) {
			for (j = 1; j < run->npresented && !next; j++)
				if (!used[j] && gnutls_x509_crt_check_issuer(cur, run->presented[j]))
					break;
			if (j < run->npresented) {
				next = run->presented[j];
				cur_idx = run->presented_idx[j];
				place(run, used, j);
			}
		}
		if (!next) {
			gnutls_x509_crt_t trusted = NULL;
			if (gnutls_x509_trust_list_get_issuer(run->tl, cur, &trusted, 0) == 0)
				return 0; /* GnuTLS ends the list here */
			for (j = 0; j < run->nstore && !next; j++) {
				if (gnutls_x509_crt_check_issuer(cur, run->store[j])) {
					next = run->store[j];
					cur_idx = run->store_idx[j];
				}
			}
		}
		for (j = 1; j < run->npresented && !next; j++) {
			if (!used[j]) {
				next = run->presented[j];
				cur_idx = run->presented_idx[j];
				place(run, used, j);
			}
		}
		if (!next)
			return 0;
		cur = next;
	}
	return n;
}

/* A presented self-issued certificate GnuTLS accepts as the issuer of
 * `top`: GnuTLS drops a self-signed certificate from the end of the chain
 * it verifies (it counts only when trusted), so the chain it reports stops
 * below it, although the client did send its root. */
static int dropped_root(const tf_gnutls_run *run, int top)
{
	gnutls_x509_crt_t top_crt = NULL;
	for (unsigned i = 0; i < run->npresented && !top_crt; i++)
		if (run->presented_idx[i] == top)
			top_crt = run->presented[i];
	for (unsigned i = 0; i < run->nstore && !top_crt; i++)
		if (run->store_idx[i] == top)
			top_crt = run->store[i];
	if (!top_crt)
		return -1;
	for (unsigned i = 0; i < run->npresented; i++) {
		gnutls_x509_crt_t c = run->presented[i];
		if (c != top_crt && run->presented_idx[i] != top &&
		    tf_cert_self_issued(run->s, run->presented_idx[i]) &&
		    gnutls_x509_crt_check_issuer(top_crt, c))
			return run->presented_idx[i];
	}
	return -1;
}

void tf_gnutls_path_of(const tf_gnutls_run *run, uint32_t status, unsigned flags,
		       tf_gnutls_path *out)
{
	attempts at;
	memset(out, 0, sizeof *out);
	out->top = out->failed = out->signer = out->dropped_root = -1;
	split(run, &at);
	int a = deciding(run, &at, status);
	if (a < 0)
		return;

	/* Top-down list of the attempt's certificates. */
	int v[TF_GNUTLS_MAX_RECORDS + 1];
	uint8_t role[TF_GNUTLS_MAX_RECORDS + 1];
	unsigned nv = 0;
	for (unsigned i = at.start[a]; i < at.start[a + 1]; i++) {
		const tf_gnutls_record *r = &run->records[i];
		if (r->issuer.role == TF_GNUTLS_NONE && (r->output & GNUTLS_CERT_SIGNER_NOT_FOUND))
			out->top = r->cert.cert;
		if (r->output != 0) {
			out->failed = r->cert.cert;
			out->signer = r->issuer.cert;
		}
		if (is_identification(run, r)) {
			nv = 0;
			v[nv] = r->issuer.cert;
			role[nv++] = r->issuer.role;
			continue;
		}
		if (nv == 0 && r->issuer.cert >= 0) {
			v[nv] = r->issuer.cert;
			role[nv++] = r->issuer.role;
		} else if (nv > 0 && r->issuer.cert >= 0 && v[nv - 1] != r->issuer.cert) {
			/* After an identification, the certificate below is
			 * checked against whichever trusted certificate of that
			 * name GnuTLS picks: that one is on the path. */
			v[nv - 1] = r->issuer.cert;
			role[nv - 1] = r->issuer.role;
		}
		v[nv] = r->cert.cert;
		role[nv++] = r->cert.role;
	}
	const tf_gnutls_record *last = last_of(run, &at, (unsigned)a);
	bool reached_leaf = is_leaf(&last->cert) && !is_identification(run, last);
	out->complete = nv > 0 && role[0] == TF_GNUTLS_TRUSTED && last->output == 0 &&
			is_leaf(&last->cert);

	/* Leaf first: what lies below the last reported certificate, then
	 * the reported part reversed. */
	unsigned n = 0;
	if (!reached_leaf && !(is_identification(run, last) && is_leaf(&last->cert)) &&
	    last->cert.cert >= 0 && !(flags & GNUTLS_VERIFY_DO_NOT_ALLOW_UNSORTED_CHAIN)) {
		/* Without sorting GnuTLS verifies the list in the order sent,
		 * filling gaps from the store: not rebuilt, the path is what
		 * GnuTLS reported. */
		n = rebuild_below(run, &last->cert, out->cert, TF_MAX_PATH);
	}
	for (unsigned i = nv; i-- > 0;) {
		if (v[i] < 0)
			continue;
		if (n == TF_MAX_PATH) {
			out->truncated = true;
			break;
		}
		out->cert[n++] = (uint8_t)v[i];
	}
	out->n = (uint8_t)n;
	if (out->top >= 0 && !tf_cert_self_issued(run->s, (unsigned)out->top))
		out->dropped_root = dropped_root(run, out->top);
}
