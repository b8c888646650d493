/*
 * trustfuzz/dot.h — a fixture's scenario as a Graphviz digraph.
 *
 * Certificates are nodes (id and subject), with an "issued by" edge from a
 * certificate to every certificate that could have signed it (same name and
 * key, tf_cert_names_chain; dashed when the signature is corrupt). Issuers
 * sit above what they issued (rankdir=BT). Stores are clusters; a
 * certificate in several stores is drawn once, in the first of root,
 * intermediate, client_auth_issuers; its label lists the others ("also in
 * intermediate"), and those clusters hold a plain note "ID (drawn in root)"
 * instead — duplicating nodes would duplicate every edge. Each client
 * identity is a small node pointing at its leaf (bold) and at the
 * certificates it sends (dotted, numbered). The KB 2802568 trigger — a
 * certificate in Root that is not self-issued (not self-signed under the
 * scenario's kb.trigger=signature) — is red.
 *
 * Used by `trustfuzz dot` (which prints it) and `trustfuzz report` (which
 * pipes it into Graphviz's dot -Tsvg). The output is a pure function of the
 * fixture: the same fixture gives the same bytes.
 *
 * Not here: running Graphviz (report.h), reading fixtures (fixture.h).
 */
#ifndef TRUSTFUZZ_DOT_H
#define TRUSTFUZZ_DOT_H

#include <stdio.h>

#include "trustfuzz/err.h"
#include "trustfuzz/fixture.h"

/* Writes f's scenario as a DOT digraph named after f->id to out. Strings
 * from the fixture are escaped for DOT's double-quoted strings. TF_ERR_IO
 * when out reports a write error (the caller names the stream). */
tf_err tf_dot_write(FILE *out, const tf_fixture *f, tf_error *err) TF_MUST_USE;

#endif
