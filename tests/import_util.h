/*
 * tests/import_util.h — certificates made with OpenSSL's own API for the
 * importer and audit tests (test_backend_import*.c, test_backend_audit.c):
 * independent of trustfuzz's renderer, so that the import path is checked
 * against another maker. Failures abort the test (cmocka assertions).
 */
#ifndef TRUSTFUZZ_TESTS_IMPORT_UTIL_H
#define TRUSTFUZZ_TESTS_IMPORT_UTIL_H

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "trustfuzz/import.h"

#define IU_T0 TF_DEFAULT_VALIDATION_TIME

static inline EVP_PKEY *iu_key(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	assert_non_null(k);
	return k;
}

/* "/C=US/O=Example/CN=Root" → X509_NAME (UTF8String; "P:" before a value
 * makes it a PrintableString). "" is the empty DN. */
static inline X509_NAME *iu_name(const char *text)
{
	X509_NAME *n = X509_NAME_new();
	char buf[1024];
	assert_non_null(n);
	snprintf(buf, sizeof buf, "%s", text);
	for (char *tok = strtok(buf, "/"); tok; tok = strtok(NULL, "/")) {
		char *eq = strchr(tok, '=');
		assert_non_null(eq);
		*eq = '\0';
		const char *v = eq + 1;
		int type = MBSTRING_UTF8;
		if (!strncmp(v, "P:", 2)) {
			type = V_ASN1_PRINTABLESTRING;
			v += 2;
		}
		assert_int_equal(X509_NAME_add_entry_by_txt(n, tok, type, (const unsigned char *)v,
							    -1, -1, 0),
				 1);
	}
	return n;
}

typedef struct iu_spec {
	const char *subject, *issuer; /* iu_name forms */
	EVP_PKEY *key, *signer;       /* signer NULL: self-signed with key */
	X509 *issuer_cert;            /* for authorityKeyIdentifier=keyid; NULL: self */
	const char *serial;           /* hex, may start with '-'; NULL: "01" */
	int64_t nb, na;               /* validity relative to IU_T0; both 0: ±1 year */
	long version;                 /* 1, 2 or 3; 0 means 3 */
	const char *ext[12];          /* "name=value" pairs for X509V3_EXT_nconf */
} iu_spec;

static inline X509 *iu_cert(const iu_spec *sp)
{
	X509 *x = X509_new();
	BIGNUM *bn = NULL;
	X509V3_CTX ctx;
	assert_non_null(x);
	assert_int_equal(X509_set_version(x, (sp->version ? sp->version : 3) - 1), 1);
	assert_true(BN_hex2bn(&bn, sp->serial ? sp->serial : "01") > 0);
	ASN1_INTEGER *ser = BN_to_ASN1_INTEGER(bn, NULL);
	assert_non_null(ser);
	assert_int_equal(X509_set_serialNumber(x, ser), 1);
	ASN1_INTEGER_free(ser);
	BN_free(bn);
	X509_NAME *s = iu_name(sp->subject), *i = iu_name(sp->issuer);
	assert_int_equal(X509_set_subject_name(x, s), 1);
	assert_int_equal(X509_set_issuer_name(x, i), 1);
	X509_NAME_free(s);
	X509_NAME_free(i);
	int64_t nb = sp->nb || sp->na ? sp->nb : -365 * TF_DAY;
	int64_t na = sp->nb || sp->na ? sp->na : 365 * TF_DAY;
	assert_non_null(ASN1_TIME_set(X509_getm_notBefore(x), (time_t)(IU_T0 + nb)));
	assert_non_null(ASN1_TIME_set(X509_getm_notAfter(x), (time_t)(IU_T0 + na)));
	assert_int_equal(X509_set_pubkey(x, sp->key), 1);
	X509V3_set_ctx(&ctx, sp->issuer_cert ? sp->issuer_cert : x, x, NULL, NULL, 0);
	for (unsigned k = 0; k < 12 && sp->ext[k]; k++) {
		char name[128];
		const char *eq = strchr(sp->ext[k], '=');
		assert_non_null(eq);
		snprintf(name, sizeof name, "%.*s", (int)(eq - sp->ext[k]), sp->ext[k]);
		X509_EXTENSION *e = X509V3_EXT_nconf(NULL, &ctx, name, eq + 1);
		if (!e)
			fail_msg("extension %s does not build", sp->ext[k]);
		assert_int_equal(X509_add_ext(x, e, -1), 1);
		X509_EXTENSION_free(e);
	}
	assert_true(X509_sign(x, sp->signer ? sp->signer : sp->key, EVP_sha256()) > 0);
	return x;
}

/* Appends x's DER to l under `origin`. */
static inline void iu_push(tf_import_list *l, X509 *x, const char *origin)
{
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der);
	assert_true(len > 0);
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		assert_non_null(l->v);
	}
	tf_import_cert *c = &l->v[l->n++];
	memset(c, 0, sizeof *c);
	c->der.data = malloc((size_t)len);
	assert_non_null(c->der.data);
	memcpy(c->der.data, der, (size_t)len);
	c->der.len = (size_t)len;
	snprintf(c->origin, sizeof c->origin, "%s", origin);
	OPENSSL_free(der);
}

#endif
