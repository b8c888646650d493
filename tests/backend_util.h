/*
 * tests/backend_util.h — building small scenarios by hand for the backend
 * tests (test_backend_*.c): names, keys, CA and leaf certificates with the
 * usual extensions, stores and identities, one call each.
 */
#ifndef TRUSTFUZZ_TESTS_BACKEND_UTIL_H
#define TRUSTFUZZ_TESTS_BACKEND_UTIL_H

#include <stdio.h>
#include <string.h>

#include "trustfuzz/scenario.h"

static inline unsigned bu_name(tf_scenario *s, const char *label)
{
	int i = tf_scenario_find_name(s, label);
	if (i >= 0)
		return (unsigned)i;
	snprintf(s->names[s->nnames].label, TF_LABEL_MAX, "%s", label);
	return s->nnames++;
}

/* Key-table entry for pool slot `pool` (reused when present). */
static inline unsigned bu_key(tf_scenario *s, unsigned pool)
{
	for (unsigned i = 0; i < s->nkeys; i++)
		if (s->keys[i].pool == pool)
			return i;
	s->keys[s->nkeys].pool = (uint16_t)pool;
	return s->nkeys++;
}

/* A valid v3 certificate "id" with subject/issuer labels and pool keys. */
static inline tf_cert *bu_cert(tf_scenario *s, const char *id, const char *subject,
			       const char *issuer, unsigned key_pool, unsigned signing_pool)
{
	tf_cert *c = &s->certs[s->ncerts];
	memset(c, 0, sizeof *c);
	snprintf(c->id, TF_LABEL_MAX, "%s", id);
	c->subject = (uint8_t)bu_name(s, subject);
	c->issuer = (uint8_t)bu_name(s, issuer);
	c->key = (uint8_t)bu_key(s, key_pool);
	c->signing_key = (uint8_t)bu_key(s, signing_pool);
	c->serial = s->ncerts + 1;
	c->version = 3;
	c->not_before = -365 * TF_DAY;
	c->not_after = 365 * TF_DAY;
	c->pathlen = -1;
	c->ski = TF_KID_MATCH;
	c->aki = TF_KID_MATCH;
	s->ncerts++;
	return c;
}

static inline tf_cert *bu_ca(tf_scenario *s, const char *id, const char *subject,
			     const char *issuer, unsigned key_pool, unsigned signing_pool)
{
	tf_cert *c = bu_cert(s, id, subject, issuer, key_pool, signing_pool);
	c->bc = TF_BC_CA_TRUE;
	c->bc_critical = true;
	c->ku_present = true;
	c->ku = TF_KU_KEY_CERT_SIGN | TF_KU_CRL_SIGN;
	c->ku_critical = true;
	return c;
}

static inline tf_cert *bu_leaf(tf_scenario *s, const char *id, const char *subject,
			       const char *issuer, unsigned key_pool, unsigned signing_pool)
{
	tf_cert *c = bu_cert(s, id, subject, issuer, key_pool, signing_pool);
	c->bc = TF_BC_CA_FALSE;
	c->ku_present = true;
	c->ku = TF_KU_DIGITAL_SIGNATURE;
	c->ku_critical = true;
	c->eku_present = true;
	c->eku = TF_EKU_CLIENT_AUTH;
	return c;
}

static inline unsigned bu_index(const tf_scenario *s, const tf_cert *c)
{
	return (unsigned)(c - s->certs);
}

static inline void bu_store(tf_scenario *s, tf_store_id store, const tf_cert *c)
{
	tf_store *st = &s->stores[store];
	st->cert[st->n++] = (uint8_t)bu_index(s, c);
}

/* An identity presenting `leaf` and then `nchain` chain certificates. */
static inline void bu_identity(tf_scenario *s, const tf_cert *leaf, unsigned nchain,
			       const tf_cert *const *chain)
{
	tf_identity *id = &s->identities[s->nidentities++];
	id->leaf = (uint8_t)bu_index(s, leaf);
	id->nchain = (uint8_t)nchain;
	for (unsigned i = 0; i < nchain; i++)
		id->chain[i] = (uint8_t)bu_index(s, chain[i]);
}

/* Root R (self-signed, pool 0) in Root, intermediate I (pool 1) issued by R,
 * leaf L (pool 2) issued by I; the client sends L and I. */
static inline void bu_three(tf_scenario *s)
{
	tf_scenario_init(s);
	tf_cert *r = bu_ca(s, "R", "Root CA", "Root CA", 0, 0);
	tf_cert *i = bu_ca(s, "I", "Issuing CA", "Root CA", 1, 0);
	tf_cert *l = bu_leaf(s, "L", "alice", "Issuing CA", 2, 1);
	const tf_cert *chain[] = {i};
	bu_store(s, TF_STORE_ROOT, r);
	bu_identity(s, l, 1, chain);
}

#endif
