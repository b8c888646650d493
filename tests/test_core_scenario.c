/* Unit tests for the scenario model, knobs and verdict codes (core/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "trustfuzz/scenario.h"
#include "trustfuzz/verdict.h"

/* Root R0 (self-signed) issues leaf L1; Root = [R0]; one identity. */
static void minimal(tf_scenario *s)
{
	tf_scenario_init(s);
	s->nnames = 2;
	strcpy(s->names[0].label, "Root");
	strcpy(s->names[1].label, "Leaf");
	s->nkeys = 2;
	s->keys[0].pool = 0;
	s->keys[1].pool = 1;
	s->ncerts = 2;
	for (unsigned i = 0; i < 2; i++) {
		tf_cert *c = &s->certs[i];
		c->version = 3;
		c->serial = i + 1;
		c->not_before = -365 * TF_DAY;
		c->not_after = 365 * TF_DAY;
		c->pathlen = -1;
	}
	strcpy(s->certs[0].id, "R0");
	s->certs[0].bc = TF_BC_CA_TRUE;
	strcpy(s->certs[1].id, "L1");
	s->certs[1].subject = 1;
	s->certs[1].key = 1;
	s->stores[TF_STORE_ROOT].n = 1;
	s->nidentities = 1;
	s->identities[0].leaf = 1;
}

static void expect_invalid(const tf_scenario *s, const char *msg)
{
	tf_error err = {0};
	assert_int_equal(tf_scenario_validate(s, &err), TF_ERR_INVALID);
	assert_string_equal(err.msg, msg);
}

static void test_validate_ok(void **state)
{
	(void)state;
	tf_scenario s;
	minimal(&s);
	tf_error err = {0};
	assert_int_equal(tf_scenario_validate(&s, &err), TF_OK);
	assert_true(tf_cert_self_issued(&s, 0));
	assert_true(tf_cert_self_signed(&s, 0));
	assert_false(tf_cert_self_issued(&s, 1));
	assert_true(tf_cert_sig_verifies(&s, 1, 0));
	s.certs[1].corrupt_sig = true;
	assert_true(tf_cert_names_chain(&s, 1, 0));
	assert_false(tf_cert_sig_verifies(&s, 1, 0));
	tf_scenario_free(&s);
}

static void test_validate_errors(void **state)
{
	(void)state;
	tf_scenario s;
	minimal(&s);
	s.certs[1].issuer = 9;
	expect_invalid(&s, "certs[1].issuer: name index 9 out of range (2 names)");
	minimal(&s);
	strcpy(s.certs[1].id, "R0");
	expect_invalid(&s, "certs[1].id: duplicate id \"R0\" (also certs[0])");
	minimal(&s);
	s.certs[0].pathlen = 1;
	s.certs[0].bc = TF_BC_CA_FALSE;
	expect_invalid(&s, "certs[0].pathlen: set without CA:TRUE");
	minimal(&s);
	s.certs[1].eku_present = true;
	expect_invalid(&s, "certs[1].eku: must be a non-empty set of known purposes");
	minimal(&s);
	s.stores[TF_STORE_INTERMEDIATE].n = 1;
	s.stores[TF_STORE_INTERMEDIATE].cert[0] = 5;
	expect_invalid(&s, "stores.intermediate[0]: certificate index 5 out of range (2 certs)");
	minimal(&s);
	s.identities[0].nchain = 1;
	s.identities[0].chain[0] = 2;
	expect_invalid(&s, "identities[0].chain[0]: certificate index 2 out of range (2 certs)");
	minimal(&s);
	strcpy(s.names[1].label, "Root");
	expect_invalid(&s, "names[1]: duplicate name \"Root\" (also names[0])");
	minimal(&s);
	s.keys[1].pool = TF_KEY_POOL_SIZE;
	expect_invalid(&s, "keys[1]: pool index 64 out of range (pool of 64)");
	minimal(&s);
	s.server.trust_mode = 3;
	expect_invalid(&s, "server.trust_mode: 3 is not 0, 1 or 2");
	minimal(&s);
	s.nidentities = 0;
	expect_invalid(&s, "identities: 0 entries, expected 1..4");
}

static void test_time_class(void **state)
{
	(void)state;
	tf_scenario s;
	minimal(&s);
	s.certs[1].not_after = 0; /* notAfter inclusive */
	assert_int_equal(tf_cert_time_class(&s, 1), TF_TIME_VALID);
	s.certs[1].not_after = -1;
	assert_int_equal(tf_cert_time_class(&s, 1), TF_TIME_EXPIRED);
	s.certs[1].not_after = 10;
	s.certs[1].not_before = 0;
	assert_int_equal(tf_cert_time_class(&s, 1), TF_TIME_VALID);
	s.certs[1].not_before = 1;
	assert_int_equal(tf_cert_time_class(&s, 1), TF_TIME_NOT_YET_VALID);
}

static void test_copy_equal_arena(void **state)
{
	(void)state;
	tf_scenario a, b;
	minimal(&a);
	static const uint8_t dn[] = {0x30, 0x00};
	a.names[0].der = tf_arena_dup(&a.arena, dn, sizeof dn);
	a.names[0].der_len = sizeof dn;
	tf_scenario_init(&b);
	assert_int_equal(tf_scenario_copy(&b, &a), TF_OK);
	assert_ptr_not_equal(a.names[0].der, b.names[0].der);
	assert_true(tf_scenario_equal(&a, &b));
	assert_int_equal(tf_name_der_len(&b, 0), 2);
	b.certs[1].ku_present = true;
	assert_false(tf_scenario_equal(&a, &b));
	tf_scenario_free(&a);
	tf_scenario_free(&b);
}

static void test_name_der_len(void **state)
{
	(void)state;
	tf_scenario s;
	minimal(&s);
	/* 30 0d 31 0b 30 09 06 03 55 04 03 0c 02 'N' '0' */
	strcpy(s.names[0].label, "N0");
	assert_int_equal(tf_name_der_len(&s, 0), 15);
	strcpy(s.names[0].label, "");
	assert_int_equal(tf_name_der_len(&s, 0), 2);
}

static void test_knobs(void **state)
{
	(void)state;
	tf_knobs k;
	memset(&k, 0, sizeof k);
	tf_error err = {0};
	assert_int_equal(tf_knob_set(&k, "anchors", "self-signed-only", &err), TF_OK);
	assert_int_equal(k.anchors, TF_ANCHORS_SELF_SIGNED_ONLY);
	assert_int_equal(tf_knob_assign(&k, "openssl.partial_chain=1", &err), TF_OK);
	assert_int_equal(k.ossl_partial_chain, 1);
	assert_int_equal(tf_knob_assign(&k, "max_depth=5", &err), TF_OK);
	assert_int_equal(tf_knobs_max_depth(&k), 5);
	assert_int_equal(tf_knob_set(&k, "kb.variant", "nonsense", &err), TF_ERR_USAGE);
	assert_string_equal(err.msg, "knob kb.variant: unknown value \"nonsense\", expected "
				     "mixed-store|any-trigger|cut-at-first");
	assert_int_equal(tf_knob_set(&k, "max_depth", "13", &err), TF_ERR_USAGE);
	assert_int_equal(tf_knob_set(&k, "nope", "1", &err), TF_ERR_USAGE);
	assert_int_equal(tf_knob_assign(&k, "=1", &err), TF_ERR_USAGE);
	const char *name;
	char buf[32];
	bool dflt;
	unsigned nondefault = 0;
	for (size_t i = 0; tf_knob_get(&k, i, &name, buf, sizeof buf, &dflt); i++)
		nondefault += !dflt;
	assert_int_equal(nondefault, 3);
}

static void test_verdict_codes(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(tf_win32_format(TF_WIN32_CERT_E_UNTRUSTEDROOT, buf, sizeof buf),
			    "0x800B0109 (2148204809)");
	uint32_t hr = 0;
	assert_true(tf_win32_parse("2148204809", &hr));
	assert_int_equal(hr, 0x800B0109u);
	assert_true(tf_win32_parse("0x800b010a", &hr));
	assert_string_equal(tf_win32_str(hr), "CERT_E_CHAINING");
	assert_true(tf_win32_parse("TRUST_E_CERT_SIGNATURE", &hr));
	assert_int_equal(hr, 0x80096004u);
	assert_false(tf_win32_parse("-1", &hr));
	assert_false(tf_win32_parse("0x1FFFFFFFF", &hr));
	tf_status st;
	assert_true(tf_status_parse("403.16", &st));
	assert_int_equal(tf_status_http(st), 403);
	assert_int_equal(tf_status_sub(st), 16);
	assert_false(tf_status_parse("403.99", &st));
	assert_string_equal(tf_status_str(TF_STATUS_403_7), "403.7");
}

static void test_verdict_compare(void **state)
{
	(void)state;
	tf_scenario s;
	minimal(&s);
	tf_verdict a, b;
	tf_verdict_set(&a, TF_STATUS_200, 0, 0, "ok");
	a.path_len = 2;
	a.path[0] = 1;
	a.path[1] = 0;
	b = a;
	b.path[1] = 1;
	assert_true(tf_verdict_equal(&a, &b, TF_DEPTH_WIN32));
	assert_false(tf_verdict_equal(&a, &b, TF_DEPTH_PATH));
	tf_expect e = {.v = a, .has_path = true};
	char diff[256];
	assert_false(tf_expect_match(&e, &b, &s, diff, sizeof diff));
	assert_string_equal(diff, "path: expected L1 > R0, got L1 > L1");
	e.has_path = false;
	e.has_win32 = true;
	e.v.win32 = TF_WIN32_CERT_E_UNTRUSTEDROOT;
	assert_false(tf_expect_match(&e, &b, &s, diff, sizeof diff));
	assert_string_equal(diff, "win32: expected 0x800B0109 (2148204809), got 0x00000000 (0)");
	e.v.status = TF_STATUS_403_16;
	assert_false(tf_expect_match(&e, &b, &s, diff, sizeof diff));
	assert_string_equal(diff, "status: expected 403.16, got 200 (ok)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_ok),    cmocka_unit_test(test_validate_errors),
		cmocka_unit_test(test_time_class),     cmocka_unit_test(test_copy_equal_arena),
		cmocka_unit_test(test_name_der_len),   cmocka_unit_test(test_knobs),
		cmocka_unit_test(test_verdict_codes),  cmocka_unit_test(test_verdict_compare),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
