/*
 * harness/dot.c — a fixture's scenario as a Graphviz digraph (dot.h).
 *
 * Moved here from cli/cmd_dot.c so that `trustfuzz report` draws the same
 * picture `trustfuzz dot` prints; the output is byte-for-byte what the CLI
 * printed before (tests/cli/fixture_gen.sh checks it).
 */
#include <stdio.h>

#include "trustfuzz/dot.h"

/* Writes text as the inside of a DOT double-quoted string. */
static void put_escaped(FILE *out, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', out);
		fputc(*p, out);
	}
}

static bool is_trigger(const tf_scenario *s, unsigned i)
{
	if (!tf_store_has(&s->stores[TF_STORE_ROOT], i))
		return false;
	if (s->knobs.kb_trigger == TF_KB_TRIGGER_SIGNATURE)
		return !tf_cert_self_signed(s, i);
	return !tf_cert_self_issued(s, i);
}

/* The first store holding cert i, or TF_STORE_COUNT when none. */
static unsigned home_store(const tf_scenario *s, unsigned i)
{
	for (unsigned id = 0; id < TF_STORE_COUNT; id++)
		if (tf_store_has(&s->stores[id], i))
			return id;
	return TF_STORE_COUNT;
}

static bool is_leaf_of_identity(const tf_scenario *s, unsigned i)
{
	for (unsigned k = 0; k < s->nidentities; k++)
		if (s->identities[k].leaf == i)
			return true;
	return false;
}

static void put_node(FILE *out, const tf_scenario *s, unsigned i, const char *indent)
{
	const tf_cert *c = &s->certs[i];
	tf_time_class tc = tf_cert_time_class(s, i);
	fprintf(out, "%sc%u [label=\"", indent, i);
	put_escaped(out, c->id);
	fprintf(out, "\\n");
	put_escaped(out, s->names[c->subject].label[0] ? s->names[c->subject].label : "(empty DN)");
	if (tc == TF_TIME_EXPIRED)
		fprintf(out, "\\n(expired)");
	else if (tc == TF_TIME_NOT_YET_VALID)
		fprintf(out, "\\n(not yet valid)");
	unsigned home = home_store(s, i);
	for (unsigned id = home + 1; id < TF_STORE_COUNT; id++)
		if (tf_store_has(&s->stores[id], i))
			fprintf(out, "\\nalso in %s", tf_store_name((tf_store_id)id));
	if (is_trigger(s, i))
		fprintf(out, "\\nKB trigger: %s, in Root",
			s->knobs.kb_trigger == TF_KB_TRIGGER_SIGNATURE ? "not self-signed"
									: "not self-issued");
	fprintf(out, "\"");
	if (is_trigger(s, i))
		fprintf(out, ", color=red, fontcolor=red, penwidth=2");
	else if (tc != TF_TIME_VALID)
		fprintf(out, ", color=gray50, fontcolor=gray40");
	if (is_leaf_of_identity(s, i))
		fprintf(out, ", peripheries=2");
	fprintf(out, "];\n");
}

tf_err tf_dot_write(FILE *out, const tf_fixture *f, tf_error *err)
{
	const tf_scenario *s = &f->scenario;
	static const char *const titles[] = {"Root (Trusted Root CAs)", "Intermediate CAs",
					     "Client Authentication Issuers"};
	fprintf(out, "digraph \"");
	put_escaped(out, f->id);
	fprintf(out, "\" {\n"
		     "  graph [rankdir=BT, fontname=\"Helvetica\", labelloc=t, label=\"");
	put_escaped(out, f->id);
	fprintf(out, "\"];\n"
		     "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
		     "  edge [fontname=\"Helvetica\", fontsize=10];\n");
	for (unsigned id = 0; id < TF_STORE_COUNT; id++) {
		if (!s->stores[id].n)
			continue;
		fprintf(out, "  subgraph cluster_%s {\n    label=\"%s\"; style=rounded;%s\n",
			tf_store_name((tf_store_id)id), titles[id],
			id == TF_STORE_ROOT ? " color=gray30;" : " color=gray60;");
		for (unsigned i = 0; i < s->ncerts; i++) {
			unsigned home = home_store(s, i);
			if (home == id) {
				put_node(out, s, i, "    ");
			} else if (tf_store_has(&s->stores[id], i)) {
				/* Drawn in an earlier store: a note keeps this one complete. */
				fprintf(out, "    s%u_c%u [shape=plaintext, label=\"", id, i);
				put_escaped(out, s->certs[i].id);
				fprintf(out, "\\n(drawn in %s)\"];\n", tf_store_name((tf_store_id)home));
			}
		}
		fprintf(out, "  }\n");
	}
	for (unsigned i = 0; i < s->ncerts; i++)
		if (home_store(s, i) == TF_STORE_COUNT)
			put_node(out, s, i, "  ");
	for (unsigned i = 0; i < s->ncerts; i++) {
		for (unsigned j = 0; j < s->ncerts; j++) {
			if (!tf_cert_names_chain(s, i, j))
				continue;
			fprintf(out, "  c%u -> c%u [label=\"issued by\"%s];\n", i, j,
				s->certs[i].corrupt_sig ? ", style=dashed, color=red" : "");
		}
	}
	for (unsigned k = 0; k < s->nidentities; k++) {
		const tf_identity *id = &s->identities[k];
		fprintf(out, "  id%u [label=\"identity %u\", shape=cds, style=filled, "
			     "fillcolor=lightyellow];\n",
			k, k);
		fprintf(out, "  id%u -> c%u [style=bold, label=\"leaf\"];\n", k, id->leaf);
		for (unsigned j = 0; j < id->nchain; j++)
			fprintf(out, "  id%u -> c%u [style=dotted, label=\"sends %u\"];\n", k,
				id->chain[j], j + 1);
	}
	fprintf(out, "}\n");
	TF_ENSURE(!ferror(out), err, TF_ERR_IO, "write failed");
	return TF_OK;
}
