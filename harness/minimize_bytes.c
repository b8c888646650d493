/* harness/minimize_bytes.c — byte-level shrinking, theft/Hypothesis style.
 *
 * The generator's byte format reads 0 as "the simpler choice" and exhausted
 * input as 0, so deleting bytes, zeroing them and lowering them all move a
 * scenario towards the minimal one, and tf_gen_from_bytes turns any result
 * into a valid scenario. Each pass works on the encoding of the current
 * scenario (m->cur_enc, which the driver refreshes with the canonical bytes
 * of every accepted candidate) and goes on from the same offset after an
 * acceptance, so a pass is linear in the length, not quadratic. */
#include <stdlib.h>
#include <string.h>

#include "minimize_internal.h"

/* The decoder reads labels last and falls back to canonical ones ("N0",
 * "R0") when their bytes change, which would rename a readable scenario
 * for no gain. When a table kept its size, its entries are the same
 * entities in the same order (the decoder visits them in a fixed order),
 * so the current labels carry over; a table that changed size keeps the
 * decoder's labels. Restoring before measuring also means a mutation that
 * only touched label bytes is never progress. */
static void keep_labels(const tf_scenario *cur, tf_scenario *cand)
{
	if (cand->nnames == cur->nnames)
		for (unsigned i = 0; i < cur->nnames; i++)
			memcpy(cand->names[i].label, cur->names[i].label, TF_LABEL_MAX);
	if (cand->ncerts == cur->ncerts)
		for (unsigned i = 0; i < cur->ncerts; i++)
			memcpy(cand->certs[i].id, cur->certs[i].id, TF_LABEL_MAX);
}

/* Decodes the n bytes of b into m->cand and offers it. */
static bool offer_bytes(tf_min_state *m, const uint8_t *b, size_t n)
{
	tf_scenario_free(&m->cand);
	tf_gen_from_bytes(&m->cand, b, n);
	keep_labels(&m->cur, &m->cand);
	return tf_min_offer(m, false);
}

static bool pass_delete(tf_min_state *m, uint8_t *cand, size_t chunk)
{
	bool any = false;
	/* From the end: trailing decisions are the extras (more certificates,
	 * more entries), and deleting there keeps earlier offsets meaningful. */
	for (size_t pos = m->cur_m.enc; pos-- > 0 && !tf_min_done(m);) {
		size_t n = m->cur_m.enc;
		if (pos + chunk > n)
			continue;
		memcpy(cand, m->cur_enc, pos);
		memcpy(cand + pos, m->cur_enc + pos + chunk, n - pos - chunk);
		any |= offer_bytes(m, cand, n - chunk);
	}
	return any;
}

static bool pass_zero(tf_min_state *m, uint8_t *cand, size_t chunk)
{
	bool any = false;
	for (size_t pos = 0; pos + chunk <= m->cur_m.enc && !tf_min_done(m); pos++) {
		size_t n = m->cur_m.enc;
		bool nonzero = false;
		for (size_t j = 0; j < chunk; j++)
			nonzero |= m->cur_enc[pos + j] != 0;
		if (!nonzero)
			continue;
		memcpy(cand, m->cur_enc, n);
		memset(cand + pos, 0, chunk);
		any |= offer_bytes(m, cand, n);
	}
	return any;
}

static bool pass_lower(tf_min_state *m, uint8_t *cand)
{
	bool any = false;
	for (size_t pos = 0; pos < m->cur_m.enc && !tf_min_done(m); pos++) {
		uint8_t v = m->cur_enc[pos];
		/* Halving first takes big steps; decrement then finds the edge. */
		const uint8_t tries[2] = {(uint8_t)(v / 2), (uint8_t)(v - 1)};
		for (unsigned t = 0; t < 2 && v > 1 && !tf_min_done(m); t++) {
			size_t n = m->cur_m.enc;
			if (t == 1 && tries[1] == tries[0])
				break;
			memcpy(cand, m->cur_enc, n);
			cand[pos] = tries[t];
			if (offer_bytes(m, cand, n)) {
				any = true;
				break;
			}
		}
	}
	return any;
}

bool tf_min_pass_bytes(tf_min_state *m)
{
	static const size_t chunks[] = {8, 4, 2, 1};
	uint8_t *cand = NULL;
	bool any = false;
	if (!m->encodable || m->cur_m.enc == 0)
		return false;
	cand = malloc(TF_MIN_ENC_CAP);
	if (!cand) {
		m->fatal = tf_error_set(m->err, TF_ERR_NOMEM, "minimize: out of memory");
		return false;
	}
	for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++)
		any |= pass_delete(m, cand, chunks[c]);
	for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++)
		any |= pass_zero(m, cand, chunks[c]);
	any |= pass_lower(m, cand);
	free(cand);
	return any;
}
