/*
 * trustfuzz/gen.h — scenarios from bytes (fuzzers) and from seeds (campaigns).
 *
 * One generator, three directions. The scenario's byte format is defined by a
 * single *visit* function that walks every field of a scenario in a fixed
 * order and, for each decision, calls the reader/writer `tf_io`:
 *
 *   decode  (bytes → scenario)   each decision reads a value from the bytes;
 *   seeded  (seed → scenario)    each decision draws from a seeded PRNG,
 *                                biased per decision kind by a profile;
 *   encode  (scenario → bytes)   each decision writes the value the scenario
 *                                has, so that decode(encode(s)) == s.
 *
 * Decisions are small integers where 0 is always the simpler choice (no extra
 * certificate, the natural issuer, default extensions, no issuer list, ...),
 * and exhausted input reads as 0: the empty input and any all-zero input
 * decode to the minimal scenario — one self-signed root in Root, one leaf it
 * issued, one identity presenting that leaf. Every value read is reduced into
 * its valid range, so decoding is total: every byte string gives a scenario
 * that passes tf_scenario_validate. The format is documented in
 * docs/generators.md.
 *
 * Determinism: the same bytes, or the same (seed, profile), give the same
 * scenario on every run and build. The PRNG is local (splitmix64/xoshiro
 * style), seeded explicitly; nothing reads a clock or a global RNG.
 *
 * Not here: what the scenario means (evaluator.h) or how it is stored
 * (fixture.h).
 */
#ifndef TRUSTFUZZ_GEN_H
#define TRUSTFUZZ_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "trustfuzz/err.h"
#include "trustfuzz/scenario.h"

/* Generation profiles (named for --profile). Prefixed TF_GEN_ because
 * scenario.h's `profile` knob already owns TF_PROFILE_RFC5280/STRICT. */
typedef enum tf_profile {
	TF_GEN_PROFILE_MIXED = 0, /* "mixed" (default): every shape below */
	TF_GEN_PROFILE_KB = 1,    /* "kb": store shapes of KB 2802568 (non-self-signed certs in
				     Root, Client Authentication Issuers, issuer list, trust modes) */
	TF_GEN_PROFILE_RFC5280 = 2, /* "rfc5280": path-building shapes (deep chains, cross-signs,
				       name collisions, bridges, validity, extensions); Root
				       self-signed only */
	TF_GEN_PROFILE_COUNT = 3
} tf_profile;

const char *tf_profile_str(tf_profile p);
bool tf_profile_parse(const char *text, tf_profile *out);

/* Decodes bytes into s (which is initialised by this call; free it with
 * tf_scenario_free). Total: never fails for any input, never allocates from
 * the arena for generated data. */
void tf_gen_from_bytes(tf_scenario *s, const uint8_t *data, size_t len);

/* Generates the scenario of (seed, profile) into s. Total and deterministic.
 * If bytes_out is not NULL, also writes the decision bytes the PRNG produced
 * (decoding them gives the same scenario) and their count: at most
 * TF_GEN_MAX_BYTES. */
#define TF_GEN_MAX_BYTES 4096
void tf_gen_from_seed(tf_scenario *s, uint64_t seed, tf_profile profile, uint8_t *bytes_out,
		      size_t *bytes_len);

/* Encodes s (which must validate) so that tf_gen_from_bytes gives s back.
 * Writes at most cap bytes; TF_ERR_LIMIT when cap is too small, TF_ERR_INVALID
 * when s does not validate or holds data the byte format cannot carry (bound
 * real DER). *len receives the length. Trailing zero bytes are trimmed. */
tf_err tf_gen_encode(const tf_scenario *s, uint8_t *out, size_t cap, size_t *len,
		     tf_error *err) TF_MUST_USE;

#endif
