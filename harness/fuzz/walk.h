/*
 * harness/fuzz/walk.h — the input lists of the fuzz drivers: every regular
 * file under some paths, sorted by name (internal to harness/fuzz).
 *
 * The replay driver runs every file under its arguments; the seed builder
 * encodes every fixture (*.json) under a folder. Both want the same walk:
 * recursive, dot files skipped, an unreadable entry an error that names it,
 * and a sorted result so that runs and the committed corpus are
 * deterministic.
 *
 * Not here: reading the files (fixture.h's tf_read_file).
 */
#ifndef TF_FUZZ_WALK_H
#define TF_FUZZ_WALK_H

#include <stddef.h>

typedef struct tf_walk_list {
	char **v; /* malloc'ed paths */
	size_t n, cap;
} tf_walk_list;

/* Adds path when it is a file, else every file under it (recursively, dot
 * files skipped) whose name ends with suffix (NULL: any name). Errors go to
 * stderr as "PROG: PATH: why"; returns 0 or -1. */
int tf_walk_add(tf_walk_list *l, const char *path, const char *suffix, const char *prog);

/* Sorts the list by path (strcmp). */
void tf_walk_sort(tf_walk_list *l);

/* Frees the paths and the list (which is then empty). */
void tf_walk_free(tf_walk_list *l);

#endif
