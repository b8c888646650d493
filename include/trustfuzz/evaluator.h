/*
 * trustfuzz/evaluator.h — one interface for every trust evaluator.
 *
 * An evaluator is a value of type tf_evaluator: a name, a one-line summary,
 * and an evaluate function from (scenario, knobs) to a verdict. The reference
 * evaluator, the KB 2802568 model, the OpenSSL backend and the GnuTLS backend
 * are four such values; adding a backend is adding one value (and one line in
 * the registry, registry.h). Nothing in the harness, CLI or report may
 * special-case an evaluator by name.
 *
 * Order of calls: init (once; may be NULL) → evaluate (any number of times,
 * one thread per state) → cleanup (once; may be NULL). The state is for caches
 * only (the OpenSSL backend's signature cache): the verdict must be a pure
 * function of the scenario and knobs — no globals, no clock, no I/O, no RNG.
 * The knobs passed to evaluate are the effective ones (the scenario's knobs
 * with the instance's overrides applied, registry.h); evaluators must read
 * knobs from that argument, never from s->knobs.
 *
 * Also here, because every evaluator must use the same code for it (spec s.4):
 * the trusted issuer list, its truncation at the size limit, and the
 * browser-like client selection.
 *
 * Not here: which evaluators exist (registry.h), comparing verdicts (diff.h).
 */
#ifndef TRUSTFUZZ_EVALUATOR_H
#define TRUSTFUZZ_EVALUATOR_H

#include "trustfuzz/err.h"
#include "trustfuzz/scenario.h"
#include "trustfuzz/verdict.h"

typedef struct tf_evaluator {
	const char *name;    /* "ref", "kb", "openssl", "gnutls": [a-z0-9_]+ */
	const char *summary; /* one line, for --help and reports */
	/* Knob name prefix this evaluator owns ("openssl." → "openssl+partial_chain"
	 * means the knob "openssl.partial_chain"); NULL when it has none. */
	const char *knob_prefix;
	tf_err (*init)(void **state, tf_error *err);
	void (*cleanup)(void *state);
	/* Judges s under knobs. A verdict is always produced when TF_OK is
	 * returned. An error return means the evaluator could not judge (a
	 * backend failure, or TF_ERR_ORACLE when a backend broke its own
	 * contract — a finding, with err->msg saying how). */
	tf_err (*evaluate)(void *state, const tf_scenario *s, const tf_knobs *knobs,
			   tf_verdict *out, tf_error *err);
} tf_evaluator;

/* ---- Trusted issuer list (shared) -------------------------------------- */

/* The list of issuer names a server trusts for client authentication, in
 * store order, each with the certificate it came from. */
typedef struct tf_issuer_list {
	tf_store_id source;          /* TF_STORE_CAI when that store is non-empty, else TF_STORE_ROOT */
	uint8_t n;                   /* entries */
	uint8_t cert[TF_MAX_STORE];  /* certificate index of entry i */
	uint8_t ntotal;              /* entries before truncation (== n when not cut) */
	uint32_t bytes;              /* encoded size of the n entries (see below) */
} tf_issuer_list;

/* The trusted issuer list of spec s.4: every certificate of the source store,
 * in store order, untruncated. */
void tf_issuer_list_trusted(const tf_scenario *s, tf_issuer_list *out);

/* Encoded size of one entry as a TLS CertificateRequest carries it in
 * certificate_authorities: a 2-byte length plus the DER of the subject name. */
size_t tf_issuer_entry_size(const tf_scenario *s, unsigned cert);

/* Cuts l in store order at the size limit: keeps the longest prefix whose
 * entries' encoded sizes sum to at most `limit` bytes; sets l->bytes. */
void tf_issuer_list_truncate(const tf_scenario *s, tf_issuer_list *l, uint32_t limit);

/* Whether name index `name` is the subject of an entry of l. */
bool tf_issuer_list_has_name(const tf_scenario *s, const tf_issuer_list *l, unsigned name);

/* Browser-like client selection (spec s.4): with `sent` NULL or empty, the
 * first identity; otherwise the first identity whose leaf or sent chain holds
 * a certificate whose issuer name is the subject of an entry of `sent`.
 * Returns the identity index, or -1 when none is offered (→ 403.7). */
int tf_select_identity(const tf_scenario *s, const tf_issuer_list *sent);

#endif
