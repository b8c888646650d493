/*
 * generators/visit.h — the parts of the one walk (private to generators/).
 *
 * gen_visit (visit.c) calls these in stream order. Each part reads what the
 * earlier parts decoded from dst (never from src, which is only the encoder's
 * source of wanted values), so defaults are the same in every mode.
 */
#ifndef TF_GEN_VISIT_H
#define TF_GEN_VISIT_H

#include "gen_io.h"

/* The encoder's wanted value, or 0 when not encoding (src may be NULL then). */
#define GEN_WANT(io, expr) ((io)->mode == GEN_ENCODE ? (unsigned)(expr) : 0u)

/* visit_certs.c: pass 1 (subjects), pass 2 (issuers), attributes. */
void gen_visit_subjects(gen_io *io, tf_scenario *d, const tf_scenario *s);
void gen_visit_issuers(gen_io *io, tf_scenario *d, const tf_scenario *s);
void gen_visit_attributes(gen_io *io, tf_scenario *d, const tf_scenario *s);

/* After the server part: folds every certificate's notBefore/notAfter
 * (gen_fold) so that validation time + offset is a representable X.509 time
 * (TF_TIME_MIN..TF_TIME_MAX). Consumes no input. */
void gen_fit_times(tf_scenario *d);

/* Roles in the decoded structure, bit i for cert i: a CA when its subject
 * name and key certify some other certificate, else a leaf. */
uint32_t gen_ca_roles(const tf_scenario *d);
/* The default issuer of cert c: the nearest earlier cert (then wrapping to
 * the later ones) whose subject name and key certify c, else c - 1. */
unsigned gen_parent(const tf_scenario *d, unsigned c);

/* labels.c: name labels and certificate ids (canonical, custom, repaired). */
void gen_visit_labels(gen_io *io, tf_scenario *d, const tf_scenario *s);

#endif
