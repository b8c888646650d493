/*
 * tests/test_backend_import_load.c — tf_import_load (import.h): PEM
 * bundles and their "#k" origins, DER files, TRUSTED CERTIFICATE blocks,
 * directories (which names count, in which order), and every bad input
 * with its exact one-line message, leaving the list as it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <openssl/pem.h>

#include "import_util.h"

static char dir[512];

static int setup(void **state)
{
	(void)state;
	const char *tmp = getenv("TF_TMP");
	snprintf(dir, sizeof dir, "%s/import_load", tmp ? tmp : "/tmp");
	mkdir(tmp ? tmp : "/tmp", 0777);
	mkdir(dir, 0777);
	return 0;
}

static const char *path(const char *name)
{
	static char buf[4][600];
	static unsigned k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static void write_bytes(const char *name, const void *p, size_t n)
{
	FILE *f = fopen(path(name), "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

static X509 *cert(const char *cn, EVP_PKEY *k)
{
	iu_spec sp = {.subject = cn, .issuer = cn, .key = k};
	return iu_cert(&sp);
}

/* PEM text of x ("TRUSTED CERTIFICATE" with aux when trusted). */
static char *pem(X509 *x, bool trusted)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL;
	assert_int_equal(trusted ? PEM_write_bio_X509_AUX(b, x) : PEM_write_bio_X509(b, x), 1);
	long n = BIO_get_mem_data(b, &p);
	char *out = malloc((size_t)n + 1);
	assert_non_null(out);
	memcpy(out, p, (size_t)n);
	out[n] = '\0';
	BIO_free(b);
	return out;
}

static void test_files(void **state)
{
	(void)state;
	EVP_PKEY *k = iu_key();
	X509 *a = cert("/CN=a", k), *b = cert("/CN=b", k);
	char *pa = pem(a, false), *pb = pem(b, false);
	char bundle[8192];
	snprintf(bundle, sizeof bundle, "a comment line\n%s\nbetween\n%s", pa, pb);
	write_bytes("bundle.pem", bundle, strlen(bundle));
	unsigned char *der = NULL;
	int dlen = i2d_X509(a, &der);
	write_bytes("a.der", der, (size_t)dlen);
	X509_add1_trust_object(b, OBJ_nid2obj(NID_client_auth));
	char *tb = pem(b, true);
	assert_non_null(strstr(tb, "TRUSTED CERTIFICATE"));
	write_bytes("trusted.crt", tb, strlen(tb));

	tf_import_list l = {0};
	tf_error err = {0};
	assert_int_equal(tf_import_load(path("bundle.pem"), &l, &err), TF_OK);
	assert_int_equal(l.n, 2);
	char want[700];
	snprintf(want, sizeof want, "%s#2", path("bundle.pem"));
	assert_string_equal(l.v[1].origin, want);
	assert_int_equal(tf_import_load(path("a.der"), &l, &err), TF_OK);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[2].origin, path("a.der"));
	assert_int_equal(l.v[2].der.len, (size_t)dlen);
	assert_memory_equal(l.v[2].der.data, der, (size_t)dlen);
	assert_memory_equal(l.v[0].der.data, der, (size_t)dlen); /* PEM and DER agree */
	/* TRUSTED CERTIFICATE: the certificate without OpenSSL's trust data. */
	assert_int_equal(tf_import_load(path("trusted.crt"), &l, &err), TF_OK);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.v[3].der.len, (size_t)i2d_X509(b, NULL));
	tf_import_list_free(&l);
	OPENSSL_free(der);
	free(pa);
	free(pb);
	free(tb);
	X509_free(a);
	X509_free(b);
	EVP_PKEY_free(k);
}

static void test_directory(void **state)
{
	(void)state;
	EVP_PKEY *k = iu_key();
	const char *names[] = {"d/2.pem", "d/1.CRT", "d/3.cer", "d/.hidden.pem", "d/notes.txt",
			       "d/0.der"};
	mkdir(path("d"), 0777);
	mkdir(path("d/sub.pem"), 0777); /* a directory with a certificate name: skipped */
	for (unsigned i = 0; i < 6; i++) {
		char cn[32];
		snprintf(cn, sizeof cn, "/CN=%u", i);
		X509 *x = cert(cn, k);
		if (i == 5) {
			unsigned char *der = NULL;
			int n = i2d_X509(x, &der);
			write_bytes(names[i], der, (size_t)n);
			OPENSSL_free(der);
		} else {
			char *p = pem(x, false);
			write_bytes(names[i], p, strlen(p));
			free(p);
		}
		X509_free(x);
	}
	tf_import_list l = {0};
	tf_error err = {0};
	assert_int_equal(tf_import_load(path("d"), &l, &err), TF_OK);
	assert_int_equal(l.n, 4);
	/* Byte order of names: "0.der" < "1.CRT" < "2.pem" < "3.cer". */
	assert_string_equal(l.v[0].origin, path("d/0.der"));
	assert_string_equal(l.v[1].origin, path("d/1.CRT"));
	assert_string_equal(l.v[2].origin, path("d/2.pem"));
	assert_string_equal(l.v[3].origin, path("d/3.cer"));
	tf_import_list_free(&l);
	EVP_PKEY_free(k);
}

/* Each bad input: the exact message, and the list left as it was. */
static void bad(const char *name, const void *content, size_t n, tf_err code, const char *msg)
{
	tf_import_list l = {0};
	tf_error err = {0};
	char want[1024];
	if (content)
		write_bytes(name, content, n);
	EVP_PKEY *k = iu_key();
	X509 *x = cert("/CN=kept", k);
	iu_push(&l, x, "kept.pem");
	assert_int_equal(tf_import_load(path(name), &l, &err), code);
	snprintf(want, sizeof want, "%s: %s", path(name), msg);
	assert_string_equal(err.msg, want);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].origin, "kept.pem");
	tf_import_list_free(&l);
	X509_free(x);
	EVP_PKEY_free(k);
}

static void test_bad_input(void **state)
{
	(void)state;
	EVP_PKEY *k = iu_key();
	X509 *x = cert("/CN=x", k);
	char *p = pem(x, false), text[8192];
	snprintf(text, sizeof text, "%.*s", 200, p);
	bad("trunc.pem", text, strlen(text), TF_ERR_PARSE,
	    "PEM block 1 is truncated or corrupt (bad end line)");
	snprintf(text, sizeof text, "%s%.*s", p, 100, p);
	bad("second.pem", text, strlen(text), TF_ERR_PARSE,
	    "PEM block 2 is truncated or corrupt (bad end line)");
	const char *key = "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n";
	bad("key.pem", key, strlen(key), TF_ERR_PARSE,
	    "PEM block 1 is \"PRIVATE KEY\", expected CERTIFICATE");
	const char *junk = "-----BEGIN CERTIFICATE-----\nMAMCAQU=\n-----END CERTIFICATE-----\n";
	bad("junk.pem", junk, strlen(junk), TF_ERR_PARSE,
	    "PEM block 1 does not parse as a DER X.509 certificate");
	bad("text.pem", "no pem here\n", 12, TF_ERR_PARSE,
	    "no certificate, expected PEM CERTIFICATE blocks or one DER certificate");
	bad("inline.pem", "x -----BEGIN CERTIFICATE-----\n", 30, TF_ERR_PARSE,
	    "no PEM block starts on a line of its own, expected \"-----BEGIN CERTIFICATE-----\"");
	bad("empty.pem", "", 0, TF_ERR_PARSE, "empty file, expected PEM or DER certificates");
	static const unsigned char der[] = {0x30, 0x03, 0x02, 0x01, 0x05};
	bad("bad.der", der, sizeof der, TF_ERR_PARSE, "DER does not parse as one X.509 certificate");
	unsigned char *good = NULL;
	int n = i2d_X509(x, &good);
	unsigned char *trail = malloc((size_t)n + 1);
	assert_non_null(trail);
	memcpy(trail, good, (size_t)n);
	trail[n] = 0;
	bad("trail.der", trail, (size_t)n + 1, TF_ERR_PARSE,
	    "DER does not parse as one X.509 certificate");
	bad("missing.pem", NULL, 0, TF_ERR_IO, "cannot open: No such file or directory");
	mkdir(path("none"), 0777);
	bad("none", NULL, 0, TF_ERR_PARSE,
	    "no certificate file (*.pem, *.crt, *.cer, *.der) in the directory");
	free(trail);
	OPENSSL_free(good);
	free(p);
	X509_free(x);
	EVP_PKEY_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
