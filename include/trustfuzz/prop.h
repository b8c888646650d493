/*
 * trustfuzz/prop.h — property tests over the evaluators (docs/properties.md).
 *
 * A property is a statement every evaluator instance it names must satisfy
 * on every generated scenario that meets its precondition: "the reference
 * verdict class does not depend on store order", "the KB model equals the
 * reference when the trigger is absent", ... Each one is a tf_property value
 * with a check function; the runner (tf_prop_run) draws the scenarios, calls
 * the check, and turns the first failures into fixtures, theft-style:
 *
 *   trial t of a run with seed S judges the scenario
 *       tf_gen_from_seed(tf_campaign_scenario_seed(S, t), profile(t))
 *   where profile(t) cycles through the property's profiles, and the check's
 *   own random choices (which permutation, where a new root goes) come from
 *   tf_prop_trial_aux(S, t). So (S, t) reproduces a trial exactly, and
 *   `trustfuzz gen --seed <scenario seed> --profile <profile>` prints the
 *   scenario it started from.
 *
 *   A failing scenario is shrunk with the minimizer (minimize.h) under the
 *   predicate "this property still fails on it, with the same aux value";
 *   since a check answers SKIP whenever its precondition does not hold, a
 *   shrunk counterexample still meets the precondition.
 *
 *   The result is written (atomically, tf_fixture_write) as a fixture whose
 *   expected verdicts are what each of the property's instances said, and,
 *   for properties that compare a scenario with a transformed copy (store
 *   order, irrelevant roots, workaround, monotonicity), a second fixture with
 *   the transformed copy: replaying both shows the violation.
 *
 * Checks are deterministic functions of (instances, scenario, aux). Each one
 * returns SKIP, never PASS, when its precondition does not hold, so that the
 * run's counts say how much was really tested.
 *
 * Not here: printing (the CLI formats results and failures), divergences
 * between arbitrary evaluators (diff.h, campaign.h), timing (cli bench).
 */
#ifndef TRUSTFUZZ_PROP_H
#define TRUSTFUZZ_PROP_H

#include <stdbool.h>
#include <stdint.h>

#include "trustfuzz/err.h"
#include "trustfuzz/gen.h"
#include "trustfuzz/minimize.h"
#include "trustfuzz/registry.h"
#include "trustfuzz/scenario.h"

/* Instances one property uses at most. */
#define TF_PROP_MAX_INST 8
/* Bytes of a failure's one-line explanation, NUL included. */
#define TF_PROP_WHAT_MAX 400
/* Profiles a property cycles through at most. */
#define TF_PROP_MAX_PROFILES 3

/* What one trial showed. */
typedef enum tf_prop_outcome {
	TF_PROP_PASS = 0, /* precondition held and so did the property */
	TF_PROP_FAIL = 1, /* precondition held, the property did not: a counterexample */
	TF_PROP_SKIP = 2  /* precondition did not hold: nothing was tested */
} tf_prop_outcome;

/* The opened instances of one property run, in the order of the property's
 * instance list (or of the caller's override). Owned by the runner. */
typedef struct tf_prop_env {
	unsigned n;
	tf_instance inst[TF_PROP_MAX_INST];
	void *state;     /* the property's own, from its init (NULL when it has none) */
	uint64_t digest; /* FNV-1a 64 over what a check chose to record (determinism) */
	/* Set while the check judges a trial's scenario exactly as generated
	 * (false while the minimizer offers candidates): its seed and profile. */
	bool generated;
	uint64_t scenario_seed;
	tf_profile profile;
} tf_prop_env;

/* Details of a failing trial, filled by a check only when asked (the
 * minimizer's predicate does not ask). */
typedef struct tf_prop_detail {
	char what[TF_PROP_WHAT_MAX]; /* one line: what differed, with verdicts */
	bool has_twin;               /* the property compared s with a transformed copy */
	tf_scenario twin;            /* that copy (initialised by the runner; owned by it) */
	char twin_how[160];          /* how the copy was made ("Root reversed") */
} tf_prop_detail;

/* A property. */
typedef struct tf_property {
	const char *name;         /* "store-order": [a-z0-9-]+ */
	const char *summary;      /* one line */
	const char *precondition; /* one line: when the property is claimed */
	/* Default instance list (registry.h spec strings, comma-separated); a
	 * caller may substitute its own list of the same length, to test the
	 * same statement of other instances (e.g. a KB variant). */
	const char *instances;
	unsigned ninstances; /* instances the check expects; 0: any number */
	unsigned nprofiles;
	tf_profile profiles[TF_PROP_MAX_PROFILES]; /* trial t uses profiles[t % nprofiles] */
	uint64_t default_trials;
	/* Optional (may be NULL): set up and free env->state, after and before
	 * the instances are opened and closed. */
	tf_err (*init)(tf_prop_env *env, tf_error *err);
	void (*cleanup)(tf_prop_env *env);
	/* Judges s. Sets *out; fills d (may be NULL) on TF_PROP_FAIL. Errors are
	 * evaluator failures (TF_ERR_BACKEND, TF_ERR_ORACLE, ...), passed on. */
	tf_err (*check)(tf_prop_env *env, const tf_scenario *s, uint64_t aux, tf_prop_outcome *out,
			tf_prop_detail *d, tf_error *err);
} tf_property;

/* The built-in properties, in documentation order; NULL-terminated. */
const tf_property *const *tf_properties(void);
/* By exact name, or NULL. */
const tf_property *tf_property_find(const char *name);

/* The aux value of trial t of a run with seed S: the check's own random
 * choices. A splitmix64 mix, independent of the scenario seed. */
uint64_t tf_prop_trial_aux(uint64_t seed, uint64_t trial);

/* One counterexample, as reported to the caller. */
typedef struct tf_prop_failure {
	const tf_property *prop;
	uint64_t seed, trial;       /* reproduce: same seed, that trial */
	uint64_t scenario_seed;     /* tf_gen_from_seed's seed */
	tf_profile profile;
	uint64_t aux;
	char what[TF_PROP_WHAT_MAX];     /* of the minimized counterexample */
	char what_orig[TF_PROP_WHAT_MAX];/* of the scenario as generated */
	bool minimized;
	tf_min_stats stats;              /* when minimized */
	char path[4096];                 /* fixture written ("" when none) */
	char twin_path[4096];            /* twin fixture written ("" when none) */
} tf_prop_failure;

typedef struct tf_prop_opts {
	uint64_t seed;
	uint64_t trials;         /* 0: the property's default */
	uint64_t first;          /* first trial index (to rerun one trial: first = t, trials = 1) */
	const char *instances;   /* NULL: the property's list */
	const char *out;         /* directory for counterexample fixtures; NULL: none written */
	unsigned max_failures;   /* stop after this many failures (0 = 1) */
	bool no_minimize;        /* write counterexamples as generated */
	tf_min_opts min;         /* minimizer bounds */
	/* Called once per failure, after its fixtures are written. May be NULL. */
	void (*on_failure)(const tf_prop_failure *f, void *ctx);
	void *ctx;
} tf_prop_opts;

typedef struct tf_prop_result {
	uint64_t trials, passed, failed, skipped;
	char instances[512]; /* the instance list that ran (canonical names) */
	uint64_t digest;     /* env.digest at the end: equal across runs of the same
				trials when the recorded outputs are deterministic */
} tf_prop_result;

/* Runs trials [first, first + trials) of property p. Returns TF_OK whether
 * or not the property held (r->failed says); errors are evaluator failures
 * (with the trial named in the message), TF_ERR_USAGE for a bad instance
 * list, TF_ERR_IO when a fixture cannot be written. */
tf_err tf_prop_run(const tf_property *p, const tf_prop_opts *o, tf_prop_result *r,
		   tf_error *err) TF_MUST_USE;

#endif
