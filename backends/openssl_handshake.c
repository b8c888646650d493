/*
 * backends/openssl_handshake.c — handshake mode: a real mutual-TLS handshake
 * between an OpenSSL server and an OpenSSL client over an in-memory BIO pair
 * (no sockets, no threads), driven step by step from one thread.
 *
 * Server: requires a client certificate (SSL_VERIFY_PEER |
 * SSL_VERIFY_FAIL_IF_NO_PEER_CERT), verifies it against the anchor set at the
 * validation time for the SSL-client purpose with the knobs' flags, and sends
 * the trusted issuer list, cut at the size limit, as its client CA list when
 * SendTrustedIssuerList=1. A server that keeps intermediate CAs (the
 * Intermediate store) hands them to chain building through a certificate
 * verification callback that adds them to the untrusted certificates and
 * then calls X509_verify_cert — OpenSSL has no other place for them.
 * Client: verifies nothing (SSL_VERIFY_NONE); its certificate callback maps
 * the names the server sent back to the scenario's names, picks the identity
 * with tf_select_identity, and sends its leaf, key and chain (no automatic
 * chain building: SSL_MODE_NO_AUTO_CHAIN).
 *
 * Determinism: cipher suite and group are fixed; the handshake's own
 * randomness changes the bytes on the wire but not the verdict.
 */
#include <string.h>

#include <openssl/err.h>

#include "openssl_internal.h"

#define HS_MAX_ROUNDS 64
#define SUITES_13 "TLS_AES_128_GCM_SHA256"
#define CIPHERS_12 "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"
#define GROUPS "X25519:P-256" /* P-256 too: TLS 1.2 ECDSA needs the certificate's curve */

/* One handshake's shared state: read by both callbacks via SSL app data. */
typedef struct hs {
	const tf_scenario *s;
	const tf_ossl_certs *c;
	tf_openssl_inputs in; /* identity and untrusted list as the client chose */
	tf_render *render;
	tf_der name_der[TF_MAX_NAMES];
	STACK_OF(X509) *untrusted; /* built in the verify callback; owned */
	bool cert_cb_called, verify_called;
	tf_err cb_rc, verify_rc;
	tf_error cb_err, verify_err;
	tf_ossl_outcome o;
} hs;

/* Names the server sent → an issuer list of scenario certificates. */
static void received_list(hs *h, const STACK_OF(X509_NAME) *names, tf_issuer_list *out)
{
	memset(out, 0, sizeof *out);
	for (int i = 0; names && i < sk_X509_NAME_num(names) && out->n < TF_MAX_STORE; i++) {
		unsigned char *der = NULL;
		int len = i2d_X509_NAME(sk_X509_NAME_value(names, i), &der);
		int name = -1;
		for (unsigned j = 0; len > 0 && name < 0 && j < h->s->nnames; j++)
			if (h->name_der[j].len == (size_t)len &&
			    !memcmp(h->name_der[j].data, der, (size_t)len))
				name = (int)j;
		OPENSSL_free(der);
		int cert = -1;
		for (unsigned j = 0; name >= 0 && cert < 0 && j < h->in.trusted.n; j++)
			if (h->s->certs[h->in.trusted.cert[j]].subject == name)
				cert = h->in.trusted.cert[j];
		for (unsigned j = 0; name >= 0 && cert < 0 && j < h->s->ncerts; j++)
			if (h->s->certs[j].subject == name)
				cert = (int)j;
		if (cert >= 0)
			out->cert[out->n++] = (uint8_t)cert;
	}
	out->ntotal = out->n;
}

static tf_err offer(SSL *ssl, hs *h, int sel, tf_error *err)
{
	const tf_scenario *s = h->s;
	const tf_identity *id = &s->identities[sel];
	const tf_key *key = &s->keys[s->certs[id->leaf].key];
	STACK_OF(X509) *chain = NULL;
	EVP_PKEY *pk = NULL;
	tf_err rc = TF_OK;

	TF_ENSURE(!key->spki, err, TF_ERR_INVALID,
		  "openssl handshake: identity %d's key is a bound public key: no private key", sel);
	TF_GUARD(tf_render_pool_key(h->render, h->c->keys, key->pool, &pk, err));
	chain = sk_X509_new_null();
	if (!chain)
		return tf_ossl_error(err, TF_ERR_NOMEM, "openssl handshake: chain");
	for (unsigned j = 0; j < id->nchain; j++)
		if (!sk_X509_push(chain, h->c->x[id->chain[j]])) {
			rc = tf_ossl_error(err, TF_ERR_NOMEM, "openssl handshake: chain");
			goto done;
		}
	/* SSL_use_cert_and_key takes its own references. */
	if (!SSL_use_cert_and_key(ssl, h->c->x[id->leaf], pk, chain, 1))
		rc = tf_ossl_error(err, TF_ERR_BACKEND, "openssl handshake: client certificate");
done:
	sk_X509_free(chain);
	return rc;
}

static int client_cert_cb(SSL *ssl, void *arg)
{
	hs *h = SSL_get_app_data(ssl);
	tf_issuer_list got;
	(void)arg;
	h->cert_cb_called = true;
	const STACK_OF(X509_NAME) *names = SSL_get0_peer_CA_list(ssl);
	received_list(h, names, &got);
	int sel = tf_select_identity(h->s, got.n ? &got : NULL);
	h->in.identity = sel;
	h->in.nuntrusted = 0;
	if (sel >= 0) {
		const tf_identity *id = &h->s->identities[sel];
		for (unsigned j = 0; j < id->nchain; j++)
			h->in.untrusted[h->in.nuntrusted++] = id->chain[j];
	}
	const tf_store *inter = &h->s->stores[TF_STORE_INTERMEDIATE];
	for (unsigned j = 0; j < inter->n; j++)
		h->in.untrusted[h->in.nuntrusted++] = inter->cert[j];
	if (sel < 0)
		return 1; /* an empty Certificate message */
	h->cb_rc = offer(ssl, h, sel, &h->cb_err);
	return h->cb_rc == TF_OK;
}

static int server_verify_cb(X509_STORE_CTX *ctx, void *arg)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(ctx, SSL_get_ex_data_X509_STORE_CTX_idx());
	hs *h = SSL_get_app_data(ssl);
	(void)arg;
	STACK_OF(X509) *peer = X509_STORE_CTX_get0_untrusted(ctx);
	sk_X509_free(h->untrusted);
	h->untrusted = peer ? sk_X509_dup(peer) : sk_X509_new_null();
	const tf_store *inter = &h->s->stores[TF_STORE_INTERMEDIATE];
	for (unsigned j = 0; h->untrusted && j < inter->n; j++)
		if (!sk_X509_push(h->untrusted, h->c->x[inter->cert[j]]))
			return 0;
	if (!h->untrusted)
		return 0;
	X509_STORE_CTX_set0_untrusted(ctx, h->untrusted);
	int ret = X509_verify_cert(ctx);
	h->verify_called = true;
	h->verify_rc = tf_ossl_outcome_read(ctx, ret, h->s, h->c, &h->in, &h->o, &h->verify_err);
	return ret;
}

static bool common_setup(SSL_CTX *ctx, int version)
{
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_mode(ctx, SSL_MODE_NO_AUTO_CHAIN);
	return SSL_CTX_set_min_proto_version(ctx, version) &&
	       SSL_CTX_set_max_proto_version(ctx, version) &&
	       SSL_CTX_set_ciphersuites(ctx, SUITES_13) && SSL_CTX_set_cipher_list(ctx, CIPHERS_12) &&
	       SSL_CTX_set1_groups_list(ctx, GROUPS);
}

static tf_err templates(tf_ossl_state *st, unsigned tls, tf_error *err)
{
	if (st->server_ctx[tls])
		return TF_OK;
	int version = tls == TF_TLS_12 ? TLS1_2_VERSION : TLS1_3_VERSION;
	SSL_CTX *sv = SSL_CTX_new(TLS_server_method());
	SSL_CTX *cl = SSL_CTX_new(TLS_client_method());
	if (!sv || !cl || !common_setup(sv, version) || !common_setup(cl, version)) {
		SSL_CTX_free(sv);
		SSL_CTX_free(cl);
		return tf_ossl_error(err, TF_ERR_BACKEND, "openssl handshake: SSL_CTX");
	}
	SSL_CTX_set_cert_verify_callback(sv, server_verify_cb, NULL);
	SSL_CTX_set_verify(cl, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_cert_cb(cl, client_cert_cb, NULL);
	st->server_ctx[tls] = sv;
	st->client_ctx[tls] = cl;
	return TF_OK;
}

void tf_ossl_handshake_free(tf_ossl_state *st)
{
	for (unsigned i = 0; i < 2; i++) {
		SSL_CTX_free(st->server_ctx[i]);
		SSL_CTX_free(st->client_ctx[i]);
		st->server_ctx[i] = st->client_ctx[i] = NULL;
	}
}

/* Server side of one handshake: certificate, verification, CA list. */
static tf_err server_setup(SSL *sv, tf_ossl_state *st, const tf_scenario *s, const tf_knobs *k,
			   const tf_ossl_certs *c, const tf_openssl_inputs *in, tf_error *err)
{
	tf_der der = {0};
	X509 *cert = NULL;
	EVP_PKEY *pk = NULL;
	X509_STORE *store = NULL;
	STACK_OF(X509_NAME) *names = NULL;
	tf_err rc = TF_OK;

	TF_GUARD_GOTO(tf_render_server_cert(st->render, k->keys, s->server.validation_time, &der,
					    err),
		      rc, done);
	TF_GUARD_GOTO(tf_render_pool_key(st->render, k->keys, TF_RENDER_SERVER_KEY, &pk, err), rc,
		      done);
	TF_GUARD_GOTO(tf_ossl_x509cache_get(st->x509, &der, &cert, err), rc, done);
	if (!SSL_use_cert_and_key(sv, cert, pk, NULL, 1)) {
		rc = tf_ossl_error(err, TF_ERR_BACKEND, "openssl handshake: server certificate");
		goto done;
	}
	SSL_set_verify(sv, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	TF_GUARD_GOTO(tf_ossl_anchor_store(c, in, &store, err), rc, done);
	if (!SSL_set1_verify_cert_store(sv, store)) {
		rc = tf_ossl_error(err, TF_ERR_BACKEND, "openssl handshake: verify store");
		goto done;
	}
	TF_GUARD_GOTO(tf_ossl_set_param(SSL_get0_param(sv), s, k, err), rc, done);
	if (in->sent.n > 0) {
		names = sk_X509_NAME_new_null();
		for (unsigned i = 0; names && i < in->sent.n; i++) {
			X509_NAME *n = X509_NAME_dup(X509_get_subject_name(c->x[in->sent.cert[i]]));
			if (!n || !sk_X509_NAME_push(names, n)) {
				X509_NAME_free(n);
				sk_X509_NAME_pop_free(names, X509_NAME_free);
				names = NULL;
			}
		}
		if (!names) {
			rc = tf_ossl_error(err, TF_ERR_NOMEM, "openssl handshake: client CA list");
			goto done;
		}
		SSL_set_client_CA_list(sv, names); /* takes ownership */
	}
done:
	X509_STORE_free(store);
	X509_free(cert);
	tf_der_free(&der);
	return rc;
}

/* Drives both ends until the server finishes or fails. Returns 1 when the
 * server completed, -1 when it failed, 0 when the handshake stalled. */
static int drive(SSL *cl, SSL *sv)
{
	bool client_active = true;
	for (int round = 0; round < HS_MAX_ROUNDS; round++) {
		if (client_active) {
			int r = SSL_do_handshake(cl);
			int e = r == 1 ? SSL_ERROR_NONE : SSL_get_error(cl, r);
			if (r == 1 || (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE))
				client_active = false;
		}
		int r = SSL_do_handshake(sv);
		if (r == 1)
			return 1;
		int e = SSL_get_error(sv, r);
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
			return -1;
	}
	return 0;
}

/* Whether the queued errors include "peer did not return a certificate";
 * also keeps the first error's text. Empties the queue. */
static bool no_peer_cert(char *first, size_t n)
{
	bool found = false;
	unsigned long e;
	snprintf(first, n, "no OpenSSL error queued");
	for (int i = 0; (e = ERR_get_error()) != 0; i++) {
		if (i == 0)
			ERR_error_string_n(e, first, n);
		if (ERR_GET_LIB(e) == ERR_LIB_SSL &&
		    ERR_GET_REASON(e) == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE)
			found = true;
	}
	return found;
}

static tf_err path_of(hs *h, STACK_OF(X509) *chain, tf_ossl_outcome *o, tf_error *err)
{
	o->path_len = 0;
	for (int i = 0; chain && i < sk_X509_num(chain) && i < TF_MAX_PATH; i++) {
		int idx = tf_ossl_cert_index(h->s, h->c, &h->in, sk_X509_value(chain, i), (unsigned)i);
		TF_ENSURE(idx >= 0, err, TF_ERR_INTERNAL,
			  "openssl handshake: verified chain element %d is none of the scenario's "
			  "certificates", i);
		o->path[o->path_len++] = (uint8_t)idx;
	}
	return TF_OK;
}

static tf_err outcome(hs *h, SSL *sv, int result, const char *mode, tf_verdict *v, tf_error *err)
{
	char first[256];
	bool no_cert = no_peer_cert(first, sizeof first);
	if (h->cb_rc != TF_OK)
		return tf_error_set(err, h->cb_rc, "%s", h->cb_err.msg);
	if (h->verify_called && h->verify_rc != TF_OK)
		return tf_error_set(err, h->verify_rc, "%s", h->verify_err.msg);
	TF_ENSURE(result != 0, err, TF_ERR_BACKEND, "openssl %s: the handshake stalled", mode);
	if (result == 1) {
		TF_ENSURE(h->verify_called && h->o.error == X509_V_OK &&
				  SSL_get_verify_result(sv) == X509_V_OK &&
				  SSL_get0_peer_certificate(sv) != NULL,
			  err, TF_ERR_ORACLE,
			  "openssl %s oracle: the server completed the handshake without a verified "
			  "client certificate",
			  mode);
		tf_ossl_outcome o = h->o;
		TF_GUARD(path_of(h, SSL_get0_verified_chain(sv), &o, err));
		return tf_ossl_verdict(h->s, &o, h->in.identity, mode, v, err);
	}
	if (h->verify_called && h->o.error != X509_V_OK) {
		long vr = SSL_get_verify_result(sv);
		TF_ENSURE(vr == h->o.error, err, TF_ERR_ORACLE,
			  "openssl %s oracle: SSL_get_verify_result %ld differs from the verification "
			  "error %d",
			  mode, vr, h->o.error);
		return tf_ossl_verdict(h->s, &h->o, h->in.identity, mode, v, err);
	}
	if (!h->verify_called && no_cert && h->cert_cb_called && h->in.identity < 0) {
		tf_verdict_set(v, TF_STATUS_403_7, TF_WIN32_OK, -1,
			       "openssl %s: the client sent no certificate (%s)", mode,
			       h->in.sent.ntotal ? "no identity matches the server's CA list"
						 : "no identity");
		return TF_OK;
	}
	TF_BAIL(err, TF_ERR_BACKEND, "openssl %s: handshake failed outside verification: %s", mode,
		first);
}

tf_err tf_ossl_run_handshake(tf_ossl_state *st, const tf_scenario *s, const tf_knobs *k,
			     const tf_ossl_certs *c, const tf_openssl_inputs *in, tf_verdict *v,
			     tf_error *err)
{
	hs h;
	SSL *sv = NULL, *cl = NULL;
	BIO *bc = NULL, *bs = NULL;
	tf_err rc = TF_OK;
	const char *mode = k->tls == TF_TLS_12 ? "handshake TLS1.2" : "handshake TLS1.3";

	memset(&h, 0, sizeof h);
	h.s = s;
	h.c = c;
	h.in = *in;
	h.render = st->render;
	for (unsigned i = 0; i < s->nnames; i++)
		TF_GUARD_GOTO(tf_render_name(s, i, &h.name_der[i], err), rc, done);
	TF_GUARD_GOTO(templates(st, k->tls, err), rc, done);
	sv = SSL_new(st->server_ctx[k->tls]);
	cl = SSL_new(st->client_ctx[k->tls]);
	if (!sv || !cl || !BIO_new_bio_pair(&bc, 0, &bs, 0)) {
		rc = tf_ossl_error(err, TF_ERR_NOMEM, "openssl handshake: SSL objects");
		goto done;
	}
	SSL_set_bio(cl, bc, bc);
	SSL_set_bio(sv, bs, bs);
	bc = bs = NULL; /* owned by the SSL objects */
	SSL_set_app_data(sv, &h);
	SSL_set_app_data(cl, &h);
	TF_GUARD_GOTO(server_setup(sv, st, s, k, c, in, err), rc, done);
	SSL_set_connect_state(cl);
	SSL_set_accept_state(sv);
	rc = outcome(&h, sv, drive(cl, sv), mode, v, err);
done:
	ERR_clear_error();
	BIO_free(bc);
	BIO_free(bs);
	SSL_free(cl);
	SSL_free(sv);
	sk_X509_free(h.untrusted);
	for (unsigned i = 0; i < TF_MAX_NAMES; i++)
		tf_der_free(&h.name_der[i]);
	return rc;
}
