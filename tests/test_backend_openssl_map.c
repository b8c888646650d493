/*
 * tests/test_backend_openssl_map.c — the X509_V_ERR_* table: every code of
 * OpenSSL 3.0 (0..TF_OPENSSL_ERR_MAX) has a line whose name is the macro of
 * that code, unknown codes have none, and docs/openssl-backend.md documents
 * exactly the table the code uses (same verdict and HRESULT, line by line).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "../backends/openssl_internal.h"

#include "trustfuzz/fixture.h"
#include "trustfuzz/openssl_backend.h"

static void test_every_code(void **state)
{
	(void)state;
	for (int c = 0; c <= TF_OPENSSL_ERR_MAX; c++) {
		const tf_openssl_errmap *m = tf_openssl_error_map(c);
		assert_non_null(m);
		assert_int_equal(m->code, c);
		assert_true(m->status == TF_STATUS_200 ? c == X509_V_OK : c != X509_V_OK);
		assert_non_null(X509_verify_cert_error_string(c));
	}
	assert_null(tf_openssl_error_map(-1));
	assert_null(tf_openssl_error_map(TF_OPENSSL_ERR_MAX + 1));
	/* Spot checks of names against the macros' values. */
	assert_string_equal(tf_openssl_error_map(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT)->name,
			    "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT");
	assert_string_equal(tf_openssl_error_map(X509_V_ERR_EC_KEY_EXPLICIT_PARAMS)->name,
			    "X509_V_ERR_EC_KEY_EXPLICIT_PARAMS");
	assert_int_equal(X509_V_ERR_EC_KEY_EXPLICIT_PARAMS, TF_OPENSSL_ERR_MAX);
	/* The decisions the brief fixed. */
	assert_int_equal(tf_openssl_error_map(X509_V_ERR_CERT_HAS_EXPIRED)->status,
			 TF_STATUS_403_17);
	assert_int_equal(tf_openssl_error_map(X509_V_ERR_CERT_NOT_YET_VALID)->win32,
			 TF_WIN32_CERT_E_EXPIRED);
	assert_int_equal(tf_openssl_error_map(X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN)->win32,
			 TF_WIN32_CERT_E_UNTRUSTEDROOT);
	assert_int_equal(tf_openssl_error_map(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY)->win32,
			 TF_WIN32_CERT_E_CHAINING);
	assert_int_equal(tf_openssl_error_map(X509_V_ERR_INVALID_PURPOSE)->win32,
			 TF_WIN32_CERT_E_WRONG_USAGE);
	assert_int_equal(tf_openssl_error_map(X509_V_ERR_INVALID_CA)->win32,
			 TF_WIN32_TRUST_E_BASIC_CONSTRAINTS);
	assert_true(tf_openssl_error_map(X509_V_ERR_OUT_OF_MEM)->backend_failure);
	assert_true(tf_openssl_error_map(X509_V_ERR_INVALID_CALL)->backend_failure);
}

/* "| 2 | UNABLE_TO_GET_ISSUER_CERT | unable ... | 403.16 | CERT_E_CHAINING 0x800B010A |" */
static void test_docs_table(void **state)
{
	(void)state;
	const char *src = getenv("TF_SRC");
	char path[4096], *text = NULL;
	size_t len = 0;
	tf_error err = {0};
	assert_non_null(src);
	snprintf(path, sizeof path, "%s/docs/openssl-backend.md", src);
	assert_int_equal(tf_read_file(path, &text, &len, &err), TF_OK);
	for (int c = 0; c <= TF_OPENSSL_ERR_MAX; c++) {
		const tf_openssl_errmap *m = tf_openssl_error_map(c);
		const char *shortname = c == 0 ? m->name : m->name + strlen("X509_V_ERR_");
		char head[128], want[160];
		snprintf(head, sizeof head, "\n| %d | %s | ", c, shortname);
		const char *line = strstr(text, head);
		if (!line)
			fail_msg("docs: no table line for code %d (%s)", c, m->name);
		const char *end = strchr(line + 1, '\n');
		assert_non_null(end);
		char row[512];
		size_t n = (size_t)(end - line);
		assert_true(n < sizeof row);
		memcpy(row, line, n);
		row[n] = '\0';
		snprintf(want, sizeof want, " | %s | ",
			 m->backend_failure ? "backend error" : tf_status_str(m->status));
		if (!strstr(row, want))
			fail_msg("docs: code %d: verdict column is not \"%s\": %s", c, want, row);
		snprintf(want, sizeof want, " 0x%08X |", (unsigned)m->win32);
		if (!strstr(row, want))
			fail_msg("docs: code %d: HRESULT is not%s: %s", c, want, row);
	}
	free(text);
}

/* The consistency oracle (openssl_backend.h): X509_verify_cert() == 1 iff
 * the context error is X509_V_OK. OpenSSL itself never breaks it on our
 * inputs, so the two violations are forged on a context by hand; each must
 * come back as TF_ERR_ORACLE naming both values, never as a verdict. */
static void test_consistency_oracle(void **state)
{
	static const struct {
		int ret, error;
		tf_err want;
	} cases[] = {
		{1, X509_V_OK, TF_OK},
		{0, X509_V_ERR_CERT_HAS_EXPIRED, TF_OK},
		{1, X509_V_ERR_CERT_HAS_EXPIRED, TF_ERR_ORACLE},
		{0, X509_V_OK, TF_ERR_ORACLE},
	};
	tf_scenario s;
	tf_ossl_certs c;
	tf_openssl_inputs in;
	(void)state;
	memset(&s, 0, sizeof s);
	memset(&c, 0, sizeof c);
	memset(&in, 0, sizeof in);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tf_ossl_outcome o;
		tf_error err = {0};
		X509_STORE_CTX *ctx = X509_STORE_CTX_new();
		assert_non_null(ctx);
		X509_STORE_CTX_set_error(ctx, cases[i].error);
		tf_err rc = tf_ossl_outcome_read(ctx, cases[i].ret, &s, &c, &in, &o, &err);
		assert_int_equal(rc, cases[i].want);
		if (rc == TF_ERR_ORACLE) {
			char want[64];
			snprintf(want, sizeof want, "returned %d but the context error is %d",
				 cases[i].ret, cases[i].error);
			assert_non_null(strstr(err.msg, "oracle"));
			assert_non_null(strstr(err.msg, want));
		} else {
			assert_int_equal(o.error, cases[i].error);
		}
		X509_STORE_CTX_free(ctx);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_code),
		cmocka_unit_test(test_docs_table),
		cmocka_unit_test(test_consistency_oracle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
