/*
 * trustfuzz/finding.h — from a divergence to a fixture, in one call.
 *
 * `trustfuzz minimize`, the campaign runner and the fuzz targets all turn a
 * (scenario, signature) pair into the same kind of fixture, so the recipe
 * lives here once:
 *
 *   1. shrink the scenario while the signature holds (minimize.h), unless
 *      the caller asks for an unminimized example;
 *   2. run every instance on the result and set each one's expected verdict
 *      to what it said (status, HRESULT, identity, path), so the fixture
 *      replays to the same verdicts;
 *   3. tags: the signature's feature names, then "known:<entry id>" or "new";
 *   4. a one-line why, generated ("ref says 200, kb says 403.16
 *      (CERT_E_UNTRUSTEDROOT): trigger, issuer list off; known: ...");
 *   5. provenance: origin, tool version, the encoded original scenario as
 *      input bytes (when the byte format can carry it), seed and profile as
 *      the caller gives them.
 *
 * The fixture's id is "div-<signature id>". The result is ready for
 * tf_fixture_write or tf_findings_put_finding; nothing here writes files.
 *
 * Not here: finding divergences (diff.h), where findings go (findings.h).
 */
#ifndef TRUSTFUZZ_FINDING_H
#define TRUSTFUZZ_FINDING_H

#include <stdbool.h>
#include <stdint.h>

#include "trustfuzz/diff.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/minimize.h"

typedef struct tf_finding_opts {
	tf_depth depth;               /* the depth sig was found at */
	bool no_minimize;             /* true: a fixture of the scenario as it is (an example) */
	tf_min_opts min;              /* minimizer bounds */
	const tf_known_table *known;  /* NULL: every signature is "new" */
	const char *origin;           /* provenance origin; NULL: "minimized" (or "example") */
	const char *profile;          /* generation profile, NULL or "" when none */
	bool has_seed;
	uint64_t seed;
} tf_finding_opts;

/* What tf_finding_fixture found out on the way (may be ignored). */
typedef struct tf_finding_info {
	tf_min_stats stats;           /* zero when not minimized */
	const tf_known_entry *known;  /* the matching known entry, or NULL (new) */
} tf_finding_info;

/* Builds the fixture of divergence sig (found by tf_diff_signatures on s
 * with these n opened instances, in this order) into out, which is
 * initialised by the call (free with tf_fixture_free). With opts->known,
 * sig is taken in its mechanism form (tf_known_coarsen; either form may be
 * given) and the fixture's id is that form's. TF_ERR_INVALID when s does
 * not show sig; minimizer and evaluator errors are passed on. info may be
 * NULL. */
tf_err tf_finding_fixture(tf_instance *inst, unsigned n, const tf_scenario *s,
			  const tf_signature *sig, const tf_finding_opts *opts, tf_fixture *out,
			  tf_finding_info *info, tf_error *err) TF_MUST_USE;

/* The generated one-line why of a signature over a run of these instances
 * (see above) into buf; returns buf. known may be NULL. */
char *tf_finding_why(const tf_instance *inst, const tf_signature *sig, const tf_verdict *va,
		     const tf_verdict *vb, const tf_known_entry *known, char *buf, size_t bufsz);

#endif
