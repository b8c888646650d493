/*
 * harness/minimize_internal.h — what the minimizer's passes share.
 *
 * The driver (minimize.c) owns the current best scenario and the budget;
 * a pass builds a candidate in m->cand and offers it with tf_min_offer,
 * which keeps it when it is strictly smaller (tf_min_metric order) and the
 * predicate holds. Passes never call the predicate themselves, so the step
 * and time bounds are enforced in one place. Not public.
 */
#ifndef TRUSTFUZZ_MINIMIZE_INTERNAL_H
#define TRUSTFUZZ_MINIMIZE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "trustfuzz/gen.h"
#include "trustfuzz/minimize.h"

#define TF_MIN_MEMO_SIZE 32768u /* a power of two */

/* Room for any scenario's encoding (a full scenario stays far below). */
#define TF_MIN_ENC_CAP (4 * TF_GEN_MAX_BYTES)

/* The size order of minimize.h, compared lexicographically; the encoded
 * bytes themselves break the last tie (shortlex, as Hypothesis does), so
 * that zeroing and lowering a value count as progress. */
typedef struct tf_min_metric {
	unsigned certs;
	unsigned entries;    /* store entries + chain entries */
	unsigned identities;
	unsigned fields;     /* names + keys + fields away from their default */
	size_t enc;          /* tf_gen_encode length; 0 when not encodable */
} tf_min_metric;

typedef struct tf_min_state {
	tf_scenario cur;      /* the current best; pred holds for it */
	tf_min_metric cur_m;
	uint8_t cur_enc[TF_MIN_ENC_CAP]; /* encoding of cur (cur_m.enc bytes) */
	tf_scenario cand;     /* scratch: the candidate a pass builds */
	uint8_t cand_enc[TF_MIN_ENC_CAP];
	tf_min_pred pred;
	void *ctx;
	unsigned max_steps, max_ms;
	unsigned long max_candidates; /* candidates built, a bound on non-predicate work */
	unsigned long candidates;
	struct timespec t0;
	bool check;           /* validate every candidate (tests) */
	/* Candidates the predicate rejected, by a hash of their encoding: many
	 * byte mutations decode to the same scenario, and a rejected scenario
	 * stays rejected (the predicate is a pure function). Open addressing,
	 * 0 = empty. */
	uint64_t memo[TF_MIN_MEMO_SIZE];
	unsigned memo_n;
	bool encodable;       /* byte passes only run on scenarios tf_gen_encode accepts */
	tf_err fatal;         /* set when a check failed: the run stops */
	tf_error *err;
	tf_min_stats *stats;
} tf_min_state;

/* Whether the budget is spent (steps, time, candidates) or a check failed. */
bool tf_min_done(tf_min_state *m);

/* Offers m->cand. `structural` says the candidate was built by editing the
 * current scenario (so it must validate: with m->check a failure is
 * TF_ERR_INTERNAL); byte-level candidates are valid by construction of the
 * decoder. Returns true when the candidate became the current scenario. */
bool tf_min_offer(tf_min_state *m, bool structural);

/* The metric of s; its encoding goes to enc (TF_MIN_ENC_CAP bytes). */
void tf_min_measure(const tf_scenario *s, tf_min_metric *out, uint8_t *enc);

/* Default values of certificate fields (what "reset a field" resets to); the
 * ones the fixture writer omits. */
void tf_min_default_cert(tf_cert *c);

/* A certificate whose fields a pass changed is no longer the imported one:
 * its real DER would contradict the fields, so the DER is dropped and the
 * certificate is rendered from its fields like a generated one. */
void tf_min_unbind(tf_cert *c);
/* Whether some certificate of s is bound to real DER (imported). */
bool tf_min_has_der(const tf_scenario *s);

/* Structural passes over m->cur (minimize_struct.c, minimize_fields.c);
 * each returns whether it accepted a candidate. */
bool tf_min_pass_drop_certs(tf_min_state *m);
bool tf_min_pass_drop_identities(tf_min_state *m);
bool tf_min_pass_drop_entries(tf_min_state *m);
bool tf_min_pass_merge(tf_min_state *m);
bool tf_min_pass_reset_fields(tf_min_state *m);

/* Byte-level passes on tf_gen_encode's bytes (minimize_bytes.c). */
bool tf_min_pass_bytes(tf_min_state *m);

/* Removes unused names and keys from s, remapping references (keeps at least
 * one of each). Returns whether anything was removed. */
bool tf_min_gc_tables(tf_scenario *s);

#endif
