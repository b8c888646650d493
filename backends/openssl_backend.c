/*
 * backends/openssl_backend.c — the evaluator value "openssl": state, inputs
 * (anchor set, untrusted list, client selection) and mode dispatch.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "openssl_internal.h"

void tf_openssl_inputs_get(const tf_scenario *s, tf_openssl_inputs *out)
{
	memset(out, 0, sizeof *out);
	tf_issuer_list_trusted(s, &out->trusted);
	if (s->server.send_issuer_list) {
		out->sent = out->trusted;
		tf_issuer_list_truncate(s, &out->sent, s->server.issuer_list_limit);
	} else {
		out->sent.source = out->trusted.source;
	}
	out->identity = tf_select_identity(s, s->server.send_issuer_list ? &out->sent : NULL);

	const tf_store *src = &s->stores[out->trusted.source];
	const tf_store *anchors = s->server.trust_mode == 0 ? &s->stores[TF_STORE_ROOT] : src;
	for (unsigned i = 0; i < anchors->n; i++)
		if (s->server.trust_mode != 1 || tf_cert_self_signed(s, anchors->cert[i]))
			out->anchors[out->nanchors++] = anchors->cert[i];

	if (out->identity >= 0) {
		const tf_identity *id = &s->identities[out->identity];
		for (unsigned i = 0; i < id->nchain; i++)
			out->untrusted[out->nuntrusted++] = id->chain[i];
	}
	const tf_store *inter = &s->stores[TF_STORE_INTERMEDIATE];
	for (unsigned i = 0; i < inter->n; i++)
		out->untrusted[out->nuntrusted++] = inter->cert[i];
}

static tf_err ossl_init(void **state, tf_error *err)
{
	tf_ossl_state *st = calloc(1, sizeof *st);
	*state = NULL;
	TF_ENSURE(st, err, TF_ERR_NOMEM, "openssl: out of memory");
	tf_err rc = tf_render_shared(&st->render, err);
	if (rc == TF_OK)
		rc = tf_ossl_x509cache_new(&st->x509, err);
	if (rc != TF_OK) {
		tf_render_shared_release(st->render);
		free(st);
		return rc;
	}
	*state = st;
	return TF_OK;
}

static void ossl_cleanup(void *state)
{
	tf_ossl_state *st = state;
	if (!st)
		return;
	tf_ossl_handshake_free(st);
	tf_ossl_x509cache_free(st->x509);
	tf_render_shared_release(st->render);
	free(st);
}

tf_render *tf_openssl_renderer(void *state)
{
	return ((tf_ossl_state *)state)->render;
}

void tf_openssl_get_stats(void *state, tf_openssl_stats *out)
{
	tf_ossl_state *st = state;
	memset(out, 0, sizeof *out);
	tf_render_get_stats(st->render, &out->render);
	tf_ossl_x509cache_stats(st->x509, &out->x509_hits, &out->x509_misses, &out->x509_clears);
}

/* Renders, parses and runs one mode. */
static tf_err run(tf_ossl_state *st, const tf_scenario *s, const tf_knobs *k, bool handshake,
		  tf_verdict *out, int *x509_error, tf_error *err)
{
	tf_openssl_inputs in;
	tf_ossl_certs certs;
	tf_err rc = TF_OK;

	ERR_clear_error();
	memset(out, 0, sizeof *out);
	*x509_error = -1;
	TF_GUARD(tf_scenario_validate(s, err));
	TF_ENSURE(k->keys <= TF_KEYS_RSA2048 && k->tls <= TF_TLS_12 &&
			  k->ossl_mode <= TF_OSSL_MODE_HANDSHAKE,
		  err, TF_ERR_INVALID, "openssl: knobs keys/openssl.tls/openssl.mode out of range");
	tf_openssl_inputs_get(s, &in);
	if (!handshake && in.identity < 0)
		return tf_ossl_run_verify(st, s, k, NULL, &in, out, x509_error, err);
	TF_GUARD(tf_ossl_certs_load(st, s, k->keys, &certs, err));
	if (handshake)
		rc = tf_ossl_run_handshake(st, s, k, &certs, &in, out, err);
	else
		rc = tf_ossl_run_verify(st, s, k, &certs, &in, out, x509_error, err);
	tf_ossl_certs_free(&certs);
	ERR_clear_error();
	return rc;
}

static tf_err ossl_evaluate(void *state, const tf_scenario *s, const tf_knobs *knobs,
			    tf_verdict *out, tf_error *err)
{
	int x509_error = -1;
	return run(state, s, knobs, knobs->ossl_mode == TF_OSSL_MODE_HANDSHAKE, out, &x509_error,
		   err);
}

tf_err tf_openssl_verify_detail(void *state, const tf_scenario *s, const tf_knobs *knobs,
				tf_verdict *out, int *x509_error, tf_error *err)
{
	return run(state, s, knobs, false, out, x509_error, err);
}

const tf_evaluator tf_eval_openssl = {
	.name = "openssl",
	.summary = "OpenSSL 3 on the rendered certificates: X509_verify_cert, or a real "
		   "mutual-TLS handshake (openssl.mode=handshake)",
	.knob_prefix = "openssl.",
	.init = ossl_init,
	.cleanup = ossl_cleanup,
	.evaluate = ossl_evaluate,
};
