/*
 * bench/bench.h — the measurements behind `trustfuzz bench` and
 * BENCHMARKS.md. Private to bench/ and cli/cmd_bench.c.
 *
 * Every throughput figure is taken on one fixed set of generated scenarios
 * (seed, count, profile), so that all rows judge the same inputs, and is
 * counted in CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID): a
 * single-core rate that other load on the machine does not dilute. Wall time
 * is recorded beside it. Before any timed pass over a real backend, a
 * warm-up pass judges the same set with the validation time moved by one
 * day: that derives every pool key the set needs (RSA keys take about
 * 0.1 s each, once per state) without putting any of the set's own
 * signatures in the cache, since every certificate's validity — and so its
 * TBS bytes — changes with it.
 *
 * The crypto ceiling (bench_crypto.c) is what the signatures alone cost:
 * for each scenario, one signature per certificate (to build it) plus one
 * verification per certificate below the anchor on the reference's deciding
 * path, at the per-operation cost EVP measures for the scenario's key-pool
 * algorithm. A backend at ratio 1.0 judges as fast as it could sign and
 * verify; above 1.0 only because the signature cache saves signing.
 *
 * Timing assertions never appear in tests; this code only measures.
 * Not here: printing (cli/cmd_bench.c).
 */
#ifndef TRUSTFUZZ_BENCH_H
#define TRUSTFUZZ_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "trustfuzz/err.h"
#include "trustfuzz/gen.h"
#include "trustfuzz/scenario.h"

/* ---- Clocks ------------------------------------------------------------ */

typedef struct tf_bench_clock {
	double cpu, wall; /* seconds */
} tf_bench_clock;

void tf_bench_now(tf_bench_clock *c);
/* b - a, in place of b. */
void tf_bench_since(const tf_bench_clock *a, tf_bench_clock *b);

/* ---- The fixed scenario set --------------------------------------------- */

typedef struct tf_bench_set {
	uint64_t seed;
	tf_profile profile;
	unsigned n;
	tf_scenario *s;   /* n scenarios: s[i] = tf_gen_from_seed(tf_campaign_scenario_seed(seed, i)) */
	unsigned by_keys[3]; /* scenarios per key-pool algorithm (knob keys) */
	unsigned handshake;  /* scenarios whose openssl.mode knob is handshake */
} tf_bench_set;

tf_err tf_bench_set_make(tf_bench_set *set, uint64_t seed, tf_profile profile, unsigned n,
			 tf_error *err) TF_MUST_USE;
/* A copy of src with every scenario's key-pool algorithm (knob keys) set to
 * keys; the copy's generator passes use the seeds of src unchanged. */
tf_err tf_bench_set_with_keys(const tf_bench_set *src, unsigned keys, tf_bench_set *out,
			      tf_error *err) TF_MUST_USE;
void tf_bench_set_free(tf_bench_set *set);

/* ---- Throughput --------------------------------------------------------- */

typedef enum tf_bench_work {
	TF_BENCH_GEN = 0,     /* tf_gen_from_seed alone */
	TF_BENCH_EVAL = 1,    /* every instance judges every scenario */
	TF_BENCH_DIFF = 2,    /* tf_diff_run + tf_diff_signatures (the campaign's per-scenario work) */
	TF_BENCH_GEN_DIFF = 3 /* generation, then TF_BENCH_DIFF */
} tf_bench_work;

typedef struct tf_bench_rate {
	uint64_t scenarios;     /* judged in the timed passes */
	unsigned passes;        /* timed passes over the set */
	tf_bench_clock t;       /* timed passes only */
	double rate;            /* scenarios per CPU second */
	uint64_t errors;        /* evaluations that returned an error */
	bool has_sig;           /* an instance renders: the counters below are its renderers' */
	uint64_t sig_hits, sig_misses; /* during the timed passes */
} tf_bench_rate;

/* Measures `work` of the instance list on the set. Passes repeat until
 * min_cpu seconds of CPU time are spent, but never more than max_passes
 * (1 for real backends: a second pass would find every signature cached).
 * cache=false turns the signature cache of every rendering instance
 * (OpenSSL and GnuTLS) off. */
tf_err tf_bench_rate_run(const tf_bench_set *set, tf_bench_work work, const char *instances,
			 bool cache, double min_cpu, unsigned max_passes, tf_bench_rate *out,
			 tf_error *err) TF_MUST_USE;

/* ---- Crypto ceiling ----------------------------------------------------- */

typedef struct tf_bench_crypto {
	double sign_s[3], verify_s[3];  /* EVP cost of one operation, by knob keys */
	uint64_t signs, verifies;       /* over the set */
	double cost_s;                  /* what the set's signatures cost */
	double rate;                    /* set size / cost_s: the ceiling, scenarios/s */
} tf_bench_crypto;

/* EVP sign and verify costs per algorithm, each measured for at least
 * min_cpu seconds, into out->sign_s and out->verify_s. */
tf_err tf_bench_crypto_costs(double min_cpu, tf_bench_crypto *out, tf_error *err) TF_MUST_USE;
/* With out's costs measured: the set's counts, cost and ceiling. */
tf_err tf_bench_crypto_ceiling(const tf_bench_set *set, tf_bench_crypto *out,
			       tf_error *err) TF_MUST_USE;

/* ---- Minimizer ---------------------------------------------------------- */

#define TF_BENCH_MIN_MAX 2048

typedef struct tf_bench_min {
	unsigned campaign;             /* scenarios the campaign judged (it stops early
					  when TF_BENCH_MIN_MAX signatures are found) */
	unsigned n;                    /* distinct signatures found, all minimized */
	double cpu_s[TF_BENCH_MIN_MAX];/* per minimization */
	unsigned certs_before[TF_BENCH_MIN_MAX], certs_after[TF_BENCH_MIN_MAX];
	unsigned hit_bound;            /* minimizations that stopped at a bound */
	double median_s, worst_s;
	unsigned median_certs_before, median_certs_after;
	char worst_sig[256];
} tf_bench_min;

/* A campaign of `scenarios` scenarios from seed (instances "ref,kb,openssl",
 * depth status), then every distinct signature's first scenario minimized
 * with the campaign's default bounds (4000 steps, 10 s). */
tf_err tf_bench_min_run(uint64_t seed, tf_profile profile, unsigned scenarios,
			tf_bench_min *out, tf_error *err) TF_MUST_USE;

/* ---- Time to the first KB divergence ------------------------------------ */

#define TF_BENCH_FIRST_MAX 16

typedef struct tf_bench_first {
	unsigned n;                     /* seeds tried */
	double t[TF_BENCH_FIRST_MAX];   /* wall seconds from start to the first ref~kb finding */
	bool found[TF_BENCH_FIRST_MAX]; /* false: not within the timeout */
	double median;                  /* over all seeds, a timeout counting as infinite */
	unsigned nfound;
} tf_bench_first;

/* Starts argv (a fuzzer or `trustfuzz run`) once per seed 1..seeds, with
 * a new findings directory DIR = TMP/first-TAG-SEED holding an empty
 * corpus/ folder: `{seed}` and `{dir}` in argv are replaced, and env_findings
 * (an environment variable, or NULL) is set to DIR. Watches DIR/findings/
 * and stops the process (and its process group) when a finding whose
 * signature pairs ref with kb appears, or after timeout_s. The child's
 * output goes to DIR.log. */
tf_err tf_bench_first_run(char *const *argv, const char *env_findings, const char *tmp,
			  const char *tag, unsigned seeds, double timeout_s, tf_bench_first *out,
			  tf_error *err) TF_MUST_USE;

/* The median of n values (sorted copy); +inf entries allowed. */
double tf_bench_median(const double *v, unsigned n);

#endif
