/*
 * harness/fuzz/fuzzer.h — the engine-neutral fuzz target, as in OpenSSL's
 * fuzz/fuzzer.h: init, test one input, cleanup. The target knows nothing
 * of the engine; libfuzzer.c, afl.c and replay.c are three thin drivers.
 *
 * What one input does: decode the bytes into a scenario (gen.h: total, so
 * every input is a scenario), check the generator's own invariants, run
 * every evaluator instance, compute the divergence signatures, and, when a
 * findings directory is configured, record each signature not yet there as
 * a minimized fixture (findings.h: no-clobber, so parallel fuzzers never
 * duplicate one). Divergences are data, not crashes: the target aborts only
 * on a harness bug (an invariant that must hold for every input: the
 * generator's round trip, TF_ERR_INTERNAL from an instance, a finding that
 * cannot be written) and on the backends' own failures (TF_ERR_ORACLE: a
 * backend broke its own contract, the consistency oracle; TF_ERR_BACKEND: a
 * backend failed unexpectedly). Any other error is an instance declining an
 * input outside its domain (TF_ERR_RANGE: a time X.509 cannot encode, ...):
 * that instance's pairs then have no signature, as in a campaign.
 *
 * Configuration, read once by tf_fuzz_init from the environment:
 *   TRUSTFUZZ_EVALUATORS  instance list (default "ref,kb,openssl")
 *   TRUSTFUZZ_DEPTH       status (default), win32, path
 *   TRUSTFUZZ_FINDINGS    findings directory; unset or empty: record nothing
 *   TRUSTFUZZ_KNOWN       known-divergence table (default
 *                         ./corpus/known-divergences.json when present)
 *   TRUSTFUZZ_MIN_STEPS   minimizer predicate calls per finding (default 4000)
 *
 * Determinism: no clock (the minimizer runs on its step bound only), no
 * RNG; the same input and configuration do the same thing every time.
 * Not thread-safe: one input at a time per process, as every engine runs.
 */
#ifndef TRUSTFUZZ_FUZZER_H
#define TRUSTFUZZ_FUZZER_H

#include <stddef.h>
#include <stdint.h>

#include "trustfuzz/err.h"

/* Reads the configuration and opens the instances. `engine` names the
 * driver ("libfuzzer", "afl", "replay"); it becomes the findings'
 * provenance origin. On error the caller prints err and stops. */
tf_err tf_fuzz_init(const char *engine, tf_error *err) TF_MUST_USE;

/* Runs one input. Returns 0 (the value libFuzzer wants); aborts as above. */
int tf_fuzz_one(const uint8_t *data, size_t len);

/* Signatures recorded as new findings by this process so far. */
unsigned tf_fuzz_recorded(void);

/* Closes the instances and the findings directory. */
void tf_fuzz_cleanup(void);

#endif
