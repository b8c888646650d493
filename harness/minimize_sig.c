/* harness/minimize_sig.c — the usual minimizer predicate: "the run still
 * shows this divergence signature".
 *
 * Only the two instances of the signature's pair are run: a signature
 * depends on nothing else (its features come from the scenario and the
 * pair's own paths), and skipping the others is what keeps minimization
 * with a real backend in the set affordable. For the same reason the
 * predicate fails as early as it can: the scenario features first (no
 * evaluation), then the first instance's class, and only then the second
 * instance, which is usually the expensive one in a list like
 * "ref,kb,openssl". The answer is the same in every order. */
#include <string.h>

#include "trustfuzz/minimize.h"

bool tf_min_keep_signature(const tf_scenario *candidate, void *ctx)
{
	const tf_min_sig_ctx *c = ctx;
	const tf_signature *want = c->want;
	tf_verdict va, vb;
	tf_signature got;
	tf_error err = {0};
	if (want->a >= c->n || want->b >= c->n)
		return false;
	/* A coarse signature names only some of its scenario features; each
	 * must still be there. */
	uint32_t scen = tf_diff_features(candidate, NULL);
	if (c->known ? (want->features & TF_FEAT_SCENARIO_MASK & ~scen) != 0
		     : ((scen ^ want->features) & TF_FEAT_SCENARIO_MASK) != 0)
		return false;
	if (tf_instance_eval(&c->inst[want->a], candidate, &va, &err) != TF_OK ||
	    va.status != want->sa || (c->depth >= TF_DEPTH_WIN32 && va.win32 != want->wa))
		return false;
	if (tf_instance_eval(&c->inst[want->b], candidate, &vb, &err) != TF_OK ||
	    vb.status != want->sb || (c->depth >= TF_DEPTH_WIN32 && vb.win32 != want->wb))
		return false;
	if (!tf_diff_pair_signature(c->inst, want->a, want->b, &va, &vb, candidate, c->depth, &got))
		return false;
	(void)tf_known_coarsen(c->known, c->inst, &got);
	return strcmp(got.text, want->text) == 0;
}
