/*
 * harness/prop_internal.h — what the property files share: the property
 * values, small helpers for evaluating, describing and transforming
 * scenarios. Private to harness/prop*.c.
 */
#ifndef TRUSTFUZZ_PROP_INTERNAL_H
#define TRUSTFUZZ_PROP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "trustfuzz/prop.h"
#include "trustfuzz/verdict.h"

/* The properties, one value each (prop_stores.c, prop_kb.c, prop_monotone.c,
 * prop_openssl.c, prop_determinism.c). */
extern const tf_property tf_prop_store_order;
extern const tf_property tf_prop_irrelevant_roots;
extern const tf_property tf_prop_no_trigger;
extern const tf_property tf_prop_workaround;
extern const tf_property tf_prop_monotonicity;
extern const tf_property tf_prop_openssl_agreement;
extern const tf_property tf_prop_determinism;
extern const tf_property tf_prop_verify_handshake;

/* The known-divergence ids the openssl-agreement property excuses, in its
 * order (prop_openssl.c); returns how many there are. For tests. */
size_t tf_prop_openssl_excuses(const char **ids, size_t max);

/* Instance i of env judges s; an error names the instance. */
tf_err tf_prop_eval(tf_prop_env *env, unsigned i, const tf_scenario *s, tf_verdict *v,
		    tf_error *err) TF_MUST_USE;

/* "403.16 (CERT_E_UNTRUSTEDROOT)", "200", "403.7", with identity and path
 * ("403.16 (CERT_E_CHAINING) id 1 path L3 > I2") when `full`. */
char *tf_prop_say(const tf_scenario *s, const tf_verdict *v, bool full, char *buf, size_t n);

/* Whether the reference's search stopped at its node bound (its reason then
 * ends with "(search bound reached)", docs/evaluators.md): such a verdict is
 * the best path found so far and may depend on search order. */
bool tf_prop_search_bound(const tf_verdict *v);

/* splitmix64: the next value of the state. */
uint64_t tf_prop_next(uint64_t *state);
/* A value in [0, n), n > 0, from the state. */
unsigned tf_prop_below(uint64_t *state, unsigned n);

/* Fills d->twin with a copy of t and says how it was made (printf). */
tf_err tf_prop_set_twin(tf_prop_detail *d, const tf_scenario *t, tf_error *err,
			const char *fmt, ...) TF_PRINTF(4, 5) TF_MUST_USE;

/* Appends to the running FNV-1a 64 digest of env. */
void tf_prop_digest(tf_prop_env *env, const void *data, size_t len);

/* Writes DIR/prop-<name>-<seed>-<trial>.json (scenario s, expected verdicts
 * = what env's instances say on it) and, when d has a twin, the same name
 * with "-twin"; sets f->path and f->twin_path. `original` is the scenario as
 * generated (its bytes go into the provenance). Atomic writes
 * (prop_fixture.c). */
tf_err tf_prop_write_fixtures(tf_prop_env *env, const char *dir, tf_prop_failure *f,
			      const tf_scenario *s, const tf_prop_detail *d,
			      const tf_scenario *original, tf_error *err) TF_MUST_USE;

#endif
