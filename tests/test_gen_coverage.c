/* tests/test_gen_coverage.c — the seeded profiles produce the shapes issue 3
 * lists. Over seeds 1..1000 of each profile, counts every shape with
 * tf_features and prints the table; the default profile (mixed) must show
 * each shape at least once, kb and rfc5280 must show their own biases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "trustfuzz/features.h"
#include "trustfuzz/gen.h"

#define NSEEDS 1000

enum {
	SH_DEPTH1, SH_DEPTH2, SH_DEPTH3, SH_DEPTH4, SH_DEPTH5,
	SH_CROSS_SIGN, SH_NAME_COLLISION, SH_BRIDGE, SH_NSS_IN_ROOT, SH_NSS_SIG_IN_ROOT,
	SH_MULTI_STORE, SH_EXPIRED, SH_NOT_YET_VALID, SH_EKU_VARIATION, SH_KU_VARIATION,
	SH_MULTI_IDENTITY, SH_LIST_ON, SH_LIST_OFF, SH_MODE0, SH_MODE1, SH_MODE2, SH_CAI,
	SH_COUNT
};

static const char *const shape_names[SH_COUNT] = {
	"chain depth 1", "chain depth 2", "chain depth 3", "chain depth 4", "chain depth 5",
	"cross-signed subject", "name collision", "bridge CA", "non-self-issued in Root",
	"non-self-signed in Root", "cert in several stores", "expired cert",
	"not-yet-valid cert", "EKU variation", "key-usage variation", "several identities",
	"issuer list on", "issuer list off", "trust mode 0", "trust mode 1", "trust mode 2",
	"Client Auth Issuers non-empty",
};

typedef struct census {
	unsigned count[SH_COUNT];
	unsigned depth_sum;
	unsigned knobs_changed;
} census;

static void take_census(tf_profile p, census *c)
{
	memset(c, 0, sizeof *c);
	tf_knobs zero;
	memset(&zero, 0, sizeof zero);
	for (uint64_t seed = 1; seed <= NSEEDS; seed++) {
		tf_scenario s;
		tf_features f;
		tf_gen_from_seed(&s, seed, p, NULL, NULL);
		tf_features_compute(&s, &f);
		if (f.chain_depth >= 1 && f.chain_depth <= 5)
			c->count[SH_DEPTH1 + f.chain_depth - 1]++;
		c->depth_sum += f.chain_depth;
		c->count[SH_CROSS_SIGN] += f.has_cross_sign;
		c->count[SH_NAME_COLLISION] += f.has_name_collision;
		c->count[SH_BRIDGE] += f.has_bridge;
		c->count[SH_NSS_IN_ROOT] += f.nss_in_root;
		c->count[SH_NSS_SIG_IN_ROOT] += f.nss_sig_in_root;
		c->count[SH_MULTI_STORE] += f.multi_store;
		c->count[SH_EXPIRED] += f.has_expired;
		c->count[SH_NOT_YET_VALID] += f.has_not_yet_valid;
		c->count[SH_EKU_VARIATION] += f.eku_variation;
		c->count[SH_KU_VARIATION] += f.ku_variation;
		c->count[SH_MULTI_IDENTITY] += f.n_identities >= 2;
		c->count[SH_LIST_ON] += f.issuer_list;
		c->count[SH_LIST_OFF] += !f.issuer_list;
		c->count[SH_MODE0 + f.trust_mode]++;
		c->count[SH_CAI] += f.cai_nonempty;
		c->knobs_changed += memcmp(&s.knobs, &zero, sizeof zero) != 0;
	}
	print_message("profile %s, seeds 1..%d (mean chain depth %.2f):\n", tf_profile_str(p),
		      NSEEDS, c->depth_sum / (double)NSEEDS);
	for (unsigned i = 0; i < SH_COUNT; i++)
		print_message("  %-32s %5u\n", shape_names[i], c->count[i]);
}

static void test_mixed_covers_every_shape(void **state)
{
	(void)state;
	census c;
	take_census(TF_GEN_PROFILE_MIXED, &c);
	for (unsigned i = 0; i < SH_COUNT; i++)
		if (c.count[i] == 0)
			fail_msg("mixed profile: no \"%s\" in seeds 1..%d", shape_names[i], NSEEDS);
	assert_int_equal(c.knobs_changed, 0);
}

/* kb: the KB 2802568 trigger and the store/server shapes around it are the
 * common case, not the exception. */
static void test_kb_biases_stores(void **state)
{
	(void)state;
	census kb, mixed;
	take_census(TF_GEN_PROFILE_KB, &kb);
	take_census(TF_GEN_PROFILE_MIXED, &mixed);
	assert_true(kb.count[SH_NSS_IN_ROOT] >= NSEEDS * 4 / 10);
	assert_true(kb.count[SH_NSS_IN_ROOT] > mixed.count[SH_NSS_IN_ROOT]);
	assert_true(kb.count[SH_CAI] >= NSEEDS / 4);
	assert_true(kb.count[SH_LIST_ON] >= NSEEDS / 3 && kb.count[SH_LIST_OFF] >= NSEEDS / 3);
	for (unsigned m = SH_MODE0; m <= SH_MODE2; m++)
		assert_true(kb.count[m] >= NSEEDS / 5);
	assert_true(kb.count[SH_MULTI_IDENTITY] >= NSEEDS / 5);
	assert_int_equal(kb.knobs_changed, 0);
}

/* rfc5280: deeper PKIs with more cross-signs and collisions, and a Root of
 * self-signed certificates only. */
static void test_rfc5280_biases_paths(void **state)
{
	(void)state;
	census r, kb;
	take_census(TF_GEN_PROFILE_RFC5280, &r);
	take_census(TF_GEN_PROFILE_KB, &kb);
	assert_int_equal(r.count[SH_NSS_IN_ROOT], 0);
	assert_int_equal(r.count[SH_NSS_SIG_IN_ROOT], 0);
	assert_true(r.depth_sum > kb.depth_sum);
	assert_true(r.count[SH_CROSS_SIGN] > kb.count[SH_CROSS_SIGN]);
	assert_true(r.count[SH_NAME_COLLISION] > kb.count[SH_NAME_COLLISION]);
	assert_true(r.count[SH_BRIDGE] > 0);
	for (unsigned d = SH_DEPTH2; d <= SH_DEPTH5; d++)
		assert_true(r.count[d] >= NSEEDS / 50);
	assert_true(r.count[SH_EXPIRED] > 0 && r.count[SH_NOT_YET_VALID] > 0);
	assert_int_equal(r.knobs_changed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mixed_covers_every_shape),
		cmocka_unit_test(test_kb_biases_stores),
		cmocka_unit_test(test_rfc5280_biases_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
