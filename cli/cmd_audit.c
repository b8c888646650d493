/*
 * cli/cmd_audit.c — `trustfuzz audit`: check a real, exported server store
 * for the KB 2802568 / KB 2795828 trigger and its relatives (audit.h,
 * docs/import.md). Made for provisioning scripts: exit 1 exactly when a
 * finding means Windows Server 2012 client authentication will fail.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "trustfuzz/audit.h"
#include "trustfuzz/fixture.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: trustfuzz audit --root FILE|DIR... [--intermediate FILE|DIR]...\n"
		"                       [--client-auth-issuers FILE|DIR]... [--time RFC3339]\n"
		"                       [--limit BYTES] [--trigger name|signature] [--json]\n\n"
		"Audits the certificates of a server's stores (exported as PEM or DER files; a\n"
		"DIR means every *.pem, *.crt, *.cer, *.der in it, in name order) for the KB\n"
		"2802568 / KB 2795828 trigger and its relatives: certificates in Root that are\n"
		"not self-issued or not self-signed, a Client Authentication Issuers store that\n"
		"mixes both, a trusted issuer list over the 16 KB limit (and which entries fall\n"
		"off), expired roots, duplicates. Each finding says what Windows Server 2012\n"
		"will do and the fix. While Client Authentication Issuers holds certificates\n"
		"it is the list's source, and Root's findings are warnings, not the trigger.\n\n"
		"  -r, --root PATH        LocalMachine\\Root (repeatable)\n"
		"  -i, --intermediate PATH  LocalMachine\\CA (repeatable)\n"
		"  -a, --client-auth-issuers PATH  the Client Authentication Issuers store\n"
		"  -t, --time T           audit time, RFC 3339 UTC; default: now, printed\n"
		"  -l, --limit BYTES      issuer-list size limit (default 16384)\n"
		"  -T, --trigger TEST     name (default: Issuer differs from Subject, KB 2795828)\n"
		"                         or signature (also self-issued but not self-signed)\n"
		"  -j, --json             print the report as JSON\n"
		"  -h, --help             this text\n\n"
		"exit: 0 no trigger, 1 trigger present, 2 usage or bad input, 3 internal\n");
}

typedef struct audit_cli {
	tf_import_list store[TF_STORE_COUNT];
	tf_audit_opts opts;
	bool json, have_time;
} audit_cli;

static void print_text(const audit_cli *o, const tf_audit_report *r)
{
	char when[32];
	size_t count[3] = {0};
	const tf_import_list *src = &o->store[r->source];
	printf("audit at %s: root %zu, intermediate %zu, client_auth_issuers %zu certificates\n",
	       tf_time_format(r->time, when, sizeof when), o->store[0].n, o->store[1].n,
	       o->store[2].n);
	printf("trusted issuer list: %s, %zu entries, %zu bytes (limit %u)\n",
	       tf_store_name(r->source), r->nentries, r->bytes, (unsigned)r->limit);
	for (size_t i = 0; i < r->nfindings; i++) {
		const tf_audit_finding *f = &r->findings[i];
		count[f->severity]++;
		printf("\n[%s] %s: %s%s%s\n", tf_audit_severity_str(f->severity),
		       tf_audit_kind_str(f->kind), f->origin[0] ? f->origin : tf_store_name(f->store),
		       f->subject[0] ? ": " : "", f->subject);
		printf("  %s\n", f->what);
		if (f->thumbprint[0])
			printf("  thumbprint: %s\n", f->thumbprint);
		printf("  Windows Server 2012: %s\n  fix: %s\n", f->windows, f->fix);
		if (f->kind != TF_AUDIT_LIST_OVER_LIMIT)
			continue;
		for (size_t k = 0; k < r->nentries; k++)
			if (!r->entries[k].kept)
				printf("  falls off: %s (%s, %zu bytes)\n",
				       src->v[r->entries[k].cert].origin, r->entries[k].subject,
				       r->entries[k].bytes);
	}
	printf("\nresult: %s (%zu trigger, %zu warning, %zu info)\n",
	       r->trigger ? "trigger present: client authentication will fail for some clients"
			   : "clean: no trigger",
	       count[TF_AUDIT_TRIGGER], count[TF_AUDIT_WARNING], count[TF_AUDIT_INFO]);
}

static json_t *report_json(const audit_cli *o, const tf_audit_report *r)
{
	char when[32];
	const tf_import_list *src = &o->store[r->source];
	json_t *dropped = json_array(), *findings = json_array();
	for (size_t k = 0; dropped && k < r->nentries; k++)
		if (!r->entries[k].kept)
			json_array_append_new(dropped,
					      json_pack("{s:s, s:s, s:I}", "file",
							src->v[r->entries[k].cert].origin, "subject",
							r->entries[k].subject, "bytes",
							(json_int_t)r->entries[k].bytes));
	for (size_t i = 0; findings && i < r->nfindings; i++) {
		const tf_audit_finding *f = &r->findings[i];
		json_array_append_new(
			findings,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kind",
				  tf_audit_kind_str(f->kind), "severity",
				  tf_audit_severity_str(f->severity), "store", tf_store_name(f->store),
				  "file", f->origin, "subject", f->subject, "thumbprint", f->thumbprint,
				  "what", f->what, "windows", f->windows, "fix", f->fix));
	}
	return json_pack("{s:s, s:{s:I, s:I, s:I}, s:{s:s, s:I, s:I, s:I, s:I, s:I, s:o}, "
			 "s:o, s:b}",
			 "time", tf_time_format(r->time, when, sizeof when), "stores", "root",
			 (json_int_t)o->store[0].n, "intermediate", (json_int_t)o->store[1].n,
			 "client_auth_issuers", (json_int_t)o->store[2].n, "issuer_list", "source",
			 tf_store_name(r->source), "entries", (json_int_t)r->nentries, "bytes",
			 (json_int_t)r->bytes, "limit", (json_int_t)r->limit, "kept",
			 (json_int_t)r->nkept, "kept_bytes", (json_int_t)r->kept_bytes, "dropped",
			 dropped ? dropped : json_array(), "findings",
			 findings ? findings : json_array(), "trigger", r->trigger);
}

static int load(audit_cli *o, tf_store_id store, const char *path)
{
	tf_error err = {0};
	if (tf_import_load(path, &o->store[store], &err) != TF_OK)
		return cli_report(&err);
	return TF_EXIT_OK;
}

static int parse(int argc, char **argv, audit_cli *o)
{
	static const struct option longopts[] = {
		{"root", required_argument, NULL, 'r'},
		{"intermediate", required_argument, NULL, 'i'},
		{"client-auth-issuers", required_argument, NULL, 'a'},
		{"time", required_argument, NULL, 't'},
		{"limit", required_argument, NULL, 'l'},
		{"trigger", required_argument, NULL, 'T'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, rc = TF_EXIT_OK;
	uint64_t limit = 0;
	optind = 1;
	opterr = 0;
	while (rc == TF_EXIT_OK &&
	       (c = getopt_long(argc, argv, "r:i:a:t:l:T:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': rc = load(o, TF_STORE_ROOT, optarg); break;
		case 'i': rc = load(o, TF_STORE_INTERMEDIATE, optarg); break;
		case 'a': rc = load(o, TF_STORE_CAI, optarg); break;
		case 't':
			if (!tf_time_parse(optarg, &o->opts.time))
				return cli_usage_error("audit", "--time %s: expected RFC 3339 UTC like "
								"2024-01-01T00:00:00Z", optarg);
			o->have_time = true;
			break;
		case 'l':
			if (!cli_parse_u64(optarg, &limit) || limit > UINT32_MAX)
				return cli_usage_error("audit", "--limit %s: expected a byte count",
						       optarg);
			o->opts.limit = (uint32_t)limit;
			break;
		case 'T':
			if (strcmp(optarg, "name") && strcmp(optarg, "signature"))
				return cli_usage_error("audit", "--trigger %s: expected name or "
								 "signature", optarg);
			o->opts.trigger_signature = !strcmp(optarg, "signature");
			break;
		case 'j': o->json = true; break;
		case 'h': usage(stdout); return -1;
		default: return cli_bad_option("audit", argv);
		}
	}
	if (rc != TF_EXIT_OK)
		return rc;
	if (optind < argc)
		return cli_usage_error("audit", "unexpected argument '%s'", argv[optind]);
	if (o->store[TF_STORE_ROOT].n == 0)
		return cli_usage_error("audit", "--root is required");
	return TF_EXIT_OK;
}

static int run(audit_cli *o)
{
	tf_audit_report r;
	tf_error err = {0};
	char when[32];
	int rc = TF_EXIT_OK;
	if (!o->have_time) {
		o->opts.time = (int64_t)time(NULL);
		fprintf(stderr, "trustfuzz audit: audit time %s (now; --time sets it)\n",
			tf_time_format(o->opts.time, when, sizeof when));
	}
	if (tf_audit_run(&o->store[TF_STORE_ROOT], &o->store[TF_STORE_INTERMEDIATE],
			 &o->store[TF_STORE_CAI], &o->opts, &r, &err) != TF_OK)
		return cli_report(&err);
	if (o->json) {
		json_t *doc = report_json(o, &r);
		char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
		if (text)
			printf("%s\n", text);
		else
			rc = TF_EXIT_INTERNAL;
		free(text);
		json_decref(doc);
	} else {
		print_text(o, &r);
	}
	if (rc == TF_EXIT_OK && r.trigger)
		rc = TF_EXIT_FINDING;
	tf_audit_report_free(&r);
	return rc;
}

int cmd_audit(int argc, char **argv)
{
	audit_cli *o = calloc(1, sizeof *o);
	int rc = TF_EXIT_OK;
	if (!o) {
		fprintf(stderr, "trustfuzz audit: out of memory\n");
		return TF_EXIT_INTERNAL;
	}
	o->opts.limit = TF_DEFAULT_ISSUER_LIST_LIMIT;
	rc = parse(argc, argv, o);
	if (rc < 0)
		rc = TF_EXIT_OK; /* --help */
	else if (rc == TF_EXIT_OK)
		rc = run(o);
	for (unsigned s = 0; s < TF_STORE_COUNT; s++)
		tf_import_list_free(&o->store[s]);
	free(o);
	return rc;
}
