/*
 * tests/test_eval_paths.c — the reference's path building on tricky graphs:
 * backtracking across name collisions and cross-signs, bridge CAs, mutual
 * cross-signing and loops, twins of the leaf and of an anchor (repeated
 * subject and key), 5-deep chains with decoys, the depth limit, the
 * anchors knob, the trust modes and the search bound. Every verdict is
 * asserted exactly: status, HRESULT and path.
 */
#include "eval_builder.h"
#include "trustfuzz/models.h"

static tf_scenario S;
#define REF (&tf_evaluator_ref)

/* Contoso Root (R0, key 0) → Issuing CA (I1, key 1) → Alice (L2, key 2). */
static void basic(tf_scenario *s)
{
	sb_init(s);
	unsigned r = sb_root(s, "R0", "Contoso Root", 0);
	unsigned i = sb_ca(s, "I1", "Issuing CA", "Contoso Root", 1, 0);
	unsigned l = sb_cert(s, "L2", "Alice", "Issuing CA", 2, 1);
	sb_store(s, TF_STORE_ROOT, r);
	sb_identity(s, l, 1, i);
}

static void test_basic_chain(void **state)
{
	(void)state;
	basic(&S);
	tf_verdict v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");
	assert_int_equal(v.identity, 0);
	sb_assert_reason(&v, "valid path to anchor R0");
}

/* Two "Issuing CA" certificates: the client sends one with another key
 * first; only the second (Intermediate store) verifies. */
static void test_backtrack_name_collision(void **state)
{
	(void)state;
	sb_init(&S);
	unsigned r = sb_root(&S, "R0", "Contoso Root", 0);
	unsigned bad = sb_ca(&S, "I-other-key", "Issuing CA", "Contoso Root", 7, 0);
	unsigned good = sb_ca(&S, "I-right", "Issuing CA", "Contoso Root", 1, 0);
	unsigned l = sb_cert(&S, "Alice", "Alice", "Issuing CA", 2, 1);
	sb_store(&S, TF_STORE_ROOT, r);
	sb_store(&S, TF_STORE_INTERMEDIATE, good);
	sb_identity(&S, l, 1, bad);
	tf_verdict v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "Alice > I-right > R0");

	/* Without the right one, the collision is a signature failure. */
	S.stores[TF_STORE_INTERMEDIATE].n = 0;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_TRUST_E_CERT_SIGNATURE,
		  "Alice > I-other-key > R0");
	sb_assert_reason(&v, "Alice signature does not verify under the key of I-other-key");
}

/* Cross-signed CA: the same subject and key under an expired and a valid
 * root; the expired path comes first in store order. */
static void test_cross_sign_expired_and_valid(void **state)
{
	(void)state;
	sb_init(&S);
	unsigned old_root = sb_root(&S, "Old-Root", "Old Root", 5);
	unsigned new_root = sb_root(&S, "New-Root", "New Root", 6);
	unsigned ca_old = sb_ca(&S, "CA-by-Old", "Issuing CA", "Old Root", 1, 5);
	unsigned ca_new = sb_ca(&S, "CA-by-New", "Issuing CA", "New Root", 1, 6);
	unsigned l = sb_cert(&S, "Alice", "Alice", "Issuing CA", 2, 1);
	sb_expired(&S, old_root);
	sb_store(&S, TF_STORE_ROOT, old_root);
	sb_store(&S, TF_STORE_ROOT, new_root);
	sb_store(&S, TF_STORE_INTERMEDIATE, ca_old);
	sb_store(&S, TF_STORE_INTERMEDIATE, ca_new);
	sb_identity(&S, l, 0);
	tf_verdict v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "Alice > CA-by-New > New-Root");

	S.stores[TF_STORE_ROOT].n = 1; /* only the expired root left */
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED, "Alice > CA-by-Old > Old-Root");
	sb_assert_reason(&v, "Old-Root expired at validation time");

	S.knobs.anchor_validity = TF_ANCHOR_VALIDITY_IGNORE;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "Alice > CA-by-Old > Old-Root");
}

/* Bridge CA: Org B's own root is sent but untrusted; the path goes
 * B-by-Bridge → Bridge-by-A → Org A Root instead. */
static void test_bridge_ca(void **state)
{
	(void)state;
	sb_init(&S);
	unsigned a_root = sb_root(&S, "A-Root", "Org A Root", 0);
	unsigned b_root = sb_root(&S, "B-Root", "Org B Root", 1);
	unsigned bridge = sb_ca(&S, "Bridge-by-A", "Bridge CA", "Org A Root", 2, 0);
	unsigned b_cross = sb_ca(&S, "B-by-Bridge", "Org B Root", "Bridge CA", 1, 2);
	unsigned l = sb_cert(&S, "Bob", "Bob", "Org B Root", 3, 1);
	sb_store(&S, TF_STORE_ROOT, a_root);
	sb_store(&S, TF_STORE_INTERMEDIATE, bridge);
	sb_store(&S, TF_STORE_INTERMEDIATE, b_cross);
	sb_identity(&S, l, 1, b_root);
	tf_verdict v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "Bob > B-by-Bridge > Bridge-by-A > A-Root");

	/* Without the bridge, Org B's root is all there is: untrusted. */
	S.stores[TF_STORE_INTERMEDIATE].n = 0;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, "Bob > B-Root");
	sb_assert_reason(&v, "B-Root is self-signed but not a trust anchor");
}

/* CA A and CA B certify each other; only B has a self-signed root in Root.
 * The search must not loop A → B → A, and must still find B's root. */
static void test_mutual_cross_signing(void **state)
{
	(void)state;
	sb_init(&S);
	unsigned a_by_b = sb_ca(&S, "A-by-B", "CA A", "CA B", 0, 1);
	unsigned b_by_a = sb_ca(&S, "B-by-A", "CA B", "CA A", 1, 0);
	unsigned b_root = sb_root(&S, "B-Root", "CA B", 1);
	unsigned l = sb_cert(&S, "Carol", "Carol", "CA A", 2, 0);
	sb_store(&S, TF_STORE_INTERMEDIATE, a_by_b);
	sb_store(&S, TF_STORE_INTERMEDIATE, b_by_a);
	sb_store(&S, TF_STORE_ROOT, b_root);
	sb_identity(&S, l, 0);
	tf_verdict v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "Carol > A-by-B > B-Root");

	/* No root: the loop ends where A would repeat; no issuer is left. */
	S.stores[TF_STORE_ROOT].n = 0;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_CHAINING, "Carol > A-by-B > B-by-A");
	sb_assert_reason(&v, "no issuer found for B-by-A");
}

/* Root → CA1 → CA2 → CA3 → CA4 → Leaf with a decoy before each proper
 * certificate in the Intermediate store: another key (CA4, CA1), a cross
 * sign leading nowhere (CA3), an expired twin (CA2). */
static void five_deep(tf_scenario *s, bool with_proper_ca2)
{
	sb_init(s);
	unsigned r = sb_root(s, "Root", "Root", 0);
	unsigned ca1 = sb_ca(s, "CA1", "CA1", "Root", 1, 0);
	unsigned ca2 = sb_ca(s, "CA2", "CA2", "CA1", 2, 1);
	unsigned ca3 = sb_ca(s, "CA3", "CA3", "CA2", 3, 2);
	unsigned ca4 = sb_ca(s, "CA4", "CA4", "CA3", 4, 3);
	unsigned l = sb_cert(s, "Leaf", "Leaf", "CA4", 5, 4);
	unsigned d4 = sb_ca(s, "D4", "CA4", "CA3", 14, 3);
	unsigned d3 = sb_ca(s, "D3", "CA3", "Nowhere CA", 3, 20);
	unsigned d2 = sb_ca(s, "D2", "CA2", "CA1", 2, 1);
	unsigned d1 = sb_ca(s, "D1", "CA1", "Root", 11, 0);
	sb_expired(s, d2);
	sb_store(s, TF_STORE_ROOT, r);
	unsigned order[] = {d4, ca4, d3, ca3, d2, ca2, d1, ca1};
	for (unsigned i = 0; i < 8; i++)
		if (with_proper_ca2 || order[i] != ca2)
			sb_store(s, TF_STORE_INTERMEDIATE, order[i]);
	sb_identity(s, l, 0);
}

static void test_five_deep_with_collisions(void **state)
{
	(void)state;
	five_deep(&S, true);
	tf_verdict v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "Leaf > CA4 > CA3 > CA2 > CA1 > Root");

	five_deep(&S, false); /* only the expired twin of CA2 is left */
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_17, TF_WIN32_CERT_E_EXPIRED,
		  "Leaf > CA4 > CA3 > D2 > CA1 > Root");
	sb_assert_reason(&v, "D2 expired at validation time");
}

static void test_depth_limit(void **state)
{
	(void)state;
	five_deep(&S, true);
	S.knobs.max_depth = 5; /* the valid path holds 6 certificates */
	tf_verdict v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_CHAINING,
		  "Leaf > CA4 > CA3 > CA2 > CA1");
	sb_assert_reason(&v, "depth limit 5 reached at CA1");
	S.knobs.max_depth = 6;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "Leaf > CA4 > CA3 > CA2 > CA1 > Root");
}

/* A non-self-signed intermediate in Root, under both values of `anchors`. */
static void test_non_self_signed_anchor(void **state)
{
	(void)state;
	basic(&S);
	S.stores[TF_STORE_ROOT].cert[0] = 1; /* Root holds I1, not R0 */
	tf_verdict v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1");

	S.knobs.anchors = TF_ANCHORS_SELF_SIGNED_ONLY;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_CHAINING, "L2 > I1");
	sb_assert_reason(&v, "no issuer found for I1");

	/* The client sends R0 too: now the path ends at an untrusted root. */
	S.identities[0].chain[S.identities[0].nchain++] = 0;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, "L2 > I1 > R0");

	/* R0 in Root as well: I1 serves as an intermediate. */
	sb_store(&S, TF_STORE_ROOT, 0);
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");
}

static void test_trust_modes(void **state)
{
	(void)state;
	basic(&S);
	unsigned other = sb_ca(&S, "J3", "Other CA", "Contoso Root", 3, 0);
	/* Mode 0 with Client Authentication Issuers = {J3}: anchors are Root,
	 * but the path must pass through J3. */
	sb_store(&S, TF_STORE_CAI, other);
	tf_verdict v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, "L2 > I1 > R0");
	sb_assert_reason(&v, "does not pass through the trusted issuer list (client_auth_issuers)");
	S.stores[TF_STORE_CAI].cert[0] = 1; /* CAI = {I1} */
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");

	/* Mode 1: anchors are the self-signed certificates of the source
	 * store (CAI = {I1, R0}; Root is not consulted). */
	S.stores[TF_STORE_ROOT].n = 0;
	sb_store(&S, TF_STORE_CAI, 0);
	S.server.trust_mode = 1;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");
	/* Mode 2: every certificate of the source store is an anchor. */
	S.server.trust_mode = 2;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L2 > I1");
	/* Mode 1 without the self-signed root in the store: no anchor. */
	S.stores[TF_STORE_CAI].n = 1;
	S.server.trust_mode = 1;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_CHAINING, "L2 > I1");
}

/* Self-issued hubs with distinct keys: every hub is an issuer candidate of
 * every other, so the candidate paths explode; the search bound stops it
 * deterministically. */
static void test_search_bound(void **state)
{
	(void)state;
	sb_init(&S);
	char id[16];
	for (unsigned i = 1; i <= 22; i++) {
		snprintf(id, sizeof id, "hub%u", i);
		sb_ca(&S, id, "Hub", "Hub", i, i % 22 + 1);
		sb_store(&S, TF_STORE_INTERMEDIATE, i - 1);
	}
	unsigned l = sb_cert(&S, "Leaf", "Leaf", "Hub", 0, 1);
	sb_identity(&S, l, 0);
	tf_verdict v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_CHAINING,
		  "Leaf > hub1 > hub2 > hub3 > hub4 > hub5 > hub6 > hub7");
	sb_assert_reason(&v, "depth limit 8 reached at hub7");
	sb_assert_reason(&v, "(search bound reached)");
	tf_verdict again = sb_eval(REF, &S);
	assert_true(tf_verdict_equal(&v, &again, TF_DEPTH_PATH));
	assert_string_equal(v.reason, again.reason);
}

/* A self-signed client certificate placed in Root is its own anchor. */
static void test_leaf_is_anchor(void **state)
{
	(void)state;
	sb_init(&S);
	unsigned l = sb_cert(&S, "Self", "Self", "Self", 0, 0);
	sb_store(&S, TF_STORE_ROOT, l);
	sb_identity(&S, l, 0);
	tf_verdict v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "Self");
	S.stores[TF_STORE_ROOT].n = 0;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, "Self");
}

/* RFC 5280 s.6.1.1(d): the anchor is a name and a key. A self-signed
 * certificate with the name and key of the anchor R0 (a re-issued root the
 * client presents) is issued by that name under that key: it chains to R0.
 * The loop rule of RFC 4158 must not hide that path. */
static void test_leaf_twin_of_anchor(void **state)
{
	(void)state;
	sb_init(&S);
	unsigned r0 = sb_root(&S, "R0", "Contoso Root", 0);
	unsigned r1 = sb_root(&S, "R1", "Contoso Root", 0);
	sb_store(&S, TF_STORE_ROOT, r0);
	sb_identity(&S, r1, 0);
	tf_verdict v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "R1 > R0");
	sb_assert_reason(&v, "valid path to anchor R0");

	/* Its signature must still verify under the anchor's key. */
	S.certs[r1].corrupt_sig = true;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_TRUST_E_CERT_SIGNATURE, "R1 > R0");

	/* Another key: a name collision, and the signature failure above R0
	 * ranks below the untrusted root R1 alone. */
	S.certs[r1].corrupt_sig = false;
	S.certs[r1].key = 5;
	S.certs[r1].signing_key = 5;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_TRUST_E_CERT_SIGNATURE, "R1 > R0");
	sb_assert_reason(&v, "R1 signature does not verify under the key of R0");
}

/* The same with a non-self-signed anchor (trust mode 2: every certificate of
 * Root is an anchor): a self-signed twin of intermediate I1 chains to I1.
 * Under anchors=self-signed-only I1 is no anchor and the twin is an
 * untrusted root. */
static void test_self_signed_twin_of_intermediate_anchor(void **state)
{
	(void)state;
	sb_init(&S);
	unsigned i1 = sb_ca(&S, "I1", "Issuing CA", "Contoso Root", 1, 0);
	unsigned i2 = sb_root(&S, "I2", "Issuing CA", 1);
	sb_store(&S, TF_STORE_ROOT, i1);
	sb_identity(&S, i2, 0);
	S.server.trust_mode = 2;
	tf_verdict v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "I2 > I1");
	S.server.trust_mode = 0;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "I2 > I1");
	S.knobs.anchors = TF_ANCHORS_SELF_SIGNED_ONLY;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, "I2");
}

/* The leaf's subject and key certified again higher up the path (campaign
 * finding 05d33115a14fb92c): Leaf "N3" (key 3) is issued by CA "N4", which
 * is issued by another "N3" certificate with key 3, which chains to the
 * root. Every certificate differs and every check passes: valid. */
static void test_leaf_key_recertified_on_path(void **state)
{
	(void)state;
	sb_init(&S);
	unsigned r = sb_root(&S, "R0", "Root", 0);
	unsigned i1 = sb_ca(&S, "I1", "N1", "Root", 1, 0);
	unsigned i3 = sb_ca(&S, "I3", "N3", "N1", 3, 1);
	unsigned i4 = sb_ca(&S, "I4", "N4", "N3", 4, 3);
	unsigned l = sb_cert(&S, "L5", "N3", "N4", 3, 4);
	sb_store(&S, TF_STORE_ROOT, r);
	sb_store(&S, TF_STORE_INTERMEDIATE, i1);
	sb_identity(&S, l, 2, i4, i3);
	tf_verdict v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L5 > I4 > I3 > I1 > R0");
	/* The leaf itself is never its own issuer candidate. */
	S.identities[0].nchain = 1;
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_CHAINING, "L5 > I4");
	sb_assert_reason(&v, "no issuer found for I4");
}

/* A twin of an intermediate closes a loop and is pruned: A2 shares subject
 * and key with A1, so L > A1 > B > A2 > Root is not built; the shorter
 * L > A2 > Root is. With Client Authentication Issuers = {B} (mode 0) the
 * only path through B is the loop, and a list entry met only inside a loop
 * does not count (docs/evaluators.md). */
static void test_intermediate_twin_pruned(void **state)
{
	(void)state;
	sb_init(&S);
	unsigned a1 = sb_ca(&S, "A1", "CA A", "CA B", 0, 1);
	unsigned b = sb_ca(&S, "B", "CA B", "CA A", 1, 0);
	unsigned a2 = sb_ca(&S, "A2", "CA A", "Root", 0, 9);
	unsigned r = sb_root(&S, "Root", "Root", 9);
	unsigned l = sb_cert(&S, "L", "Carol", "CA A", 2, 0);
	sb_store(&S, TF_STORE_INTERMEDIATE, a1);
	sb_store(&S, TF_STORE_INTERMEDIATE, b);
	sb_store(&S, TF_STORE_INTERMEDIATE, a2);
	sb_store(&S, TF_STORE_ROOT, r);
	sb_identity(&S, l, 0);
	tf_verdict v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "L > A2 > Root");
	sb_store(&S, TF_STORE_CAI, b);
	v = sb_eval(REF, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, "L > A2 > Root");
	sb_assert_reason(&v, "does not pass through the trusted issuer list");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_chain),
		cmocka_unit_test(test_backtrack_name_collision),
		cmocka_unit_test(test_cross_sign_expired_and_valid),
		cmocka_unit_test(test_bridge_ca),
		cmocka_unit_test(test_mutual_cross_signing),
		cmocka_unit_test(test_five_deep_with_collisions),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_non_self_signed_anchor),
		cmocka_unit_test(test_trust_modes),
		cmocka_unit_test(test_search_bound),
		cmocka_unit_test(test_leaf_is_anchor),
		cmocka_unit_test(test_leaf_twin_of_anchor),
		cmocka_unit_test(test_self_signed_twin_of_intermediate_anchor),
		cmocka_unit_test(test_leaf_key_recertified_on_path),
		cmocka_unit_test(test_intermediate_twin_pruned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
