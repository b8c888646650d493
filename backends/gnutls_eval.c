/*
 * backends/gnutls_eval.c — the "gnutls" evaluator: client selection and
 * anchors as every evaluator has them, the rendered scenario judged by
 * GnuTLS (gnutls_verify.c), and the status word mapped to a verdict
 * (gnutls_map.c) with the path GnuTLS reported (gnutls_path.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gnutls_internal.h"

typedef struct gn_state {
	tf_render *render;
} gn_state;

static tf_err gn_init(void **state, tf_error *err)
{
	gn_state *st = NULL;
	*state = NULL;
	/* gnutls_x509_trust_list_set_getissuer_function is 3.7.0's. */
	TF_ENSURE(gnutls_check_version("3.7.0"), err, TF_ERR_BACKEND,
		  "gnutls: version %s is older than 3.7.0", gnutls_check_version(NULL));
	int rc = gnutls_global_init();
	TF_ENSURE(rc >= 0, err, TF_ERR_BACKEND, "gnutls_global_init: %s", gnutls_strerror(rc));
	st = calloc(1, sizeof *st);
	if (!st) {
		gnutls_global_deinit();
		TF_BAIL(err, TF_ERR_NOMEM, "gnutls: out of memory");
	}
	tf_err e = tf_render_shared(&st->render, err);
	if (e != TF_OK) {
		free(st);
		gnutls_global_deinit();
		return e;
	}
	*state = st;
	return TF_OK;
}

static void gn_cleanup(void *state)
{
	gn_state *st = state;
	if (!st)
		return;
	tf_render_shared_release(st->render);
	free(st);
	gnutls_global_deinit();
}

/* The anchor set of the trust mode, as the reference builds it (spec s.4):
 * mode 0 Root; mode 1 the self-signed certificates of the source store;
 * mode 2 the whole source store. */
static unsigned anchor_set(const tf_scenario *s, const tf_issuer_list *trusted, uint8_t *out)
{
	uint8_t mode = s->server.trust_mode;
	const tf_store *st = &s->stores[mode == 0 ? TF_STORE_ROOT : trusted->source];
	unsigned n = 0;
	for (unsigned i = 0; i < st->n; i++)
		if (mode != 1 || tf_cert_self_signed(s, st->cert[i]))
			out[n++] = st->cert[i];
	return n;
}

static const char *cert_id(const tf_scenario *s, int c)
{
	return c >= 0 ? s->certs[c].id : "?";
}

/* Whether `signer` has a keyUsage without keyCertSign: GnuTLS reports that
 * as a constraints failure, like an exceeded pathLen. */
static bool signer_without_kcs(const tf_scenario *s, int signer)
{
	if (signer < 0)
		return false;
	const tf_cert *c = &s->certs[signer];
	return c->ku_present && !(c->ku & TF_KU_KEY_CERT_SIGN);
}

static void set_path(tf_verdict *out, const tf_gnutls_path *p)
{
	out->path_len = p->n;
	memcpy(out->path, p->cert, p->n);
}

static tf_err judge(const tf_scenario *s, const tf_knobs *k, tf_gnutls_run *run, int id,
		    tf_verdict *out, tf_error *err)
{
	unsigned flags = k->gnutls_flags;
	if (k->anchor_validity == TF_ANCHOR_VALIDITY_IGNORE)
		flags |= GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS;
	unsigned status = 0;
	TF_GUARD(tf_gnutls_run_verify(run, s->server.validation_time, flags, &status, err));
	TF_ENSURE(run->records_dropped == 0, err, TF_ERR_INTERNAL,
		  "gnutls: more than %d verify-output records", TF_GNUTLS_MAX_RECORDS);

	tf_gnutls_path p;
	tf_gnutls_path_of(run, status, flags, &p);
	char names[160];
	tf_gnutls_status_names(status, names, sizeof names);
	char note[64] = "";
	if (run->trusted_skipped || run->store_skipped)
		snprintf(note, sizeof note, " (unparseable: %u anchors, %u store)",
			 run->trusted_skipped, run->store_skipped);

	if (status == 0) {
		TF_ENSURE(p.complete && !p.truncated, err, TF_ERR_ORACLE,
			  "gnutls: status 0 (trusted) but no reported chain from the leaf %s to a "
			  "trusted certificate",
			  s->certs[s->identities[id].leaf].id);
		tf_verdict_set(out, TF_STATUS_200, TF_WIN32_OK, id, "GnuTLS status 0: trusted, anchor %s%s",
			       cert_id(s, p.cert[p.n - 1]), note);
		set_path(out, &p);
		return TF_OK;
	}

	bool top_self = p.dropped_root >= 0 || (p.top >= 0 && tf_cert_self_issued(s, (unsigned)p.top));
	tf_status st;
	uint32_t hr;
	const char *why = NULL;
	TF_ENSURE(tf_gnutls_map_status(status, top_self, signer_without_kcs(s, p.signer), &st, &hr,
				       &why),
		  err, TF_ERR_ORACLE, "gnutls: status 0x%x (%s) is not a verification failure it "
		  "can report here", status, names);
	int at = (status & GNUTLS_CERT_SIGNER_NOT_FOUND) ? p.top : p.failed;
	char dropped[TF_LABEL_MAX + 40] = "";
	if ((status & GNUTLS_CERT_SIGNER_NOT_FOUND) && p.dropped_root >= 0)
		snprintf(dropped, sizeof dropped, ", whose untrusted root %s was dropped",
			 s->certs[p.dropped_root].id);
	if ((status & GNUTLS_CERT_PURPOSE_MISMATCH) && p.failed < 0)
		at = s->identities[id].leaf; /* the leaf's own purpose check */
	tf_verdict_set(out, st, hr, id, "GnuTLS status 0x%x %s: %s (at %s%s)%s", status, names,
		       why, cert_id(s, at), dropped, note);
	set_path(out, &p);
	return TF_OK;
}

static tf_err gn_evaluate(void *state, const tf_scenario *s, const tf_knobs *k,
			      tf_verdict *out, tf_error *err)
{
	gn_state *st = state;
	tf_rendered rd;
	tf_gnutls_run *run = NULL;
	tf_err rc = TF_OK;
	uint32_t bad = k->gnutls_flags & ~TF_GNUTLS_FLAGS_ACCEPTED;
	TF_ENSURE(!bad, err, TF_ERR_USAGE,
		  "knob gnutls.flags: bits 0x%x are not accepted (accepted: 0x%x, see "
		  "docs/gnutls-backend.md)",
		  (unsigned)bad, TF_GNUTLS_FLAGS_ACCEPTED);

	tf_issuer_list trusted, sent;
	const tf_issuer_list *offered = NULL;
	tf_issuer_list_trusted(s, &trusted);
	if (s->server.send_issuer_list) {
		sent = trusted;
		tf_issuer_list_truncate(s, &sent, s->server.issuer_list_limit);
		offered = &sent;
	}
	int id = tf_select_identity(s, offered);
	if (id < 0) {
		tf_verdict_set(out, TF_STATUS_403_7, TF_WIN32_OK, -1,
			       "no identity offered: none holds a certificate issued by a name of "
			       "the trusted issuer list (%s) (%u of %u entries sent)",
			       tf_store_name(trusted.source), offered ? offered->n : 0u, trusted.n);
		return TF_OK;
	}

	uint8_t anchors[TF_MAX_STORE];
	unsigned nanchors = anchor_set(s, &trusted, anchors);
	TF_GUARD(tf_render_scenario(st->render, s, k->keys, &rd, err));
	run = calloc(1, sizeof *run);
	if (!run) {
		rc = tf_error_set(err, TF_ERR_NOMEM, "gnutls: out of memory");
		goto done;
	}
	int bad_cert = -1;
	const char *bad_what = NULL;
	TF_GUARD_GOTO(tf_gnutls_run_build(run, s, &rd, (unsigned)id, anchors, nanchors, &bad_cert,
					  &bad_what, err),
		      rc, done);
	if (bad_cert >= 0) {
		/* A GnuTLS server rejects a Certificate message it cannot parse. */
		tf_verdict_set(out, TF_STATUS_403_16, TF_WIN32_CERT_E_MALFORMED, id,
			       "GnuTLS cannot parse presented certificate %s: %s",
			       s->certs[bad_cert].id, bad_what);
		out->path_len = 1;
		out->path[0] = (uint8_t)bad_cert;
		goto done;
	}
	rc = judge(s, k, run, id, out, err);
done:
	if (run)
		tf_gnutls_run_free(run);
	free(run);
	tf_rendered_free(&rd);
	return rc;
}

tf_render *tf_gnutls_renderer(void *state)
{
	return state ? ((gn_state *)state)->render : NULL;
}

const tf_evaluator tf_eval_gnutls = {
	.name = "gnutls",
	.summary = "GnuTLS 3.7 backend: gnutls_x509_trust_list_verify_crt2 on the rendered "
		   "certificates, Intermediate store behind the issuer callback",
	.knob_prefix = "gnutls.",
	.init = gn_init,
	.cleanup = gn_cleanup,
	.evaluate = gn_evaluate,
};
