/* generators/visit.c — the one walk over a scenario, in stream order. */
#include <stddef.h>

#include "visit.h"

static void visit_tables(gen_io *io, tf_scenario *d, const tf_scenario *s)
{
	/* Counts are rotations around the minimal scenario: 2 certificates, and
	 * one name and one key per certificate. */
	d->ncerts = (uint8_t)(1 + gen_rot(io, GK_NCERTS, TF_MAX_CERTS, 1, GEN_WANT(io, s->ncerts - 1)));
	d->nnames = (uint8_t)(1 + gen_rot(io, GK_NNAMES, TF_MAX_NAMES, d->ncerts - 1u,
					  GEN_WANT(io, s->nnames - 1)));
	d->nkeys = (uint8_t)(1 + gen_rot(io, GK_NKEYS, TF_MAX_KEYS, d->ncerts - 1u,
					 GEN_WANT(io, s->nkeys - 1)));
	for (unsigned i = 0; i < d->nkeys; i++)
		d->keys[i].pool = (uint16_t)gen_rot(io, GK_KEY_POOL, TF_KEY_POOL_SIZE, i,
						    GEN_WANT(io, s->keys[i].pool));
}

/* Per store: count kind, entry kind, default count, default first entry.
 * Root defaults to [cert 0]; Intermediate entries default to the certs
 * below the root; Client Authentication Issuers to the root upwards. */
static const struct {
	gen_kind count, entry;
	uint8_t dcount, dfirst;
} store_spec[TF_STORE_COUNT] = {
	{GK_ROOT_COUNT, GK_ROOT_ENTRY, 1, 0},
	{GK_INT_COUNT, GK_INT_ENTRY, 0, 1},
	{GK_CAI_COUNT, GK_CAI_ENTRY, 0, 0},
};

/* The rfc5280 profile keeps Root self-signed: an entry drawn on a
 * non-self-signed cert is moved to a random self-signed one, and Root is
 * empty when there is none. The adjusted value is what gets recorded. */
static void visit_root_self_signed(gen_io *io, tf_scenario *d)
{
	tf_store *st = &d->stores[TF_STORE_ROOT];
	unsigned n = d->ncerts, npool = 0;
	uint8_t pool[TF_MAX_CERTS];
	for (unsigned c = 0; c < n; c++)
		if (tf_cert_self_signed(d, c))
			pool[npool++] = (uint8_t)c;
	unsigned v = gen_draw(io, GK_ROOT_COUNT, TF_MAX_STORE + 1);
	if (!npool)
		v = TF_MAX_STORE; /* (1 + v) mod 25 == 0 */
	st->n = (uint8_t)((1 + gen_put(io, TF_MAX_STORE + 1, v)) % (TF_MAX_STORE + 1));
	for (unsigned j = 0; j < st->n; j++) {
		unsigned dflt = j % n;
		unsigned c = (dflt + gen_draw(io, GK_ROOT_ENTRY, n)) % n;
		if (!tf_cert_self_signed(d, c))
			c = pool[gen_below(gen_rand(io), npool)];
		st->cert[j] = (uint8_t)((dflt + gen_put(io, n, (c + n - dflt) % n)) % n);
	}
}

static void visit_stores(gen_io *io, tf_scenario *d, const tf_scenario *s)
{
	for (unsigned id = 0; id < TF_STORE_COUNT; id++) {
		if (id == TF_STORE_ROOT && io->mode == GEN_SEEDED && io->prof->root_self_signed_only) {
			visit_root_self_signed(io, d);
			continue;
		}
		tf_store *st = &d->stores[id];
		const tf_store *ss = io->mode == GEN_ENCODE ? &s->stores[id] : NULL;
		st->n = (uint8_t)gen_rot(io, store_spec[id].count, TF_MAX_STORE + 1,
					 store_spec[id].dcount, GEN_WANT(io, ss->n));
		for (unsigned j = 0; j < st->n; j++)
			st->cert[j] = (uint8_t)gen_rot(io, store_spec[id].entry, d->ncerts,
						       (store_spec[id].dfirst + j) % d->ncerts,
						       GEN_WANT(io, ss->cert[j]));
	}
}

/* Identity k presents cert ncerts-1-k by default and sends nothing; chain
 * entries default to walking the issuer links up from the leaf. */
static void visit_identities(gen_io *io, tf_scenario *d, const tf_scenario *s)
{
	unsigned n = d->ncerts;
	d->nidentities = (uint8_t)(1 + gen_rot(io, GK_NIDENT, TF_MAX_IDENTITIES, 0,
					       GEN_WANT(io, s->nidentities - 1)));
	for (unsigned k = 0; k < d->nidentities; k++) {
		tf_identity *id = &d->identities[k];
		const tf_identity *si = io->mode == GEN_ENCODE ? &s->identities[k] : NULL;
		unsigned dleaf = (TF_MAX_IDENTITIES * n - 1 - k) % n;
		id->leaf = (uint8_t)gen_rot(io, GK_ID_LEAF, n, dleaf, GEN_WANT(io, si->leaf));
		id->nchain = (uint8_t)gen_rot(io, GK_ID_NCHAIN, TF_MAX_CHAIN + 1, 0,
					      GEN_WANT(io, si->nchain));
		unsigned prev = id->leaf;
		for (unsigned j = 0; j < id->nchain; j++) {
			id->chain[j] = (uint8_t)gen_rot(io, GK_ID_CHAIN, n, gen_parent(d, prev),
							GEN_WANT(io, si->chain[j]));
			prev = id->chain[j];
		}
	}
}

/* Issuer-list size limit presets; 4 is a custom 32-bit value. Small limits
 * make truncation reachable with a handful of names. */
static const uint32_t limit_presets[4] = {TF_DEFAULT_ISSUER_LIST_LIMIT, 32, 64, 128};

static void visit_server(gen_io *io, tf_scenario *d, const tf_scenario *s)
{
	tf_server *sv = &d->server;
	const tf_server *ss = io->mode == GEN_ENCODE ? &s->server : NULL;
	sv->send_issuer_list = gen_rot(io, GK_ISSUER_LIST, 2, 0, GEN_WANT(io, ss->send_issuer_list));
	sv->trust_mode = (uint8_t)gen_rot(io, GK_TRUST_MODE, 3, 0, GEN_WANT(io, ss->trust_mode));
	sv->validation_time = TF_DEFAULT_VALIDATION_TIME;
	if (gen_pick(io, GK_VTIME_FORM, 2,
		     GEN_WANT(io, ss->validation_time != TF_DEFAULT_VALIDATION_TIME)))
		sv->validation_time = gen_fold(gen_u2i(gen_wide(io, GK_VTIME, 8,
								 ss ? (uint64_t)ss->validation_time : 0)),
						TF_TIME_MIN, TF_TIME_MAX);
	unsigned want = 4;
	for (unsigned k = 0; ss && k < 4; k++)
		if (ss->issuer_list_limit == limit_presets[k]) {
			want = k;
			break;
		}
	unsigned form = gen_pick(io, GK_LIMIT_FORM, 5, GEN_WANT(io, want));
	sv->issuer_list_limit = form < 4 ? limit_presets[form]
					 : (uint32_t)gen_wide(io, GK_LIMIT, 4,
							      ss ? ss->issuer_list_limit : 0);
}

/* Knobs last: an input that stops early keeps every knob at its default. */
static const struct {
	size_t offset;
	uint8_t n;
} knob_spec[] = {
	{offsetof(tf_knobs, anchors), 2},
	{offsetof(tf_knobs, anchor_validity), 2},
	{offsetof(tf_knobs, profile), 2},
	{offsetof(tf_knobs, max_depth), TF_MAX_PATH + 1},
	{offsetof(tf_knobs, kb_trigger), 2},
	{offsetof(tf_knobs, kb_variant), 3},
	{offsetof(tf_knobs, ossl_mode), 2},
	{offsetof(tf_knobs, ossl_partial_chain), 2},
	{offsetof(tf_knobs, ossl_x509_strict), 2},
	{offsetof(tf_knobs, tls), 2},
	{offsetof(tf_knobs, keys), 3},
};

static void visit_knobs(gen_io *io, tf_scenario *d, const tf_scenario *s)
{
	for (size_t i = 0; i < sizeof knob_spec / sizeof knob_spec[0]; i++) {
		uint8_t *field = (uint8_t *)&d->knobs + knob_spec[i].offset;
		const uint8_t *want = s ? (const uint8_t *)&s->knobs + knob_spec[i].offset : NULL;
		*field = (uint8_t)gen_rot(io, GK_KNOB, knob_spec[i].n, 0, GEN_WANT(io, *want));
	}
	d->knobs.gnutls_flags = 0;
	if (gen_pick(io, GK_KNOB, 2, GEN_WANT(io, s->knobs.gnutls_flags != 0)))
		d->knobs.gnutls_flags = (uint32_t)gen_wide(io, GK_KNOB_WIDE, 4,
							   s ? s->knobs.gnutls_flags : 0);
}

void gen_visit(gen_io *io, tf_scenario *d, const tf_scenario *s)
{
	visit_tables(io, d, s);
	gen_visit_subjects(io, d, s);
	gen_visit_issuers(io, d, s);
	gen_visit_attributes(io, d, s);
	visit_stores(io, d, s);
	visit_identities(io, d, s);
	visit_server(io, d, s);
	gen_fit_times(d);
	gen_visit_labels(io, d, s);
	visit_knobs(io, d, s);
}
