/*
 * trustfuzz/models.h — the two pure evaluators: the reference (RFC 5280
 * path building, correct behaviour) and the KB 2802568 model (Windows
 * Server 2012 Schannel as the KB documents it).
 *
 * Both are tf_evaluator values (evaluator.h) and pure functions of the
 * scenario and the knobs: no globals, no clock, no I/O, no heap. They share
 * one path-building engine (evaluators/paths.h, RFC 4158 style: every
 * candidate path, bounded) and differ only in the trusted issuer list they
 * derive from the stores; docs/evaluators.md documents the checks, the
 * order that picks the reported failure, the search bound and each KB
 * variant.
 *
 *   tf_evaluator_ref  name "ref", no knob prefix: reads the global knobs
 *                     anchors, anchor_validity, profile, max_depth.
 *   tf_evaluator_kb   name "kb", knob prefix "kb." (kb.trigger, kb.variant);
 *                     also honours the global knobs for everything outside
 *                     the bug, where it gives exactly the reference verdict.
 *
 * The scenario passed to evaluate must pass tf_scenario_validate (the
 * evaluators index its tables without re-checking them).
 *
 * Not here: real certificates (the OpenSSL backend), comparing verdicts
 * (diff.h), which instances exist (registry.h).
 */
#ifndef TRUSTFUZZ_MODELS_H
#define TRUSTFUZZ_MODELS_H

#include <stdbool.h>

#include "trustfuzz/evaluator.h"

extern const tf_evaluator tf_evaluator_ref;
extern const tf_evaluator tf_evaluator_kb;

/* Whether the KB 2802568 deviation applies to s under knobs: the source
 * store of the trusted issuer list (Client Authentication Issuers when
 * non-empty, else Root) holds a certificate that is not self-signed in the
 * sense of kb.trigger (name: subject != issuer; signature: not
 * tf_cert_self_signed) and, for kb.variant=mixed-store, also one that is.
 * When it returns false the KB model's verdict equals the reference's,
 * path included. */
bool tf_kb_triggered(const tf_scenario *s, const tf_knobs *knobs);

/* The trusted issuer list the KB model derives (untruncated): the reference
 * list when not triggered; else per kb.variant: mixed-store keeps the
 * non-self-signed entries, cut-at-first keeps the entries before the first
 * non-self-signed one, any-trigger keeps the whole list. */
void tf_kb_issuer_list(const tf_scenario *s, const tf_knobs *knobs, tf_issuer_list *out);

#endif
