/*
 * harness/report_pictures.c — the topology picture of each detailed
 * finding: tf_dot_write's graph rendered by Graphviz (`dot -Tsvg`) into
 * OUT/img/<sig-id>.svg. Several dot processes run at once (one per core,
 * at most 8): a campaign easily has hundreds of findings. Each picture
 * appears complete or not at all (rendered beside its name, then renamed).
 * Without Graphviz the report still works: each section then shows the
 * DOT source and says why there is no picture.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report_internal.h"
#include "trustfuzz/dot.h"

extern char **environ;

#define MAX_PARALLEL 8

typedef struct job {
	tf_report_sig *s;
	pid_t pid;
	char dot[TF_REPORT_PATH_MAX + 64], svg[TF_REPORT_PATH_MAX + 64], log[TF_REPORT_PATH_MAX + 64];
} job;

static int make_temp(char *path, size_t sz, const char *img, const char *id, const char *what)
{
	snprintf(path, sz, "%s/.%s.%s.XXXXXX", img, id, what);
	return mkstemp(path);
}

static void cleanup(job *j)
{
	if (j->dot[0])
		unlink(j->dot);
	if (j->svg[0])
		unlink(j->svg);
	if (j->log[0])
		unlink(j->log);
}

/* Writes the DOT file and the two other temp names of j. */
static bool prepare(job *j, const char *img, tf_fixture *fx)
{
	tf_error err = {0};
	int fd;
	FILE *f = NULL;
	bool ok = false;
	j->dot[0] = j->svg[0] = j->log[0] = '\0';
	tf_fixture_init(fx);
	if (tf_fixture_read(j->s->fixture, fx, &err) != TF_OK) {
		snprintf(j->s->dot_source_note, sizeof j->s->dot_source_note, "%s", err.msg);
		goto done;
	}
	if ((fd = make_temp(j->dot, sizeof j->dot, img, j->s->id, "dot")) < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		goto io;
	}
	tf_err rc = tf_dot_write(f, fx, &err);
	if (fclose(f) != 0 || rc != TF_OK)
		goto io;
	if ((fd = make_temp(j->svg, sizeof j->svg, img, j->s->id, "svg")) < 0)
		goto io;
	close(fd);
	if ((fd = make_temp(j->log, sizeof j->log, img, j->s->id, "log")) < 0)
		goto io;
	close(fd);
	ok = true;
	goto done;
io:
	snprintf(j->s->dot_source_note, sizeof j->s->dot_source_note, "%s: %s", img, strerror(errno));
done:
	tf_fixture_free(fx);
	if (!ok)
		cleanup(j);
	return ok;
}

/* Starts dot on j; returns errno of the spawn (ENOENT: no Graphviz). */
static int start(job *j, const char *prog)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = {(char *)prog, "-Tsvg", "-o", j->svg, j->dot, NULL};
	int rc = posix_spawn_file_actions_init(&fa);
	if (rc == 0)
		rc = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (rc == 0)
		rc = posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	if (rc == 0)
		rc = posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, j->log, O_WRONLY | O_TRUNC, 0);
	if (rc == 0)
		rc = posix_spawnp(&j->pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* The first line dot wrote on stderr, for the note. */
static void first_log_line(const char *log, char *buf, size_t bufsz)
{
	char *text = NULL;
	size_t len = 0;
	tf_error ignored = {0};
	buf[0] = '\0';
	if (tf_read_file(log, &text, &len, &ignored) != TF_OK)
		return;
	snprintf(buf, bufsz, "%.*s", (int)strcspn(text, "\n"), text);
	free(text);
}

static void finish(job *j, const char *img, unsigned *drawn)
{
	int status = 0;
	char final[TF_REPORT_PATH_MAX + 64], line[200];
	while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
		;
	snprintf(final, sizeof final, "%s/%s.svg", img, j->s->id);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && chmod(j->svg, 0644) == 0 &&
	    rename(j->svg, final) == 0) {
		snprintf(j->s->picture, sizeof j->s->picture, "img/%s.svg", j->s->id);
		(*drawn)++;
	} else {
		first_log_line(j->log, line, sizeof line);
		snprintf(j->s->dot_source_note, sizeof j->s->dot_source_note,
			 "Graphviz dot failed (%s%s%s)",
			 WIFEXITED(status) ? "exit status" : "killed by signal", line[0] ? ": " : "",
			 line);
	}
	cleanup(j);
}

tf_err tf_report_pictures(tf_report *r, const char *out, unsigned *drawn, tf_error *err)
{
	char img[TF_REPORT_PATH_MAX + 8];
	const char *missing = NULL;
	unsigned njobs = 0;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned par = cores < 1 ? 1 : cores > MAX_PARALLEL ? MAX_PARALLEL : (unsigned)cores;
	job *jobs = NULL;
	tf_fixture *fx = NULL;
	tf_err rc = TF_OK;

	*drawn = 0;
	snprintf(img, sizeof img, "%s/img", out);
	TF_GUARD(rep_mkdir(img, err));
	jobs = calloc(par, sizeof *jobs);
	fx = malloc(sizeof *fx);
	if (!jobs || !fx) {
		rc = tf_error_set(err, TF_ERR_NOMEM, "report: out of memory");
		goto done;
	}
	for (unsigned i = 0; i <= r->nsigs; i++) {
		/* Wait for the batch when it is full or at the end. */
		if (njobs == par || (i == r->nsigs && njobs)) {
			for (unsigned k = 0; k < njobs; k++)
				finish(&jobs[k], img, drawn);
			njobs = 0;
		}
		if (i == r->nsigs)
			break;
		tf_report_sig *s = &r->sigs[i];
		if (!s->detailed || !s->fixture[0])
			continue;
		if (!r->opts.dot || missing) {
			snprintf(s->dot_source_note, sizeof s->dot_source_note, "%s",
				 missing ? missing : "pictures were not asked for");
			continue;
		}
		job *j = &jobs[njobs];
		j->s = s;
		if (!prepare(j, img, fx))
			continue;
		int e = start(j, r->opts.dot);
		if (e != 0) {
			cleanup(j);
			missing = e == ENOENT ? "Graphviz dot is not installed (Debian: apt-get install "
						"graphviz)"
					      : "Graphviz dot could not be started";
			snprintf(s->dot_source_note, sizeof s->dot_source_note, "%s: %s", missing,
				 strerror(e));
			continue;
		}
		njobs++;
	}
done:
	free(jobs);
	free(fx);
	return rc;
}
