/*
 * Arbitrary valid scenarios through the fixture format: every field drawn
 * from its whole valid domain independently of any generator (labels with
 * quotes and backslashes, raw int64 serials, validity offsets of every
 * magnitude up to the edges of the years 0000..9999, validation times
 * anywhere in those years, criticality bits of absent extensions, knobs).
 * scenario → JSON → scenario must be the identity and the JSON canonical.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "trustfuzz/fixture.h"

static uint64_t rng(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static unsigned below(uint64_t *x, unsigned n)
{
	return (unsigned)(rng(x) % n);
}

/* A random printable label, unique among the first n of `taken`. */
static void label(uint64_t *x, char *out, bool nonempty, const char (*taken)[TF_LABEL_MAX],
		  size_t stride, unsigned n)
{
	for (;;) {
		unsigned len = below(x, TF_LABEL_MAX);
		if (nonempty && len == 0)
			len = 1;
		for (unsigned i = 0; i < len; i++)
			out[i] = (char)(0x20 + below(x, 95)); /* quotes and backslashes too */
		out[len] = '\0';
		bool dup = false;
		for (unsigned j = 0; j < n; j++)
			if (!strcmp((const char *)taken + j * stride, out))
				dup = true;
		if (!dup)
			return;
	}
}

/* An offset of any magnitude (shifted down by 0..63 bits), either sign. */
static int64_t any_offset(uint64_t *x)
{
	int64_t v = (int64_t)(rng(x) >> (1 + below(x, 63)));
	return below(x, 2) ? v : -v;
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void random_scenario(uint64_t *x, tf_scenario *s)
{
	tf_scenario_init(s);
	s->nnames = (uint8_t)(1 + below(x, TF_MAX_NAMES));
	s->nkeys = (uint8_t)(1 + below(x, TF_MAX_KEYS));
	s->ncerts = (uint8_t)(1 + below(x, TF_MAX_CERTS));
	s->nidentities = (uint8_t)(1 + below(x, TF_MAX_IDENTITIES));
	for (unsigned i = 0; i < s->nnames; i++)
		label(x, s->names[i].label, false, (const void *)s->names[0].label,
		      sizeof s->names[0], i);
	for (unsigned i = 0; i < s->nkeys; i++)
		s->keys[i].pool = (uint16_t)below(x, TF_KEY_POOL_SIZE);
	for (unsigned i = 0; i < s->ncerts; i++) {
		tf_cert *c = &s->certs[i];
		label(x, c->id, true, (const void *)s->certs[0].id, sizeof s->certs[0], i);
		c->subject = (uint8_t)below(x, s->nnames);
		c->issuer = (uint8_t)below(x, s->nnames);
		c->key = (uint8_t)below(x, s->nkeys);
		c->signing_key = (uint8_t)below(x, s->nkeys);
		c->serial = below(x, 4) ? (int64_t)rng(x) : (int64_t)i + 1;
		c->serial_long = below(x, 2);
		c->version = (uint8_t)(1 + below(x, 3));
		switch (below(x, 4)) {
		case 0: c->not_before = TF_VALID_NOT_BEFORE; c->not_after = TF_VALID_NOT_AFTER; break;
		case 1: c->not_before = TF_EXPIRED_NOT_BEFORE; c->not_after = TF_EXPIRED_NOT_AFTER; break;
		case 2: c->not_before = TF_NYV_NOT_BEFORE; c->not_after = TF_NYV_NOT_AFTER; break;
		default: c->not_before = any_offset(x); c->not_after = any_offset(x); break;
		}
		c->bc = (uint8_t)below(x, 3);
		c->pathlen = c->bc == TF_BC_CA_TRUE ? (int8_t)((int)below(x, TF_MAX_PATH + 2) - 1) : -1;
		c->bc_critical = below(x, 2);
		c->ku_present = below(x, 2);
		c->ku = c->ku_present ? (uint8_t)(1 + below(x, TF_KU_ALL)) : 0;
		c->ku_critical = below(x, 2);
		c->eku_present = below(x, 2);
		c->eku = c->eku_present ? (uint8_t)(1 + below(x, TF_EKU_ALL)) : 0;
		c->eku_critical = below(x, 2);
		c->ski = (uint8_t)below(x, 3);
		c->aki = (uint8_t)below(x, 3);
		c->unknown_critical = below(x, 2);
		c->corrupt_sig = below(x, 2);
	}
	for (unsigned id = 0; id < TF_STORE_COUNT; id++) {
		s->stores[id].n = (uint8_t)below(x, TF_MAX_STORE + 1);
		for (unsigned j = 0; j < s->stores[id].n; j++)
			s->stores[id].cert[j] = (uint8_t)below(x, s->ncerts);
	}
	s->server.send_issuer_list = below(x, 2);
	s->server.trust_mode = (uint8_t)below(x, 3);
	static const int64_t vt[] = {TF_DEFAULT_VALIDATION_TIME, TF_TIME_MIN, TF_TIME_MAX, 0};
	s->server.validation_time =
		below(x, 2) ? TF_TIME_MIN + (int64_t)(rng(x) % (uint64_t)(TF_TIME_MAX - TF_TIME_MIN + 1))
			    : vt[below(x, 4)];
	/* Times X.509 cannot encode are no valid scenario: pull them in. */
	for (unsigned i = 0; i < s->ncerts; i++) {
		tf_cert *c = &s->certs[i];
		int64_t lo = TF_TIME_MIN - s->server.validation_time;
		int64_t hi = TF_TIME_MAX - s->server.validation_time;
		c->not_before = clamp(c->not_before, lo, hi);
		c->not_after = clamp(c->not_after, lo, hi);
	}
	s->server.issuer_list_limit = below(x, 2) ? (uint32_t)rng(x) : TF_DEFAULT_ISSUER_LIST_LIMIT;
	for (unsigned i = 0; i < s->nidentities; i++) {
		tf_identity *id = &s->identities[i];
		id->leaf = (uint8_t)below(x, s->ncerts);
		id->nchain = (uint8_t)below(x, TF_MAX_CHAIN + 1);
		for (unsigned j = 0; j < id->nchain; j++)
			id->chain[j] = (uint8_t)below(x, s->ncerts);
	}
	tf_error err = {0};
	static const char *const knobs[][2] = {
		{"anchors", "self-signed-only"}, {"anchor_validity", "ignore"}, {"profile", "strict"},
		{"max_depth", "3"},              {"kb.trigger", "signature"},   {"kb.variant", "any-trigger"},
		{"openssl.mode", "handshake"},   {"openssl.partial_chain", "1"}, {"openssl.tls", "1.2"},
		{"keys", "rsa2048"},             {"gnutls.flags", "4294967295"},
	};
	for (size_t k = 0; k < sizeof knobs / sizeof knobs[0]; k++)
		if (below(x, 3) == 0)
			assert_int_equal(tf_knob_set(&s->knobs, knobs[k][0], knobs[k][1], &err), TF_OK);
	assert_int_equal(tf_scenario_validate(s, &err), TF_OK);
}

static void test_random_scenarios_round_trip(void **state)
{
	(void)state;
	uint64_t x = 2802568;
	tf_fixture *f = malloc(sizeof *f), *g = malloc(sizeof *g);
	assert_non_null(f);
	assert_non_null(g);
	for (unsigned n = 0; n < 3000; n++) {
		tf_fixture_init(f);
		snprintf(f->id, sizeof f->id, "random-%u", n);
		random_scenario(&x, &f->scenario);
		char *a = NULL, *b = NULL;
		size_t alen = 0, blen = 0;
		tf_error err = {0};
		if (tf_fixture_to_json(f, &a, &alen, &err) != TF_OK)
			fail_msg("scenario %u: write: %s", n, err.msg);
		if (tf_fixture_parse(a, alen, f->id, g, &err) != TF_OK)
			fail_msg("scenario %u: read: %s\n%s", n, err.msg, a);
		if (!tf_scenario_equal(&f->scenario, &g->scenario))
			fail_msg("scenario %u changed in the round trip:\n%s", n, a);
		assert_int_equal(tf_fixture_to_json(g, &b, &blen, &err), TF_OK);
		assert_int_equal(alen, blen);
		assert_memory_equal(a, b, alen);
		free(a);
		free(b);
	}
	free(f);
	free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_scenarios_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
