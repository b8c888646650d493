/*
 * harness/report_files.c — output files of the report: built in memory,
 * written atomically, and linked to each other by relative paths so that a
 * findings directory can be moved (or archived) with its report inside.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report_internal.h"

tf_err rep_buf_open(rep_buf *b, tf_error *err)
{
	memset(b, 0, sizeof *b);
	b->f = open_memstream(&b->data, &b->len);
	TF_ENSURE(b->f, err, TF_ERR_NOMEM, "report: out of memory");
	return TF_OK;
}

void rep_buf_discard(rep_buf *b)
{
	if (b->f)
		fclose(b->f);
	free(b->data);
	memset(b, 0, sizeof *b);
}

tf_err rep_buf_take(rep_buf *b, char **data, size_t *len, tf_error *err)
{
	bool bad = ferror(b->f) != 0;
	if (fclose(b->f) != 0)
		bad = true;
	b->f = NULL;
	if (bad || !b->data) {
		rep_buf_discard(b);
		TF_BAIL(err, TF_ERR_NOMEM, "report: out of memory");
	}
	*data = b->data;
	*len = b->len;
	memset(b, 0, sizeof *b);
	return TF_OK;
}

tf_err rep_buf_commit(rep_buf *b, const char *path, tf_error *err)
{
	char *data = NULL;
	size_t len = 0;
	TF_GUARD(rep_buf_take(b, &data, &len, err));
	tf_err rc = tf_write_file_atomic(path, data, len, err);
	free(data);
	return rc;
}

char *rep_relpath(const char *from, const char *target, char *buf, size_t bufsz)
{
	char a[PATH_MAX], t[PATH_MAX];
	if (!realpath(from, a) || !realpath(target, t)) {
		snprintf(buf, bufsz, "%s", target);
		return buf;
	}
	/* The longest common prefix that ends at a component boundary. */
	size_t common = 0;
	for (size_t i = 0;; i++) {
		bool end_a = a[i] == '\0' || a[i] == '/';
		bool end_t = t[i] == '\0' || t[i] == '/';
		if (end_a && end_t)
			common = i;
		if (a[i] != t[i] || a[i] == '\0')
			break;
	}
	size_t o = 0;
	buf[0] = '\0';
	/* One "../" for each component of `from` past the common part. */
	for (const char *p = a + common; *p; p++) {
		if (*p == '/' && p[1] != '\0' && o + 4 < bufsz) {
			memcpy(buf + o, "../", 3);
			o += 3;
		}
	}
	const char *rest = t + common;
	if (*rest == '/')
		rest++;
	snprintf(buf + o, bufsz - o, "%s", rest);
	if (!buf[0])
		snprintf(buf, bufsz, ".");
	return buf;
}

tf_err rep_mkdir(const char *path, tf_error *err)
{
	struct stat st;
	if (mkdir(path, 0777) == 0 || (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
		return TF_OK;
	TF_BAIL(err, TF_ERR_IO, "%s: cannot make directory: %s", path, strerror(errno));
}
