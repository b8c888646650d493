/*
 * harness/prop_stores.c — properties 1 and 2: what the stores' order and an
 * unrelated root must not change (docs/properties.md).
 *
 * Both are metamorphic: the scenario is judged, then a transformed copy (the
 * twin), and the two verdicts are compared. Both SKIP when either verdict
 * stopped at the path search's node bound, because such a verdict is "the
 * best path found so far" and may legitimately depend on search order.
 */
#include <stdio.h>
#include <string.h>

#include "prop_internal.h"
#include "trustfuzz/fixture.h"

/* ---- 1. Store order ------------------------------------------------------ */

/* Permutations tried per trial: every store reversed, then random ones. */
#define ORDER_TRIES 4

static void permute(tf_scenario *t, uint64_t *rng, unsigned k)
{
	for (unsigned id = 0; id < TF_STORE_COUNT; id++) {
		tf_store *st = &t->stores[id];
		if (k == 0) {
			for (unsigned i = 0, j = st->n; i + 1 < j; i++, j--) {
				uint8_t x = st->cert[i];
				st->cert[i] = st->cert[j - 1];
				st->cert[j - 1] = x;
			}
			continue;
		}
		for (unsigned i = st->n; i > 1; i--) {
			unsigned j = tf_prop_below(rng, i);
			uint8_t x = st->cert[i - 1];
			st->cert[i - 1] = st->cert[j];
			st->cert[j] = x;
		}
	}
}

static void store_text(const tf_scenario *t, tf_store_id id, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < t->stores[id].n && used < n; i++) {
		int w = snprintf(buf + used, n - used, "%s%s", i ? " " : "",
				 t->certs[t->stores[id].cert[i]].id);
		if (w > 0)
			used += (size_t)w;
	}
}

_Static_assert(TF_MAX_NAMES <= 32, "names_sent holds one bit per name");

/* The names of the issuer list the server sends (cut at its limit), as a
 * set of name indexes; 0 when none is sent. */
static uint32_t names_sent(const tf_scenario *s)
{
	tf_issuer_list l;
	uint32_t set = 0;
	if (!s->server.send_issuer_list)
		return 0;
	tf_issuer_list_trusted(s, &l);
	tf_issuer_list_truncate(s, &l, s->server.issuer_list_limit);
	for (unsigned i = 0; i < l.n; i++)
		set |= UINT32_C(1) << s->certs[l.cert[i]].subject;
	return set;
}

static tf_err order_check(tf_prop_env *env, const tf_scenario *s, uint64_t aux,
			  tf_prop_outcome *out, tf_prop_detail *d, tf_error *err)
{
	tf_verdict v0, v1;
	tf_scenario t;
	uint64_t rng = aux;
	bool tested = false;
	*out = TF_PROP_SKIP;
	/* Twins are struct copies: generated and shrunk scenarios own no arena
	 * data (bound DER), and a copy must not share one. */
	TF_ENSURE(s->arena.head == NULL, err, TF_ERR_INVALID,
		  "store-order: scenarios with bound DER are not supported");
	TF_GUARD(tf_prop_eval(env, 0, s, &v0, err));
	if (tf_prop_search_bound(&v0))
		return TF_OK;
	for (unsigned k = 0; k < ORDER_TRIES; k++) {
		t = *s;
		permute(&t, &rng, k);
		/* A list cut at its limit keeps a prefix, and which prefix is
		 * exactly what store order decides: when the names sent differ,
		 * client selection may rightly offer another identity. Nothing
		 * else of the verdict reads the cut list (evaluators/judge.c). */
		if (names_sent(s) != names_sent(&t))
			continue;
		TF_GUARD(tf_prop_eval(env, 0, &t, &v1, err));
		if (tf_prop_search_bound(&v1))
			continue;
		tested = true;
		if (tf_verdict_equal(&v0, &v1, TF_DEPTH_WIN32) && v0.identity == v1.identity)
			continue;
		*out = TF_PROP_FAIL;
		if (d) {
			char a[256], b[256], r[200], i[200], c[200];
			store_text(&t, TF_STORE_ROOT, r, sizeof r);
			store_text(&t, TF_STORE_INTERMEDIATE, i, sizeof i);
			store_text(&t, TF_STORE_CAI, c, sizeof c);
			snprintf(d->what, sizeof d->what, "%s says %s; with the stores reordered "
				 "(root [%s], intermediate [%s], client_auth_issuers [%s]) it says %s",
				 env->inst[0].name, tf_prop_say(s, &v0, true, a, sizeof a), r, i, c,
				 tf_prop_say(&t, &v1, true, b, sizeof b));
			TF_GUARD(tf_prop_set_twin(d, &t, err, "%s", k == 0 ? "every store reversed"
									   : "stores shuffled"));
		}
		return TF_OK;
	}
	*out = tested ? TF_PROP_PASS : TF_PROP_SKIP;
	return TF_OK;
}

const tf_property tf_prop_store_order = {
	.name = "store-order",
	.summary = "the verdict class (status, HRESULT) and the identity presented do not "
		   "depend on the order of any store",
	.precondition = "the reordered stores send the same set of issuer names (a list cut at "
			"its size limit keeps a prefix in store order); neither search stops at "
			"its node bound",
	.instances = "ref",
	.ninstances = 1,
	.nprofiles = 3,
	.profiles = {TF_GEN_PROFILE_MIXED, TF_GEN_PROFILE_KB, TF_GEN_PROFILE_RFC5280},
	.default_trials = 2000,
	.check = order_check,
};

/* ---- 2. Irrelevant roots ------------------------------------------------- */

/* A fresh label for the new root's name (unique in the table). */
static void fresh_label(const tf_scenario *t, char *buf, size_t n)
{
	snprintf(buf, n, "Unrelated Root");
	for (unsigned k = 2; tf_scenario_find_name(t, buf) >= 0; k++)
		snprintf(buf, n, "Unrelated Root %u", k);
}

/* A pool key that no key of the table uses. */
static unsigned fresh_pool_key(const tf_scenario *t)
{
	for (unsigned p = 0; p < TF_KEY_POOL_SIZE; p++) {
		bool used = false;
		for (unsigned k = 0; k < t->nkeys && !used; k++)
			used = t->keys[k].pool == p;
		if (!used)
			return p;
	}
	return TF_KEY_POOL_SIZE; /* unreachable: TF_MAX_KEYS < TF_KEY_POOL_SIZE */
}

/* Adds a valid self-signed CA with a fresh name and key at `pos` in Root;
 * false when a table is full. */
static bool add_unrelated_root(tf_scenario *t, unsigned pos)
{
	tf_store *root = &t->stores[TF_STORE_ROOT];
	unsigned pool = fresh_pool_key(t);
	if (t->ncerts >= TF_MAX_CERTS || t->nnames >= TF_MAX_NAMES || t->nkeys >= TF_MAX_KEYS ||
	    root->n >= TF_MAX_STORE || pool >= TF_KEY_POOL_SIZE)
		return false;
	char label[TF_LABEL_MAX];
	fresh_label(t, label, sizeof label);
	unsigned name = t->nnames++, key = t->nkeys++, c = t->ncerts++;
	memset(&t->names[name], 0, sizeof t->names[name]);
	memcpy(t->names[name].label, label, sizeof label);
	memset(&t->keys[key], 0, sizeof t->keys[key]);
	t->keys[key].pool = (uint16_t)pool;
	tf_cert *r = &t->certs[c];
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "Runrelated");
	for (unsigned k = 2; tf_scenario_find_cert(t, r->id) != (int)c; k++)
		snprintf(r->id, sizeof r->id, "Runrelated%u", k);
	r->subject = r->issuer = (uint8_t)name;
	r->key = r->signing_key = (uint8_t)key;
	r->serial = (int64_t)c + 1;
	r->version = 3;
	r->not_before = TF_VALID_NOT_BEFORE;
	r->not_after = TF_VALID_NOT_AFTER;
	r->bc = TF_BC_CA_TRUE;
	r->pathlen = -1;
	r->bc_critical = true;
	r->ku_present = r->ku_critical = true;
	r->ku = TF_KU_KEY_CERT_SIGN | TF_KU_CRL_SIGN;
	r->ski = r->aki = TF_KID_MATCH;
	if (pos > root->n)
		pos = root->n;
	memmove(&root->cert[pos + 1], &root->cert[pos], root->n - pos);
	root->cert[pos] = (uint8_t)c;
	root->n++;
	return true;
}

static tf_err roots_check(tf_prop_env *env, const tf_scenario *s, uint64_t aux,
			  tf_prop_outcome *out, tf_prop_detail *d, tf_error *err)
{
	tf_verdict v0, v1;
	tf_scenario t;
	*out = TF_PROP_SKIP;
	TF_ENSURE(s->arena.head == NULL, err, TF_ERR_INVALID,
		  "irrelevant-roots: scenarios with bound DER are not supported");
	t = *s;
	if (!add_unrelated_root(&t, (unsigned)(aux % (s->stores[TF_STORE_ROOT].n + 1u))))
		return TF_OK;
	/* When Root is the list's source and the list is sent, the new root is
	 * one more entry: where nothing was sent it turns "no list" (first
	 * identity offered) into a list no identity matches, and past the limit
	 * it pushes other entries out. Client selection reads only the names
	 * sent, and the new name matches no identity, so everything else is
	 * claimed. */
	uint32_t before = names_sent(s), after = names_sent(&t);
	uint32_t fresh = UINT32_C(1) << t.certs[t.ncerts - 1].subject;
	if ((after & ~fresh) != before || (before == 0 && after != 0))
		return TF_OK;
	TF_GUARD(tf_prop_eval(env, 0, s, &v0, err));
	TF_GUARD(tf_prop_eval(env, 0, &t, &v1, err));
	if (tf_prop_search_bound(&v0) || tf_prop_search_bound(&v1))
		return TF_OK;
	if (tf_verdict_equal(&v0, &v1, TF_DEPTH_PATH) && v0.identity == v1.identity) {
		*out = TF_PROP_PASS;
		return TF_OK;
	}
	*out = TF_PROP_FAIL;
	if (d) {
		char a[256], b[256];
		const tf_cert *r = &t.certs[t.ncerts - 1];
		snprintf(d->what, sizeof d->what,
			 "%s says %s; with the unrelated self-signed root %s (\"%s\") added to Root "
			 "it says %s",
			 env->inst[0].name, tf_prop_say(s, &v0, true, a, sizeof a), r->id,
			 t.names[r->subject].label, tf_prop_say(&t, &v1, true, b, sizeof b));
		TF_GUARD(tf_prop_set_twin(d, &t, err, "unrelated root %s added to Root", r->id));
	}
	return TF_OK;
}

const tf_property tf_prop_irrelevant_roots = {
	.name = "irrelevant-roots",
	.summary = "adding a valid self-signed root with a fresh name and key to Root never "
		   "changes the verdict (status, HRESULT, identity, path)",
	.precondition = "room in the tables; the list sent with the new root names the same "
			"issuers as before plus, unless nothing was sent before, the new root",
	.instances = "ref",
	.ninstances = 1,
	.nprofiles = 3,
	.profiles = {TF_GEN_PROFILE_MIXED, TF_GEN_PROFILE_KB, TF_GEN_PROFILE_RFC5280},
	.default_trials = 2000,
	.check = roots_check,
};
