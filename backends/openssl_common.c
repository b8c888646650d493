/*
 * backends/openssl_common.c — what verify mode and handshake mode share:
 * parsed certificates, the anchor store, verification parameters, and the
 * reading of a verification outcome (oracle, chain → path, verdict).
 *
 * Certificates are parsed back from the rendered DER, so OpenSSL judges
 * exactly the bytes that `trustfuzz export` writes.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "openssl_internal.h"

tf_err tf_ossl_certs_load(tf_ossl_state *st, const tf_scenario *s, unsigned keys,
			  tf_ossl_certs *out, tf_error *err)
{
	memset(out, 0, sizeof *out);
	out->keys = keys;
	TF_GUARD(tf_render_scenario(st->render, s, keys, &out->der, err));
	for (unsigned i = 0; i < s->ncerts; i++) {
		/* Only bound (imported) DER can fail here: rendered DER always parses. */
		tf_err rc = tf_ossl_x509cache_get(st->x509, &out->der.cert[i], &out->x[i], err);
		if (rc != TF_OK) {
			tf_ossl_certs_free(out);
			return tf_error_prefix(err, s->certs[i].id);
		}
	}
	return TF_OK;
}

void tf_ossl_certs_free(tf_ossl_certs *c)
{
	for (unsigned i = 0; i < TF_MAX_CERTS; i++)
		X509_free(c->x[i]);
	tf_rendered_free(&c->der);
	memset(c->x, 0, sizeof c->x);
}

tf_err tf_ossl_anchor_store(const tf_ossl_certs *c, const tf_openssl_inputs *in,
			    X509_STORE **out, tf_error *err)
{
	X509_STORE *store = X509_STORE_new();
	if (!store)
		return tf_ossl_error(err, TF_ERR_NOMEM, "X509_STORE_new");
	/* Adding a certificate the store already holds is a no-op, as for
	 * `openssl verify -CAfile` with a duplicate. */
	for (unsigned i = 0; i < in->nanchors; i++)
		if (!X509_STORE_add_cert(store, c->x[in->anchors[i]])) {
			X509_STORE_free(store);
			return tf_ossl_error(err, TF_ERR_BACKEND, "X509_STORE_add_cert");
		}
	*out = store;
	return TF_OK;
}

tf_err tf_ossl_set_param(X509_VERIFY_PARAM *p, const tf_scenario *s, const tf_knobs *k,
			 tf_error *err)
{
	unsigned long flags = 0;
	if (k->ossl_partial_chain)
		flags |= X509_V_FLAG_PARTIAL_CHAIN;
	if (k->ossl_x509_strict)
		flags |= X509_V_FLAG_X509_STRICT;
	X509_VERIFY_PARAM_set_time(p, (time_t)s->server.validation_time);
	if (!X509_VERIFY_PARAM_set_purpose(p, X509_PURPOSE_SSL_CLIENT) ||
	    (flags && !X509_VERIFY_PARAM_set_flags(p, flags)))
		return tf_ossl_error(err, TF_ERR_BACKEND, "verification parameters");
	return TF_OK;
}

static bool der_is(const tf_ossl_certs *c, unsigned i, const unsigned char *der, int len)
{
	return c->der.cert[i].len == (size_t)len && !memcmp(c->der.cert[i].data, der, (size_t)len);
}

int tf_ossl_cert_index(const tf_scenario *s, const tf_ossl_certs *c, const tf_openssl_inputs *in,
		       X509 *x, unsigned pos)
{
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der);
	int found = -1;
	if (len <= 0) {
		ERR_clear_error();
		return -1;
	}
	/* Identical DER under two ids is possible (two certificates with the same
	 * fields); the preference order names the one OpenSSL most likely took. */
	if (pos == 0 && in->identity >= 0 && der_is(c, s->identities[in->identity].leaf, der, len))
		found = s->identities[in->identity].leaf;
	for (unsigned i = 0; found < 0 && i < in->nuntrusted; i++)
		if (der_is(c, in->untrusted[i], der, len))
			found = in->untrusted[i];
	for (unsigned i = 0; found < 0 && i < in->nanchors; i++)
		if (der_is(c, in->anchors[i], der, len))
			found = in->anchors[i];
	for (unsigned i = 0; found < 0 && i < s->ncerts; i++)
		if (der_is(c, i, der, len))
			found = (int)i;
	OPENSSL_free(der);
	return found;
}

tf_err tf_ossl_outcome_read(X509_STORE_CTX *ctx, int ret, const tf_scenario *s,
			    const tf_ossl_certs *c, const tf_openssl_inputs *in,
			    tf_ossl_outcome *out, tf_error *err)
{
	memset(out, 0, sizeof *out);
	out->ret = ret;
	out->error = X509_STORE_CTX_get_error(ctx);
	out->error_depth = X509_STORE_CTX_get_error_depth(ctx);
	out->error_cert = -1;
	if (ret < 0)
		return tf_ossl_error(err, TF_ERR_BACKEND, "X509_verify_cert returned -1");
	TF_ENSURE((ret == 1) == (out->error == X509_V_OK), err, TF_ERR_ORACLE,
		  "openssl oracle: X509_verify_cert returned %d but the context error is %d (%s)",
		  ret, out->error, X509_verify_cert_error_string(out->error));
	X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
	if (cur)
		out->error_cert = tf_ossl_cert_index(s, c, in, cur, (unsigned)out->error_depth);
	STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
	int n = chain ? sk_X509_num(chain) : 0;
	for (int i = 0; i < n; i++) {
		if (i == TF_MAX_PATH) {
			out->path_cut = true;
			break;
		}
		int idx = tf_ossl_cert_index(s, c, in, sk_X509_value(chain, i), (unsigned)i);
		TF_ENSURE(idx >= 0, err, TF_ERR_INTERNAL,
			  "openssl: chain element %d is none of the scenario's certificates", i);
		out->path[out->path_len++] = (uint8_t)idx;
	}
	ERR_clear_error();
	return TF_OK;
}

tf_err tf_ossl_verdict(const tf_scenario *s, const tf_ossl_outcome *o, int identity,
		       const char *mode, tf_verdict *v, tf_error *err)
{
	const tf_openssl_errmap *m = tf_ossl_map_or_unknown(o->error);
	const char *what = X509_verify_cert_error_string(o->error);
	const char *cut = o->path_cut ? " (path cut)" : "";
	TF_ENSURE(!m->backend_failure, err, TF_ERR_BACKEND, "openssl %s: %s (%d): %s", mode,
		  m->name, o->error, what);
	if (o->error == X509_V_OK) {
		tf_verdict_set(v, TF_STATUS_200, TF_WIN32_OK, identity,
			       "openssl %s: X509_V_OK, chain of %u%s", mode, o->path_len, cut);
	} else {
		const char *at = o->error_cert >= 0 ? s->certs[o->error_cert].id : "?";
		tf_verdict_set(v, m->status, m->win32, identity,
			       "openssl %s: %s (%d) \"%s\" at depth %d (%s)%s", mode, m->name,
			       o->error, what, o->error_depth, at, cut);
	}
	v->path_len = o->path_len;
	memcpy(v->path, o->path, o->path_len);
	return TF_OK;
}
