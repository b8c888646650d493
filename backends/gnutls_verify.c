/*
 * backends/gnutls_verify.c — one GnuTLS verification of a rendered scenario:
 * the trust list, the presented chain, the Intermediate store behind the
 * get-issuer callback, the validation time, and the verify-output records.
 *
 * Two GnuTLS hooks carry no user pointer and are process-wide: the time
 * function and the verify-output callback. Both read the thread-local
 * variables below, set only for the duration of one verify call; the time
 * function is installed before the call and the library default (libc
 * time(), what GnuTLS 3.7 initialises it to) put back right after it. That
 * is safe because trustfuzz runs one evaluation at a time per process
 * (campaign workers are fork()ed processes, never threads):
 * docs/gnutls-backend.md, "Time".
 */
#include <string.h>
#include <time.h>

#include "gnutls_internal.h"

static _Thread_local time_t tf_gnutls_now;
static _Thread_local tf_gnutls_run *tf_gnutls_active;

static time_t validation_time(time_t *t)
{
	if (t)
		*t = tf_gnutls_now;
	return tf_gnutls_now;
}

int tf_gnutls_import(const tf_der *der, gnutls_x509_crt_t *out)
{
	gnutls_x509_crt_t crt = NULL;
	*out = NULL;
	if (der->len > UINT32_MAX)
		return GNUTLS_E_INVALID_REQUEST;
	int rc = gnutls_x509_crt_init(&crt);
	if (rc < 0)
		return rc;
	gnutls_datum_t d = {der->data, (unsigned)der->len};
	rc = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER);
	if (rc < 0) {
		gnutls_x509_crt_deinit(crt);
		return rc;
	}
	*out = crt;
	return 0;
}

/* Which scenario certificate an object GnuTLS hands back is. Our own
 * objects by identity; anything else (the callback's answers, which GnuTLS
 * may copy) by DER, Intermediate store first. */
static tf_gnutls_ref map_cert(const tf_gnutls_run *run, gnutls_x509_crt_t crt)
{
	tf_gnutls_ref ref = {-1, TF_GNUTLS_NONE, 0};
	gnutls_datum_t d = {NULL, 0};
	if (!crt)
		return ref;
	for (unsigned i = 0; i < run->npresented; i++)
		if (run->presented[i] == crt)
			return (tf_gnutls_ref){(int8_t)run->presented_idx[i], TF_GNUTLS_PRESENTED,
					       (uint8_t)i};
	for (unsigned i = 0; i < run->ntrusted; i++)
		if (run->trusted[i] == crt)
			return (tf_gnutls_ref){(int8_t)run->trusted_idx[i], TF_GNUTLS_TRUSTED, 0};
	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &d) < 0)
		return ref;
	for (unsigned i = 0; i < run->nstore && ref.cert < 0; i++) {
		const tf_der *r = &run->rd->cert[run->store_idx[i]];
		if (r->len == d.size && !memcmp(r->data, d.data, d.size))
			ref = (tf_gnutls_ref){(int8_t)run->store_idx[i], TF_GNUTLS_STORE, 0};
	}
	gnutls_free(d.data);
	return ref;
}

static int verify_output(gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer,
			 gnutls_x509_crl_t crl, unsigned int output)
{
	(void)crl;
	tf_gnutls_run *run = tf_gnutls_active;
	if (!run)
		return 0;
	if (run->nrecords == TF_GNUTLS_MAX_RECORDS) {
		run->records_dropped++;
		return 0;
	}
	tf_gnutls_record *r = &run->records[run->nrecords++];
	r->cert = map_cert(run, cert);
	r->issuer = map_cert(run, issuer);
	r->output = output;
	return 0;
}

/* The Intermediate store as GnuTLS 3.7 lets an application offer untrusted
 * issuers: asked for the issuer of `crt`, answer with the first store
 * certificate GnuTLS itself accepts as that issuer. One answer per call:
 * GnuTLS sorts a multi-certificate answer as a chain from its first entry
 * and would use no other candidate for this gap anyway; it calls again for
 * the next gap. GnuTLS owns (and frees) the array and the object. */
static int get_issuer(gnutls_x509_trust_list_t tl, const gnutls_x509_crt_t crt,
		      gnutls_x509_crt_t **issuers, unsigned int *issuers_size)
{
	tf_gnutls_run *run = gnutls_x509_trust_list_get_ptr(tl);
	*issuers = NULL;
	*issuers_size = 0;
	run->callback_calls++;
	for (unsigned i = 0; i < run->nstore; i++) {
		if (!gnutls_x509_crt_check_issuer(crt, run->store[i]))
			continue;
		gnutls_x509_crt_t copy = NULL;
		gnutls_x509_crt_t *arr = gnutls_malloc(sizeof *arr);
		if (!arr || tf_gnutls_import(&run->rd->cert[run->store_idx[i]], &copy) < 0) {
			gnutls_free(arr);
			run->callback_failed = true;
			return GNUTLS_E_MEMORY_ERROR;
		}
		arr[0] = copy;
		*issuers = arr;
		*issuers_size = 1;
		return 0;
	}
	return 0;
}

static bool seen(const uint8_t *idx, unsigned n, unsigned cert)
{
	for (unsigned i = 0; i < n; i++)
		if (idx[i] == cert)
			return true;
	return false;
}

tf_err tf_gnutls_run_build(tf_gnutls_run *run, const tf_scenario *s, const tf_rendered *rd,
			   unsigned identity, const uint8_t *anchors, unsigned nanchors,
			   int *bad_presented, const char **bad_what, tf_error *err)
{
	const tf_identity *id = &s->identities[identity];
	const tf_store *inter = &s->stores[TF_STORE_INTERMEDIATE];
	int rc = 0;
	run->s = s;
	run->rd = rd;
	*bad_presented = -1;
	*bad_what = NULL;

	/* A TLS server that cannot parse a certificate of the client's
	 * Certificate message fails the handshake: no partial chain. */
	for (unsigned i = 0; i <= id->nchain; i++) {
		unsigned c = i == 0 ? id->leaf : id->chain[i - 1];
		rc = tf_gnutls_import(&rd->cert[c], &run->presented[run->npresented]);
		if (rc == GNUTLS_E_MEMORY_ERROR)
			TF_BAIL(err, TF_ERR_NOMEM, "gnutls: importing certificate %s: %s",
				s->certs[c].id, gnutls_strerror(rc));
		if (rc < 0) {
			*bad_presented = (int)c;
			*bad_what = gnutls_strerror(rc);
			return TF_OK;
		}
		run->presented_idx[run->npresented++] = (uint8_t)c;
	}

	rc = gnutls_x509_trust_list_init(&run->tl, 0);
	TF_ENSURE(rc >= 0, err, TF_ERR_NOMEM, "gnutls_x509_trust_list_init: %s", gnutls_strerror(rc));
	gnutls_x509_trust_list_set_ptr(run->tl, run);
	gnutls_x509_trust_list_set_getissuer_function(run->tl, get_issuer);

	/* A store entry GnuTLS cannot parse is one a GnuTLS server would fail
	 * to load: it simply is not there (counted for the reason). */
	for (unsigned i = 0; i < nanchors; i++) {
		unsigned c = anchors[i];
		gnutls_x509_crt_t crt = NULL;
		if (seen(run->trusted_idx, run->ntrusted, c))
			continue;
		rc = tf_gnutls_import(&rd->cert[c], &crt);
		if (rc == GNUTLS_E_MEMORY_ERROR)
			TF_BAIL(err, TF_ERR_NOMEM, "gnutls: importing anchor %s", s->certs[c].id);
		if (rc < 0) {
			run->trusted_skipped++;
			continue;
		}
		/* The list keeps the object from here on (deinit with all=1). */
		if (gnutls_x509_trust_list_add_cas(run->tl, &crt, 1, 0) != 1) {
			gnutls_x509_crt_deinit(crt);
			TF_BAIL(err, TF_ERR_NOMEM, "gnutls_x509_trust_list_add_cas: %s",
				s->certs[c].id);
		}
		run->trusted[run->ntrusted] = crt;
		run->trusted_idx[run->ntrusted++] = (uint8_t)c;
	}

	for (unsigned i = 0; i < inter->n; i++) {
		unsigned c = inter->cert[i];
		if (seen(run->store_idx, run->nstore, c))
			continue;
		rc = tf_gnutls_import(&rd->cert[c], &run->store[run->nstore]);
		if (rc == GNUTLS_E_MEMORY_ERROR)
			TF_BAIL(err, TF_ERR_NOMEM, "gnutls: importing store certificate %s",
				s->certs[c].id);
		if (rc < 0) {
			run->store_skipped++;
			continue;
		}
		run->store_idx[run->nstore++] = (uint8_t)c;
	}
	return TF_OK;
}

tf_err tf_gnutls_run_verify(tf_gnutls_run *run, int64_t now, unsigned flags, unsigned *status,
			    tf_error *err)
{
	gnutls_typed_vdata_st purpose = {GNUTLS_DT_KEY_PURPOSE_OID,
					 (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT, 0};
	unsigned out = 0;
	_Static_assert(sizeof(time_t) >= sizeof(int64_t), "time_t holds every validation time");
	tf_gnutls_now = (time_t)now;
	tf_gnutls_active = run;
	gnutls_global_set_time_function(validation_time);
	int rc = gnutls_x509_trust_list_verify_crt2(run->tl, run->presented, run->npresented,
						    &purpose, 1, flags, &out, verify_output);
	gnutls_global_set_time_function(time);
	tf_gnutls_active = NULL;
	TF_ENSURE(!run->callback_failed, err, TF_ERR_NOMEM, "gnutls: issuer callback out of memory");
	TF_ENSURE(rc >= 0, err, TF_ERR_BACKEND, "gnutls_x509_trust_list_verify_crt2: %s",
		  gnutls_strerror(rc));
	*status = out;
	return TF_OK;
}

void tf_gnutls_run_free(tf_gnutls_run *run)
{
	for (unsigned i = 0; i < run->npresented; i++)
		gnutls_x509_crt_deinit(run->presented[i]);
	for (unsigned i = 0; i < run->nstore; i++)
		gnutls_x509_crt_deinit(run->store[i]);
	/* all=1: the list owns the trusted certificates added to it. */
	if (run->tl)
		gnutls_x509_trust_list_deinit(run->tl, 1);
	run->npresented = run->nstore = run->ntrusted = 0;
	run->tl = NULL;
}
