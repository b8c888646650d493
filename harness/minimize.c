/* harness/minimize.c — the minimizer's driver: budget, the size order, and
 * the fixpoint over the passes.
 *
 * Pass order within a round: structural removals first (each drops a whole
 * part, and later passes then have less to visit), then merges and field
 * resets, then the byte-level passes, which catch what the structural ones
 * cannot express (a shorter chain of decisions, a smaller value). Rounds
 * repeat until one accepts nothing. Every accepted candidate is strictly
 * smaller in a well-founded order, so the loop ends even without the step
 * bound. */
#include <stdlib.h>
#include <string.h>

#include "minimize_internal.h"
#include "trustfuzz/gen.h"

#define DEFAULT_MAX_STEPS 20000u
/* Candidates that never reach the predicate (not smaller, or invalid) are
 * cheap but not free: bound them too, generously. */
#define CANDIDATES_PER_STEP 64ul

static unsigned long elapsed_ms(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long ms = (long long)(now.tv_sec - t0->tv_sec) * 1000 +
		       (now.tv_nsec - t0->tv_nsec) / 1000000;
	return ms < 0 ? 0 : (unsigned long)ms;
}

bool tf_min_done(tf_min_state *m)
{
	if (m->fatal != TF_OK)
		return true;
	if (m->stats->steps >= m->max_steps) {
		m->stats->hit_step_bound = true;
		return true;
	}
	if (m->candidates >= m->max_candidates) {
		m->stats->hit_step_bound = true;
		return true;
	}
	if (m->max_ms && elapsed_ms(&m->t0) >= m->max_ms) {
		m->stats->hit_time_bound = true;
		return true;
	}
	return false;
}

static int metric_cmp(const tf_min_metric *a, const uint8_t *aenc, const tf_min_metric *b,
		      const uint8_t *benc)
{
	const size_t x[5] = {a->certs, a->entries, a->identities, a->fields, a->enc};
	const size_t y[5] = {b->certs, b->entries, b->identities, b->fields, b->enc};
	for (unsigned i = 0; i < 5; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return a->enc ? memcmp(aenc, benc, a->enc) : 0;
}

static uint64_t enc_hash(const uint8_t *p, size_t n)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h ? h : 1;
}

/* Whether h is in the memo; with `add`, inserts it (while there is room:
 * a full memo only costs repeated predicate calls). */
static bool memo_has(tf_min_state *m, uint64_t h, bool add)
{
	size_t mask = TF_MIN_MEMO_SIZE - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		if (m->memo[i] == h)
			return true;
		if (m->memo[i] == 0) {
			if (add && m->memo_n < TF_MIN_MEMO_SIZE / 4 * 3) {
				m->memo[i] = h;
				m->memo_n++;
			}
			return false;
		}
	}
}

bool tf_min_offer(tf_min_state *m, bool structural)
{
	tf_min_metric cm;
	tf_error verr = {0};
	m->candidates++;
	if (m->check || structural) {
		if (tf_scenario_validate(&m->cand, &verr) != TF_OK) {
			if (m->check) {
				m->fatal = tf_error_set(m->err, TF_ERR_INTERNAL,
							"minimize: %s candidate does not validate: %s",
							structural ? "structural" : "byte-level",
							verr.msg);
			}
			return false;
		}
	}
	tf_min_measure(&m->cand, &cm, m->cand_enc);
	if (metric_cmp(&cm, m->cand_enc, &m->cur_m, m->cur_enc) >= 0)
		return false;
	uint64_t h = cm.enc ? enc_hash(m->cand_enc, cm.enc) : 0;
	if (h && memo_has(m, h, false))
		return false;
	m->stats->steps++;
	if (!m->pred(&m->cand, m->ctx)) {
		if (h)
			memo_has(m, h, true);
		return false;
	}
	if (tf_scenario_copy(&m->cur, &m->cand) != TF_OK) {
		m->fatal = tf_error_set(m->err, TF_ERR_NOMEM, "minimize: out of memory");
		return false;
	}
	m->cur_m = cm;
	memcpy(m->cur_enc, m->cand_enc, cm.enc);
	m->stats->accepted++;
	return true;
}

static void run_rounds(tf_min_state *m)
{
	bool progress = true;
	while (progress && !tf_min_done(m)) {
		progress = false;
		m->stats->rounds++;
		progress |= tf_min_pass_drop_certs(m);
		progress |= tf_min_pass_drop_identities(m);
		progress |= tf_min_pass_drop_entries(m);
		progress |= tf_min_pass_merge(m);
		progress |= tf_min_pass_reset_fields(m);
		/* The table clean-up is part of every structural edit; a scenario
		 * that came in with unused names gets it once here. */
		if (tf_scenario_copy(&m->cand, &m->cur) == TF_OK && tf_min_gc_tables(&m->cand))
			progress |= tf_min_offer(m, true);
		progress |= tf_min_pass_bytes(m);
	}
}

tf_err tf_minimize(const tf_scenario *in, tf_min_pred pred, void *ctx, const tf_min_opts *opts,
		   tf_scenario *out, tf_min_stats *stats, tf_error *err)
{
	tf_min_state *m = NULL;
	tf_min_stats local = {0};
	tf_err rc = TF_OK;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	tf_scenario_init(out);
	TF_GUARD(tf_scenario_validate(in, err));
	m = calloc(1, sizeof *m);
	if (!m)
		return tf_error_set(err, TF_ERR_NOMEM, "minimize: out of memory");
	tf_scenario_init(&m->cur);
	tf_scenario_init(&m->cand);
	m->pred = pred;
	m->ctx = ctx;
	m->max_steps = opts && opts->max_steps ? opts->max_steps : DEFAULT_MAX_STEPS;
	m->max_ms = opts ? opts->max_ms : 0;
	m->check = opts && opts->check;
	m->max_candidates = (unsigned long)m->max_steps * CANDIDATES_PER_STEP;
	m->err = err;
	m->stats = stats;
	clock_gettime(CLOCK_MONOTONIC, &m->t0);
	stats->certs_before = in->ncerts;

	if (tf_scenario_copy(&m->cur, in) != TF_OK) {
		rc = tf_error_set(err, TF_ERR_NOMEM, "minimize: out of memory");
		goto done;
	}
	stats->steps = 1;
	if (!pred(&m->cur, ctx)) {
		rc = tf_error_set(err, TF_ERR_INVALID,
				  "minimize: the input does not satisfy the predicate");
		goto done;
	}
	tf_min_measure(&m->cur, &m->cur_m, m->cur_enc);
	/* Scenarios with bound real DER have no byte form: structural only. */
	m->encodable = m->cur_m.enc > 0;
	run_rounds(m);
	rc = m->fatal;
	if (rc == TF_OK && tf_scenario_copy(out, &m->cur) != TF_OK)
		rc = tf_error_set(err, TF_ERR_NOMEM, "minimize: out of memory");
	if (rc == TF_OK)
		stats->certs_after = out->ncerts;
done:
	if (rc != TF_OK)
		tf_scenario_free(out);
	tf_scenario_free(&m->cur);
	tf_scenario_free(&m->cand);
	free(m);
	return rc;
}
