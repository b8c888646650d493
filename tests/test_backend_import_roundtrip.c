/*
 * tests/test_backend_import_roundtrip.c — the importer against the renderer,
 * as a property: for generated scenarios s, rendering every certificate to
 * DER and importing the DER gives a scenario that the reference and KB
 * evaluators judge exactly as s (status, HRESULT, identity, and the path
 * mapped certificate by certificate), whose relations (name equality, key
 * equality, which certificate's signature verifies under which) are those
 * of s, and whose per-certificate fields are those of s up to the
 * documented differences (import.h): SKI/AKI "mismatch" is relative to the
 * imported keys, a serial over 8 octets keeps only its sign, corrupt
 * signatures become unknown signers.
 *
 * The renderer and the importer are independent code paths (OpenSSL's
 * setters one way, its parsers the other), so agreement here checks both.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "trustfuzz/gen.h"
#include "trustfuzz/import.h"
#include "trustfuzz/models.h"
#include "trustfuzz/render.h"

#define SEEDS 150

typedef struct rt {
	tf_render *r;
	unsigned imported, skipped_range, skipped_limit;
} rt;

static int setup(void **state)
{
	rt *t = calloc(1, sizeof *t);
	tf_error err = {0};
	if (!t || tf_render_new(&t->r, &err) != TF_OK)
		return -1;
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	rt *t = *state;
	tf_render_free(t->r);
	free(t);
	return 0;
}

/* Appends the DER of cert i of s (rendered in rd) to list l. */
static void push(tf_import_list *l, const tf_rendered *rd, unsigned i)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		assert_non_null(l->v);
	}
	tf_import_cert *c = &l->v[l->n++];
	memset(c, 0, sizeof *c);
	c->der.data = malloc(rd->cert[i].len);
	assert_non_null(c->der.data);
	memcpy(c->der.data, rd->cert[i].data, rd->cert[i].len);
	c->der.len = rd->cert[i].len;
	snprintf(c->origin, sizeof c->origin, "cert%u", i);
}

/* Imported index of original certificate i, by DER. */
static unsigned map_cert(const tf_scenario *imp, const tf_rendered *rd, unsigned i)
{
	for (unsigned j = 0; j < imp->ncerts; j++)
		if (imp->certs[j].der_len == rd->cert[i].len &&
		    !memcmp(imp->certs[j].der, rd->cert[i].data, rd->cert[i].len))
			return j;
	fail_msg("certificate %u of the original is not in the import", i);
	return 0;
}

/* The fields that must carry over as they are. */
static void check_fields(const tf_scenario *s, unsigned i, const tf_scenario *m, unsigned j,
			 const unsigned *in, unsigned n)
{
	const tf_cert *a = &s->certs[i], *b = &m->certs[j];
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->not_before, b->not_before);
	assert_int_equal(a->not_after, b->not_after);
	assert_int_equal(a->serial_long, b->serial_long);
	if (!a->serial_long)
		assert_int_equal(a->serial, b->serial);
	else
		assert_true((a->serial < 0) == (b->serial < 0) && b->serial != 0);
	assert_int_equal(a->bc, b->bc);
	if (a->bc != TF_BC_ABSENT)
		assert_int_equal(a->bc_critical, b->bc_critical);
	assert_int_equal(a->pathlen, b->pathlen);
	assert_int_equal(a->ku_present, b->ku_present);
	assert_int_equal(a->ku, b->ku);
	if (a->ku_present)
		assert_int_equal(a->ku_critical, b->ku_critical);
	assert_int_equal(a->eku_present, b->eku_present);
	assert_int_equal(a->eku, b->eku);
	if (a->eku_present)
		assert_int_equal(a->eku_critical, b->eku_critical);
	assert_int_equal(a->ski == TF_KID_ABSENT, b->ski == TF_KID_ABSENT);
	assert_int_equal(a->aki == TF_KID_ABSENT, b->aki == TF_KID_ABSENT);
	assert_int_equal(a->unknown_critical, b->unknown_critical);
	assert_false(b->corrupt_sig);
	/* AKI against a signer the import found among its certificates: the
	 * renderer's "match" is the signing key's method-1 id, its "mismatch"
	 * the unrelated id of the signing key's slot — which is also the SKI a
	 * "mismatch" SKI of a certificate holding that key carries. */
	bool known = false, odd_ski = false;
	for (unsigned k = 0; k < m->ncerts; k++)
		known = known || m->certs[k].key == b->signing_key;
	for (unsigned x = 0; x < n; x++)
		odd_ski = odd_ski ||
			  (s->certs[in[x]].ski == TF_KID_MISMATCH &&
			   s->keys[s->certs[in[x]].key].pool == s->keys[a->signing_key].pool);
	if (known && a->aki != TF_KID_ABSENT)
		assert_int_equal(a->aki == TF_KID_MATCH || odd_ski, b->aki == TF_KID_MATCH);
	/* A renderer "mismatch" SKI is the id of no key: it reads as present. */
	if (a->ski != TF_KID_ABSENT)
		assert_int_equal(b->ski, TF_KID_MATCH);
}

static void check_relations(const tf_scenario *s, const unsigned *in, unsigned n,
			    const tf_scenario *m, const unsigned *to)
{
	for (unsigned x = 0; x < n; x++) {
		unsigned i = in[x], j = to[x];
		check_fields(s, i, m, j, in, n);
		for (unsigned y = 0; y < n; y++) {
			unsigned k = in[y], l = to[y];
			assert_int_equal(s->certs[i].subject == s->certs[k].subject,
					 m->certs[j].subject == m->certs[l].subject);
			assert_int_equal(s->certs[i].issuer == s->certs[k].subject,
					 m->certs[j].issuer == m->certs[l].subject);
			assert_int_equal(tf_keys_same(s, s->certs[i].key, s->certs[k].key),
					 tf_keys_same(m, m->certs[j].key, m->certs[l].key));
			assert_int_equal(tf_cert_sig_verifies(s, i, k), tf_cert_sig_verifies(m, j, l));
		}
	}
}

static void same_verdict(const tf_evaluator *ev, const tf_scenario *s, const tf_scenario *m,
			 const tf_rendered *rd, unsigned seed)
{
	tf_verdict a, b;
	tf_error err = {0};
	assert_int_equal(ev->evaluate(NULL, s, &s->knobs, &a, &err), TF_OK);
	assert_int_equal(ev->evaluate(NULL, m, &m->knobs, &b, &err), TF_OK);
	if (a.status != b.status || a.win32 != b.win32 || a.identity != b.identity ||
	    a.path_len != b.path_len)
		fail_msg("seed %u, %s: original %s %08x \"%s\", imported %s %08x \"%s\"", seed,
			 ev->name, tf_status_str(a.status), (unsigned)a.win32, a.reason,
			 tf_status_str(b.status), (unsigned)b.win32, b.reason);
	for (unsigned p = 0; p < a.path_len; p++)
		assert_int_equal(map_cert(m, rd, a.path[p]), b.path[p]);
}

/* One generated scenario through render → import → judge. */
static void one(rt *t, uint64_t seed, tf_profile profile)
{
	tf_scenario s, m;
	tf_rendered rd;
	tf_import_spec sp;
	tf_error err = {0};
	unsigned in[TF_MAX_CERTS], to[TF_MAX_CERTS], n = 0;
	bool used[TF_MAX_CERTS] = {false};

	tf_gen_from_seed(&s, seed, profile, NULL, NULL);
	s.nidentities = 1; /* the importer builds one identity */
	s.knobs.keys = TF_KEYS_ED25519;
	if (tf_render_scenario(t->r, &s, s.knobs.keys, &rd, &err) != TF_OK) {
		assert_int_equal(err.code, TF_ERR_RANGE); /* a time past year 9999 */
		t->skipped_range++;
		tf_scenario_free(&s);
		return;
	}
	tf_import_spec_init(&sp);
	const tf_identity *id = &s.identities[0];
	push(&sp.role[TF_IMPORT_LEAF], &rd, id->leaf);
	used[id->leaf] = true;
	for (unsigned k = 0; k < id->nchain; k++) {
		push(&sp.role[TF_IMPORT_CHAIN], &rd, id->chain[k]);
		used[id->chain[k]] = true;
	}
	static const tf_import_role roles[] = {TF_IMPORT_ROOT, TF_IMPORT_INTERMEDIATE,
					       TF_IMPORT_CAI};
	for (unsigned st = 0; st < TF_STORE_COUNT; st++)
		for (unsigned k = 0; k < s.stores[st].n; k++) {
			push(&sp.role[roles[st]], &rd, s.stores[st].cert[k]);
			used[s.stores[st].cert[k]] = true;
		}
	sp.server = s.server;
	tf_err rc = tf_import_scenario(&sp, &m, &err);
	if (rc == TF_ERR_LIMIT) {
		t->skipped_limit++; /* more distinct keys than a scenario holds, say */
	} else {
		if (rc != TF_OK)
			fail_msg("seed %u: %s", (unsigned)seed, err.msg);
		m.knobs = s.knobs;
		for (unsigned i = 0; i < s.ncerts; i++)
			if (used[i]) {
				in[n] = i;
				to[n++] = map_cert(&m, &rd, i);
			}
		check_relations(&s, in, n, &m, to);
		same_verdict(&tf_evaluator_ref, &s, &m, &rd, (unsigned)seed);
		same_verdict(&tf_evaluator_kb, &s, &m, &rd, (unsigned)seed);
		t->imported++;
		tf_scenario_free(&m);
	}
	tf_import_spec_free(&sp);
	tf_rendered_free(&rd);
	tf_scenario_free(&s);
}

static void test_roundtrip(void **state)
{
	rt *t = *state;
	for (unsigned p = 0; p < TF_GEN_PROFILE_COUNT; p++)
		for (uint64_t seed = 1; seed <= SEEDS; seed++)
			one(t, seed, (tf_profile)p);
	/* The property must have been exercised, not skipped. */
	printf("imported %u, skipped %u (time range), %u (limits)\n", t->imported,
	       t->skipped_range, t->skipped_limit);
	assert_true(t->imported >= 3 * SEEDS * 9 / 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
