/*
 * evaluators/kb.c — the KB 2802568 model: Windows Server 2012 Schannel as
 * the KB and "What's new in TLS/SSL" document it. It is the reference plus
 * one deviation: when the trigger holds (tf_kb_triggered), the trusted
 * issuer list is derived per kb.variant, and that list is both what the
 * server sends and, in trust modes 0 and 1, what a path must pass through.
 * Mode 2 (Exclusive CA Trust) does not consult the list for trust, which
 * is why it is the documented escape. Path building is the reference's own
 * engine (paths.c); nothing of it is copied here.
 */
#include <stdio.h>

#include "paths.h"
#include "trustfuzz/models.h"

/* "Self-signed" as the trigger test of kb.trigger understands it. */
static bool kb_self(const tf_scenario *s, const tf_knobs *k, unsigned cert)
{
	return k->kb_trigger == TF_KB_TRIGGER_SIGNATURE ? tf_cert_self_signed(s, cert)
							: tf_cert_self_issued(s, cert);
}

static tf_store_id source_id(const tf_scenario *s)
{
	return s->stores[TF_STORE_CAI].n ? TF_STORE_CAI : TF_STORE_ROOT;
}

static const tf_store *source_store(const tf_scenario *s)
{
	return &s->stores[source_id(s)];
}

/* Index in the source store of its first non-self-signed entry, or -1. */
static int first_non_self(const tf_scenario *s, const tf_knobs *k)
{
	const tf_store *st = source_store(s);
	for (unsigned i = 0; i < st->n; i++)
		if (!kb_self(s, k, st->cert[i]))
			return (int)i;
	return -1;
}

bool tf_kb_triggered(const tf_scenario *s, const tf_knobs *k)
{
	if (first_non_self(s, k) < 0)
		return false;
	if (k->kb_variant != TF_KB_VARIANT_MIXED_STORE)
		return true;
	const tf_store *st = source_store(s);
	for (unsigned i = 0; i < st->n; i++)
		if (kb_self(s, k, st->cert[i]))
			return true;
	return false;
}

void tf_kb_issuer_list(const tf_scenario *s, const tf_knobs *k, tf_issuer_list *out)
{
	tf_issuer_list_trusted(s, out);
	if (!tf_kb_triggered(s, k) || k->kb_variant == TF_KB_VARIANT_ANY_TRIGGER)
		return;
	unsigned n = 0;
	uint32_t bytes = 0;
	for (unsigned i = 0; i < out->ntotal; i++) {
		unsigned c = out->cert[i];
		bool self = kb_self(s, k, c);
		if (k->kb_variant == TF_KB_VARIANT_CUT_AT_FIRST && !self)
			break;
		if (k->kb_variant == TF_KB_VARIANT_MIXED_STORE && self)
			continue;
		out->cert[n++] = (uint8_t)c;
		bytes += (uint32_t)tf_issuer_entry_size(s, c);
	}
	out->n = (uint8_t)n;
	out->ntotal = (uint8_t)n;
	out->bytes = bytes;
}

static const char *variant_text(uint8_t v)
{
	switch (v) {
	case TF_KB_VARIANT_ANY_TRIGGER: return "any-trigger";
	case TF_KB_VARIANT_CUT_AT_FIRST: return "cut-at-first";
	}
	return "mixed-store";
}

/* "the KB 2802568 issuer list (mixed-store: root kept I1, I2)" */
static void describe(const tf_scenario *s, const tf_knobs *k, const tf_issuer_list *l,
		     char *buf, size_t n)
{
	size_t used = (size_t)snprintf(buf, n, "the KB 2802568 issuer list (%s: %s kept %s",
				       variant_text(k->kb_variant), tf_store_name(l->source),
				       l->n ? "" : "nothing");
	for (unsigned i = 0; i < l->n && used < n; i++) {
		if (i == 3) {
			used += (size_t)snprintf(buf + used, n - used, ", ...");
			break;
		}
		used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "",
					 s->certs[l->cert[i]].id);
	}
	if (used < n)
		snprintf(buf + used, n - used, ")");
}

static tf_err kb_evaluate(void *state, const tf_scenario *s, const tf_knobs *k,
			  tf_verdict *out, tf_error *err)
{
	(void)state;
	(void)err;
	if (!tf_kb_triggered(s, k)) {
		tf_ref_judge(s, k, out);
		return TF_OK;
	}
	bool list_trust = s->server.trust_mode != 2;
	if (k->kb_variant == TF_KB_VARIANT_ANY_TRIGGER) {
		tf_ref_judge(s, k, out);
		if (list_trust && out->identity >= 0) {
			unsigned bad = source_store(s)->cert[first_non_self(s, k)];
			int id = out->identity;
			uint8_t len = out->path_len;
			tf_verdict_set(out, TF_STATUS_403_16, TF_WIN32_CERT_E_UNTRUSTEDROOT, id,
				       "KB 2802568 (any-trigger): %s holds %s, which is not "
				       "self-signed, so every client certificate is untrusted",
				       tf_store_name(source_id(s)), s->certs[bad].id);
			out->path_len = len; /* the path the reference would have chosen */
		}
		return TF_OK;
	}
	tf_issuer_list kl;
	char what[120];
	tf_kb_issuer_list(s, k, &kl);
	describe(s, k, &kl, what, sizeof what);
	tf_judge_lists lists = {&kl, list_trust ? &kl : NULL, what};
	tf_judge(s, k, &lists, out);
	return TF_OK;
}

const tf_evaluator tf_evaluator_kb = {
	.name = "kb",
	.summary = "KB 2802568 model: Windows Server 2012 Schannel with a non-self-signed "
		   "certificate in Root",
	.knob_prefix = "kb.",
	.init = NULL,
	.cleanup = NULL,
	.evaluate = kb_evaluate,
};
