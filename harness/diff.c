/* harness/diff.c — run instances side by side and list their divergences.
 *
 * An instance that could not judge (rc != TF_OK) takes part in no
 * divergence: its failure is reported by the run itself (rc and msg), and
 * the callers treat TF_ERR_ORACLE as a finding of its own kind. Comparing a
 * failure with a verdict would make every backend hiccup a "divergence". */
#include <stdio.h>
#include <string.h>

#include "trustfuzz/diff.h"

void tf_diff_run(tf_instance *inst, unsigned n, const tf_scenario *s, tf_run *out)
{
	if (n > TF_MAX_INSTANCES)
		n = TF_MAX_INSTANCES;
	out->n = n;
	for (unsigned i = 0; i < n; i++) {
		tf_error err = {0};
		memset(&out->v[i], 0, sizeof out->v[i]);
		out->v[i].identity = -1;
		out->rc[i] = tf_instance_eval(&inst[i], s, &out->v[i], &err);
		if (out->rc[i] == TF_OK)
			out->msg[i][0] = '\0';
		else
			snprintf(out->msg[i], sizeof out->msg[i], "%s",
				 err.msg[0] ? err.msg : tf_err_str(out->rc[i]));
	}
}

unsigned tf_diff_signatures(const tf_instance *inst, const tf_run *run, const tf_scenario *s,
			    tf_depth d, tf_signature *out, unsigned max)
{
	unsigned count = 0;
	for (unsigned a = 0; a < run->n; a++) {
		for (unsigned b = a + 1; b < run->n; b++) {
			tf_signature sig;
			if (run->rc[a] != TF_OK || run->rc[b] != TF_OK)
				continue;
			if (!tf_diff_pair_signature(inst, a, b, &run->v[a], &run->v[b], s, d, &sig))
				continue;
			if (count < max)
				out[count] = sig;
			count++;
		}
	}
	return count;
}

const tf_signature *tf_signature_find(const tf_signature *sigs, unsigned n, const char *key)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(sigs[i].text, key) || !strcmp(sigs[i].id, key))
			return &sigs[i];
	return NULL;
}
