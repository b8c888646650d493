/* tests/test_gen_totality.c — every byte string decodes to a valid scenario:
 * all strings of length 0..2 exhaustively, 10,000 random strings up to 4 KB;
 * the empty and all-zero inputs are exactly the minimal scenario; a decoded
 * scenario re-encodes to bytes that decode to it again; decoded times are
 * always representable X.509 times, the extremes included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "trustfuzz/fixture.h"
#include "trustfuzz/gen.h"

static void check_valid(const uint8_t *data, size_t len)
{
	tf_scenario s;
	tf_error err = {0};
	tf_gen_from_bytes(&s, data, len);
	if (tf_scenario_validate(&s, &err) != TF_OK) {
		char hex[64] = "";
		for (size_t i = 0; i < len && i < 16; i++)
			snprintf(hex + 2 * i, sizeof hex - 2 * i, "%02x", data[i]);
		fail_msg("input %s (%zu bytes): %s", hex, len, err.msg);
	}
}

static void assert_cert(const tf_cert *c, const char *id, unsigned subject, unsigned issuer,
			unsigned key, unsigned signing_key, int64_t serial)
{
	assert_string_equal(c->id, id);
	assert_int_equal(c->subject, subject);
	assert_int_equal(c->issuer, issuer);
	assert_int_equal(c->key, key);
	assert_int_equal(c->signing_key, signing_key);
	assert_true(c->serial == serial);
	assert_false(c->serial_long);
	assert_int_equal(c->version, 3);
	assert_true(c->not_before == TF_VALID_NOT_BEFORE);
	assert_true(c->not_after == TF_VALID_NOT_AFTER);
	assert_int_equal(c->pathlen, -1);
	assert_true(c->ku_present);
	assert_true(c->ku_critical);
	assert_false(c->eku_critical);
	assert_int_equal(c->ski, TF_KID_MATCH);
	assert_int_equal(c->aki, TF_KID_MATCH);
	assert_false(c->unknown_critical);
	assert_false(c->corrupt_sig);
	assert_null(c->der);
}

/* The minimal scenario, field by field (issue 3: one self-signed root in
 * Root, one leaf it issued, one identity presenting that leaf). */
static void assert_minimal(const tf_scenario *s)
{
	tf_error err = {0};
	assert_int_equal(tf_scenario_validate(s, &err), TF_OK);
	assert_int_equal(s->nnames, 2);
	assert_string_equal(s->names[0].label, "N0");
	assert_string_equal(s->names[1].label, "N1");
	assert_null(s->names[0].der);
	assert_int_equal(s->nkeys, 2);
	assert_int_equal(s->keys[0].pool, 0);
	assert_int_equal(s->keys[1].pool, 1);
	assert_null(s->keys[0].spki);
	assert_int_equal(s->ncerts, 2);
	const tf_cert *r = &s->certs[0], *l = &s->certs[1];
	assert_cert(r, "R0", 0, 0, 0, 0, 1);
	assert_int_equal(r->bc, TF_BC_CA_TRUE);
	assert_true(r->bc_critical);
	assert_int_equal(r->ku, TF_KU_KEY_CERT_SIGN | TF_KU_CRL_SIGN);
	assert_false(r->eku_present);
	assert_int_equal(r->eku, 0);
	assert_true(tf_cert_self_signed(s, 0));
	assert_cert(l, "L1", 1, 0, 1, 0, 2);
	assert_int_equal(l->bc, TF_BC_ABSENT);
	assert_false(l->bc_critical);
	assert_int_equal(l->ku, TF_KU_DIGITAL_SIGNATURE);
	assert_true(l->eku_present);
	assert_int_equal(l->eku, TF_EKU_CLIENT_AUTH);
	assert_true(tf_cert_sig_verifies(s, 1, 0));
	assert_int_equal(s->stores[TF_STORE_ROOT].n, 1);
	assert_int_equal(s->stores[TF_STORE_ROOT].cert[0], 0);
	assert_int_equal(s->stores[TF_STORE_INTERMEDIATE].n, 0);
	assert_int_equal(s->stores[TF_STORE_CAI].n, 0);
	assert_int_equal(s->nidentities, 1);
	assert_int_equal(s->identities[0].leaf, 1);
	assert_int_equal(s->identities[0].nchain, 0);
	assert_false(s->server.send_issuer_list);
	assert_int_equal(s->server.trust_mode, 0);
	assert_true(s->server.validation_time == TF_DEFAULT_VALIDATION_TIME);
	assert_int_equal(s->server.issuer_list_limit, TF_DEFAULT_ISSUER_LIST_LIMIT);
	tf_knobs zero;
	memset(&zero, 0, sizeof zero);
	assert_memory_equal(&s->knobs, &zero, sizeof zero);
	assert_null(s->arena.head);
}

static void test_minimal(void **state)
{
	(void)state;
	static uint8_t zeros[4096];
	tf_scenario s, t;
	tf_gen_from_bytes(&s, NULL, 0);
	assert_minimal(&s);
	tf_gen_from_bytes(&t, zeros, 0);
	assert_true(tf_scenario_equal(&s, &t));
	static const size_t lens[] = {1, 2, 3, 17, 100, 4096};
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		tf_gen_from_bytes(&t, zeros, lens[i]);
		assert_minimal(&t);
	}
	tf_scenario_free(&s);
}

/* All 1 + 256 + 65,536 strings of length 0..2 (length 3 has its own test,
 * test_gen_exhaustive.c). */
static void test_exhaustive_short(void **state)
{
	(void)state;
	uint8_t b[2] = {0};
	check_valid(b, 0);
	for (unsigned x = 0; x < 256; x++) {
		b[0] = (uint8_t)x;
		check_valid(b, 1);
		for (unsigned y = 0; y < 256; y++) {
			b[1] = (uint8_t)y;
			check_valid(b, 2);
		}
	}
}

static uint64_t rng_next(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Random strings, with byte distributions that reach different depths:
 * uniform, mostly zero (near the minimal scenario), and all-ones-heavy
 * (maximal counts). Each decoded scenario validates and re-encodes to bytes
 * that decode to it again. */
static void test_random(void **state)
{
	(void)state;
	static uint8_t data[4096], enc[TF_GEN_MAX_BYTES];
	uint64_t x = 2802568;
	for (unsigned i = 0; i < 10000; i++) {
		size_t len = (size_t)(rng_next(&x) % (sizeof data + 1));
		unsigned style = i % 3;
		for (size_t k = 0; k < len; k++) {
			uint64_t r = rng_next(&x);
			data[k] = style == 0 ? (uint8_t)r
				: style == 1 ? (r % 8 ? 0 : (uint8_t)(r >> 8))
					     : (r % 4 ? 0xff : (uint8_t)(r >> 8));
		}
		check_valid(data, len);
		tf_scenario s, back;
		tf_error err = {0};
		size_t elen = 0;
		tf_gen_from_bytes(&s, data, len);
		if (tf_gen_encode(&s, enc, sizeof enc, &elen, &err) != TF_OK)
			fail_msg("input %u: encode: %s", i, err.msg);
		tf_gen_from_bytes(&back, enc, elen);
		assert_true(tf_scenario_equal(&s, &back));
		/* Decoding is deterministic. */
		tf_gen_from_bytes(&back, data, len);
		assert_true(tf_scenario_equal(&s, &back));
	}
}

/* Raw 8-byte times reach far past the years X.509 can encode; decoding
 * folds every one in (validation time first, then each notBefore/notAfter
 * relative to it) so that renderers never meet a time they cannot write.
 * Inputs made of extreme bytes (0x00, 0x7f, 0x80, 0xff) make such raw
 * times; folded, they spread over the whole range. */
static void test_times_representable(void **state)
{
	(void)state;
	static const uint8_t extreme[4] = {0x00, 0x7f, 0x80, 0xff};
	static uint8_t data[1024];
	/* 1000-01-01 and 9000-01-01: times beyond either are rare unless
	 * decoded from raw values that were folded. */
	const int64_t y1000 = INT64_C(-30610224000), y9000 = INT64_C(221845392000);
	uint64_t x = 9999;
	unsigned early = 0, late = 0, custom_vt = 0;
	for (unsigned i = 0; i < 5000; i++) {
		size_t len = (size_t)(rng_next(&x) % (sizeof data + 1));
		for (size_t k = 0; k < len; k++) {
			uint64_t r = rng_next(&x);
			data[k] = r % 3 ? extreme[(r >> 8) & 3] : (uint8_t)(r >> 16);
		}
		check_valid(data, len);
		tf_scenario s;
		tf_gen_from_bytes(&s, data, len);
		int64_t vt = s.server.validation_time;
		custom_vt += vt != TF_DEFAULT_VALIDATION_TIME;
		for (unsigned c = 0; c < s.ncerts; c++) {
			const int64_t t[2] = {s.certs[c].not_before, s.certs[c].not_after};
			for (unsigned j = 0; j < 2; j++) {
				assert_true(tf_time_representable(vt, t[j]));
				early += vt + t[j] < y1000;
				late += vt + t[j] > y9000;
			}
		}
	}
	print_message("custom validation times %u; times before year 1000 %u, after 9000 %u\n",
		      custom_vt, early, late);
	assert_true(custom_vt > 0 && early > 0 && late > 0);

	/* The edges themselves survive the byte round trip. */
	tf_scenario s, back;
	uint8_t enc[TF_GEN_MAX_BYTES];
	size_t elen = 0;
	tf_error err = {0};
	tf_gen_from_bytes(&s, NULL, 0);
	s.server.validation_time = TF_TIME_MAX;
	s.certs[0].not_before = TF_TIME_MIN - TF_TIME_MAX;
	s.certs[0].not_after = 0;
	s.certs[1].not_before = -1;
	s.certs[1].not_after = 0;
	assert_int_equal(tf_gen_encode(&s, enc, sizeof enc, &elen, &err), TF_OK);
	tf_gen_from_bytes(&back, enc, elen);
	assert_true(tf_scenario_equal(&s, &back));
}

/* Duplicate labels can only come from inputs no encoder wrote; they are
 * repaired. This input makes name 0 a custom "N1" and cert 0 a custom "L1",
 * so names[1] and certs[1] collide with them by default. */
static void test_label_repair(void **state)
{
	(void)state;
	uint8_t in[600];
	size_t n = 0;
	memset(in, 0, sizeof in);
	/* Zeros up to the labels (docs/generators.md): 3 counts, 2 key pools,
	 * pass 1 (cert 0: name, key; cert 1: template, name, key), pass 2
	 * (template, name, key each), 2 attribute gates, stores (Root count and
	 * entry, two counts), identities (count, leaf, chain length), server
	 * (issuer list, trust mode, time form, limit form). */
	n = 3 + 2 + (2 + 3) + 6 + 2 + 4 + 3 + 4;
	in[n++] = 1; /* names[0]: custom */
	in[n++] = 2; /* length 2 */
	in[n++] = 'N' - 32;
	in[n++] = '1' - 32;
	in[n++] = 0; /* names[1]: canonical "N1" → repaired */
	in[n++] = 1; /* certs[0]: custom id */
	in[n++] = 1; /* length 1 + 1 */
	in[n++] = 'L' - 32;
	in[n++] = '1' - 32;
	tf_scenario s;
	tf_error err = {0};
	tf_gen_from_bytes(&s, in, n);
	assert_int_equal(tf_scenario_validate(&s, &err), TF_OK);
	assert_string_equal(s.names[0].label, "N1");
	assert_string_equal(s.names[1].label, "N1-1");
	assert_string_equal(s.certs[0].id, "L1");
	assert_string_equal(s.certs[1].id, "L1-1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_label_repair),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_times_representable),
		cmocka_unit_test(test_exhaustive_short),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
