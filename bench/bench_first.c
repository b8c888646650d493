/* bench/bench_first.c — time from an empty corpus to the first KB
 * divergence (bench.h): a fuzzer or campaign runs as a child process while
 * this one watches its findings directory.
 *
 * "KB divergence" means a finding whose signature pairs the reference with
 * the KB model (ref~kb): the model departing from correct behaviour, which
 * only the KB trigger can make it do. To tell, the watcher judges each new
 * finding's scenario with the same instances the child runs
 * ("ref,kb,openssl") and asks whether ref and kb diverge on it, rather than
 * parsing the generated "why" text or matching the file's id: a campaign
 * names a finding by its signature coarsened with the known-divergence
 * table (tf_known_coarsen), which the watcher need not share, and it writes
 * every signature of a scenario at the same moment, so the first scenario
 * showing ref~kb is the first ref~kb finding. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "trustfuzz/diff.h"
#include "trustfuzz/findings.h"
#include "trustfuzz/fixture.h"

#define POLL_NS 5000000L
#define MAX_ARGS 32
#define MAX_SEEN 1024
#define MAX_PAIRS (TF_MAX_INSTANCES * (TF_MAX_INSTANCES - 1) / 2)

typedef struct watcher {
	unsigned n, opened;
	tf_instance inst[TF_MAX_INSTANCES];
	tf_run run;
	tf_signature sig[MAX_PAIRS];
	tf_fixture fx;
	char seen[MAX_SEEN][TF_SIG_ID_SIZE];
	unsigned nseen;
} watcher;

/* Replaces {seed} and {dir} in text into buf. */
static void expand(const char *text, unsigned seed, const char *dir, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	while (*text && used + 1 < n) {
		int w = 0;
		if (!strncmp(text, "{seed}", 6)) {
			w = snprintf(buf + used, n - used, "%u", seed);
			text += 6;
		} else if (!strncmp(text, "{dir}", 5)) {
			w = snprintf(buf + used, n - used, "%s", dir);
			text += 5;
		} else {
			buf[used] = *text++;
			buf[used + 1] = '\0';
			w = 1;
		}
		used += w > 0 ? (size_t)w : 0;
	}
}

static bool already_seen(watcher *w, const char *id)
{
	for (unsigned i = 0; i < w->nseen; i++)
		if (!strcmp(w->seen[i], id))
			return true;
	if (w->nseen < MAX_SEEN)
		snprintf(w->seen[w->nseen++], TF_SIG_ID_SIZE, "%s", id);
	return false;
}

/* Whether the scenario of findings/<id>.json shows a ref~kb divergence. */
static bool is_kb(watcher *w, const char *dir, const char *id)
{
	char path[4096];
	tf_error err = {0};
	bool kb = false;
	snprintf(path, sizeof path, "%s/findings/%s.json", dir, id);
	if (tf_fixture_read(path, &w->fx, &err) != TF_OK)
		return false;
	tf_diff_run(w->inst, w->n, &w->fx.scenario, &w->run);
	unsigned k = tf_diff_signatures(w->inst, &w->run, &w->fx.scenario, TF_DEPTH_STATUS, w->sig,
					MAX_PAIRS);
	for (unsigned i = 0; i < k && i < MAX_PAIRS && !kb; i++)
		kb = w->sig[i].a == 0 && w->sig[i].b == 1;
	tf_fixture_free(&w->fx);
	return kb;
}

static bool scan(watcher *w, const char *dir)
{
	char sub[4096];
	bool found = false;
	snprintf(sub, sizeof sub, "%s/findings", dir);
	DIR *d = opendir(sub);
	if (!d)
		return false;
	for (struct dirent *e; !found && (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		char id[TF_SIG_ID_SIZE];
		if (len != TF_SIG_ID_SIZE - 1 + 5 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		memcpy(id, e->d_name, TF_SIG_ID_SIZE - 1);
		id[TF_SIG_ID_SIZE - 1] = '\0';
		if (!tf_sig_id_valid(id) || already_seen(w, id))
			continue;
		found = is_kb(w, dir, id);
	}
	closedir(d);
	return found;
}

static pid_t start(char *const *argv, const char *env_findings, unsigned seed, const char *dir,
		   const char *log)
{
	static char args[MAX_ARGS][4096];
	char *av[MAX_ARGS + 1];
	unsigned n = 0;
	for (; argv[n] && n < MAX_ARGS; n++) {
		expand(argv[n], seed, dir, args[n], sizeof args[n]);
		av[n] = args[n];
	}
	av[n] = NULL;
	/* The child's freopen would flush what this process has buffered. */
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	/* Child: its own process group, so that stopping it stops its workers. */
	setpgid(0, 0);
	if (env_findings)
		setenv(env_findings, dir, 1);
	if (freopen(log, "w", stdout) && freopen(log, "a", stderr))
		execv(av[0], av);
	_exit(127);
}

static void stop(pid_t pid)
{
	int status = 0;
	kill(-pid, SIGTERM);
	kill(pid, SIGTERM);
	for (int i = 0; i < 200; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		nanosleep(&(struct timespec){0, POLL_NS}, NULL);
	}
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

/* One seed: start, watch, stop. *t is the wall time to the finding. */
static tf_err one_seed(watcher *w, char *const *argv, const char *env_findings,
		       const char *tmp, const char *tag, unsigned seed, double timeout_s, double *t, bool *found,
		       tf_error *err)
{
	char dir[4096], log[4096];
	tf_bench_clock t0, t1;
	int status = 0;
	snprintf(dir, sizeof dir, "%s/first-%s-%u", tmp, tag, seed);
	TF_ENSURE(mkdir(dir, 0777) == 0 || errno == EEXIST, err, TF_ERR_IO,
		  "%s: cannot create: %s", dir, strerror(errno));
	/* An empty corpus folder, for fuzzers that take one ({dir}/corpus). */
	snprintf(log, sizeof log, "%s/corpus", dir);
	TF_ENSURE(mkdir(log, 0777) == 0 || errno == EEXIST, err, TF_ERR_IO,
		  "%s: cannot create: %s", log, strerror(errno));
	snprintf(log, sizeof log, "%s.log", dir);
	w->nseen = 0;
	*found = false;
	tf_bench_now(&t0);
	pid_t pid = start(argv, env_findings, seed, dir, log);
	TF_ENSURE(pid > 0, err, TF_ERR_IO, "bench: fork: %s", strerror(errno));
	for (;;) {
		nanosleep(&(struct timespec){0, POLL_NS}, NULL);
		*found = scan(w, dir);
		t1 = t0;
		tf_bench_now(&t1);
		tf_bench_since(&t0, &t1);
		if (*found || t1.wall >= timeout_s)
			break;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			*t = t1.wall;
			return tf_error_set(err, TF_ERR_BACKEND, "bench: %s exited (status %d) before a "
					    "KB divergence; see %s", argv[0], status, log);
		}
	}
	*t = *found ? t1.wall : INFINITY;
	stop(pid);
	return TF_OK;
}

tf_err tf_bench_first_run(char *const *argv, const char *env_findings, const char *tmp,
			  const char *tag, unsigned seeds, double timeout_s, tf_bench_first *out, tf_error *err)
{
	tf_err rc = TF_OK;
	watcher *w = calloc(1, sizeof *w);
	memset(out, 0, sizeof *out);
	if (!w)
		return tf_error_set(err, TF_ERR_NOMEM, "bench: out of memory");
	tf_fixture_init(&w->fx);
	TF_GUARD_GOTO(tf_instances_parse(w->inst, TF_MAX_INSTANCES, &w->n, TF_DEFAULT_EVALUATORS, err), rc,
		      done);
	for (; w->opened < w->n; w->opened++)
		TF_GUARD_GOTO(tf_instance_open(&w->inst[w->opened], err), rc, done);
	for (unsigned s = 1; s <= seeds && s <= TF_BENCH_FIRST_MAX; s++) {
		TF_GUARD_GOTO(one_seed(w, argv, env_findings, tmp, tag, s, timeout_s, &out->t[out->n],
				       &out->found[out->n], err),
			      rc, done);
		out->nfound += out->found[out->n];
		out->n++;
	}
	out->median = tf_bench_median(out->t, out->n);
done:
	for (unsigned i = 0; i < w->opened; i++)
		tf_instance_close(&w->inst[i]);
	tf_fixture_free(&w->fx);
	free(w);
	return rc;
}
