/* harness/minimize_struct.c — structural shrinking: remove parts of a
 * scenario and remap every reference so the candidate stays valid.
 *
 * Removals go from the last element to the first: later certificates are
 * usually the padding (generators append extras), and removing from the end
 * keeps the indexes still to visit stable. */
#include <string.h>

#include "minimize_internal.h"

/* Copies the current scenario into the candidate slot. */
static bool start(tf_min_state *m)
{
	if (tf_scenario_copy(&m->cand, &m->cur) != TF_OK) {
		m->fatal = tf_error_set(m->err, TF_ERR_NOMEM, "minimize: out of memory");
		return false;
	}
	return true;
}

/* Removes value `drop` from list[0..*n) and shifts indexes above it down. */
static void remap_list(uint8_t *list, uint8_t *n, unsigned drop)
{
	unsigned k = 0;
	for (unsigned j = 0; j < *n; j++) {
		if (list[j] == drop)
			continue;
		list[k++] = (uint8_t)(list[j] > drop ? list[j] - 1 : list[j]);
	}
	*n = (uint8_t)k;
}

static void drop_identity(tf_scenario *s, unsigned k)
{
	memmove(&s->identities[k], &s->identities[k + 1],
		(s->nidentities - k - 1u) * sizeof s->identities[0]);
	s->nidentities--;
	memset(&s->identities[s->nidentities], 0, sizeof s->identities[0]);
}

/* Removes certificate i with every reference to it; identities whose leaf
 * it was go too. False when nothing valid would be left. */
static bool drop_cert(tf_scenario *s, unsigned i)
{
	if (s->ncerts < 2)
		return false;
	for (unsigned k = s->nidentities; k-- > 0;)
		if (s->identities[k].leaf == i)
			drop_identity(s, k);
	if (s->nidentities == 0)
		return false;
	for (unsigned k = 0; k < s->nidentities; k++) {
		tf_identity *id = &s->identities[k];
		if (id->leaf > i)
			id->leaf--;
		remap_list(id->chain, &id->nchain, i);
	}
	for (unsigned st = 0; st < TF_STORE_COUNT; st++)
		remap_list(s->stores[st].cert, &s->stores[st].n, i);
	/* der lives in the arena: dropping the pointer is enough. */
	memmove(&s->certs[i], &s->certs[i + 1], (s->ncerts - i - 1u) * sizeof s->certs[0]);
	s->ncerts--;
	memset(&s->certs[s->ncerts], 0, sizeof s->certs[0]);
	return true;
}

bool tf_min_pass_drop_certs(tf_min_state *m)
{
	bool any = false;
	for (unsigned i = m->cur.ncerts; i-- > 0 && !tf_min_done(m);) {
		if (i >= m->cur.ncerts || !start(m))
			continue;
		if (!drop_cert(&m->cand, i))
			continue;
		tf_min_gc_tables(&m->cand);
		any |= tf_min_offer(m, true);
	}
	return any;
}

bool tf_min_pass_drop_identities(tf_min_state *m)
{
	bool any = false;
	for (unsigned k = m->cur.nidentities; k-- > 0 && !tf_min_done(m);) {
		if (m->cur.nidentities < 2 || k >= m->cur.nidentities || !start(m))
			continue;
		drop_identity(&m->cand, k);
		any |= tf_min_offer(m, true);
	}
	return any;
}

static void drop_at(uint8_t *list, uint8_t *n, unsigned j)
{
	memmove(&list[j], &list[j + 1], (size_t)(*n - j - 1u));
	(*n)--;
	list[*n] = 0;
}

bool tf_min_pass_drop_entries(tf_min_state *m)
{
	bool any = false;
	for (unsigned st = 0; st < TF_STORE_COUNT; st++) {
		for (unsigned j = m->cur.stores[st].n; j-- > 0 && !tf_min_done(m);) {
			if (j >= m->cur.stores[st].n || !start(m))
				continue;
			drop_at(m->cand.stores[st].cert, &m->cand.stores[st].n, j);
			any |= tf_min_offer(m, true);
		}
	}
	for (unsigned k = 0; k < m->cur.nidentities; k++) {
		for (unsigned j = m->cur.identities[k].nchain; j-- > 0 && !tf_min_done(m);) {
			if (k >= m->cur.nidentities || j >= m->cur.identities[k].nchain || !start(m))
				continue;
			drop_at(m->cand.identities[k].chain, &m->cand.identities[k].nchain, j);
			any |= tf_min_offer(m, true);
		}
	}
	return any;
}

/* ---- Tables: merging and garbage collection ---------------------------- */

/* A certificate that now names another name or key is no longer its
 * imported DER (tf_min_unbind). */
static void merge_name(tf_scenario *s, unsigned from, unsigned into)
{
	for (unsigned i = 0; i < s->ncerts; i++) {
		tf_cert *c = &s->certs[i];
		if (c->subject != from && c->issuer != from)
			continue;
		if (c->subject == from)
			c->subject = (uint8_t)into;
		if (c->issuer == from)
			c->issuer = (uint8_t)into;
		tf_min_unbind(c);
	}
}

static void merge_key(tf_scenario *s, unsigned from, unsigned into)
{
	for (unsigned i = 0; i < s->ncerts; i++) {
		tf_cert *c = &s->certs[i];
		if (c->key != from && c->signing_key != from)
			continue;
		if (c->key == from)
			c->key = (uint8_t)into;
		if (c->signing_key == from)
			c->signing_key = (uint8_t)into;
		tf_min_unbind(c);
	}
}

/* Merging j into an earlier i: the survivor keeps the earlier label, which
 * is usually the more telling one (roots come first). */
bool tf_min_pass_merge(tf_min_state *m)
{
	bool any = false;
	for (unsigned j = m->cur.nnames; j-- > 1 && !tf_min_done(m);) {
		for (unsigned i = 0; i < j && j < m->cur.nnames && !tf_min_done(m); i++) {
			if (!start(m))
				return any;
			merge_name(&m->cand, j, i);
			tf_min_gc_tables(&m->cand);
			if (tf_min_offer(m, true)) {
				any = true;
				break;
			}
		}
	}
	for (unsigned j = m->cur.nkeys; j-- > 1 && !tf_min_done(m);) {
		for (unsigned i = 0; i < j && j < m->cur.nkeys && !tf_min_done(m); i++) {
			if (!start(m))
				return any;
			merge_key(&m->cand, j, i);
			tf_min_gc_tables(&m->cand);
			if (tf_min_offer(m, true)) {
				any = true;
				break;
			}
		}
	}
	return any;
}

bool tf_min_gc_tables(tf_scenario *s)
{
	bool used_name[TF_MAX_NAMES] = {false}, used_key[TF_MAX_KEYS] = {false};
	uint8_t name_map[TF_MAX_NAMES], key_map[TF_MAX_KEYS];
	unsigned nn = 0, nk = 0;
	for (unsigned i = 0; i < s->ncerts; i++) {
		used_name[s->certs[i].subject] = used_name[s->certs[i].issuer] = true;
		used_key[s->certs[i].key] = used_key[s->certs[i].signing_key] = true;
	}
	for (unsigned i = 0; i < s->nnames; i++) {
		name_map[i] = (uint8_t)nn;
		if (used_name[i] || (nn == 0 && i == s->nnames - 1u))
			s->names[nn++] = s->names[i];
	}
	for (unsigned i = 0; i < s->nkeys; i++) {
		key_map[i] = (uint8_t)nk;
		if (used_key[i] || (nk == 0 && i == s->nkeys - 1u))
			s->keys[nk++] = s->keys[i];
	}
	bool changed = nn != s->nnames || nk != s->nkeys;
	if (!changed)
		return false;
	for (unsigned i = 0; i < s->ncerts; i++) {
		tf_cert *c = &s->certs[i];
		c->subject = name_map[c->subject];
		c->issuer = name_map[c->issuer];
		c->key = key_map[c->key];
		c->signing_key = key_map[c->signing_key];
	}
	for (unsigned i = nn; i < s->nnames; i++)
		memset(&s->names[i], 0, sizeof s->names[i]);
	for (unsigned i = nk; i < s->nkeys; i++)
		memset(&s->keys[i], 0, sizeof s->keys[i]);
	s->nnames = (uint8_t)nn;
	s->nkeys = (uint8_t)nk;
	return true;
}
