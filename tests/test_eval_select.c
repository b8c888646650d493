/*
 * tests/test_eval_select.c — the shared trusted issuer list, its encoded
 * size and truncation, and the browser-like client selection (evaluator.h),
 * then the same through the reference: 403.7 with HRESULT 0 and identity -1
 * when nothing is offered.
 */
#include "eval_builder.h"
#include "trustfuzz/models.h"

static tf_scenario S;

/* "CN=<label>" as a UTF8String, for labels under 100 bytes:
 * SEQUENCE { SET { SEQUENCE { OID 2.5.4.3 (5 bytes), UTF8String } } }. */
static size_t dn_len(const char *label)
{
	return strlen(label) + 13;
}

/* Two roots and two client identities, one under each. */
static void two_roots(void)
{
	sb_init(&S);
	sb_root(&S, "R0", "Contoso Root", 0);         /* 0 */
	sb_root(&S, "R1", "Fabrikam Root", 1);        /* 1 */
	sb_ca(&S, "I2", "Fabrikam Issuing", "Fabrikam Root", 2, 1); /* 2 */
	sb_cert(&S, "Alice", "Alice", "Contoso Root", 3, 0);        /* 3 */
	sb_cert(&S, "Bob", "Bob", "Fabrikam Issuing", 4, 2);        /* 4 */
	sb_store(&S, TF_STORE_ROOT, 0);
	sb_store(&S, TF_STORE_ROOT, 1);
	sb_identity(&S, 3, 0);
	sb_identity(&S, 4, 1, 2);
}

static void test_trusted_list_source(void **state)
{
	(void)state;
	two_roots();
	tf_issuer_list l;
	tf_issuer_list_trusted(&S, &l);
	assert_int_equal(l.source, TF_STORE_ROOT);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.ntotal, 2);
	assert_int_equal(l.cert[0], 0);
	assert_int_equal(l.cert[1], 1);
	assert_int_equal(l.bytes, 2 + dn_len("Contoso Root") + 2 + dn_len("Fabrikam Root"));

	/* A non-empty Client Authentication Issuers store replaces Root, in
	 * its own order, duplicates kept. */
	sb_store(&S, TF_STORE_CAI, 2);
	sb_store(&S, TF_STORE_CAI, 0);
	sb_store(&S, TF_STORE_CAI, 2);
	tf_issuer_list_trusted(&S, &l);
	assert_int_equal(l.source, TF_STORE_CAI);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.cert[0], 2);
	assert_int_equal(l.cert[1], 0);
	assert_int_equal(l.cert[2], 2);
}

static void test_entry_size_and_truncation(void **state)
{
	(void)state;
	two_roots();
	assert_int_equal(tf_issuer_entry_size(&S, 0), 27); /* 2 + 25 for "Contoso Root" */
	assert_int_equal(tf_issuer_entry_size(&S, 0), 2 + tf_name_der_len(&S, S.certs[0].subject));
	assert_int_equal(tf_issuer_entry_size(&S, 1), 2 + dn_len("Fabrikam Root"));

	tf_issuer_list l;
	size_t e0 = tf_issuer_entry_size(&S, 0), e1 = tf_issuer_entry_size(&S, 1);
	struct {
		uint32_t limit;
		unsigned n;
		uint32_t bytes;
	} cases[] = {
		{(uint32_t)(e0 + e1), 2, (uint32_t)(e0 + e1)},
		{(uint32_t)(e0 + e1 - 1), 1, (uint32_t)e0},
		{(uint32_t)e0, 1, (uint32_t)e0},
		{(uint32_t)e0 - 1, 0, 0},
		{0, 0, 0},
		{TF_DEFAULT_ISSUER_LIST_LIMIT, 2, (uint32_t)(e0 + e1)},
	};
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tf_issuer_list_trusted(&S, &l);
		tf_issuer_list_truncate(&S, &l, cases[i].limit);
		assert_int_equal(l.n, cases[i].n);
		assert_int_equal(l.bytes, cases[i].bytes);
		assert_int_equal(l.ntotal, 2);
	}
	/* Truncation keeps a prefix in store order, even when a later, shorter
	 * entry would still fit. */
	S.stores[TF_STORE_ROOT].cert[0] = 1;
	S.stores[TF_STORE_ROOT].cert[1] = 0;
	tf_issuer_list_trusted(&S, &l);
	tf_issuer_list_truncate(&S, &l, (uint32_t)e1 - 1);
	assert_int_equal(l.n, 0);
}

static void test_has_name(void **state)
{
	(void)state;
	two_roots();
	tf_issuer_list l;
	tf_issuer_list_trusted(&S, &l);
	assert_true(tf_issuer_list_has_name(&S, &l, S.certs[0].subject));
	assert_true(tf_issuer_list_has_name(&S, &l, S.certs[1].subject));
	assert_false(tf_issuer_list_has_name(&S, &l, S.certs[2].subject));
	l.n = 1;
	assert_false(tf_issuer_list_has_name(&S, &l, S.certs[1].subject));
}

static void test_select_identity(void **state)
{
	(void)state;
	two_roots();
	tf_issuer_list l;
	tf_issuer_list_trusted(&S, &l);
	assert_int_equal(tf_select_identity(&S, NULL), 0);
	assert_int_equal(tf_select_identity(&S, &l), 0);
	/* Only Fabrikam Root: Bob's chain holds I2, issued by it. */
	l.cert[0] = 1;
	l.n = 1;
	assert_int_equal(tf_select_identity(&S, &l), 1);
	/* Only Fabrikam Issuing: Bob's leaf is issued by it. */
	l.cert[0] = 2;
	assert_int_equal(tf_select_identity(&S, &l), 1);
	/* An empty list offers the first identity. */
	l.n = 0;
	assert_int_equal(tf_select_identity(&S, &l), 0);
	/* A list nobody matches: nothing offered. */
	l.cert[0] = 3; /* subject Alice: no certificate is issued by "Alice" */
	l.n = 1;
	assert_int_equal(tf_select_identity(&S, &l), -1);
}

static void test_reference_selection(void **state)
{
	(void)state;
	two_roots();
	S.server.send_issuer_list = true;
	S.stores[TF_STORE_ROOT].cert[0] = 1; /* Root = {Fabrikam Root} */
	S.stores[TF_STORE_ROOT].n = 1;
	tf_verdict v = sb_eval(&tf_evaluator_ref, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "Bob > I2 > R1");
	assert_int_equal(v.identity, 1);

	/* The limit cuts Fabrikam Root off the list: an empty list is sent and
	 * the browser offers its first identity, Alice, whose root is not
	 * trusted. */
	S.server.issuer_list_limit = (uint32_t)tf_issuer_entry_size(&S, 1) - 1;
	v = sb_eval(&tf_evaluator_ref, &S);
	sb_assert(&S, &v, TF_STATUS_403_16, TF_WIN32_CERT_E_CHAINING, "Alice");
	assert_int_equal(v.identity, 0);

	/* Root = {Contoso Root, Fabrikam Root} with room for the first entry
	 * only: Bob is never offered; Alice is. */
	S.stores[TF_STORE_ROOT].cert[0] = 0;
	S.stores[TF_STORE_ROOT].cert[1] = 1;
	S.stores[TF_STORE_ROOT].n = 2;
	S.server.issuer_list_limit = (uint32_t)tf_issuer_entry_size(&S, 0);
	S.identities[0] = S.identities[1];
	S.nidentities = 1; /* Bob only */
	v = sb_eval(&tf_evaluator_ref, &S);
	sb_assert(&S, &v, TF_STATUS_403_7, TF_WIN32_OK, "-");
	assert_int_equal(v.identity, -1);
	sb_assert_reason(&v, "no identity offered");
	sb_assert_reason(&v, "1 of 2 entries sent");
	/* Without the list, the same client is accepted. */
	S.server.send_issuer_list = false;
	v = sb_eval(&tf_evaluator_ref, &S);
	sb_assert(&S, &v, TF_STATUS_200, TF_WIN32_OK, "Bob > I2 > R1");
	assert_int_equal(v.identity, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trusted_list_source),
		cmocka_unit_test(test_entry_size_and_truncation),
		cmocka_unit_test(test_has_name),
		cmocka_unit_test(test_select_identity),
		cmocka_unit_test(test_reference_selection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
