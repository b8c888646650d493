/*
 * harness/fuzz/target.c — the differential fuzz target (fuzzer.h).
 *
 * State lives in statics because every engine calls the target as plain
 * functions, one input at a time, for the life of the process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzer.h"
#include "trustfuzz/diff.h"
#include "trustfuzz/finding.h"
#include "trustfuzz/findings.h"
#include "trustfuzz/gen.h"

#define DEFAULT_MIN_STEPS 4000u
#define MAX_PAIRS (TF_MAX_INSTANCES * (TF_MAX_INSTANCES - 1) / 2)

static struct {
	char engine[32];
	tf_instance inst[TF_MAX_INSTANCES];
	unsigned n, nopen;
	tf_depth depth;
	unsigned min_steps;
	bool record;
	tf_findings findings;
	tf_known_table known;
	bool has_known;
	unsigned recorded;
	/* Per input; static because they are large. */
	tf_scenario s, back;
	tf_run run;
	tf_signature sig[MAX_PAIRS];
	tf_fixture fx;
	uint8_t bytes[TF_GEN_MAX_BYTES];
} T;

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

tf_err tf_fuzz_init(const char *engine, tf_error *err)
{
	const char *list = env("TRUSTFUZZ_EVALUATORS");
	const char *depth = env("TRUSTFUZZ_DEPTH");
	const char *dir = env("TRUSTFUZZ_FINDINGS");
	const char *steps = env("TRUSTFUZZ_MIN_STEPS");
	const char *known = tf_known_default_path();

	memset(&T, 0, sizeof T);
	snprintf(T.engine, sizeof T.engine, "%s", engine);
	T.min_steps = DEFAULT_MIN_STEPS;
	if (steps) {
		char *end = NULL;
		unsigned long v = strtoul(steps, &end, 10);
		TF_ENSURE(*end == '\0' && v >= 1 && v <= 100000000ul, err, TF_ERR_USAGE,
			  "TRUSTFUZZ_MIN_STEPS: \"%s\" is not a number 1..100000000", steps);
		T.min_steps = (unsigned)v;
	}
	TF_ENSURE(!depth || tf_depth_parse(depth, &T.depth), err, TF_ERR_USAGE,
		  "TRUSTFUZZ_DEPTH: \"%s\" is not status, win32 or path", depth);
	TF_GUARD(tf_instances_parse(T.inst, TF_MAX_INSTANCES, &T.n,
				    list ? list : TF_DEFAULT_EVALUATORS, err));
	for (; T.nopen < T.n; T.nopen++)
		TF_GUARD(tf_instance_open(&T.inst[T.nopen], err));
	if (known) {
		TF_GUARD(tf_known_load(known, &T.known, err));
		T.has_known = true;
	}
	if (dir) {
		/* No examples: a fuzzer's inputs are its corpus already. */
		TF_GUARD(tf_findings_open(&T.findings, dir, 0, err));
		T.record = true;
	}
	tf_scenario_init(&T.s);
	tf_scenario_init(&T.back);
	return TF_OK;
}

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz-diff: %s: %s\n", what, detail);
	fflush(stderr);
	abort();
}

/* The generator's contract, checked on every input: decoding is total
 * (the scenario validates) and encoding inverts it. */
static void check_generator(void)
{
	tf_error err = {0};
	size_t len = 0;
	if (tf_scenario_validate(&T.s, &err) != TF_OK)
		die("decoded scenario does not validate", err.msg);
	tf_err rc = tf_gen_encode(&T.s, T.bytes, sizeof T.bytes, &len, &err);
	if (rc == TF_ERR_LIMIT)
		return; /* a valid scenario whose encoding exceeds the buffer */
	if (rc != TF_OK)
		die("decoded scenario does not encode", err.msg);
	tf_gen_from_bytes(&T.back, T.bytes, len);
	bool same = tf_scenario_equal(&T.s, &T.back);
	tf_scenario_free(&T.back);
	if (!same)
		die("decode(encode(s)) != s", "the byte format does not round-trip");
}

static void record(const tf_signature *sig)
{
	tf_error err = {0};
	tf_put put;
	tf_finding_opts o = {
		.depth = T.depth,
		.min = {.max_steps = T.min_steps},
		.known = T.has_known ? &T.known : NULL,
		.origin = T.engine,
	};
	if (tf_findings_has(&T.findings, sig->id, true))
		return;
	if (tf_finding_fixture(T.inst, T.n, &T.s, sig, &o, &T.fx, NULL, &err) != TF_OK)
		die(sig->text, err.msg);
	tf_err rc = tf_findings_put_finding(&T.findings, sig->id, &T.fx, &put, NULL, 0, &err);
	tf_fixture_free(&T.fx);
	if (rc != TF_OK)
		die("cannot record a finding", err.msg);
	if (put == TF_PUT_WRITTEN)
		T.recorded++;
}

int tf_fuzz_one(const uint8_t *data, size_t len)
{
	tf_gen_from_bytes(&T.s, data, len);
	check_generator();
	tf_diff_run(T.inst, T.n, &T.s, &T.run);
	for (unsigned k = 0; k < T.n; k++) {
		tf_err rc = T.run.rc[k];
		if (rc != TF_ERR_ORACLE && rc != TF_ERR_INTERNAL && rc != TF_ERR_BACKEND)
			continue;
		char what[160];
		snprintf(what, sizeof what, "%s could not judge (%s)", T.inst[k].name,
			 tf_err_str(T.run.rc[k]));
		die(what, T.run.msg[k]);
	}
	unsigned nsig = tf_diff_signatures(T.inst, &T.run, &T.s, T.depth, T.sig, MAX_PAIRS);
	if (nsig > MAX_PAIRS)
		nsig = MAX_PAIRS;
	tf_known_coarsen_all(T.has_known ? &T.known : NULL, T.inst, T.sig, nsig);
	for (unsigned k = 0; T.record && k < nsig; k++)
		record(&T.sig[k]);
	tf_scenario_free(&T.s);
	return 0;
}

unsigned tf_fuzz_recorded(void)
{
	return T.recorded;
}

void tf_fuzz_cleanup(void)
{
	for (unsigned k = 0; k < T.nopen; k++)
		tf_instance_close(&T.inst[k]);
	T.nopen = 0;
	tf_findings_close(&T.findings);
	tf_scenario_free(&T.s);
	tf_scenario_free(&T.back);
}
