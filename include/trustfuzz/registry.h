/*
 * trustfuzz/registry.h — the built-in evaluators and evaluator instances.
 *
 * An *instance* is an evaluator plus knob overrides, named by a spec string:
 *
 *   EVAL[+KNOB[=VALUE]]...
 *
 * e.g. "ref", "kb+variant=any-trigger", "openssl+partial_chain",
 * "openssl+mode=handshake+tls=1.2", "ref+anchors=self-signed-only".
 * A KNOB without a dot is looked up first as "<knob_prefix>KNOB" of the
 * evaluator (openssl → "openssl.partial_chain"), then as a global knob
 * ("anchors"). A missing VALUE means "1". The instance's effective knobs are
 * the scenario's knobs with the overrides applied (tf_instance_knobs).
 *
 * This is the only place that lists evaluators: the CLI, harness and reports
 * iterate over it and never name an evaluator themselves.
 */
#ifndef TRUSTFUZZ_REGISTRY_H
#define TRUSTFUZZ_REGISTRY_H

#include "trustfuzz/evaluator.h"

#define TF_INSTANCE_MAX_OVERRIDES 6
#define TF_INSTANCE_NAME_MAX 96
#define TF_MAX_INSTANCES 12

/* The evaluator list every tool uses when the user names none: the two
 * models and the first real backend (spec section 5). "all" adds the other
 * backends; this is the one place the default is written down. */
#define TF_DEFAULT_EVALUATORS "ref,kb,openssl"

typedef struct tf_instance {
	char name[TF_INSTANCE_NAME_MAX]; /* the spec string, canonical */
	const tf_evaluator *ev;
	unsigned noverrides;
	char knob[TF_INSTANCE_MAX_OVERRIDES][40];
	char value[TF_INSTANCE_MAX_OVERRIDES][40];
	void *state; /* from ev->init, owned */
} tf_instance;

/* Built-in evaluators, in a fixed order; NULL-terminated. */
const tf_evaluator *const *tf_evaluators(void);
/* By exact name, or NULL. */
const tf_evaluator *tf_evaluator_find(const char *name);

/* Parses one spec string into inst (state not yet created). TF_ERR_USAGE
 * naming the unknown evaluator/knob/value. */
tf_err tf_instance_parse(tf_instance *inst, const char *spec, tf_error *err) TF_MUST_USE;
/* Parses a comma-separated list ("ref,kb,openssl"); "all" means every
 * built-in evaluator with no overrides. *n receives the count. */
tf_err tf_instances_parse(tf_instance *out, unsigned max, unsigned *n, const char *list,
			  tf_error *err) TF_MUST_USE;
/* Runs ev->init; tf_instance_close runs ev->cleanup. */
tf_err tf_instance_open(tf_instance *inst, tf_error *err) TF_MUST_USE;
void tf_instance_close(tf_instance *inst);
/* Effective knobs: base with the overrides applied. */
tf_err tf_instance_knobs(const tf_instance *inst, const tf_knobs *base, tf_knobs *out,
			 tf_error *err) TF_MUST_USE;
/* Evaluate s with the effective knobs. */
tf_err tf_instance_eval(tf_instance *inst, const tf_scenario *s, tf_verdict *out,
			tf_error *err) TF_MUST_USE;

#endif
