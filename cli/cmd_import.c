/*
 * cli/cmd_import.c — `trustfuzz import`: real PEM/DER certificates (or a
 * manifest directory) → one fixture (docs/import.md).
 *
 * Every input is read and mapped before anything is written, and the
 * fixture is written atomically: bad input leaves no partial output.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/import.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: trustfuzz import --leaf FILE [--chain FILE]... --root FILE|DIR...\n"
		"                        [--intermediate FILE|DIR]... [--client-auth-issuers FILE|DIR]...\n"
		"                        [--time RFC3339] [--send-issuer-list] [--trust-mode N]\n"
		"                        [--id ID] [--out FIXTURE]\n"
		"       trustfuzz import --manifest DIR [--out FIXTURE]\n\n"
		"Builds a fixture from real certificates: PEM files (any number of CERTIFICATE\n"
		"blocks) or DER files; a DIR means every *.pem, *.crt, *.cer, *.der in it, in name\n"
		"order. Then `trustfuzz eval FIXTURE` judges it with every evaluator.\n\n"
		"  -l, --leaf FILE          the client's certificate first; further certificates\n"
		"                           in FILE are the chain it sends\n"
		"  -c, --chain FILE         more certificates the client sends (repeatable)\n"
		"  -r, --root PATH          LocalMachine\\Root (repeatable)\n"
		"  -i, --intermediate PATH  LocalMachine\\CA (repeatable)\n"
		"  -a, --client-auth-issuers PATH  the Client Authentication Issuers store\n"
		"  -t, --time T             validation time, RFC 3339 UTC (\"2024-01-01T00:00:00Z\");\n"
		"                           default: now, printed on stderr\n"
		"  -s, --send-issuer-list   SendTrustedIssuerList=1\n"
		"  -m, --trust-mode N       ClientAuthTrustMode 0, 1 or 2 (default 0)\n"
		"      --id ID              fixture id (default import-<leaf file name>)\n"
		"  -M, --manifest DIR       import DIR/manifest.json instead (docs/import.md)\n"
		"  -o, --out FIXTURE        write the fixture there (default: stdout)\n"
		"  -h, --help               this text\n\n"
		"exit: 0 written, 2 usage or bad input (one line naming the file), 3 internal\n");
}

typedef struct import_opts {
	tf_import_spec spec;
	const char *out, *manifest, *id, *leaf;
	bool have_time;
} import_opts;

static int load(import_opts *o, tf_import_role role, const char *path)
{
	tf_error err = {0};
	if (tf_import_load(path, &o->spec.role[role], &err) != TF_OK)
		return cli_report(&err);
	return TF_EXIT_OK;
}

/* "import-<leaf file name without its extension>", in fixture-id characters. */
static void default_id(const char *leaf, char *id, size_t n)
{
	const char *base = strrchr(leaf, '/');
	base = base ? base + 1 : leaf;
	size_t len = strcspn(base, ".");
	snprintf(id, n, "import-%.*s", (int)len, base);
	for (char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			*p = '-';
}

static int write_fixture(const import_opts *o, const tf_fixture *f)
{
	tf_error err = {0};
	if (o->out) {
		if (tf_fixture_write(o->out, f, &err) != TF_OK)
			return cli_report(&err);
		printf("%s: %u certificates, %u names, %u keys\n", o->out, f->scenario.ncerts,
		       f->scenario.nnames, f->scenario.nkeys);
		return TF_EXIT_OK;
	}
	char *text = NULL;
	size_t len = 0;
	if (tf_fixture_to_json(f, &text, &len, &err) != TF_OK)
		return cli_report(&err);
	fwrite(text, 1, len, stdout);
	free(text);
	return TF_EXIT_OK;
}

static int run_files(import_opts *o, tf_fixture *f)
{
	tf_error err = {0};
	char id[TF_FIXTURE_ID_MAX], why[TF_FIXTURE_WHY_MAX], when[32];
	if (!o->have_time) {
		/* The one clock read of the import path: the CLI's default, shown. */
		o->spec.server.validation_time = (int64_t)time(NULL);
		fprintf(stderr, "trustfuzz import: validation time %s (now; --time sets it)\n",
			tf_time_format(o->spec.server.validation_time, when, sizeof when));
	}
	if (o->id)
		snprintf(id, sizeof id, "%s", o->id);
	else
		default_id(o->leaf, id, sizeof id);
	snprintf(why, sizeof why, "imported from %s by trustfuzz import", o->leaf);
	for (char *p = why; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	if (tf_import_fixture(&o->spec, id, why, f, &err) != TF_OK)
		return cli_report(&err);
	return write_fixture(o, f);
}

static int run_manifest(const import_opts *o, tf_fixture *f)
{
	tf_error err = {0};
	tf_manifest m;
	if (tf_import_manifest(o->manifest, f, &m, &err) != TF_OK)
		return cli_report(&err);
	return write_fixture(o, f);
}

static int parse(int argc, char **argv, import_opts *o)
{
	static const struct option longopts[] = {
		{"leaf", required_argument, NULL, 'l'},
		{"chain", required_argument, NULL, 'c'},
		{"root", required_argument, NULL, 'r'},
		{"intermediate", required_argument, NULL, 'i'},
		{"client-auth-issuers", required_argument, NULL, 'a'},
		{"time", required_argument, NULL, 't'},
		{"send-issuer-list", no_argument, NULL, 's'},
		{"trust-mode", required_argument, NULL, 'm'},
		{"id", required_argument, NULL, 'I'},
		{"manifest", required_argument, NULL, 'M'},
		{"out", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, rc = TF_EXIT_OK;
	long mode = 0;
	bool files = false;

	optind = 1;
	opterr = 0;
	while (rc == TF_EXIT_OK &&
	       (c = getopt_long(argc, argv, "l:c:r:i:a:t:sm:M:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (o->leaf)
				return cli_usage_error("import", "--leaf given twice");
			o->leaf = optarg;
			rc = load(o, TF_IMPORT_LEAF, optarg);
			files = true;
			break;
		case 'c': rc = load(o, TF_IMPORT_CHAIN, optarg); files = true; break;
		case 'r': rc = load(o, TF_IMPORT_ROOT, optarg); files = true; break;
		case 'i': rc = load(o, TF_IMPORT_INTERMEDIATE, optarg); files = true; break;
		case 'a': rc = load(o, TF_IMPORT_CAI, optarg); files = true; break;
		case 't':
			if (!tf_time_parse(optarg, &o->spec.server.validation_time))
				return cli_usage_error("import", "--time %s: expected RFC 3339 UTC "
								 "like 2024-01-01T00:00:00Z", optarg);
			o->have_time = true;
			break;
		case 's': o->spec.server.send_issuer_list = true; files = true; break;
		case 'm':
			if (!cli_parse_long(optarg, 0, 2, &mode))
				return cli_usage_error("import", "--trust-mode %s: expected 0, 1 or 2",
						       optarg);
			o->spec.server.trust_mode = (uint8_t)mode;
			files = true;
			break;
		case 'I': o->id = optarg; break;
		case 'M': o->manifest = optarg; break;
		case 'o': o->out = optarg; break;
		case 'h': usage(stdout); return -1;
		default: return cli_bad_option("import", argv);
		}
	}
	if (rc != TF_EXIT_OK)
		return rc;
	if (optind < argc)
		return cli_usage_error("import", "unexpected argument '%s'", argv[optind]);
	if (o->manifest && (files || o->have_time || o->id))
		return cli_usage_error("import", "--manifest takes no other input option: the "
						 "manifest names files, time and settings");
	if (!o->manifest && !o->leaf)
		return cli_usage_error("import", "--leaf or --manifest is required");
	if (!o->manifest && o->spec.role[TF_IMPORT_ROOT].n == 0)
		return cli_usage_error("import", "--root is required");
	return TF_EXIT_OK;
}

int cmd_import(int argc, char **argv)
{
	import_opts *o = calloc(1, sizeof *o);
	tf_fixture *f = malloc(sizeof *f);
	int rc = TF_EXIT_OK;
	if (!o || !f) {
		fprintf(stderr, "trustfuzz import: out of memory\n");
		rc = TF_EXIT_INTERNAL;
		goto done;
	}
	tf_import_spec_init(&o->spec);
	tf_fixture_init(f);
	rc = parse(argc, argv, o);
	if (rc < 0)
		rc = TF_EXIT_OK; /* --help */
	else if (rc == TF_EXIT_OK)
		rc = o->manifest ? run_manifest(o, f) : run_files(o, f);
done:
	if (o)
		tf_import_spec_free(&o->spec);
	if (f)
		tf_fixture_free(f);
	free(o);
	free(f);
	return rc;
}
