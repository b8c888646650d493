/*
 * evaluators/ref.c — the reference evaluator: correct behaviour per spec
 * s.4 (RFC 5280 path building over every candidate path). The judgement
 * itself is tf_ref_judge (judge.c), shared with the KB model.
 */
#include "paths.h"
#include "trustfuzz/models.h"

static tf_err ref_evaluate(void *state, const tf_scenario *s, const tf_knobs *knobs,
			   tf_verdict *out, tf_error *err)
{
	(void)state;
	(void)err;
	tf_ref_judge(s, knobs, out);
	return TF_OK;
}

const tf_evaluator tf_evaluator_ref = {
	.name = "ref",
	.summary = "reference: RFC 5280 path building over every candidate path (correct behaviour)",
	.knob_prefix = NULL,
	.init = NULL,
	.cleanup = NULL,
	.evaluate = ref_evaluate,
};
