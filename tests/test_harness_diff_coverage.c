/* The shipped known-divergence table explains every divergence the default
 * instances show on generated scenarios: 500 seeds of each profile with
 * ref, kb, openssl and openssl+partial_chain. A failure lists the new
 * signatures with a seed each, to triage: explain it with an entry in
 * corpus/known-divergences.json, or fix the evaluator that is wrong. The
 * entries predicted by the design must also each be seen at least once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "trustfuzz/diff.h"
#include "trustfuzz/gen.h"
#include "trustfuzz/registry.h"

#define SEEDS 500
#define LIST "ref,kb,openssl,openssl+partial_chain"

static tf_known_table table;
static tf_run run;

static const char *const predicted[] = {
	"kb2802568-untrusted-root",	  "kb2802568-no-certificate-sent",
	"openssl-partial-chain-default",  "openssl-partial-chain-knob",
	"openssl-no-backtracking-collision",
};
#define NPREDICTED (sizeof predicted / sizeof predicted[0])

static void test_every_divergence_known(void **state)
{
	(void)state;
	tf_instance inst[TF_MAX_INSTANCES];
	tf_signature sigs[TF_MAX_INSTANCES * TF_MAX_INSTANCES];
	unsigned n = 0, unknown = 0, divergent = 0;
	bool seen[NPREDICTED] = {false};
	tf_error err = {0};
	char path[4096];
	const char *src = getenv("TF_SRC");
	snprintf(path, sizeof path, "%s/corpus/known-divergences.json", src ? src : ".");
	if (tf_known_load(path, &table, &err) != TF_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(tf_instances_parse(inst, TF_MAX_INSTANCES, &n, LIST, &err), TF_OK);
	for (unsigned i = 0; i < n; i++)
		if (tf_instance_open(&inst[i], &err) != TF_OK)
			fail_msg("%s", err.msg);
	for (unsigned p = 0; p < TF_GEN_PROFILE_COUNT; p++) {
		for (uint64_t seed = 0; seed < SEEDS; seed++) {
			tf_scenario s;
			tf_gen_from_seed(&s, seed, (tf_profile)p, NULL, NULL);
			tf_diff_run(inst, n, &s, &run);
			for (unsigned i = 0; i < n; i++)
				if (run.rc[i] != TF_OK)
					fail_msg("%s seed %llu: %s: %s", tf_profile_str((tf_profile)p),
						 (unsigned long long)seed, inst[i].name, run.msg[i]);
			unsigned k = tf_diff_signatures(inst, &run, &s, TF_DEPTH_STATUS, sigs,
							sizeof sigs / sizeof sigs[0]);
			divergent += k > 0;
			for (unsigned j = 0; j < k; j++) {
				const tf_known_entry *e = tf_known_match(&table, inst, &sigs[j]);
				if (!e) {
					if (unknown++ < 20)
						print_message("new: %s (%s seed %llu)\n", sigs[j].text,
							      tf_profile_str((tf_profile)p),
							      (unsigned long long)seed);
					continue;
				}
				for (unsigned q = 0; q < NPREDICTED; q++)
					seen[q] |= !strcmp(e->id, predicted[q]);
			}
			tf_scenario_free(&s);
		}
	}
	for (unsigned i = 0; i < n; i++)
		tf_instance_close(&inst[i]);
	assert_int_equal(unknown, 0);
	assert_true(divergent > SEEDS / 10);
	for (unsigned q = 0; q < NPREDICTED; q++)
		if (!seen[q])
			fail_msg("predicted divergence %s never seen", predicted[q]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_divergence_known),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
