/* tests/test_gen_roundtrip.c — scenario → bytes → scenario is the identity:
 * for seeded scenarios of every profile, for arbitrary valid scenarios built
 * field by field, and for hand-built edge cases; plus determinism and the
 * encoder's errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "trustfuzz/fixture.h"
#include "trustfuzz/gen.h"

#define SEEDS 10000

/* A local PRNG for the test's own random scenarios (splitmix64). */
static uint64_t rng_next(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static unsigned rng_below(uint64_t *x, unsigned n)
{
	return (unsigned)(rng_next(x) % n);
}

/* Encodes s, checks the bytes decode back to s, returns the length. */
static size_t roundtrip(const tf_scenario *s, uint8_t *buf)
{
	tf_error err = {0};
	size_t len = 0;
	tf_err rc = tf_gen_encode(s, buf, TF_GEN_MAX_BYTES, &len, &err);
	if (rc != TF_OK)
		fail_msg("encode: %s: %s", tf_err_str(rc), err.msg);
	assert_true(len <= TF_GEN_MAX_BYTES);
	assert_true(len == 0 || buf[len - 1] != 0); /* trailing zeros trimmed */
	tf_scenario back;
	tf_gen_from_bytes(&back, buf, len);
	if (!tf_scenario_equal(&back, s))
		fail_msg("decode(encode(s)) != s (%zu bytes)", len);
	tf_scenario_free(&back);
	return len;
}

static void seeded_profile(tf_profile p)
{
	static uint8_t bytes[TF_GEN_MAX_BYTES], bytes2[TF_GEN_MAX_BYTES];
	static uint8_t enc[TF_GEN_MAX_BYTES], enc2[TF_GEN_MAX_BYTES];
	size_t maxlen = 0, total = 0;
	for (uint64_t seed = 0; seed < SEEDS; seed++) {
		tf_scenario s, again, back;
		size_t blen = 0, blen2 = 0;
		tf_error err = {0};
		tf_gen_from_seed(&s, seed, p, bytes, &blen);
		if (tf_scenario_validate(&s, &err) != TF_OK)
			fail_msg("seed %llu (%s): %s", (unsigned long long)seed, tf_profile_str(p),
				 err.msg);
		/* The recorded decisions decode to the same scenario. */
		assert_true(blen <= TF_GEN_MAX_BYTES);
		tf_gen_from_bytes(&back, bytes, blen);
		if (!tf_scenario_equal(&back, &s))
			fail_msg("seed %llu (%s): recorded bytes decode differently",
				 (unsigned long long)seed, tf_profile_str(p));
		/* Determinism: same seed and profile, same scenario and bytes; and
		 * recording does not change what is generated. */
		tf_gen_from_seed(&again, seed, p, bytes2, &blen2);
		assert_true(tf_scenario_equal(&again, &s));
		assert_int_equal(blen, blen2);
		assert_memory_equal(bytes, bytes2, blen);
		tf_gen_from_seed(&again, seed, p, NULL, NULL);
		assert_true(tf_scenario_equal(&again, &s));
		/* Encoding round trip, and the encoding is itself deterministic. */
		size_t len = roundtrip(&s, enc), len2 = 0;
		assert_int_equal(tf_gen_encode(&s, enc2, sizeof enc2, &len2, &err), TF_OK);
		assert_int_equal(len, len2);
		assert_memory_equal(enc, enc2, len);
		if (len > maxlen)
			maxlen = len;
		total += len;
		tf_scenario_free(&s);
	}
	print_message("profile %s: %d seeds, encoded length mean %zu, max %zu bytes\n",
		      tf_profile_str(p), SEEDS, total / SEEDS, maxlen);
}

static void test_seeded_mixed(void **state)
{
	(void)state;
	seeded_profile(TF_GEN_PROFILE_MIXED);
}

static void test_seeded_kb(void **state)
{
	(void)state;
	seeded_profile(TF_GEN_PROFILE_KB);
}

static void test_seeded_rfc5280(void **state)
{
	(void)state;
	seeded_profile(TF_GEN_PROFILE_RFC5280);
}

/* ---- Arbitrary valid scenarios ------------------------------------------ */

static int64_t rand_i64(uint64_t *x)
{
	static const int64_t special[] = {0, 1, -1, INT64_MAX, INT64_MIN, TF_VALID_NOT_BEFORE,
					  TF_VALID_NOT_AFTER, TF_EXPIRED_NOT_AFTER, TF_NYV_NOT_BEFORE};
	uint64_t r = rng_next(x);
	if (r % 3 == 0)
		return special[(r >> 8) % (sizeof special / sizeof special[0])];
	return (int64_t)(rng_next(x) >> (1 + r % 63)) * ((r & 0x100) ? -1 : 1);
}

static int64_t clamp_i64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void rand_label(uint64_t *x, char *label, unsigned minlen)
{
	unsigned len = minlen + rng_below(x, TF_LABEL_MAX - minlen);
	for (unsigned k = 0; k < len; k++)
		label[k] = (char)(32 + rng_below(x, 95));
	label[len] = '\0';
}

/* Labels: mostly canonical-looking (so they collide with other positions'
 * canonical labels), sometimes random. */
static void rand_unique_label(uint64_t *x, char *label, const char *prefixes, unsigned minlen,
			      bool (*taken)(const tf_scenario *, unsigned, const char *),
			      const tf_scenario *s, unsigned upto)
{
	do {
		if (rng_below(x, 2))
			snprintf(label, TF_LABEL_MAX, "%c%u", prefixes[rng_below(x, 3)],
				 rng_below(x, 30));
		else
			rand_label(x, label, minlen);
	} while (taken(s, upto, label));
}

static bool name_taken(const tf_scenario *s, unsigned upto, const char *label)
{
	for (unsigned j = 0; j < upto; j++)
		if (!strcmp(s->names[j].label, label))
			return true;
	return false;
}

static bool id_taken(const tf_scenario *s, unsigned upto, const char *id)
{
	for (unsigned j = 0; j < upto; j++)
		if (!strcmp(s->certs[j].id, id))
			return true;
	return false;
}

/* Every field drawn from its whole valid domain, independently of the
 * generator: what a hand-written fixture may contain. */
static void random_valid(uint64_t *x, tf_scenario *s)
{
	tf_scenario_init(s);
	s->nnames = (uint8_t)(1 + rng_below(x, TF_MAX_NAMES));
	s->nkeys = (uint8_t)(1 + rng_below(x, TF_MAX_KEYS));
	s->ncerts = (uint8_t)(1 + rng_below(x, TF_MAX_CERTS));
	s->nidentities = (uint8_t)(1 + rng_below(x, TF_MAX_IDENTITIES));
	for (unsigned i = 0; i < s->nnames; i++)
		rand_unique_label(x, s->names[i].label, "NNL", 0, name_taken, s, i);
	for (unsigned i = 0; i < s->nkeys; i++)
		s->keys[i].pool = (uint16_t)rng_below(x, TF_KEY_POOL_SIZE);
	for (unsigned i = 0; i < s->ncerts; i++) {
		tf_cert *c = &s->certs[i];
		rand_unique_label(x, c->id, "RIL", 1, id_taken, s, i);
		c->subject = (uint8_t)rng_below(x, s->nnames);
		c->issuer = (uint8_t)rng_below(x, s->nnames);
		c->key = (uint8_t)rng_below(x, s->nkeys);
		c->signing_key = (uint8_t)rng_below(x, s->nkeys);
		c->serial = rand_i64(x);
		c->serial_long = rng_below(x, 2);
		c->version = (uint8_t)(1 + rng_below(x, 3));
		c->not_before = rand_i64(x);
		c->not_after = rand_i64(x);
		c->bc = (uint8_t)rng_below(x, 3);
		c->pathlen = c->bc == TF_BC_CA_TRUE ? (int8_t)((int)rng_below(x, TF_MAX_PATH + 2) - 1)
						    : -1;
		c->bc_critical = rng_below(x, 2);
		c->ku_present = rng_below(x, 2);
		c->ku = c->ku_present ? (uint8_t)(1 + rng_below(x, TF_KU_ALL)) : 0;
		c->ku_critical = rng_below(x, 2);
		c->eku_present = rng_below(x, 2);
		c->eku = c->eku_present ? (uint8_t)(1 + rng_below(x, TF_EKU_ALL)) : 0;
		c->eku_critical = rng_below(x, 2);
		c->ski = (uint8_t)rng_below(x, 3);
		c->aki = (uint8_t)rng_below(x, 3);
		c->unknown_critical = rng_below(x, 2);
		c->corrupt_sig = rng_below(x, 2);
	}
	for (unsigned id = 0; id < TF_STORE_COUNT; id++) {
		tf_store *st = &s->stores[id];
		st->n = (uint8_t)rng_below(x, TF_MAX_STORE + 1);
		for (unsigned j = 0; j < st->n; j++)
			st->cert[j] = (uint8_t)rng_below(x, s->ncerts);
	}
	s->server.send_issuer_list = rng_below(x, 2);
	s->server.trust_mode = (uint8_t)rng_below(x, 3);
	if (rng_below(x, 2))
		s->server.validation_time = clamp_i64(rand_i64(x), TF_TIME_MIN, TF_TIME_MAX);
	/* Validity offsets of any magnitude, pulled in to what X.509 can
	 * encode (the extremes included: INT64_MIN/MAX land on the edges). */
	for (unsigned i = 0; i < s->ncerts; i++) {
		tf_cert *c = &s->certs[i];
		int64_t lo = TF_TIME_MIN - s->server.validation_time;
		int64_t hi = TF_TIME_MAX - s->server.validation_time;
		c->not_before = clamp_i64(c->not_before, lo, hi);
		c->not_after = clamp_i64(c->not_after, lo, hi);
	}
	if (rng_below(x, 2))
		s->server.issuer_list_limit = (uint32_t)rng_next(x);
	for (unsigned k = 0; k < s->nidentities; k++) {
		tf_identity *id = &s->identities[k];
		id->leaf = (uint8_t)rng_below(x, s->ncerts);
		id->nchain = (uint8_t)rng_below(x, TF_MAX_CHAIN + 1);
		for (unsigned j = 0; j < id->nchain; j++)
			id->chain[j] = (uint8_t)rng_below(x, s->ncerts);
	}
	tf_knobs *k = &s->knobs;
	k->anchors = (uint8_t)rng_below(x, 2);
	k->anchor_validity = (uint8_t)rng_below(x, 2);
	k->profile = (uint8_t)rng_below(x, 2);
	k->max_depth = (uint8_t)rng_below(x, TF_MAX_PATH + 1);
	k->kb_trigger = (uint8_t)rng_below(x, 2);
	k->kb_variant = (uint8_t)rng_below(x, 3);
	k->ossl_mode = (uint8_t)rng_below(x, 2);
	k->ossl_partial_chain = (uint8_t)rng_below(x, 2);
	k->ossl_x509_strict = (uint8_t)rng_below(x, 2);
	k->tls = (uint8_t)rng_below(x, 2);
	k->keys = (uint8_t)rng_below(x, 3);
	k->gnutls_flags = rng_below(x, 2) ? (uint32_t)rng_next(x) : 0;
}

static void test_arbitrary_valid(void **state)
{
	(void)state;
	static uint8_t buf[TF_GEN_MAX_BYTES];
	uint64_t x = 42;
	size_t maxlen = 0;
	for (unsigned i = 0; i < 10000; i++) {
		tf_scenario s;
		tf_error err = {0};
		random_valid(&x, &s);
		if (tf_scenario_validate(&s, &err) != TF_OK)
			fail_msg("test generator made an invalid scenario: %s", err.msg);
		size_t len = roundtrip(&s, buf);
		if (len > maxlen)
			maxlen = len;
	}
	print_message("arbitrary valid scenarios: max encoded length %zu bytes\n", maxlen);
}

/* ---- Hand-built edge cases --------------------------------------------- */

static void minimal(tf_scenario *s)
{
	tf_gen_from_bytes(s, NULL, 0);
}

static void test_edge_one_cert(void **state)
{
	(void)state;
	uint8_t buf[TF_GEN_MAX_BYTES];
	tf_scenario s;
	minimal(&s);
	s.ncerts = 1;
	s.nnames = 1;
	s.nkeys = 1;
	strcpy(s.names[0].label, ""); /* the empty DN */
	strcpy(s.certs[0].id, "  \"quoted\\ id\" ~");
	s.certs[0].version = 1;
	/* The first and last times X.509 can encode (validation time -1). */
	s.certs[0].not_before = TF_TIME_MIN + 1;
	s.certs[0].not_after = TF_TIME_MAX + 1;
	s.certs[0].serial = INT64_MIN;
	s.certs[0].serial_long = true;
	s.certs[0].bc = TF_BC_CA_FALSE;
	s.certs[0].bc_critical = true;
	s.certs[0].ku_present = false;
	s.certs[0].ku = 0;
	s.certs[0].ku_critical = true; /* critical flag of an absent extension */
	s.certs[0].eku_present = true;
	s.certs[0].eku = TF_EKU_ALL;
	s.certs[0].ski = TF_KID_MISMATCH;
	s.certs[0].aki = TF_KID_ABSENT;
	s.stores[TF_STORE_ROOT].n = 0;
	s.identities[0].leaf = 0;
	s.server.validation_time = -1;
	s.server.issuer_list_limit = 0;
	tf_error err = {0};
	assert_int_equal(tf_scenario_validate(&s, &err), TF_OK);
	roundtrip(&s, buf);
}

/* Labels that equal other positions' canonical labels. */
static void test_edge_swapped_labels(void **state)
{
	(void)state;
	uint8_t buf[TF_GEN_MAX_BYTES];
	tf_scenario s;
	minimal(&s);
	strcpy(s.names[0].label, "N1");
	strcpy(s.names[1].label, "N0");
	strcpy(s.certs[0].id, "L1");
	strcpy(s.certs[1].id, "R0");
	roundtrip(&s, buf);
	strcpy(s.names[1].label, "N1-1");
	strcpy(s.certs[1].id, "L1-1");
	roundtrip(&s, buf);
}

/* Every count at its maximum and every label at full length: the longest
 * encodings, which must fit TF_GEN_MAX_BYTES. */
static void test_edge_max(void **state)
{
	(void)state;
	uint8_t buf[TF_GEN_MAX_BYTES];
	tf_scenario s;
	tf_scenario_init(&s);
	s.nnames = TF_MAX_NAMES;
	s.nkeys = TF_MAX_KEYS;
	s.ncerts = TF_MAX_CERTS;
	s.nidentities = TF_MAX_IDENTITIES;
	for (unsigned i = 0; i < TF_MAX_NAMES; i++) {
		memset(s.names[i].label, '~', TF_LABEL_MAX - 1);
		s.names[i].label[0] = (char)('A' + i);
	}
	for (unsigned i = 0; i < TF_MAX_KEYS; i++)
		s.keys[i].pool = TF_KEY_POOL_SIZE - 1;
	for (unsigned i = 0; i < TF_MAX_CERTS; i++) {
		tf_cert *c = &s.certs[i];
		memset(c->id, '}', TF_LABEL_MAX - 1);
		c->id[0] = (char)('a' + i);
		c->subject = (uint8_t)(TF_MAX_NAMES - 1 - i);
		c->issuer = (uint8_t)i;
		c->key = (uint8_t)((i * 7) % TF_MAX_KEYS);
		c->signing_key = (uint8_t)((i * 5 + 3) % TF_MAX_KEYS);
		c->serial = -(int64_t)i - 2;
		c->serial_long = true;
		c->version = 2;
		c->not_before = -(int64_t)i * 17;
		c->not_after = (int64_t)i * 19 + 5;
		c->bc = TF_BC_CA_TRUE;
		c->pathlen = TF_MAX_PATH;
		c->ku_present = true;
		c->ku = TF_KU_ALL;
		c->eku_present = true;
		c->eku = TF_EKU_SERVER_AUTH;
		c->eku_critical = true;
		c->ski = TF_KID_ABSENT;
		c->aki = TF_KID_MISMATCH;
		c->unknown_critical = true;
		c->corrupt_sig = true;
	}
	for (unsigned id = 0; id < TF_STORE_COUNT; id++) {
		s.stores[id].n = TF_MAX_STORE;
		for (unsigned j = 0; j < TF_MAX_STORE; j++)
			s.stores[id].cert[j] = (uint8_t)((j * 11 + id) % TF_MAX_CERTS);
	}
	for (unsigned k = 0; k < TF_MAX_IDENTITIES; k++) {
		s.identities[k].leaf = (uint8_t)k;
		s.identities[k].nchain = TF_MAX_CHAIN;
		for (unsigned j = 0; j < TF_MAX_CHAIN; j++)
			s.identities[k].chain[j] = (uint8_t)((k + j * 3) % TF_MAX_CERTS);
	}
	s.server.send_issuer_list = true;
	s.server.trust_mode = 2;
	s.server.validation_time = TF_TIME_MAX - 1000; /* room for the notAfter offsets */
	s.server.issuer_list_limit = UINT32_MAX;
	s.knobs = (tf_knobs){1, 1, 1, TF_MAX_PATH, 1, 2, 1, 1, 1, 1, 2, UINT32_MAX};
	tf_error err = {0};
	if (tf_scenario_validate(&s, &err) != TF_OK)
		fail_msg("%s", err.msg);
	size_t len = roundtrip(&s, buf);
	print_message("maximal scenario: %zu encoded bytes (bound %d)\n", len, TF_GEN_MAX_BYTES);
}

/* ---- Encoder errors ---------------------------------------------------- */

static void test_encode_errors(void **state)
{
	(void)state;
	uint8_t buf[TF_GEN_MAX_BYTES];
	size_t len = 99;
	tf_error err = {0};
	tf_scenario s;
	tf_gen_from_seed(&s, 7, TF_GEN_PROFILE_MIXED, NULL, NULL);

	/* Too small a buffer: TF_ERR_LIMIT; exactly large enough: fine. */
	size_t need = 0;
	assert_int_equal(tf_gen_encode(&s, buf, sizeof buf, &need, &err), TF_OK);
	assert_true(need > 1);
	assert_int_equal(tf_gen_encode(&s, buf, need - 1, &len, &err), TF_ERR_LIMIT);
	assert_non_null(strstr(err.msg, "buffer"));
	assert_int_equal(tf_gen_encode(&s, buf, need, &len, &err), TF_OK);
	assert_int_equal(len, need);

	/* The minimal scenario encodes to nothing at all. */
	tf_scenario m;
	minimal(&m);
	assert_int_equal(tf_gen_encode(&m, NULL, 0, &len, &err), TF_OK);
	assert_int_equal(len, 0);

	/* An invalid scenario: the validator's message. */
	tf_scenario bad = m;
	bad.certs[1].issuer = 9;
	assert_int_equal(tf_gen_encode(&bad, buf, sizeof buf, &len, &err), TF_ERR_INVALID);
	assert_string_equal(err.msg, "certs[1].issuer: name index 9 out of range (2 names)");

	/* Bound DER is not carried by the byte format. */
	static const uint8_t dn[] = {0x30, 0x00};
	bad = m;
	bad.names[1].der = dn;
	bad.names[1].der_len = sizeof dn;
	assert_int_equal(tf_gen_encode(&bad, buf, sizeof buf, &len, &err), TF_ERR_INVALID);
	assert_string_equal(err.msg,
			    "names[1]: a bound DER name cannot be encoded as generator bytes");
}

static void test_profile_names(void **state)
{
	(void)state;
	tf_profile p = TF_GEN_PROFILE_COUNT;
	const char *names[] = {"mixed", "kb", "rfc5280"};
	for (unsigned i = 0; i < TF_GEN_PROFILE_COUNT; i++) {
		assert_string_equal(tf_profile_str((tf_profile)i), names[i]);
		assert_true(tf_profile_parse(names[i], &p));
		assert_int_equal(p, i);
	}
	assert_false(tf_profile_parse("MIXED", &p));
	assert_false(tf_profile_parse("", &p));
	assert_string_equal(tf_profile_str(TF_GEN_PROFILE_COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seeded_mixed),
		cmocka_unit_test(test_seeded_kb),
		cmocka_unit_test(test_seeded_rfc5280),
		cmocka_unit_test(test_arbitrary_valid),
		cmocka_unit_test(test_edge_one_cert),
		cmocka_unit_test(test_edge_swapped_labels),
		cmocka_unit_test(test_edge_max),
		cmocka_unit_test(test_encode_errors),
		cmocka_unit_test(test_profile_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
