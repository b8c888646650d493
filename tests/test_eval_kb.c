/*
 * tests/test_eval_kb.c — the KB 2802568 model: both KB rows, the
 * workaround, the control, the escapes (trust mode 2, Client Authentication
 * Issuers), the trigger knob, each variant's distinct predictions, and the
 * model's defining property: outside the trigger it gives exactly the
 * reference verdict (10,000+ generated scenarios per configuration).
 */
#include "eval_builder.h"
#include "trustfuzz/gen.h"
#include "trustfuzz/models.h"

static tf_scenario S;
#define REF (&tf_evaluator_ref)
#define KB (&tf_evaluator_kb)
enum { R0 = 0, I1 = 1, L2 = 2, FROOT = 3, X4 = 4, BOB = 5 };

/* Contoso Root (R0) → Issuing CA (I1) → Alice (L2): the user's chain.
 * Fabrikam Root (FROOT) → Fabrikam Policy CA (X4) → Bob (BOB): another
 * hierarchy whose intermediate X4 an administrator put into Root. */
static void kb_base(bool x_in_root_first)
{
	sb_init(&S);
	sb_root(&S, "R0", "Contoso Root", 0);
	sb_ca(&S, "I1", "Issuing CA", "Contoso Root", 1, 0);
	sb_cert(&S, "L2", "Alice", "Issuing CA", 2, 1);
	sb_root(&S, "FRoot", "Fabrikam Root", 3);
	sb_ca(&S, "X4", "Fabrikam Policy CA", "Fabrikam Root", 4, 3);
	sb_cert(&S, "Bob", "Bob", "Fabrikam Policy CA", 5, 4);
	if (x_in_root_first)
		sb_store(&S, TF_STORE_ROOT, X4);
	sb_store(&S, TF_STORE_ROOT, R0);
	if (!x_in_root_first)
		sb_store(&S, TF_STORE_ROOT, X4);
	sb_identity(&S, L2, 1, I1);
}

static void both(tf_status ref_st, uint32_t ref_hr, const char *ref_path, tf_status kb_st,
		 uint32_t kb_hr, const char *kb_path)
{
	tf_verdict r = sb_eval(REF, &S), k = sb_eval(KB, &S);
	sb_assert(&S, &r, ref_st, ref_hr, ref_path);
	sb_assert(&S, &k, kb_st, kb_hr, kb_path);
}

static void test_scenario1_no_list(void **state)
{
	(void)state;
	kb_base(true);
	assert_true(tf_kb_triggered(&S, &S.knobs));
	both(TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0", TF_STATUS_403_16,
	     TF_WIN32_CERT_E_UNTRUSTEDROOT, "L2 > I1 > R0");
	tf_verdict k = sb_eval(KB, &S);
	assert_int_equal(k.identity, 0);
	sb_assert_reason(&k, "KB 2802568 issuer list (mixed-store: root kept X4)");
}

static void test_scenario2_list_sent(void **state)
{
	(void)state;
	kb_base(true);
	S.server.send_issuer_list = true;
	both(TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0", TF_STATUS_403_7, TF_WIN32_OK, "-");
	tf_verdict k = sb_eval(KB, &S);
	assert_int_equal(k.identity, -1);
	sb_assert_reason(&k, "no identity offered");
}

static void test_workaround_and_control(void **state)
{
	(void)state;
	/* Workaround: X4 moves from Root to the Intermediate store. */
	kb_base(true);
	S.stores[TF_STORE_ROOT].cert[0] = R0;
	S.stores[TF_STORE_ROOT].n = 1;
	sb_store(&S, TF_STORE_INTERMEDIATE, X4);
	assert_false(tf_kb_triggered(&S, &S.knobs));
	for (int list = 0; list < 2; list++) {
		S.server.send_issuer_list = list;
		both(TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0", TF_STATUS_200, TF_WIN32_OK,
		     "L2 > I1 > R0");
	}
	/* Control: only self-signed roots in Root. */
	kb_base(true);
	S.stores[TF_STORE_ROOT].cert[0] = FROOT;
	assert_false(tf_kb_triggered(&S, &S.knobs));
	for (int list = 0; list < 2; list++) {
		S.server.send_issuer_list = list;
		both(TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0", TF_STATUS_200, TF_WIN32_OK,
		     "L2 > I1 > R0");
	}
}

static void test_escapes(void **state)
{
	(void)state;
	/* ClientAuthTrustMode=2: trust no longer consults the issuer list. */
	kb_base(true);
	S.server.trust_mode = 2;
	both(TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0", TF_STATUS_200, TF_WIN32_OK,
	     "L2 > I1 > R0");
	/* ... but the list sent is still the reduced one: a prediction. */
	S.server.send_issuer_list = true;
	both(TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0", TF_STATUS_403_7, TF_WIN32_OK, "-");

	/* A non-empty Client Authentication Issuers store is the source: the
	 * mixed Root no longer matters. */
	kb_base(true);
	sb_store(&S, TF_STORE_CAI, R0);
	assert_false(tf_kb_triggered(&S, &S.knobs));
	for (int list = 0; list < 2; list++) {
		S.server.send_issuer_list = list;
		both(TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0", TF_STATUS_200, TF_WIN32_OK,
		     "L2 > I1 > R0");
	}
}

/* A client chaining through the very intermediate placed in Root. */
static void test_client_through_the_intermediate(void **state)
{
	(void)state;
	kb_base(false); /* Root = [R0, X4] */
	S.identities[0].leaf = BOB;
	S.identities[0].nchain = 0;
	both(TF_STATUS_200, TF_WIN32_OK, "Bob > X4", TF_STATUS_200, TF_WIN32_OK, "Bob > X4");
	S.knobs.kb_variant = TF_KB_VARIANT_ANY_TRIGGER;
	both(TF_STATUS_200, TF_WIN32_OK, "Bob > X4", TF_STATUS_403_16,
	     TF_WIN32_CERT_E_UNTRUSTEDROOT, "Bob > X4");
	/* cut-at-first keeps [R0]: the path to anchor X4 misses it. */
	S.knobs.kb_variant = TF_KB_VARIANT_CUT_AT_FIRST;
	both(TF_STATUS_200, TF_WIN32_OK, "Bob > X4", TF_STATUS_403_16,
	     TF_WIN32_CERT_E_UNTRUSTEDROOT, "Bob > X4");
	S.server.send_issuer_list = true;
	both(TF_STATUS_200, TF_WIN32_OK, "Bob > X4", TF_STATUS_403_7, TF_WIN32_OK, "-");
	S.knobs.kb_variant = TF_KB_VARIANT_MIXED_STORE;
	both(TF_STATUS_200, TF_WIN32_OK, "Bob > X4", TF_STATUS_200, TF_WIN32_OK, "Bob > X4");
}

static void test_variants_on_the_kb_rows(void **state)
{
	(void)state;
	/* any-trigger: row 1 as the KB says, but row 2 gives 403.16, not 403.7. */
	kb_base(true);
	S.knobs.kb_variant = TF_KB_VARIANT_ANY_TRIGGER;
	tf_verdict k = sb_eval(KB, &S);
	sb_assert(&S, &k, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, "L2 > I1 > R0");
	sb_assert_reason(&k, "KB 2802568 (any-trigger): root holds X4");
	S.server.send_issuer_list = true;
	k = sb_eval(KB, &S);
	sb_assert(&S, &k, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, "L2 > I1 > R0");

	/* cut-at-first: store order decides. X4 first → nothing kept. */
	kb_base(true);
	S.knobs.kb_variant = TF_KB_VARIANT_CUT_AT_FIRST;
	k = sb_eval(KB, &S);
	sb_assert(&S, &k, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, "L2 > I1 > R0");
	sb_assert_reason(&k, "cut-at-first: root kept nothing");
	S.server.send_issuer_list = true; /* an empty list: the browser offers Alice */
	k = sb_eval(KB, &S);
	sb_assert(&S, &k, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, "L2 > I1 > R0");
	/* R0 before X4 → [R0] kept: no symptom at all. */
	kb_base(false);
	S.knobs.kb_variant = TF_KB_VARIANT_CUT_AT_FIRST;
	k = sb_eval(KB, &S);
	sb_assert(&S, &k, TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0");
	/* A Root of non-self-signed certificates only: no mix, but a trigger
	 * for cut-at-first and any-trigger. */
	kb_base(true);
	S.stores[TF_STORE_ROOT].n = 1; /* {X4} */
	S.identities[0].leaf = BOB;
	S.identities[0].nchain = 0;
	for (unsigned variant = 0; variant < 3; variant++) {
		S.knobs.kb_variant = (uint8_t)variant;
		assert_int_equal(tf_kb_triggered(&S, &S.knobs),
				 variant != TF_KB_VARIANT_MIXED_STORE);
		k = sb_eval(KB, &S);
		if (variant == TF_KB_VARIANT_MIXED_STORE)
			sb_assert(&S, &k, TF_STATUS_200, TF_WIN32_OK, "Bob > X4");
		else
			sb_assert(&S, &k, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT,
				  "Bob > X4");
	}
}

static void test_trigger_knob(void **state)
{
	(void)state;
	/* A key-rollover certificate: subject = issuer = Contoso Root, a new
	 * key signed by the old one. Self-issued, not self-signed. */
	kb_base(true);
	S.stores[TF_STORE_ROOT].n = 0;
	sb_store(&S, TF_STORE_ROOT, R0);
	unsigned rollover = sb_ca(&S, "R0-rekey", "Contoso Root", "Contoso Root", 7, 0);
	sb_store(&S, TF_STORE_ROOT, rollover);
	assert_false(tf_kb_triggered(&S, &S.knobs)); /* name: both self-issued */
	both(TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0", TF_STATUS_200, TF_WIN32_OK,
	     "L2 > I1 > R0");
	S.knobs.kb_trigger = TF_KB_TRIGGER_SIGNATURE;
	assert_true(tf_kb_triggered(&S, &S.knobs));
	/* The list is {R0-rekey}. The path through R0 misses it (untrusted
	 * root); the one through R0-rekey passes it but I1's signature fails
	 * there, and a bad signature ranks better than an untrusted root. */
	both(TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0", TF_STATUS_403_16,
	     TF_WIN32_TRUST_E_CERT_SIGNATURE, "L2 > I1 > R0-rekey");
	/* Without the cross-candidate (I1 issued under another name), the
	 * untrusted root is what remains. */
	S.certs[rollover].subject = sb_name(&S, "Contoso Root G2");
	S.certs[rollover].issuer = S.certs[rollover].subject;
	S.certs[rollover].signing_key = 0;
	assert_true(tf_kb_triggered(&S, &S.knobs)); /* still not self-signed */
	both(TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0", TF_STATUS_403_16,
	     TF_WIN32_CERT_E_UNTRUSTEDROOT, "L2 > I1 > R0");
	tf_issuer_list l;
	tf_kb_issuer_list(&S, &S.knobs, &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.cert[0], rollover);
}

static void test_mode1_mixed(void **state)
{
	(void)state;
	/* Mode 1: anchors are the self-signed roots, and the path must also
	 * pass through the (reduced) list: {X4} — the user's chain cannot. */
	kb_base(true);
	S.server.trust_mode = 1;
	both(TF_STATUS_200, TF_WIN32_OK, "L2 > I1 > R0", TF_STATUS_403_16,
	     TF_WIN32_CERT_E_UNTRUSTEDROOT, "L2 > I1 > R0");
	/* Bob's chain runs through X4 up to Fabrikam Root, which must be an
	 * anchor (in Root) for mode 1. */
	sb_store(&S, TF_STORE_ROOT, FROOT);
	S.identities[0].leaf = BOB;
	S.identities[0].chain[0] = X4; /* mode 1: X4 is no anchor and no candidate unless sent */
	both(TF_STATUS_200, TF_WIN32_OK, "Bob > X4 > FRoot", TF_STATUS_200, TF_WIN32_OK,
	     "Bob > X4 > FRoot");
}

/* Seed → one of the global knob settings, so that the equality covers the
 * profiles and anchor rules as well as the generator profiles. */
static void vary_knobs(tf_knobs *k, uint64_t seed)
{
	k->anchors = (uint8_t)(seed % 2);
	k->anchor_validity = (uint8_t)(seed / 2 % 2);
	k->profile = (uint8_t)(seed / 4 % 2);
	k->max_depth = (uint8_t)(seed / 8 % 3 == 0 ? 3 : 0);
}

static void test_equal_to_reference_outside_the_trigger(void **state)
{
	(void)state;
	enum { NEED = 10000, CONFIGS = 4, MAX_SEEDS = 400000 };
	static const uint8_t variant[CONFIGS] = {TF_KB_VARIANT_MIXED_STORE, TF_KB_VARIANT_MIXED_STORE,
						 TF_KB_VARIANT_ANY_TRIGGER, TF_KB_VARIANT_CUT_AT_FIRST};
	static const uint8_t trigger[CONFIGS] = {TF_KB_TRIGGER_NAME, TF_KB_TRIGGER_SIGNATURE,
						 TF_KB_TRIGGER_NAME, TF_KB_TRIGGER_NAME};
	unsigned untriggered[CONFIGS] = {0}, per_profile[TF_GEN_PROFILE_COUNT] = {0};
	unsigned differ[CONFIGS] = {0};
	uint64_t seed = 0;
	for (; seed < MAX_SEEDS; seed++) {
		bool done = true;
		for (unsigned c = 0; c < CONFIGS; c++)
			done = done && untriggered[c] >= NEED;
		if (done)
			break;
		tf_scenario s;
		tf_profile p = (tf_profile)(seed % TF_GEN_PROFILE_COUNT);
		tf_gen_from_seed(&s, seed, p, NULL, NULL);
		for (unsigned c = 0; c < CONFIGS; c++) {
			tf_knobs k = s.knobs;
			tf_verdict r, m;
			tf_error err = {0};
			vary_knobs(&k, seed);
			k.kb_variant = variant[c];
			k.kb_trigger = trigger[c];
			assert_int_equal(REF->evaluate(NULL, &s, &k, &r, &err), TF_OK);
			assert_int_equal(KB->evaluate(NULL, &s, &k, &m, &err), TF_OK);
			if (tf_kb_triggered(&s, &k)) {
				differ[c] += !tf_verdict_equal(&r, &m, TF_DEPTH_STATUS);
				continue;
			}
			untriggered[c]++;
			per_profile[p] += c == 0;
			if (!tf_verdict_equal(&r, &m, TF_DEPTH_PATH) || r.identity != m.identity ||
			    strcmp(r.reason, m.reason))
				fail_msg("seed %llu profile %s config %u: ref %s (%s) vs kb %s (%s)",
					 (unsigned long long)seed, tf_profile_str(p), c,
					 tf_status_str(r.status), r.reason, tf_status_str(m.status),
					 m.reason);
			/* The verdict's path starts at the presented leaf. */
			if (r.identity >= 0)
				assert_int_equal(r.path[0], s.identities[r.identity].leaf);
		}
		tf_scenario_free(&s);
	}
	print_message("equality: %llu seeds; untriggered per config %u %u %u %u; "
		      "per profile %u %u %u; triggered and differing %u %u %u %u\n",
		      (unsigned long long)seed, untriggered[0], untriggered[1], untriggered[2],
		      untriggered[3], per_profile[0], per_profile[1], per_profile[2], differ[0],
		      differ[1], differ[2], differ[3]);
	for (unsigned c = 0; c < CONFIGS; c++) {
		assert_true(untriggered[c] >= NEED);
		assert_true(differ[c] > 0); /* the deviation is real where it applies */
	}
	for (unsigned p = 0; p < TF_GEN_PROFILE_COUNT; p++)
		assert_true(per_profile[p] > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenario1_no_list),
		cmocka_unit_test(test_scenario2_list_sent),
		cmocka_unit_test(test_workaround_and_control),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_client_through_the_intermediate),
		cmocka_unit_test(test_variants_on_the_kb_rows),
		cmocka_unit_test(test_trigger_knob),
		cmocka_unit_test(test_mode1_mixed),
		cmocka_unit_test(test_equal_to_reference_outside_the_trigger),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
