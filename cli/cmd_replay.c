/*
 * cli/cmd_replay.c — `trustfuzz replay`: every fixture under the given
 * paths against its own expected verdicts (ctest runs it on
 * corpus/fixtures). Like OpenSSL's fuzz/test-corpus.c, it needs no fuzzing
 * engine, only the files.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/import.h"
#include "trustfuzz/registry.h"

/* Distinct instances one replay opens (each at most once). */
#define REPLAY_MAX_INSTANCES 64

static void usage(FILE *out)
{
	fprintf(out,
		"usage: trustfuzz replay DIR|FILE...\n\n"
		"Evaluates every fixture (*.json, recursively under each DIR, in sorted order)\n"
		"with every evaluator instance named in its \"expect\" object and compares the\n"
		"verdicts with the expectations (only the fields given). Prints one line per\n"
		"mismatch, then a final line \"N passed, N failed\" counting fixtures.\n"
		"A directory holding a manifest.json (docs/import.md) is one case: its\n"
		"certificates are imported in memory and its expected result checked.\n\n"
		"  -h, --help  this text\n\n"
		"exit: 0 all pass, 1 a fixture failed, 2 bad input (unreadable or invalid\n"
		"fixture, an instance this build does not have), 3 evaluator failure\n");
}

typedef struct file_list {
	char **v;
	size_t n, cap;
} file_list;

static bool push_file(file_list *l, const char *path)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return false;
		l->v = v;
		l->cap = cap;
	}
	if (!(l->v[l->n] = strdup(path)))
		return false;
	l->n++;
	return true;
}

static bool is_json(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && !strcmp(name + n - 5, ".json");
}

/* Adds every *.json under dir (recursively) to l. */
static tf_err walk(const char *dir, file_list *l, tf_error *err)
{
	tf_err rc = TF_OK;
	DIR *d = opendir(dir);
	struct dirent *e = NULL;
	if (!d)
		return tf_error_set(err, TF_ERR_IO, "%s: cannot open directory: %s", dir,
				    strerror(errno));
	while ((e = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat st;
		if (e->d_name[0] == '.')
			continue; /* ".", "..", and hidden files such as editor swap files */
		if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path) {
			rc = tf_error_set(err, TF_ERR_IO, "%s/%s: path too long", dir, e->d_name);
			break;
		}
		if (stat(path, &st) != 0) {
			rc = tf_error_set(err, TF_ERR_IO, "%s: %s", path, strerror(errno));
			break;
		}
		if (S_ISDIR(st.st_mode) && tf_import_is_manifest_dir(path))
			rc = push_file(l, path) ? TF_OK : tf_error_set(err, TF_ERR_NOMEM, "out of memory");
		else if (S_ISDIR(st.st_mode))
			rc = walk(path, l, err);
		else if (S_ISREG(st.st_mode) && is_json(e->d_name) && !push_file(l, path))
			rc = tf_error_set(err, TF_ERR_NOMEM, "out of memory");
		if (rc != TF_OK)
			break;
	}
	closedir(d);
	return rc;
}

static tf_err collect(char **args, int n, file_list *l, tf_error *err)
{
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (stat(args[i], &st) != 0)
			return tf_error_set(err, TF_ERR_IO, "%s: %s", args[i], strerror(errno));
		if (S_ISDIR(st.st_mode) && !tf_import_is_manifest_dir(args[i]))
			TF_GUARD(walk(args[i], l, err));
		else if (!push_file(l, args[i]))
			return tf_error_set(err, TF_ERR_NOMEM, "out of memory");
	}
	return TF_OK;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct cache {
	tf_instance inst[REPLAY_MAX_INSTANCES];
	unsigned n;
} cache;

/* The opened instance for spec, parsing and opening it on first use. */
static tf_err instance_for(cache *c, const char *spec, tf_instance **out, tf_error *err)
{
	tf_instance probe;
	TF_GUARD(tf_instance_parse(&probe, spec, err));
	for (unsigned i = 0; i < c->n; i++) {
		if (!strcmp(c->inst[i].name, probe.name)) {
			*out = &c->inst[i];
			return TF_OK;
		}
	}
	TF_ENSURE(c->n < REPLAY_MAX_INSTANCES, err, TF_ERR_LIMIT,
		  "more than %d distinct evaluator instances", REPLAY_MAX_INSTANCES);
	c->inst[c->n] = probe;
	TF_GUARD(tf_instance_open(&c->inst[c->n], err));
	*out = &c->inst[c->n++];
	return TF_OK;
}

/* A manifest directory: imported in memory, its expected result ("accept",
 * "reject" or a status) checked with each evaluator it names. */
static int replay_manifest(const char *dir, tf_fixture *f, cache *c)
{
	tf_error err = {0};
	tf_manifest m;
	int rc = TF_EXIT_OK;
	if (tf_import_manifest(dir, f, &m, &err) != TF_OK) {
		fprintf(stderr, "trustfuzz replay: %s\n", err.msg);
		return tf_err_exit_code(err.code);
	}
	for (unsigned i = 0; i < m.nexpect; i++) {
		const tf_manifest_expect *x = &m.expect[i];
		tf_instance *inst = NULL;
		tf_verdict v;
		if (instance_for(c, x->evaluator, &inst, &err) != TF_OK ||
		    tf_instance_eval(inst, &f->scenario, &v, &err) != TF_OK) {
			fprintf(stderr, "trustfuzz replay: %s: %s: %s\n", dir, x->evaluator, err.msg);
			rc = tf_err_exit_code(err.code) > rc ? tf_err_exit_code(err.code) : rc;
			continue;
		}
		if (x->reject ? v.status != TF_STATUS_200 : v.status == x->status)
			continue;
		printf("%s: %s: expected %s, got %s (%s)\n", dir, x->evaluator,
		       x->reject ? "a rejection" : tf_status_str(x->status), tf_status_str(v.status),
		       v.reason);
		rc = rc ? rc : TF_EXIT_FINDING;
	}
	tf_fixture_free(f);
	return rc;
}

/* Replays one fixture: 0 pass, 1 fail, 2 bad input, 3 evaluator failure. */
static int replay_one(const char *file, tf_fixture *f, cache *c)
{
	tf_error err = {0};
	int rc = TF_EXIT_OK;
	if (tf_import_is_manifest_dir(file))
		return replay_manifest(file, f, c);
	if (tf_fixture_read(file, f, &err) != TF_OK) {
		fprintf(stderr, "trustfuzz replay: %s\n", err.msg);
		return TF_EXIT_USAGE;
	}
	for (unsigned i = 0; i < f->nexpect; i++) {
		const char *spec = f->expect[i].evaluator;
		tf_instance *inst = NULL;
		tf_verdict v;
		char diff[300];
		if (instance_for(c, spec, &inst, &err) != TF_OK) {
			fprintf(stderr, "trustfuzz replay: %s: expect.%s: %s\n", file, spec, err.msg);
			rc = tf_err_exit_code(err.code) > rc ? tf_err_exit_code(err.code) : rc;
			continue;
		}
		if (tf_instance_eval(inst, &f->scenario, &v, &err) != TF_OK) {
			fprintf(stderr, "trustfuzz replay: %s: %s: %s\n", file, spec, err.msg);
			rc = tf_err_exit_code(err.code) > rc ? tf_err_exit_code(err.code) : rc;
			continue;
		}
		if (!tf_expect_match(&f->expect[i].e, &v, &f->scenario, diff, sizeof diff)) {
			printf("%s: %s: %s\n", file, spec, diff);
			rc = rc ? rc : TF_EXIT_FINDING;
		}
	}
	tf_fixture_free(f);
	return rc;
}

int cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	file_list files = {0};
	cache *c = NULL;
	tf_fixture *f = NULL;
	tf_error err = {0};
	size_t passed = 0, failed = 0;
	int rc = TF_EXIT_OK, opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h': usage(stdout); return TF_EXIT_OK;
		default: return cli_usage_error("replay", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("replay", "no fixture or directory given");
	c = calloc(1, sizeof *c);
	f = malloc(sizeof *f);
	if (!c || !f) {
		fprintf(stderr, "trustfuzz replay: out of memory\n");
		rc = TF_EXIT_INTERNAL;
		goto done;
	}
	if (collect(argv + optind, argc - optind, &files, &err) != TF_OK) {
		fprintf(stderr, "trustfuzz replay: %s\n", err.msg);
		rc = err.code == TF_ERR_NOMEM ? TF_EXIT_INTERNAL : TF_EXIT_USAGE;
		goto done;
	}
	qsort(files.v, files.n, sizeof *files.v, by_name);
	for (size_t i = 0; i < files.n; i++) {
		int r = replay_one(files.v[i], f, c);
		if (r == TF_EXIT_OK)
			passed++;
		else
			failed++;
		rc = r > rc ? r : rc;
	}
	printf("%zu passed, %zu failed\n", passed, failed);
done:
	for (unsigned i = 0; c && i < c->n; i++)
		tf_instance_close(&c->inst[i]);
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	free(c);
	free(f);
	return rc;
}
