/*
 * cli/cmd_eval.c — `trustfuzz eval`: judge fixtures with evaluator
 * instances side by side, and check the fixtures' expected verdicts.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/registry.h"

#define EVAL_MAX_KNOBS 32

static void usage(FILE *out)
{
	fprintf(out,
		"usage: trustfuzz eval FILE... [--evaluator LIST] [--knob NAME=VALUE]...\n"
		"                      [--json] [--depth status|win32|path]\n\n"
		"Judges each fixture with every evaluator instance of LIST and prints their\n"
		"verdicts side by side: HTTP status.substatus, HRESULT (hex and the unsigned\n"
		"decimal IIS logs), presented identity, path, reason.\n\n"
		"  -e, --evaluator LIST  comma-separated instance specs EVAL[+KNOB[=VALUE]]...,\n"
		"                        or all (default): every built-in evaluator\n"
		"  -k, --knob NAME=VALUE set a knob of every scenario before the instances'\n"
		"                        own overrides (repeatable)\n"
		"  -j, --json            print the same as one JSON array\n"
		"  -d, --depth D         compare expectations up to D: status (status only),\n"
		"                        win32 (+ HRESULT), path (+ identity and path; default)\n"
		"  -h, --help            this text\n\n"
		"Expected verdicts of the fixture are checked for every instance that was run\n"
		"(same canonical name); only the fields the fixture gives are compared.\n"
		"exit: 0 all match, 1 a mismatch, 2 usage or bad fixture, 3 evaluator failure\n");
}

typedef struct eval_opts {
	const char *evaluators;
	const char *knobs[EVAL_MAX_KNOBS];
	unsigned nknobs;
	bool json;
	tf_depth depth;
} eval_opts;

/* The expectation with the fields beyond depth d dropped. */
static tf_expect at_depth(const tf_expect *e, tf_depth d)
{
	tf_expect x = *e;
	if (d < TF_DEPTH_WIN32)
		x.has_win32 = false;
	if (d < TF_DEPTH_PATH)
		x.has_path = x.has_identity = false;
	return x;
}

/* The expectation of f for the instance named `canonical`, or NULL. */
static const tf_expect *find_expect(const tf_fixture *f, const char *canonical)
{
	for (unsigned i = 0; i < f->nexpect; i++) {
		tf_instance probe;
		tf_error ignore = {0};
		if (tf_instance_parse(&probe, f->expect[i].evaluator, &ignore) != TF_OK)
			continue; /* an instance this build lacks cannot have been run */
		if (!strcmp(probe.name, canonical))
			return &f->expect[i].e;
	}
	return NULL;
}

static const char *identity_text(const tf_scenario *s, const tf_verdict *v, char *buf, size_t n)
{
	if (v->identity < 0 || v->identity >= s->nidentities)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%d (%s)", v->identity, s->certs[s->identities[v->identity].leaf].id);
	return buf;
}

typedef struct row {
	char status[8], win32[32], identity[64], path[160];
} row;

static void fill_row(const tf_scenario *s, const tf_verdict *v, row *r)
{
	snprintf(r->status, sizeof r->status, "%s", tf_status_str(v->status));
	tf_win32_format(v->win32, r->win32, sizeof r->win32);
	identity_text(s, v, r->identity, sizeof r->identity);
	tf_path_format(s, v->path, v->path_len, r->path, sizeof r->path);
}

static void print_table(const char *file, const tf_fixture *f, const tf_instance *inst,
			unsigned n, const tf_verdict *v)
{
	row rows[TF_MAX_INSTANCES];
	int w[5] = {9, 6, 5, 8, 4};
	for (unsigned i = 0; i < n; i++) {
		fill_row(&f->scenario, &v[i], &rows[i]);
		int lens[5] = {(int)strlen(inst[i].name), (int)strlen(rows[i].status),
			       (int)strlen(rows[i].win32), (int)strlen(rows[i].identity),
			       (int)strlen(rows[i].path)};
		for (int c = 0; c < 5; c++)
			if (lens[c] > w[c])
				w[c] = lens[c];
	}
	printf("%s (%s)\n", file, f->id);
	printf("  %-*s  %-*s  %-*s  %-*s  %-*s  %s\n", w[0], "evaluator", w[1], "status", w[2],
	       "win32", w[3], "identity", w[4], "path", "reason");
	for (unsigned i = 0; i < n; i++)
		printf("  %-*s  %-*s  %-*s  %-*s  %-*s  %s\n", w[0], inst[i].name, w[1],
		       rows[i].status, w[2], rows[i].win32, w[3], rows[i].identity, w[4],
		       rows[i].path, v[i].reason);
}

static json_t *verdict_json(const tf_scenario *s, const char *name, const tf_verdict *v)
{
	char hex[16];
	json_t *path = json_array();
	for (unsigned i = 0; path && i < v->path_len; i++)
		json_array_append_new(path, json_string(s->certs[v->path[i]].id));
	snprintf(hex, sizeof hex, "0x%08X", (unsigned)v->win32);
	const char *sym = tf_win32_str(v->win32);
	return json_pack("{s:s, s:s, s:s, s:I, s:s?, s:i, s:s?, s:o, s:s}", "evaluator", name,
			 "status", tf_status_str(v->status), "win32", hex, "win32_decimal",
			 (json_int_t)v->win32, "win32_name", sym, "identity", v->identity,
			 "identity_leaf",
			 v->identity >= 0 && v->identity < s->nidentities
				 ? s->certs[s->identities[v->identity].leaf].id
				 : NULL,
			 "path", path ? path : json_array(), "reason", v->reason);
}

/* Judges one fixture; appends JSON to `all` when not NULL. Returns an exit
 * code: 0, 1 (mismatch), 2 (bad fixture or knob), 3 (evaluator failure). */
static int eval_file(const char *file, tf_instance *inst, unsigned n, const eval_opts *o,
		     json_t *all)
{
	int rc = TF_EXIT_OK;
	tf_error err = {0};
	tf_fixture *f = malloc(sizeof *f);
	json_t *doc = NULL, *results = NULL, *mismatches = NULL;
	tf_verdict v[TF_MAX_INSTANCES];
	char diffs[TF_MAX_INSTANCES][400];
	unsigned ndiffs = 0;

	if (!f) {
		fprintf(stderr, "trustfuzz eval: out of memory\n");
		return TF_EXIT_INTERNAL;
	}
	tf_fixture_init(f);
	if (tf_fixture_read(file, f, &err) != TF_OK) {
		rc = cli_report(&err);
		goto done;
	}
	for (unsigned i = 0; i < o->nknobs; i++) {
		if (tf_knob_assign(&f->scenario.knobs, o->knobs[i], &err) != TF_OK) {
			rc = cli_usage_error("eval", "--knob %s: %s", o->knobs[i], err.msg);
			goto done;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		if (tf_instance_eval(&inst[i], &f->scenario, &v[i], &err) != TF_OK) {
			fprintf(stderr, "trustfuzz eval: %s: %s: %s\n", file, inst[i].name, err.msg);
			rc = tf_err_exit_code(err.code);
			goto done;
		}
		const tf_expect *e = find_expect(f, inst[i].name);
		char diff[300];
		if (!e)
			continue;
		tf_expect x = at_depth(e, o->depth);
		if (!tf_expect_match(&x, &v[i], &f->scenario, diff, sizeof diff))
			snprintf(diffs[ndiffs++], sizeof diffs[0], "%s: %s: %s", file, inst[i].name,
				 diff);
	}
	if (all) {
		doc = json_pack("{s:s, s:s, s:[], s:[]}", "file", file, "id", f->id, "results",
				"mismatches");
		if (!doc) {
			fprintf(stderr, "trustfuzz eval: out of memory\n");
			rc = TF_EXIT_INTERNAL;
			goto done;
		}
		results = json_object_get(doc, "results");
		mismatches = json_object_get(doc, "mismatches");
		for (unsigned i = 0; i < n; i++)
			json_array_append_new(results, verdict_json(&f->scenario, inst[i].name, &v[i]));
		for (unsigned i = 0; i < ndiffs; i++)
			json_array_append_new(mismatches, json_string(diffs[i]));
		json_array_append_new(all, doc);
	} else {
		print_table(file, f, inst, n, v);
		for (unsigned i = 0; i < ndiffs; i++)
			printf("%s\n", diffs[i]);
	}
	if (ndiffs)
		rc = TF_EXIT_FINDING;
done:
	tf_fixture_free(f);
	free(f);
	return rc;
}

/* The more severe of two exit codes: the codes sort by severity
 * (internal 3 > usage 2 > finding 1 > ok 0). */
static int worse(int a, int b)
{
	return b > a ? b : a;
}

int cmd_eval(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"evaluator", required_argument, NULL, 'e'},
		{"knob", required_argument, NULL, 'k'},
		{"json", no_argument, NULL, 'j'},
		{"depth", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	eval_opts o = {.evaluators = "all", .depth = TF_DEPTH_PATH};
	tf_instance inst[TF_MAX_INSTANCES];
	unsigned n = 0, opened = 0;
	tf_error err = {0};
	json_t *all = NULL;
	int rc = TF_EXIT_OK, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "e:k:jd:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': o.evaluators = optarg; break;
		case 'k':
			if (o.nknobs == EVAL_MAX_KNOBS)
				return cli_usage_error("eval", "more than %d --knob options",
						       EVAL_MAX_KNOBS);
			o.knobs[o.nknobs++] = optarg;
			break;
		case 'j': o.json = true; break;
		case 'd':
			if (!tf_depth_parse(optarg, &o.depth))
				return cli_usage_error("eval", "--depth %s: expected status, win32 or path",
						       optarg);
			break;
		case 'h': usage(stdout); return TF_EXIT_OK;
		default: return cli_usage_error("eval", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("eval", "no fixture given");
	for (unsigned i = 0; i < o.nknobs; i++) {
		tf_knobs probe = {0};
		if (tf_knob_assign(&probe, o.knobs[i], &err) != TF_OK)
			return cli_usage_error("eval", "--knob %s: %s", o.knobs[i], err.msg);
	}
	if (tf_instances_parse(inst, TF_MAX_INSTANCES, &n, o.evaluators, &err) != TF_OK)
		return cli_usage_error("eval", "--evaluator: %s", err.msg);
	for (; opened < n; opened++) {
		if (tf_instance_open(&inst[opened], &err) != TF_OK) {
			rc = cli_report(&err);
			goto done;
		}
	}
	if (o.json && !(all = json_array())) {
		rc = TF_EXIT_INTERNAL;
		goto done;
	}
	for (int i = optind; i < argc; i++)
		rc = worse(rc, eval_file(argv[i], inst, n, &o, all));
	if (all) {
		char *text = json_dumps(all, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (!text) {
			rc = TF_EXIT_INTERNAL;
			goto done;
		}
		printf("%s\n", text);
		free(text);
	}
done:
	for (unsigned i = 0; i < opened; i++)
		tf_instance_close(&inst[i]);
	json_decref(all);
	return rc;
}
