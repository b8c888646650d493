/*
 * backends/openssl_verify.c — verify mode: one X509_verify_cert call set up
 * the way `openssl verify` sets it up (apps/verify.c), so that the command
 * `trustfuzz export` writes reproduces the verdict: the parameters go on the
 * store, and X509_STORE_CTX_init derives the trust setting from the purpose.
 */
#include <openssl/err.h>

#include "openssl_internal.h"

tf_err tf_ossl_run_verify(tf_ossl_state *st, const tf_scenario *s, const tf_knobs *k,
			  const tf_ossl_certs *c, const tf_openssl_inputs *in, tf_verdict *v,
			  int *x509_error, tf_error *err)
{
	X509_STORE *store = NULL;
	X509_VERIFY_PARAM *param = NULL;
	STACK_OF(X509) *untrusted = NULL;
	X509_STORE_CTX *ctx = NULL;
	tf_ossl_outcome o;
	tf_err rc = TF_OK;

	(void)st;
	*x509_error = -1;
	if (in->identity < 0) {
		tf_verdict_set(v, TF_STATUS_403_7, TF_WIN32_OK, -1,
			       "openssl verify: the client offers no certificate (%s)",
			       in->sent.ntotal ? "no identity matches the issuer list"
					       : "no identity");
		return TF_OK;
	}
	const tf_identity *id = &s->identities[in->identity];
	TF_GUARD_GOTO(tf_ossl_anchor_store(c, in, &store, err), rc, done);
	param = X509_VERIFY_PARAM_new();
	untrusted = sk_X509_new_null();
	ctx = X509_STORE_CTX_new();
	if (!param || !untrusted || !ctx) {
		rc = tf_ossl_error(err, TF_ERR_NOMEM, "openssl verify: setup");
		goto done;
	}
	TF_GUARD_GOTO(tf_ossl_set_param(param, s, k, err), rc, done);
	for (unsigned i = 0; i < in->nuntrusted; i++)
		if (!sk_X509_push(untrusted, c->x[in->untrusted[i]])) {
			rc = tf_ossl_error(err, TF_ERR_NOMEM, "openssl verify: untrusted list");
			goto done;
		}
	if (!X509_STORE_set1_param(store, param) ||
	    !X509_STORE_CTX_init(ctx, store, c->x[id->leaf], untrusted)) {
		rc = tf_ossl_error(err, TF_ERR_BACKEND, "openssl verify: context");
		goto done;
	}
	int ret = X509_verify_cert(ctx);
	TF_GUARD_GOTO(tf_ossl_outcome_read(ctx, ret, s, c, in, &o, err), rc, done);
	*x509_error = o.error;
	rc = tf_ossl_verdict(s, &o, in->identity, "verify", v, err);
done:
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted); /* the certificates belong to c */
	X509_VERIFY_PARAM_free(param);
	X509_STORE_free(store);
	return rc;
}
