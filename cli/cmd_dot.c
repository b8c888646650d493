/*
 * cli/cmd_dot.c — `trustfuzz dot`: a fixture's scenario as a Graphviz graph.
 * The picture itself is tf_dot_write (trustfuzz/dot.h, harness/dot.c), which
 * `trustfuzz report` shares. Render with scripts/render-dot.sh or
 * `trustfuzz dot FILE | dot -Tsvg -o out.svg`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trustfuzz/dot.h"
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
		if (tf_dot_write(stdout, f, &err) != TF_OK || fflush(stdout) != 0) {
			fprintf(stderr, "trustfuzz: <stdout>: write failed\n");
			rc = TF_EXIT_INTERNAL;
		}
	}
	tf_fixture_free(f);
	free(f);
	return rc;
}
