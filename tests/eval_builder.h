/*
 * tests/eval_builder.h — building scenarios by hand in the evaluator tests,
 * and asserting exact verdicts. Header-only (static functions), included by
 * tests/test_eval_*.c and tests/test_registry_*.c.
 *
 * Keys: key-table entry i is key-pool index i (24 entries), so a test
 * writes "key 3" and means one fixed key. Names are added on first use.
 * Certificates start as: version 3, valid, serial = index + 1, SKI and AKI
 * matching, no extension beyond what the helper names.
 */
#ifndef TF_TEST_EVAL_BUILDER_H
#define TF_TEST_EVAL_BUILDER_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "trustfuzz/evaluator.h"
#include "trustfuzz/scenario.h"
#include "trustfuzz/verdict.h"

static inline void sb_init(tf_scenario *s)
{
	tf_scenario_init(s);
	s->nkeys = TF_MAX_KEYS;
	for (unsigned i = 0; i < TF_MAX_KEYS; i++)
		s->keys[i].pool = (uint16_t)i;
}

static inline uint8_t sb_name(tf_scenario *s, const char *label)
{
	int i = tf_scenario_find_name(s, label);
	if (i >= 0)
		return (uint8_t)i;
	assert_true(s->nnames < TF_MAX_NAMES);
	snprintf(s->names[s->nnames].label, TF_LABEL_MAX, "%s", label);
	return s->nnames++;
}

/* A certificate `id`: subject/issuer by label, subject key, signing key. */
static inline unsigned sb_cert(tf_scenario *s, const char *id, const char *subject, const char *issuer,
			unsigned key, unsigned signing_key)
{
	assert_true(s->ncerts < TF_MAX_CERTS);
	unsigned i = s->ncerts++;
	tf_cert *c = &s->certs[i];
	memset(c, 0, sizeof *c);
	snprintf(c->id, TF_LABEL_MAX, "%s", id);
	c->subject = sb_name(s, subject);
	c->issuer = sb_name(s, issuer);
	c->key = (uint8_t)key;
	c->signing_key = (uint8_t)signing_key;
	c->serial = (int64_t)i + 1;
	c->version = 3;
	c->not_before = -365 * TF_DAY;
	c->not_after = 365 * TF_DAY;
	c->bc = TF_BC_ABSENT;
	c->pathlen = -1;
	c->ski = TF_KID_MATCH;
	c->aki = TF_KID_MATCH;
	return i;
}

/* A CA certificate (critical basicConstraints cA TRUE, no pathLen). */
static inline unsigned sb_ca(tf_scenario *s, const char *id, const char *subject, const char *issuer,
		      unsigned key, unsigned signing_key)
{
	unsigned i = sb_cert(s, id, subject, issuer, key, signing_key);
	s->certs[i].bc = TF_BC_CA_TRUE;
	s->certs[i].bc_critical = true;
	return i;
}

/* A self-signed root CA. */
static inline unsigned sb_root(tf_scenario *s, const char *id, const char *name, unsigned key)
{
	return sb_ca(s, id, name, name, key, key);
}

static inline void sb_store(tf_scenario *s, tf_store_id store, unsigned cert)
{
	tf_store *st = &s->stores[store];
	assert_true(st->n < TF_MAX_STORE);
	st->cert[st->n++] = (uint8_t)cert;
}

/* An identity: leaf, then nchain certificates it sends. */
static inline unsigned sb_identity(tf_scenario *s, unsigned leaf, unsigned nchain, ...)
{
	va_list ap;
	assert_true(s->nidentities < TF_MAX_IDENTITIES);
	tf_identity *id = &s->identities[s->nidentities];
	id->leaf = (uint8_t)leaf;
	id->nchain = (uint8_t)nchain;
	va_start(ap, nchain);
	for (unsigned i = 0; i < nchain; i++)
		id->chain[i] = (uint8_t)va_arg(ap, unsigned);
	va_end(ap);
	return s->nidentities++;
}

static inline void sb_expired(tf_scenario *s, unsigned c)
{
	s->certs[c].not_before = -730 * TF_DAY;
	s->certs[c].not_after = -TF_DAY;
}

static inline void sb_not_yet_valid(tf_scenario *s, unsigned c)
{
	s->certs[c].not_before = TF_DAY;
	s->certs[c].not_after = 730 * TF_DAY;
}

/* Runs ev on s (which must validate) with its own knobs. */
static inline tf_verdict sb_eval(const tf_evaluator *ev, const tf_scenario *s)
{
	tf_error err = {0};
	tf_verdict v;
	memset(&v, 0, sizeof v);
	if (tf_scenario_validate(s, &err) != TF_OK)
		fail_msg("scenario does not validate: %s", err.msg);
	if (ev->evaluate(NULL, s, &s->knobs, &v, &err) != TF_OK)
		fail_msg("%s failed: %s", ev->name, err.msg);
	return v;
}

/* Asserts v has status, HRESULT and path ("L > I > R", "-" for none). */
#define sb_assert(s, v, st, hr, path) sb_assert_at(s, v, st, hr, path, __FILE__, __LINE__)

static inline void sb_assert_at(const tf_scenario *s, const tf_verdict *v, tf_status st, uint32_t hr,
			 const char *path, const char *file, int line)
{
	char got[256], a[40], b[40];
	tf_path_format(s, v->path, v->path_len, got, sizeof got);
	if (v->status != st || v->win32 != hr || strcmp(got, path))
		fail_msg("%s:%d: expected %s %s [%s], got %s %s [%s] (%s)", file, line,
			 tf_status_str(st), tf_win32_format(hr, a, sizeof a), path,
			 tf_status_str(v->status), tf_win32_format(v->win32, b, sizeof b), got,
			 v->reason);
}

/* Asserts the reason contains `needle`. */
#define sb_assert_reason(v, needle)                                                        \
	do {                                                                               \
		if (!strstr((v)->reason, (needle)))                                        \
			fail_msg("reason \"%s\" lacks \"%s\"", (v)->reason, (needle));     \
	} while (0)

#endif
