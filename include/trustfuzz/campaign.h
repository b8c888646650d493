/*
 * trustfuzz/campaign.h — a differential campaign: generate scenarios from a
 * seed, run every evaluator instance on each, and keep one minimized fixture
 * per distinct divergence signature (the product's main job, `trustfuzz run`).
 *
 * Determinism. Scenario i of the campaign with seed S is
 * tf_gen_from_seed(tf_campaign_scenario_seed(S, i), profile): a pure
 * function of (S, i, profile). Work is split across `jobs` worker processes
 * by index, worker j taking i = j, j + jobs, j + 2*jobs, ... in order. What
 * a campaign covers is therefore fixed by the seed and the indexes reached;
 * only the wall-clock budget and the race between workers for the first
 * fixture of a signature depend on timing. The clock is the caller's
 * (opts.now_us): nothing here reads it behind the caller's back.
 *
 * Processes. The caller's process is the parent: it never opens an
 * evaluator, it forks the workers, reads their reports from one pipe each,
 * keeps the counts and the signature table, persists the resume state and
 * the statistics, and stops the workers at the deadline or when *opts.stop
 * becomes non-zero (the CLI's SIGINT/SIGTERM handler sets it). A worker
 * evaluates, and publishes the finding of each signature it meets that has
 * none yet itself, through the findings directory (findings.h), whose
 * no-clobber writes deduplicate across workers and runs. Discovery never
 * waits for shrinking: a new signature's scenario is published at once,
 * unminimized, and its publisher replaces it by the minimized fixture in
 * the time it does not spend scanning, cheapest and simplest first;
 * findings still unminimized when a campaign stops are taken up by the
 * next run on the directory. A worker that dies
 * (a crash in an evaluator or backend) costs one scenario (or one
 * minimization): the parent saves that input (findings.h, crashes/) and
 * restarts the worker past it.
 *
 * Files in opts.out (besides those of findings.h), both written atomically:
 *   state.json  seed, profile, evaluators, depth, jobs, bound, the next
 *               scenario index of every worker: what --resume continues from;
 *   stats.json  scenarios, time, rate, per-instance verdict counts, the
 *               signature table and the signature timeline (distinct
 *               signatures over time), for reports.
 * Both formats are documented in docs/campaign.md.
 *
 * Order of calls: tf_campaign_opts_init → set fields → (for a resume, the
 * caller may tf_campaign_peek first to learn the saved seed) →
 * tf_campaign_run → read the result → tf_campaign_result_free.
 *
 * Not here: printing (the progress callback and the result are data; cli/
 * formats them), signatures and the minimizer themselves (diff.h,
 * minimize.h), fuzzing engines (harness/fuzz/).
 */
#ifndef TRUSTFUZZ_CAMPAIGN_H
#define TRUSTFUZZ_CAMPAIGN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trustfuzz/err.h"
#include "trustfuzz/findings.h"
#include "trustfuzz/gen.h"
#include "trustfuzz/registry.h"
#include "trustfuzz/verdict.h"

#define TF_CAMPAIGN_MAX_JOBS 256
#define TF_CAMPAIGN_EVALUATORS_MAX 512 /* bytes of the instance list, NUL included */
/* Crashed scenarios after which a campaign gives up (TF_ERR_INTERNAL): past
 * this many, something is broken for every input, not for one. */
#define TF_CAMPAIGN_MAX_CRASHES 64

/* Verdict classes counted per instance in the statistics. */
typedef enum tf_vclass {
	TF_VCLASS_200 = 0,
	TF_VCLASS_403_7 = 1,
	TF_VCLASS_403_13 = 2,
	TF_VCLASS_403_16 = 3,
	TF_VCLASS_403_17 = 4,
	TF_VCLASS_ERROR = 5, /* the instance could not judge (backend failure) */
	TF_VCLASS_ORACLE = 6, /* TF_ERR_ORACLE: a backend broke its own contract */
	TF_VCLASS_COUNT = 7
} tf_vclass;

/* "200", "403.7", "403.13", "403.16", "403.17", "error", "oracle". */
const char *tf_vclass_str(tf_vclass c);

/* The seed of scenario `index` of the campaign with seed `seed`: a
 * splitmix64 mix of both, so that neighbouring indexes and neighbouring
 * campaign seeds give unrelated scenarios. Stable across builds. */
uint64_t tf_campaign_scenario_seed(uint64_t seed, uint64_t index);

/* A snapshot of the counters, given to the progress callback and kept in the
 * result. Totals include earlier runs of a resumed campaign. */
typedef struct tf_campaign_progress {
	uint64_t scenarios;      /* scenarios evaluated, all runs */
	uint64_t run_scenarios;  /* this run only */
	double elapsed_s;        /* all runs */
	double run_elapsed_s;    /* this run only */
	double rate;             /* scenarios per second, this run */
	uint64_t divergent;      /* scenarios with at least one divergence, all runs */
	unsigned signatures;     /* distinct signatures */
	unsigned new_signatures; /* of which not in the known table */
	unsigned run_signatures; /* distinct signatures first seen in this run */
	unsigned crashes;        /* crashed scenarios and minimizations, all runs */
	unsigned unminimized;    /* findings published but not minimized yet */
	unsigned workers;        /* live workers */
} tf_campaign_progress;

/* One row of the signature table. */
typedef struct tf_campaign_sig {
	char id[TF_SIG_ID_SIZE];
	char text[256];          /* tf_signature.text; "" when only the file is known */
	bool known;
	char known_id[64];       /* the matching known-table entry, "" when new */
	uint64_t count;          /* occurrences, all runs */
	bool seen;               /* first_index and first_s are set */
	uint64_t first_index;    /* lowest scenario index that showed it (independent of jobs) */
	double first_s;          /* campaign seconds when it was first reported */
	char fixture[4096];      /* the finding's path, "" when there is none */
	bool minimized;          /* the finding is minimized (else tagged unminimized) */
} tf_campaign_sig;

typedef struct tf_campaign_opts {
	uint64_t seed;
	tf_profile profile;
	char evaluators[TF_CAMPAIGN_EVALUATORS_MAX]; /* instance list (registry.h) */
	tf_depth depth;
	unsigned jobs;           /* worker processes, 1..TF_CAMPAIGN_MAX_JOBS */
	uint64_t time_ms;        /* budget of this run; 0 = none */
	uint64_t iterations;     /* the campaign covers indexes [0, iterations); 0 = unbounded */
	const char *out;         /* the findings directory (kept, not copied) */
	bool resume;             /* continue the campaign saved in out */
	const char *known_path;  /* known-divergence table (diff.h); NULL = every signature is new */
	unsigned examples;       /* further examples per signature, 0..TF_FINDINGS_EXAMPLES_MAX */
	unsigned min_steps;      /* minimizer predicate calls per finding (0 = its default) */
	unsigned min_ms;         /* minimizer time cap per finding, ms (0 = none) */
	/* Test-only: the worker reaching this scenario index aborts, as a crashing
	 * backend would (the CLI sets it from TRUSTFUZZ_TEST_CRASH_AT). -1 = off. */
	int64_t test_crash_at;
	/* The caller's monotonic clock in microseconds. Required when time_ms,
	 * progress or statistics timing matter; NULL reads as a clock that
	 * stands still (for tests with iterations only), and then workers
	 * minimize every finding as soon as they publish it. */
	uint64_t (*now_us)(void *ctx);
	void *clock_ctx;
	/* Non-zero asks the campaign to stop: workers finish the scenario or
	 * minimization in hand, everything is flushed, the run returns TF_OK.
	 * May be NULL. */
	volatile sig_atomic_t *stop;
	/* Called every progress_ms (0 = 1000) and once at the end with final set. */
	void (*progress)(const tf_campaign_progress *p, bool final, void *ctx);
	void *progress_ctx;
	unsigned progress_ms;
	unsigned save_ms;        /* resume state and statistics flushed at least this often (0 = 2000) */
} tf_campaign_opts;

/* Defaults: seed 0, profile mixed, evaluators "ref,kb,openssl", depth
 * status, jobs 1, no bound, examples TF_FINDINGS_EXAMPLES_DEFAULT, minimizer
 * 4000 steps and 10000 ms, test_crash_at -1, everything else zero/NULL. */
void tf_campaign_opts_init(tf_campaign_opts *o);

/* What a saved campaign (out/state.json) was started with. */
typedef struct tf_campaign_saved {
	uint64_t seed;
	tf_profile profile;
	char evaluators[TF_CAMPAIGN_EVALUATORS_MAX];
	tf_depth depth;
	unsigned jobs;
	uint64_t iterations;
	uint64_t next_min;       /* every index below this was evaluated */
} tf_campaign_saved;

/* Reads out/state.json. TF_ERR_IO when there is none ("nothing to resume"),
 * TF_ERR_PARSE/TF_ERR_SCHEMA naming the file and field when it is bad. */
tf_err tf_campaign_peek(const char *out, tf_campaign_saved *saved, tf_error *err) TF_MUST_USE;

typedef struct tf_campaign_result {
	tf_campaign_progress totals;
	unsigned ninstances;
	char instance[TF_MAX_INSTANCES][TF_INSTANCE_NAME_MAX];
	uint64_t verdicts[TF_MAX_INSTANCES][TF_VCLASS_COUNT]; /* all runs */
	unsigned nsigs;
	tf_campaign_sig *sigs;   /* by first report; rows without one (restored) last, by id */
	bool stopped;            /* *opts.stop ended the run */
	bool complete;           /* every index below opts.iterations is done */
	unsigned nbad;           /* unreadable files set aside (findings.h) */
} tf_campaign_result;

/* Runs (or, with opts.resume, continues) the campaign. Errors: TF_ERR_USAGE
 * for bad options or a resume that contradicts the saved campaign (a
 * different seed, profile, evaluator list or depth), TF_ERR_IO for the
 * directory, TF_ERR_INTERNAL when a worker reports an internal error or
 * more than TF_CAMPAIGN_MAX_CRASHES scenarios crashed. Findings are results,
 * not errors. *res is always initialised and must be freed with
 * tf_campaign_result_free; after an error it holds what was counted until
 * then. */
tf_err tf_campaign_run(const tf_campaign_opts *opts, tf_campaign_result *res,
		       tf_error *err) TF_MUST_USE;
void tf_campaign_result_free(tf_campaign_result *res);

#endif
