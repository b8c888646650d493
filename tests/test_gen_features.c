/* tests/test_gen_features.c — tf_features_compute on hand-built scenarios:
 * each feature on its boundary, both sides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "trustfuzz/features.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/gen.h"

/* Root R0 (self-signed) and leaf L1 issued by it: the minimal scenario. */
static void minimal(tf_scenario *s)
{
	tf_gen_from_bytes(s, NULL, 0);
}

static tf_features features(const tf_scenario *s)
{
	tf_error err = {0};
	tf_features f, g;
	if (tf_scenario_validate(s, &err) != TF_OK)
		fail_msg("test scenario invalid: %s", err.msg);
	tf_features_compute(s, &f);
	tf_features_compute(s, &g);
	assert_memory_equal(&f, &g, sizeof f);
	return f;
}

/* Appends a certificate with the given structure and role defaults. */
static unsigned add_cert(tf_scenario *s, const char *id, unsigned subject, unsigned key,
			 unsigned issuer, unsigned signing_key, bool ca)
{
	tf_scenario proto;
	minimal(&proto);
	unsigned i = s->ncerts++;
	tf_cert *c = &s->certs[i];
	*c = proto.certs[ca ? 0 : 1];
	strcpy(c->id, id);
	c->subject = (uint8_t)subject;
	c->key = (uint8_t)key;
	c->issuer = (uint8_t)issuer;
	c->signing_key = (uint8_t)signing_key;
	c->serial = i + 1;
	return i;
}

static unsigned add_name(tf_scenario *s, const char *label)
{
	strcpy(s->names[s->nnames].label, label);
	return s->nnames++;
}

static unsigned add_key(tf_scenario *s, unsigned pool)
{
	s->keys[s->nkeys].pool = (uint16_t)pool;
	return s->nkeys++;
}

static void test_minimal(void **state)
{
	(void)state;
	tf_scenario s;
	minimal(&s);
	tf_features f = features(&s), zero;
	assert_int_equal(f.chain_depth, 2);
	assert_int_equal(f.n_identities, 1);
	f.chain_depth = 0;
	f.n_identities = 0;
	memset(&zero, 0, sizeof zero);
	assert_memory_equal(&f, &zero, sizeof f);
}

static void test_depth(void **state)
{
	(void)state;
	tf_scenario s;
	uint8_t b = 3; /* ncerts = 2 + 3: R0 → I1 → I2 → I3 → L4 */
	tf_gen_from_bytes(&s, &b, 1);
	assert_int_equal(s.ncerts, 5);
	assert_int_equal(features(&s).chain_depth, 5);

	/* The shortest chain counts: a shortcut from L4 straight to R0. */
	tf_scenario t = s;
	t.certs[4].issuer = t.certs[0].subject;
	t.certs[4].signing_key = t.certs[0].key;
	assert_int_equal(features(&t).chain_depth, 2);

	/* The deepest identity counts. */
	s.nidentities = 2;
	s.identities[1] = (tf_identity){.leaf = 0};
	assert_int_equal(features(&s).chain_depth, 5);
	s.identities[0].leaf = 2;
	assert_int_equal(features(&s).chain_depth, 3);
	s.identities[0].leaf = 0; /* a self-issued leaf */
	assert_int_equal(features(&s).chain_depth, 1);

	/* No self-issued cert reachable: 0. A wrong signing key cuts the link. */
	minimal(&s);
	s.certs[1].signing_key = 1;
	assert_int_equal(features(&s).chain_depth, 0);
	/* A corrupt signature does not: links are names and keys. */
	minimal(&s);
	s.certs[1].corrupt_sig = true;
	assert_int_equal(features(&s).chain_depth, 2);

	/* Capped at TF_MAX_PATH. */
	b = TF_MAX_CERTS - 2;
	tf_gen_from_bytes(&s, &b, 1);
	assert_int_equal(s.ncerts, TF_MAX_CERTS);
	assert_int_equal(features(&s).chain_depth, TF_MAX_PATH);
}

/* Cross-sign and bridge: (N1, K1) certified by R0 and by a second root R2;
 * a bridge once it also issues a CA. */
static void test_cross_sign_and_bridge(void **state)
{
	(void)state;
	tf_scenario s;
	minimal(&s);
	s.certs[1] = s.certs[0]; /* make cert 1 a CA I1 = (N1, K1) issued by R0 */
	strcpy(s.certs[1].id, "I1");
	s.certs[1].subject = 1;
	s.certs[1].key = 1;
	tf_features f = features(&s);
	assert_false(f.has_cross_sign);
	unsigned n2 = add_name(&s, "N2"), k2 = add_key(&s, 2);
	add_cert(&s, "R2", n2, k2, n2, k2, true);
	add_cert(&s, "X1", 1, 1, n2, k2, true); /* I1 again, by R2 */
	f = features(&s);
	assert_true(f.has_cross_sign);
	assert_false(f.has_name_collision);
	assert_false(f.has_bridge); /* issues no CA yet */
	unsigned n3 = add_name(&s, "N3"), k3 = add_key(&s, 3);
	unsigned leaf = add_cert(&s, "L3", n3, k3, 1, 1, false);
	assert_false(features(&s).has_bridge); /* a leaf is not a CA */
	s.certs[leaf].bc = TF_BC_CA_TRUE;
	assert_true(features(&s).has_bridge);
	/* Self-issuance does not count as a second issuer name. */
	s.certs[3].issuer = 1;
	s.certs[3].signing_key = 1;
	f = features(&s);
	assert_true(f.has_cross_sign);
	assert_false(f.has_bridge);
	/* The same key under another pool index entry is the same key. */
	minimal(&s);
	unsigned k0b = add_key(&s, 0);
	add_cert(&s, "R0b", 0, k0b, 0, k0b, true);
	add_cert(&s, "X0", 0, 0, 1, 1, true);
	f = features(&s);
	assert_true(f.has_cross_sign);
	assert_false(f.has_name_collision);
}

static void test_name_collision(void **state)
{
	(void)state;
	tf_scenario s;
	minimal(&s);
	unsigned k2 = add_key(&s, 2);
	add_cert(&s, "C0", 0, k2, 0, k2, true);
	tf_features f = features(&s);
	assert_true(f.has_name_collision);
	assert_false(f.has_cross_sign);
	s.keys[k2].pool = 0; /* same pool key: the same key after all */
	f = features(&s);
	assert_false(f.has_name_collision);
	assert_false(f.has_cross_sign); /* same issuer too: a duplicate */
}

static void test_root_triggers(void **state)
{
	(void)state;
	tf_scenario s;
	minimal(&s);
	tf_store *root = &s.stores[TF_STORE_ROOT];
	root->cert[root->n++] = 1; /* the leaf in Root */
	tf_features f = features(&s);
	assert_true(f.nss_in_root);
	assert_true(f.nss_sig_in_root);
	/* Self-issued but signed by another key: a trigger by signature only. */
	minimal(&s);
	s.certs[0].signing_key = 1;
	f = features(&s);
	assert_false(f.nss_in_root);
	assert_true(f.nss_sig_in_root);
	minimal(&s);
	s.certs[0].corrupt_sig = true;
	f = features(&s);
	assert_false(f.nss_in_root);
	assert_true(f.nss_sig_in_root);
	assert_true(f.has_bad_signature);
}

static void test_stores(void **state)
{
	(void)state;
	tf_scenario s;
	minimal(&s);
	s.stores[TF_STORE_ROOT].cert[s.stores[TF_STORE_ROOT].n++] = 0; /* twice in one store */
	tf_features f = features(&s);
	assert_false(f.multi_store);
	s.stores[TF_STORE_CAI].cert[s.stores[TF_STORE_CAI].n++] = 1;
	f = features(&s);
	assert_false(f.multi_store);
	assert_true(f.cai_nonempty);
	s.stores[TF_STORE_INTERMEDIATE].cert[s.stores[TF_STORE_INTERMEDIATE].n++] = 1;
	assert_true(features(&s).multi_store);
}

static void test_validity(void **state)
{
	(void)state;
	tf_scenario s;
	minimal(&s);
	s.certs[1].not_after = 0; /* inclusive: still valid */
	s.certs[0].not_before = 0;
	tf_features f = features(&s);
	assert_false(f.has_expired);
	assert_false(f.has_not_yet_valid);
	s.certs[1].not_after = -1;
	assert_true(features(&s).has_expired);
	s.certs[0].not_before = 1;
	f = features(&s);
	assert_true(f.has_not_yet_valid);
	assert_true(f.has_expired);
}

static void test_usage(void **state)
{
	(void)state;
	tf_scenario s;
	minimal(&s);
	s.certs[1].eku_present = false;
	s.certs[1].eku = 0;
	tf_features f = features(&s);
	assert_true(f.eku_variation);
	assert_false(f.ku_variation);
	minimal(&s);
	s.certs[1].eku |= TF_EKU_SERVER_AUTH;
	assert_true(features(&s).eku_variation);
	minimal(&s);
	s.certs[0].eku_present = true;
	s.certs[0].eku = TF_EKU_ANY;
	assert_true(features(&s).eku_variation);
	minimal(&s);
	s.certs[0].ku_present = false;
	s.certs[0].ku = 0;
	f = features(&s);
	assert_true(f.ku_variation);
	assert_false(f.eku_variation);
	minimal(&s);
	s.certs[1].ku |= TF_KU_KEY_ENCIPHERMENT;
	assert_true(features(&s).ku_variation);
	/* The role is basicConstraints: a leaf made CA:TRUE now has a leaf's
	 * usages, which vary from a CA's. */
	minimal(&s);
	s.certs[1].bc = TF_BC_CA_TRUE;
	f = features(&s);
	assert_true(f.ku_variation);
	assert_true(f.eku_variation);
}

static void test_server_and_identities(void **state)
{
	(void)state;
	tf_scenario s;
	minimal(&s);
	s.server.send_issuer_list = true;
	s.server.trust_mode = 2;
	s.nidentities = 3;
	s.identities[1] = s.identities[0];
	s.identities[2] = s.identities[0];
	tf_features f = features(&s);
	assert_true(f.issuer_list);
	assert_int_equal(f.trust_mode, 2);
	assert_int_equal(f.n_identities, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_cross_sign_and_bridge),
		cmocka_unit_test(test_name_collision),
		cmocka_unit_test(test_root_triggers),
		cmocka_unit_test(test_stores),
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_server_and_identities),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
