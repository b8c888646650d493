/*
 * backends/import_load.c — certificate files in: PEM bundles, DER files and
 * directories of them, each certificate checked to parse (import.h).
 *
 * Every way a file can be wrong gets one line naming the file and what is
 * wrong with it (docs/import.md, "Bad input"), and nothing of a file that
 * fails is kept: callers build their output only after every file loaded.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "import_internal.h"

void tf_import_list_free(tf_import_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		tf_der_free(&l->v[i].der);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Drops the entries past n (an aborted load). */
static void truncate_list(tf_import_list *l, size_t n)
{
	while (l->n > n)
		tf_der_free(&l->v[--l->n].der);
}

static tf_err push(tf_import_list *l, const uint8_t *der, size_t len, const char *path,
		   tf_error *err)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		tf_import_cert *v = realloc(l->v, cap * sizeof *v);
		TF_ENSURE(v, err, TF_ERR_NOMEM, "%s: out of memory", path);
		l->v = v;
		l->cap = cap;
	}
	tf_import_cert *c = &l->v[l->n];
	memset(c, 0, sizeof *c);
	c->der.data = malloc(len);
	TF_ENSURE(c->der.data, err, TF_ERR_NOMEM, "%s: out of memory", path);
	memcpy(c->der.data, der, len);
	c->der.len = len;
	snprintf(c->origin, sizeof c->origin, "%s", path);
	l->n++;
	return TF_OK;
}

X509 *tf_import_x509(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	X509 *x = len <= LONG_MAX ? d2i_X509(NULL, &p, (long)len) : NULL;
	if (x && p != der + len) {
		X509_free(x);
		x = NULL;
	}
	ERR_clear_error();
	return x;
}

/* Length of the DER certificate at the start of der[0..len), 0 when none
 * parses (a TRUSTED CERTIFICATE block appends OpenSSL's trust settings). */
static size_t cert_prefix(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	X509 *x = len <= LONG_MAX ? d2i_X509(NULL, &p, (long)len) : NULL;
	size_t n = x ? (size_t)(p - der) : 0;
	X509_free(x);
	ERR_clear_error();
	return n;
}

/* Whether der[0..len) is exactly one certificate. */
static bool der_ok(const uint8_t *der, size_t len)
{
	X509 *x = tf_import_x509(der, len);
	bool ok = x != NULL;
	X509_free(x);
	return ok;
}

static bool is_cert_label(const char *name)
{
	return !strcmp(name, "CERTIFICATE") || !strcmp(name, "X509 CERTIFICATE") ||
	       !strcmp(name, "TRUSTED CERTIFICATE");
}

/* Reads one PEM block; *end when the input holds no further block. */
static tf_err pem_block(BIO *b, const char *path, int k, tf_import_list *l, bool *end,
			tf_error *err)
{
	char *name = NULL, *header = NULL;
	unsigned char *data = NULL;
	long len = 0;
	tf_err rc = TF_OK;

	*end = false;
	if (!PEM_read_bio(b, &name, &header, &data, &len)) {
		unsigned long e = ERR_peek_last_error();
		ERR_clear_error();
		if (ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE) {
			*end = true;
			return TF_OK;
		}
		/* OpenSSL fails a block with no base64 between its BEGIN and END
		 * lines without queueing an error. */
		const char *why = e ? ERR_reason_error_string(e) : "empty block";
		return tf_error_set(err, TF_ERR_PARSE, "%s: PEM block %d is truncated or corrupt (%s)",
				    path, k, why ? why : "unreadable block");
	}
	if (!is_cert_label(name)) {
		char safe[64];
		size_t i = 0;
		for (; name[i] && i + 1 < sizeof safe; i++)
			safe[i] = name[i] >= 0x20 && name[i] <= 0x7e ? name[i] : '?';
		safe[i] = '\0';
		rc = tf_error_set(err, TF_ERR_PARSE, "%s: PEM block %d is \"%s\", expected CERTIFICATE",
				  path, k, safe);
		goto done;
	}
	size_t n = strcmp(name, "TRUSTED CERTIFICATE") ? (cert_prefix(data, (size_t)len) ==
							   (size_t)len ? (size_t)len : 0)
						       : cert_prefix(data, (size_t)len);
	if (n == 0) {
		rc = tf_error_set(err, TF_ERR_PARSE,
				  "%s: PEM block %d does not parse as a DER X.509 certificate", path,
				  k);
		goto done;
	}
	rc = push(l, data, n, path, err);
done:
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_free(data);
	return rc;
}

static tf_err load_pem(const char *path, const char *text, size_t len, tf_import_list *l,
		       tf_error *err)
{
	tf_err rc = TF_OK;
	size_t first = l->n;
	bool end = false;
	BIO *b = BIO_new_mem_buf(text, (int)len);
	if (!b)
		return tf_error_set(err, TF_ERR_NOMEM, "%s: out of memory", path);
	for (int k = 1; rc == TF_OK && !end; k++)
		rc = pem_block(b, path, k, l, &end, err);
	BIO_free(b);
	if (rc == TF_OK && l->n == first)
		rc = tf_error_set(err, TF_ERR_PARSE,
				  "%s: no PEM block starts on a line of its own, expected "
				  "\"-----BEGIN CERTIFICATE-----\"",
				  path);
	/* Bundles name each certificate by its rank, counted from 1. */
	if (rc == TF_OK && l->n - first > 1)
		for (size_t i = first; i < l->n; i++)
			snprintf(l->v[i].origin, sizeof l->v[i].origin, "%s#%zu", path,
				 i - first + 1);
	return rc;
}

static tf_err load_file(const char *path, tf_import_list *l, tf_error *err)
{
	char *text = NULL;
	size_t len = 0;
	tf_err rc = tf_read_file(path, &text, &len, err);
	if (rc != TF_OK)
		return rc;
	if (len == 0)
		rc = tf_error_set(err, TF_ERR_PARSE, "%s: empty file, expected PEM or DER certificates",
				  path);
	else if (len > INT_MAX)
		rc = tf_error_set(err, TF_ERR_LIMIT, "%s: larger than %d bytes", path, INT_MAX);
	else if (memmem(text, len, "-----BEGIN", 10))
		rc = load_pem(path, text, len, l, err);
	else if ((unsigned char)text[0] != 0x30)
		rc = tf_error_set(err, TF_ERR_PARSE,
				  "%s: no certificate, expected PEM CERTIFICATE blocks or one DER "
				  "certificate",
				  path);
	else if (!der_ok((const uint8_t *)text, len))
		rc = tf_error_set(err, TF_ERR_PARSE,
				  "%s: DER does not parse as one X.509 certificate", path);
	else
		rc = push(l, (const uint8_t *)text, len, path, err);
	free(text);
	return rc;
}

static bool cert_file_name(const char *name)
{
	static const char *const ext[] = {".pem", ".crt", ".cer", ".der"};
	size_t n = strlen(name);
	if (name[0] == '.')
		return false; /* as a shell glob: hidden files are not "*.pem" */
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
		if (n > 4 && !strcasecmp(name + n - 4, ext[i]))
			return true;
	return false;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static tf_err load_dir(const char *dir, tf_import_list *l, tf_error *err)
{
	tf_err rc = TF_OK;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e = NULL;
	DIR *d = opendir(dir);
	TF_ENSURE(d, err, TF_ERR_IO, "%s: cannot open directory: %s", dir, strerror(errno));
	while (rc == TF_OK && (e = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat st;
		if (!cert_file_name(e->d_name))
			continue;
		if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
			rc = tf_error_set(err, TF_ERR_IO, "%s/%s: path too long", dir, e->d_name);
		else if (stat(path, &st) != 0)
			rc = tf_error_set(err, TF_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
		else if (!S_ISREG(st.st_mode))
			continue;
		else if (n == cap) {
			size_t ncap = cap ? 2 * cap : 32;
			char **v = realloc(names, ncap * sizeof *v);
			if (!v)
				rc = tf_error_set(err, TF_ERR_NOMEM, "%s: out of memory", dir);
			else {
				names = v;
				cap = ncap;
			}
		}
		if (rc == TF_OK && !(names[n++] = strdup(path)))
			rc = tf_error_set(err, TF_ERR_NOMEM, "%s: out of memory", dir);
	}
	closedir(d);
	if (rc == TF_OK && n == 0)
		rc = tf_error_set(err, TF_ERR_PARSE,
				  "%s: no certificate file (*.pem, *.crt, *.cer, *.der) in the directory",
				  dir);
	if (rc == TF_OK)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; rc == TF_OK && i < n; i++)
		rc = load_file(names[i], l, err);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

tf_err tf_import_load(const char *path, tf_import_list *l, tf_error *err)
{
	struct stat st;
	size_t first = l->n;
	tf_err rc = TF_OK;
	if (stat(path, &st) != 0)
		return tf_error_set(err, TF_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	rc = S_ISDIR(st.st_mode) ? load_dir(path, l, err) : load_file(path, l, err);
	if (rc != TF_OK)
		truncate_list(l, first);
	return rc;
}
