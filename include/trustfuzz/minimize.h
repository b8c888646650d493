/*
 * trustfuzz/minimize.h — shrink a scenario while a predicate keeps holding.
 *
 * The usual predicate is "the run still shows this divergence signature"
 * (tf_min_keep_signature); properties use their own. Passes, iterated to a
 * fixpoint:
 *   structural  drop a certificate (remapping every reference), a store
 *               entry, an identity, a chain entry, an extension; merge two
 *               names or keys; reset a field to its default;
 *   byte-level  on tf_gen_encode's bytes, theft/Hypothesis style: delete
 *               chunks, zero bytes, lower values; decoded with
 *               tf_gen_from_bytes (total, so every candidate is a scenario).
 * A candidate is kept when it is strictly smaller by a fixed order
 * (certificates, then store entries + chain entries, then identities, then
 * names + keys + non-default fields, then encoded length, then encoded
 * bytes) and the predicate holds. Predicate results are memoised, so the
 * predicate must be a pure function of the candidate. Deterministic: the
 * same input and predicate give the same result; the step bound is the
 * contract, the optional time bound only a safety cap (a run that hits it
 * says so in the stats). Passes, order and bounds: docs/harness.md.
 *
 * Not here: turning a divergence into a fixture (finding.h).
 */
#ifndef TRUSTFUZZ_MINIMIZE_H
#define TRUSTFUZZ_MINIMIZE_H

#include <stdbool.h>
#include <stdint.h>

#include "trustfuzz/diff.h"
#include "trustfuzz/err.h"
#include "trustfuzz/scenario.h"

/* Returns true when candidate still shows what is being kept. */
typedef bool (*tf_min_pred)(const tf_scenario *candidate, void *ctx);

typedef struct tf_min_opts {
	unsigned max_steps;   /* predicate calls at most (0 = 20000) */
	unsigned max_ms;      /* wall-clock cap in ms (0 = none) */
	bool check;           /* validate every candidate; a structural one that
			         fails is TF_ERR_INTERNAL (tests, debugging) */
} tf_min_opts;

typedef struct tf_min_stats {
	unsigned steps;       /* predicate calls */
	unsigned accepted;    /* candidates kept */
	unsigned rounds;      /* passes over all shrinkers */
	bool hit_step_bound, hit_time_bound;
	unsigned certs_before, certs_after;
} tf_min_stats;

/* Shrinks in (which must validate, and for which pred must hold) into out
 * (initialised by the call; free with tf_scenario_free). opts and stats may
 * be NULL. TF_ERR_INVALID when pred does not hold for in (or in does not
 * validate); TF_ERR_INTERNAL when opts->check caught a bad candidate. The
 * first predicate call, on in itself, counts as a step. */
tf_err tf_minimize(const tf_scenario *in, tf_min_pred pred, void *ctx, const tf_min_opts *opts,
		   tf_scenario *out, tf_min_stats *stats, tf_error *err) TF_MUST_USE;

/* Predicate context for "the run still shows signature `want` at depth d":
 * only instances want->a and want->b are run (a signature depends on
 * nothing else); inst, want and known are kept, not copied. With a known
 * table, the candidate's signature is coarsened by it (tf_known_coarsen)
 * before the comparison, so a known divergence shrinks while its
 * explanation holds; want must then be coarsened by the same table. */
typedef struct tf_min_sig_ctx {
	tf_instance *inst;
	unsigned n;
	tf_depth depth;
	const tf_signature *want;
	const tf_known_table *known; /* NULL: compare the full signatures */
} tf_min_sig_ctx;
bool tf_min_keep_signature(const tf_scenario *candidate, void *ctx);

#endif
