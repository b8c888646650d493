/*
 * cli/cmd_dot.c — `trustfuzz dot`: a fixture's scenario as a Graphviz graph.
 *
 * Certificates are nodes (id and subject), with an "issued by" edge from a
 * certificate to every certificate that could have signed it (same name and
 * key, tf_cert_names_chain; dashed when the signature is corrupt). Issuers
 * sit above what they issued (rankdir=BT). Stores are clusters; a
 * certificate in several stores is drawn once, in the first of root,
 * intermediate, client_auth_issuers; its label lists the others ("also in
 * intermediate"), and those clusters hold a plain note "ID (drawn in root)"
 * instead — duplicating nodes would duplicate every edge. Each
 * client identity is a small node pointing at its leaf (bold) and at the
 * certificates it sends (dotted, numbered). The KB 2802568 trigger — a
 * certificate in Root that is not self-issued (not self-signed under the
 * scenario's kb.trigger=signature) — is red. Render with
 * scripts/render-dot.sh or `trustfuzz dot FILE | dot -Tsvg -o out.svg`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trustfuzz/fixture.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: trustfuzz dot FILE\n"
		     "\n"
		     "Print the fixture's scenario as a Graphviz digraph: certificates as nodes,\n"
		     "issued-by edges (dashed: corrupt signature), stores as clusters, client\n"
		     "identities, the KB 2802568 trigger (a non-self-issued certificate in Root)\n"
		     "in red. A certificate in several stores is drawn in the first one, labelled\n"
		     "with the others, which show a note. Render: trustfuzz dot FILE | dot -Tsvg\n"
		     "-o out.svg\n"
		     "(or scripts/render-dot.sh FILE out.svg).\n"
		     "\n"
		     "  -h, --help   this help\n"
		     "\n"
		     "exit codes: 0 ok, 2 usage error or unreadable fixture, 3 internal error\n");
}

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

static void put_graph(FILE *out, const tf_fixture *f)
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
}

int cmd_dot(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, rc = TF_EXIT_OK;
	tf_error err = {0};

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return TF_EXIT_OK;
		}
		if (c == '?' && optopt)
			return cli_usage_error("dot", "unknown option '-%c'", optopt);
		return cli_usage_error("dot", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind >= argc)
		return cli_usage_error("dot", "no fixture file given");
	if (argc - optind > 1)
		return cli_usage_error("dot", "one fixture file at a time, got %d", argc - optind);
	tf_fixture *f = malloc(sizeof *f);
	if (!f) {
		fprintf(stderr, "trustfuzz dot: out of memory\n");
		return TF_EXIT_INTERNAL;
	}
	tf_fixture_init(f);
	if (tf_fixture_read(argv[optind], f, &err) != TF_OK) {
		rc = cli_report(&err);
	} else {
		put_graph(stdout, f);
		if (fflush(stdout) != 0) {
			fprintf(stderr, "trustfuzz: <stdout>: write failed\n");
			rc = TF_EXIT_INTERNAL;
		}
	}
	tf_fixture_free(f);
	free(f);
	return rc;
}
