/*
 * harness/fuzz/walk.c — recursive file lists for the fuzz drivers (walk.h).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "walk.h"

static int push(tf_walk_list *l, const char *path, const char *prog)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			goto nomem;
		l->v = v;
		l->cap = cap;
	}
	if (!(l->v[l->n] = strdup(path)))
		goto nomem;
	l->n++;
	return 0;
nomem:
	fprintf(stderr, "%s: %s: out of memory\n", prog, path);
	return -1;
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = suffix ? strlen(suffix) : 0;
	return !suffix || (n > k && !strcmp(name + n - k, suffix));
}

int tf_walk_add(tf_walk_list *l, const char *path, const char *suffix, const char *prog)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return push(l, path, prog);
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char sub[PATH_MAX];
		if (e->d_name[0] == '.')
			continue;
		if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= (int)sizeof sub) {
			fprintf(stderr, "%s: %s/%s: path too long\n", prog, path, e->d_name);
			rc = -1;
			break;
		}
		if (stat(sub, &st) != 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, sub, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = tf_walk_add(l, sub, suffix, prog);
		} else if (has_suffix(e->d_name, suffix)) {
			rc = push(l, sub, prog);
		}
	}
	closedir(d);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void tf_walk_sort(tf_walk_list *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof *l->v, by_name);
}

void tf_walk_free(tf_walk_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
