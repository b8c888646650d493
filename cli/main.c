/* trustfuzz — command-line entry point: dispatches to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "trustfuzz/fixture.h"

const cli_command cli_commands[] = {
	{"gen", cmd_gen, "generate scenarios from a seed and profile, as fixtures"},
	{"show", cmd_show, "print a scenario as a readable tree"},
	{"dot", cmd_dot, "print a scenario as a Graphviz picture"},
	{"eval", cmd_eval, "judge fixtures with evaluator instances side by side"},
	{"replay", cmd_replay, "check every fixture under a path against its expected verdicts"},
	{"minimize", cmd_minimize, "shrink a fixture's divergence to a minimal fixture"},
	{"run", cmd_run, "run a differential campaign: find, minimize and keep divergences"},
	{"export", cmd_export, "write a fixture's certificates, keys, verify.sh and reproduce.ps1"},
	{"report", cmd_report, "write an HTML/Markdown/SARIF report of a findings directory"},
	{"prop", cmd_prop, "run property tests over the evaluators; shrink counterexamples"},
	{"bench", cmd_bench, "measure scenarios per second against the crypto ceiling"},
	{"import", cmd_import, "build a fixture from real PEM/DER certificates or a manifest"},
	{"audit", cmd_audit, "check a real server store for the KB 2802568 trigger and relatives"},
	/* subcommands: keep this list in the order of `trustfuzz --help` */
	{NULL, NULL, NULL},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: trustfuzz COMMAND [OPTIONS] [ARGS]\n"
		     "       trustfuzz COMMAND --help\n"
		     "       trustfuzz --version\n\n"
		     "Fuzz and property-test certificate trust evaluators against each other.\n\n"
		     "commands:\n");
	for (const cli_command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out, "\nexit codes: 0 ok, 1 finding or mismatch, 2 usage or input error,\n"
		     "3 internal or backend failure\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return TF_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return TF_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("trustfuzz %s\n", TF_VERSION_STRING);
		return TF_EXIT_OK;
	}
	for (const cli_command *c = cli_commands; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "trustfuzz: unknown command '%s' (see trustfuzz --help)\n", argv[1]);
	return TF_EXIT_USAGE;
}
