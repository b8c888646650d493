/*
 * harness/findings_excl.c — no-clobber publishing of a whole file.
 *
 * rename() replaces its target, so two processes publishing the same finding
 * would both "win" and one would silently overwrite the other's (different)
 * minimization. link() instead fails with EEXIST when the name is taken,
 * which turns the file system into the arbiter: the first complete file
 * stays, everyone else learns it exists. The temp file is fsync'ed before
 * the link so the final name never points at a partial file, and the
 * directory is fsync'ed after so the new name itself survives a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trustfuzz/findings.h"

static tf_err write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return TF_ERR_IO;
		p += n;
		len -= (size_t)n;
	}
	return TF_OK;
}

static void sync_dir_of(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	if (n == 0 || n >= sizeof dir) {
		snprintf(dir, sizeof dir, "%s", slash ? "/" : ".");
	} else {
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* Durability of the name only: the file's data was synced before the
	 * link, and a file system refusing directory fsync loses nothing else. */
	(void)fsync(fd);
	close(fd);
}

tf_err tf_write_file_excl(const char *path, const void *data, size_t len, bool *existed,
			  tf_error *err)
{
	return tf_write_file_publish(path, data, len, TF_PUBLISH_EXCL, existed, err);
}

tf_err tf_write_file_publish(const char *path, const void *data, size_t len, unsigned flags,
			     bool *existed, tf_error *err)
{
	bool excl = !(flags & TF_PUBLISH_REPLACE), sync = !(flags & TF_PUBLISH_NOSYNC);
	tf_err rc = TF_OK;
	char *tmp = NULL;
	int fd = -1;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;

	*existed = false;
	TF_ENSURE(*base, err, TF_ERR_IO, "%s: not a file name", path);
	/* Cheap early exit: most calls for a known name end here. */
	struct stat st;
	if (excl && lstat(path, &st) == 0) {
		*existed = true;
		return TF_OK;
	}
	size_t tmplen = strlen(path) + 10;
	tmp = malloc(tmplen);
	TF_ENSURE(tmp, err, TF_ERR_NOMEM, "%s: out of memory", path);
	snprintf(tmp, tmplen, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = tf_error_set(err, TF_ERR_IO, "%s: cannot create a temp file: %s", path,
				  strerror(errno));
		free(tmp);
		return rc;
	}
	if (fchmod(fd, 0644) != 0 || write_all(fd, data, len) != TF_OK ||
	    (sync && fsync(fd) != 0)) {
		rc = tf_error_set(err, TF_ERR_IO, "%s: cannot write %s: %s", path, tmp,
				  strerror(errno));
		goto done;
	}
	int crc = close(fd);
	fd = -1;
	if (crc != 0) {
		rc = tf_error_set(err, TF_ERR_IO, "%s: cannot write %s: %s", path, tmp,
				  strerror(errno));
		goto done;
	}
	if (!excl) {
		if (rename(tmp, path) != 0) {
			rc = tf_error_set(err, TF_ERR_IO, "%s: cannot rename %s into place: %s",
					  path, tmp, strerror(errno));
			goto done;
		}
		free(tmp);
		tmp = NULL; /* renamed: nothing left to unlink */
	} else if (link(tmp, path) != 0) {
		if (errno == EEXIST)
			*existed = true;
		else
			rc = tf_error_set(err, TF_ERR_IO, "%s: cannot link %s into place: %s",
					  path, tmp, strerror(errno));
		goto done;
	}
	if (sync)
		sync_dir_of(path);
done:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	return rc;
}
